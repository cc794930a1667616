import { EntityManager } from 'typeorm';
import { RegionLevel } from './region.entity';

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

/**
 * The regions of one level within `code`'s subtree (the region itself when it is of that level),
 * by code: the townships of a county, for example.
 */
export async function regionsWithin(
  manager: EntityManager,
  code: string,
  level: RegionLevel,
): Promise<{ code: string; name: string }[]> {
  return manager.query<{ code: string; name: string }[]>(
    `SELECT r.code, r.name FROM regions r
      WHERE r.level = $2 AND r.path <@ (SELECT path FROM regions WHERE code = $1)
      ORDER BY r.code`,
    [code, level],
  );
}
