import { DataSource } from 'typeorm';
import { runSeeds, SeedReport } from '../../seeds';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrations, withSchemaLock } from './migrate';

/** Applies pending migrations and the seeds, under an advisory lock. */
export async function prepareDatabase(
  url: string,
  config: AppConfig,
): Promise<{ migrations: string[]; seeds: SeedReport }> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  try {
    return await withSchemaLock(dataSource, async () => {
      const migrations = await runMigrations(dataSource);
      const seeds = await runSeeds(dataSource, {
        demo: config.demoData,
        adminPassword: config.ADMIN_PASSWORD,
      });
      return { migrations, seeds };
    });
  } finally {
    await dataSource.destroy();
  }
}
