import 'reflect-metadata';
import { prepareDatabase } from '../../src/database/prepare';
import { loadConfig } from '../../src/config/app-config';
import { recreateDatabase, startToolServer } from '../../src/database/database-server';
import { TEMPLATE_DB, testEnv } from './test-env';

/**
 * Starts one PostgreSQL for the whole run (DATABASE_URL's server, or an embedded cluster in
 * .data/postgres-test) and builds a template database with the real migrations and seeds.
 * Each test file then gets its own database cloned from the template.
 */
export default async function globalSetup(): Promise<void> {
  const config = loadConfig(testEnv());
  const server = await startToolServer(config, 'test', config.EMBEDDED_PG_PORT + 1);
  (globalThis as { __GEP_TEST_DB_STOP__?: () => Promise<void> }).__GEP_TEST_DB_STOP__ = server.stop;
  const url = await recreateDatabase(server.adminUrl, TEMPLATE_DB);
  await prepareDatabase(url, Object.assign(config, { DEMO_DATA: true }));
  process.env.GEP_TEST_ADMIN_URL = server.adminUrl;
}
