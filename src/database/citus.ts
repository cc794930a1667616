import { Client } from 'pg';

/**
 * The service's distribution on Citus, as versioned steps. A step runs once per database, in one
 * transaction, as the database owner (the citus extension itself is a superuser's job on every
 * node, done before); which steps ran is recorded in `citus_distribution`, so the command is
 * safe to repeat and a later release can add step 2 without re-running step 1. The design —
 * what is distributed, what stays on the coordinator, what each constraint becomes — is
 * docs/national-scale.md; `npm run test:citus` runs the service on a three-node cluster with it.
 */
export interface DistributionStep {
  version: number;
  name: string;
  statements: string[];
}

/**
 * The parcel tables, co-located by county; their key always starts with `region_code`. (Step 1
 * also distributed `parcel_results` until migration ParcelResultsOnDemand dropped it.)
 */
export const PARCEL_TABLES = [
  'parcel_sets',
  'parcels',
  'parcel_runs',
  'parcel_aggregates',
] as const;

export const DISTRIBUTION_STEPS: readonly DistributionStep[] = [
  {
    version: 1,
    name: 'parcel tables distributed by county (region_code), co-located',
    statements: [
      // A distributed table cannot keep a foreign key to a coordinator-local table. What holds
      // instead: a county with parcel sets cannot be deleted (trigger regions_used_by_parcels,
      // on every server); a parcel set and run name a published methodology, which the service
      // checks and the methodologies_published_immutable trigger keeps from being deleted.
      'ALTER TABLE parcel_sets DROP CONSTRAINT parcel_sets_region_fk',
      'ALTER TABLE parcel_sets DROP CONSTRAINT parcel_sets_methodology_fk',
      'ALTER TABLE parcel_runs DROP CONSTRAINT parcel_runs_methodology_fk',
      `SELECT create_distributed_table('parcel_sets', 'region_code')`,
      ...PARCEL_TABLES.slice(1).map(
        (t) =>
          `SELECT create_distributed_table('${t}', 'region_code', colocate_with => 'parcel_sets')`,
      ),
      // rows that existed before are now in the shards; drop the coordinator's copies
      ...PARCEL_TABLES.map((t) => `SELECT truncate_local_data_after_distributing_table('${t}')`),
    ],
  },
];

export interface DistributionReport {
  citusVersion: string;
  applied: number[];
  current: number;
}

/** Thrown when the database cannot be distributed (no citus extension, a step failed). */
export class DistributionError extends Error {}

/** Applies the steps not yet applied to the database at `url`; returns what it did. */
export async function distribute(
  url: string,
  log: (line: string) => void = () => undefined,
  steps: readonly DistributionStep[] = DISTRIBUTION_STEPS,
): Promise<DistributionReport> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const ext = await client.query<{ v: string }>(
      `SELECT extversion AS v FROM pg_extension WHERE extname = 'citus'`,
    );
    if (!ext.rowCount)
      throw new DistributionError(
        '此数据库没有 citus 扩展：须由超级用户先在协调节点和每个工作节点上 CREATE EXTENSION citus 并登记节点 ' +
          '(the database has no citus extension: a superuser creates it on the coordinator and every worker and registers the nodes first)',
      );
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['gep:citus-distribution']);
    await client.query(`CREATE TABLE IF NOT EXISTS citus_distribution (
        version integer PRIMARY KEY, name text NOT NULL, statements text[] NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM citus_distribution')).rows.map(
        (r) => r.version,
      ),
    );
    const applied: number[] = [];
    for (const step of steps) {
      if (done.has(step.version)) continue;
      log(`step ${step.version}: ${step.name}`);
      await client.query('BEGIN');
      try {
        for (const sql of step.statements) {
          log(`  ${sql}`);
          await client.query(sql);
        }
        await client.query(
          'INSERT INTO citus_distribution (version, name, statements) VALUES ($1, $2, $3)',
          [step.version, step.name, step.statements],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new DistributionError(
          `第 ${step.version} 步失败，已回滚 (step ${step.version} failed and was rolled back): ${(e as Error).message}`,
        );
      }
      applied.push(step.version);
    }
    return {
      citusVersion: ext.rows[0].v,
      applied,
      current: Math.max(0, ...done, ...applied),
    };
  } finally {
    await client.end();
  }
}
