import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { localSecret } from '../config/local-secrets';
import { EMBEDDED_DATABASE_NAME } from './database-server';
import { dataSourceOptions } from './data-source-options';

/**
 * The TypeORM CLI's data source (`npm run typeorm -- …`). It reads the same validated
 * configuration as the service: DATABASE_URL, or the embedded server, which must be running
 * (`npm start` in another terminal).
 */
const config = loadConfig(process.env);
const url =
  config.DATABASE_URL ??
  `postgres://postgres:${localSecret(config.DATA_DIR, 'postgres-password')}@127.0.0.1:${config.EMBEDDED_PG_PORT}/${EMBEDDED_DATABASE_NAME}`;

export default new DataSource(dataSourceOptions(url));
