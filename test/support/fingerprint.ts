import { Client } from 'pg';

/**
 * A digest of every row of every table of the application (aside from the migrations table and
 * the rate-limit counters, which every request may bump and which hold no data): equal
 * fingerprints mean no row was added, removed or changed. One md5 per table, so a difference
 * names the tables that changed.
 */
export async function fingerprint(
  db: Client,
  /** Per table, a condition on its rows (aliased `r`) for those to leave out. */
  exclude: Record<string, string> = {},
): Promise<Record<string, string>> {
  const tables = (
    await db.query<{ name: string }>(
      `SELECT quote_ident(tablename) AS name FROM pg_tables
        WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'rate_windows')
        ORDER BY tablename`,
    )
  ).rows.map((r) => r.name);
  const { rows } = await db.query<{ name: string; digest: string }>(
    tables
      .map(
        (t) =>
          `SELECT '${t}' AS name, md5(coalesce(string_agg(md5(r::text), '' ORDER BY md5(r::text)), '')) AS digest FROM ${t} r` +
          (exclude[t] ? ` WHERE NOT (${exclude[t]})` : ''),
      )
      .join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

/** The tables whose digest differs between two fingerprints. */
export function changedTables(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((t) => a[t] !== b[t]).sort();
}
