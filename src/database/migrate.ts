import { DataSource } from 'typeorm';

/** Arbitrary, fixed key of the advisory lock that serialises boot-time schema work. */
const SCHEMA_LOCK_KEY = 4_347_000_001;

/**
 * Runs `work` while holding a session-level advisory lock, so that several instances booting
 * at once apply migrations and seeds one after another rather than concurrently.
 */
export async function withSchemaLock<T>(
  dataSource: DataSource,
  work: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
