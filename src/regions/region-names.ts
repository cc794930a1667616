import { EntityManager } from 'typeorm';

/** The names of regions by code (codes without a region are left out), for messages and tables. */
export async function regionNames(
  manager: EntityManager,
  codes: readonly string[],
): Promise<Map<string, string>> {
  const rows = await manager.query<{ code: string; name: string }[]>(
    'SELECT code, name FROM regions WHERE code = ANY($1)',
    [[...new Set(codes)]],
  );
  return new Map(rows.map((r) => [r.code, r.name]));
}
