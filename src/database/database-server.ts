import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { localSecret } from '../config/local-secrets';
import { EmbeddedDatabase } from './embedded-postgres';

export const EMBEDDED_DATABASE_NAME = 'gep';

export interface DatabaseServer {
  url: string;
  /** Set when the service started its own PostgreSQL; stop it on shutdown. */
  embedded?: EmbeddedDatabase;
}

export function embeddedDatabase(config: AppConfig, log?: (m: string) => void): EmbeddedDatabase {
  return new EmbeddedDatabase({
    dir: config.EMBEDDED_PG_DIR,
    port: config.EMBEDDED_PG_PORT,
    password: localSecret(config.DATA_DIR, 'postgres-password'),
    log,
  });
}

/** Creates `name` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** The external server named by DATABASE_URL, or an embedded one started here. */
export async function startDatabaseServer(
  config: AppConfig,
  log?: (m: string) => void,
): Promise<DatabaseServer> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const embedded = embeddedDatabase(config, log);
  await embedded.start();
  try {
    await ensureDatabase(embedded.url, EMBEDDED_DATABASE_NAME);
  } catch (e) {
    await embedded.stop();
    throw e;
  }
  return { url: embedded.urlFor(EMBEDDED_DATABASE_NAME), embedded };
}

/**
 * A server for tools and tests, separate from the service's own data: the one named by
 * DATABASE_URL, or an embedded cluster in `<DATA_DIR>/postgres-<purpose>` on `port`.
 * Returns an admin URL (any database on it can be created and dropped) and how to stop it.
 */
export async function startToolServer(
  config: AppConfig,
  purpose: string,
  port: number,
): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  if (config.DATABASE_URL) return { adminUrl: config.DATABASE_URL, stop: () => Promise.resolve() };
  const embedded = new EmbeddedDatabase({
    dir: `${config.DATA_DIR}/postgres-${purpose}`,
    port,
    password: localSecret(config.DATA_DIR, 'postgres-password'),
  });
  await embedded.start();
  return { adminUrl: embedded.url, stop: () => embedded.stop() };
}

/** Drops and recreates `name` on the server, optionally from a template database. */
export async function recreateDatabase(
  adminUrl: string,
  name: string,
  template?: string,
): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const id = client.escapeIdentifier(name);
    await client.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
    await client.query(
      `CREATE DATABASE ${id}${template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : ''}`,
    );
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
