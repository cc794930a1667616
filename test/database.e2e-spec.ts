import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { runSeeds } from '../seeds';
import { DEMO_YEARS } from '../seeds/demo/survey';
import { DEMO_USERS } from '../seeds/demo/users';
import { METHODOLOGY_SEEDS } from '../seeds/reference/methodologies';
import { REGION_SEEDS } from '../seeds/reference/regions';
import { loadConfig } from '../src/config/app-config';
import { distribute, DistributionError } from '../src/database/citus';
import { dataSourceOptions } from '../src/database/data-source-options';
import { recreateDatabase } from '../src/database/database-server';
import { prepareDatabase } from '../src/database/prepare';
import { testEnv } from './support/test-env';

const adminUrl = () => process.env.GEP_TEST_ADMIN_URL!;

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A digest of every row of the seeded tables (timestamps included) and the audit log size. */
const fingerprint = (url: string) =>
  withClient(url, async (c) => {
    const { rows } = await c.query(`SELECT
      (SELECT md5(string_agg(r::text, '|' ORDER BY code)) FROM regions r) AS regions,
      (SELECT md5(string_agg(u::text, '|' ORDER BY username)) FROM users u) AS users,
      (SELECT md5(string_agg(m::text, '|' ORDER BY standard_id, version)) FROM methodologies m) AS methodologies,
      (SELECT count(*) FROM survey_values) AS survey_values,
      (SELECT md5(string_agg(r.snapshot_sha256 || r.status, '|' ORDER BY r.year)) FROM accounting_runs r) AS runs,
      (SELECT count(*) FROM audit_log) AS audit,
      (SELECT count(*) FROM registry_entries) AS registry_entries`);
    return rows[0] as { regions: string; users: string; audit: string };
  });

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withClient(adminUrl(), (c) =>
    c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

describe('migrations and seeds', () => {
  it('lists every migration file in migrations/index.ts, in timestamp order', () => {
    const files = readdirSync(join(process.cwd(), 'migrations'))
      .filter((f) => /^\d+-\w+\.ts$/.test(f))
      .sort();
    const listed = MIGRATIONS.map((m) => new m().constructor.name);
    expect(listed).toEqual(files.map((f) => f.replace(/^(\d+)-(\w+)\.ts$/, '$2$1')));
  });

  it('builds an empty database, seeds it and boots twice to the same state (idempotent seeds)', async () => {
    const url = await recreateDatabase(adminUrl(), 'gep_test_seeds');
    try {
      const config = loadConfig(testEnv({ DEMO_DATA: 'true' }));
      const first = await prepareDatabase(url, config);
      expect(first.migrations).toHaveLength(MIGRATIONS.length);
      expect(first.seeds).toEqual({
        regionsWritten: REGION_SEEDS.length,
        methodologiesCreated: METHODOLOGY_SEEDS.length,
        usersCreated: DEMO_USERS.length,
        demoForms: 17 * DEMO_YEARS.length * 9,
        demoRuns: DEMO_YEARS.length,
        demoCompensationRuns: 2,
        demoOfficials: 2,
        demoRegistryUnits: 6,
      });
      const state1 = await fingerprint(url);
      const second = await prepareDatabase(url, config);
      expect(second).toEqual({
        migrations: [],
        seeds: {
          regionsWritten: 0,
          methodologiesCreated: 0,
          usersCreated: 0,
          demoForms: 0,
          demoRuns: 0,
          demoCompensationRuns: 0,
          demoOfficials: 0,
          demoRegistryUnits: 0,
        },
      });
      expect(await fingerprint(url)).toEqual(state1);
    } finally {
      await dropDatabase(url);
    }
  });

  it('loads reference data only when demo data is off; a configured ADMIN_PASSWORD creates the admin', async () => {
    const url = await recreateDatabase(adminUrl(), 'gep_test_nodemo');
    try {
      await prepareDatabase(
        url,
        loadConfig(testEnv({ DEMO_DATA: 'false', ADMIN_PASSWORD: 'a-long-admin-password' })),
      );
      const users = await withClient(url, (c) =>
        c.query('SELECT username, roles, region_code FROM users'),
      );
      expect(users.rows).toEqual([{ username: 'admin', roles: ['admin'], region_code: null }]);
      const regions = await withClient(url, (c) => c.query('SELECT count(*) FROM regions'));
      expect(Number(regions.rows[0].count)).toBe(REGION_SEEDS.length);
    } finally {
      await dropDatabase(url);
    }
  });

  it('restores a reference region that was changed by hand, and logs that', async () => {
    const url = await recreateDatabase(adminUrl(), 'gep_test_reseed');
    try {
      const config = loadConfig(testEnv());
      await prepareDatabase(url, config);
      await withClient(url, (c) =>
        c.query("UPDATE regions SET name = '改过' WHERE code = '361130'"),
      );
      const again = await prepareDatabase(url, config);
      expect(again.seeds.regionsWritten).toBe(1);
      const row = await withClient(url, (c) =>
        c.query(
          "SELECT r.name, (SELECT count(*) FROM audit_log WHERE action = 'region.update' AND entity_id = '361130') AS logged FROM regions r WHERE code = '361130'",
        ),
      );
      expect(row.rows[0]).toEqual({ name: '婺源县', logged: '1' });
    } finally {
      await dropDatabase(url);
    }
  });

  it('serialises concurrent boots with the advisory lock: both succeed, migrations apply once', async () => {
    const url = await recreateDatabase(adminUrl(), 'gep_test_concurrent');
    try {
      const config = loadConfig(testEnv());
      const [a, b] = await Promise.all([
        prepareDatabase(url, config),
        prepareDatabase(url, config),
      ]);
      expect([a.migrations.length, b.migrations.length].sort()).toEqual([0, MIGRATIONS.length]);
      const n = await withClient(url, (c) => c.query('SELECT count(*) FROM migrations'));
      expect(Number(n.rows[0].count)).toBe(MIGRATIONS.length);
    } finally {
      await dropDatabase(url);
    }
  });

  it('every migration has a working down: revert all, then apply again', async () => {
    const url = await recreateDatabase(adminUrl(), 'gep_test_down');
    const ds = new DataSource(dataSourceOptions(url));
    await ds.initialize();
    try {
      await ds.runMigrations();
      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration();
      const tables = await ds.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      expect(tables).toEqual([{ table_name: 'migrations' }]);
      expect(await ds.runMigrations()).toHaveLength(MIGRATIONS.length);
      expect(await runSeeds(ds, { demo: false })).toEqual({
        regionsWritten: REGION_SEEDS.length,
        methodologiesCreated: METHODOLOGY_SEEDS.length,
        usersCreated: 0,
        demoForms: 0,
        demoRuns: 0,
        demoCompensationRuns: 0,
        demoOfficials: 0,
        demoRegistryUnits: 0,
      });
    } finally {
      await ds.destroy();
      await dropDatabase(url);
    }
  });

  it('refuses to distribute a database without the citus extension, changing nothing', async () => {
    const url = await recreateDatabase(adminUrl(), 'gep_no_citus');
    try {
      await expect(distribute(url)).rejects.toThrow(DistributionError);
      await expect(distribute(url)).rejects.toThrow(/没有 citus 扩展/);
      const tables = await withClient(url, (c) =>
        c.query(`SELECT 1 FROM pg_tables WHERE tablename = 'citus_distribution'`),
      );
      expect(tables.rowCount).toBe(0);
    } finally {
      await dropDatabase(url);
    }
  });
});
