import { Client } from 'pg';

/**
 * A row written by `write` in a transaction left open, then `remove` (a deletion of what the row
 * refers to) sent on another connection: whether the removal was still waiting 300 ms later (for
 * the writer's lock on the referenced row), and how it ended once the writer committed — its
 * SQLSTATE, or 'deleted'. A reference checked by trigger instead of a foreign key must give
 * `{ waited: true, outcome: '23503' }`, as the foreign key did.
 */
export async function removalAfterOpenWrite(
  dbUrl: string,
  write: string,
  remove: { sql: string; params: unknown[] },
): Promise<{ waited: boolean; outcome: string | undefined }> {
  const writer = new Client({ connectionString: dbUrl });
  const remover = new Client({ connectionString: dbUrl });
  await Promise.all([writer.connect(), remover.connect()]);
  try {
    await writer.query('BEGIN');
    await writer.query(write);
    let settled = false;
    const removal = remover
      .query(remove.sql, remove.params)
      .then(
        () => 'deleted',
        (e: { code?: string }) => e.code,
      )
      .finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    const waited = !settled;
    await writer.query('COMMIT');
    return { waited, outcome: await removal };
  } finally {
    await Promise.all([writer.end(), remover.end()]);
  }
}
