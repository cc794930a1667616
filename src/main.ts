import 'reflect-metadata';
import pino from 'pino';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { localSecret } from './config/local-secrets';
import { DatabaseServer, startDatabaseServer } from './database/database-server';
import { prepareDatabase } from './database/prepare';

const EXIT_CONFIG = 78; // EX_CONFIG (sysexits.h)

async function main(): Promise<void> {
  const t0 = Date.now();
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee the configuration table in README.md.\n`);
      process.exit(EXIT_CONFIG);
    }
    throw e;
  }
  const log = pino({ level: config.LOG_LEVEL, name: 'boot' });
  if (!config.JWT_SECRET) {
    log.warn(
      `JWT_SECRET not set: using a generated development secret kept in ${config.DATA_DIR}/jwt-secret`,
    );
  }
  const runtime = Object.assign(config, {
    JWT_SECRET: config.JWT_SECRET ?? localSecret(config.DATA_DIR, 'jwt-secret'),
  });

  let server: DatabaseServer | undefined;
  const stopDatabase = async () => {
    const embedded = server?.embedded;
    server = undefined;
    if (embedded) {
      await embedded.stop();
      log.info('embedded PostgreSQL stopped');
    }
  };
  try {
    server = await startDatabaseServer(config, (m) => log.debug(m.trim()));
    log.info(
      server.embedded ? `embedded PostgreSQL ready (${server.embedded.dir})` : 'using DATABASE_URL',
    );
    const { migrations, seeds } = await prepareDatabase(server.url, config);
    log.info({ migrations, ...seeds, demoData: config.demoData }, 'schema and seeds up to date');
    const app = await createApp(runtime, server.url);
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      log.info(`${signal}: shutting down`);
      void app
        .close()
        .then(stopDatabase)
        .then(
          () => process.exit(0),
          (e: unknown) => {
            log.error(e, 'shutdown failed');
            process.exit(1);
          },
        );
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    await app.listen(config.PORT, config.HOST);
    log.info(
      `GEP service listening on http://${config.HOST}:${config.PORT} (API docs at /docs), ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } catch (e) {
    log.fatal(e, 'start-up failed');
    await stopDatabase().catch(() => undefined);
    process.exit(1);
  }
}

void main();
