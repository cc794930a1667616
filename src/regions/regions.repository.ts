import { EntityManager } from 'typeorm';
import { RegionLevel } from './region.entity';

/**
 * SQL conditions over the region tree, for queries of other tables. These and
 * {@link RegionsRepository} are the only places outside this folder's service where the
 * `regions` table is named (architecture.spec.ts holds every other file to it).
 */
export const RegionSql = {
  /** The table, aliased `x` (how the scope declarations name a region's row). */
  tableAsX: 'regions x',

  /** The depth of the region coded `code` in the tree (a province is 1). */
  depth: (code: string): string => `(SELECT nlevel(path) FROM regions WHERE code = ${code})`,

  /** The region path `path` (an ltree expression) lies in the subtree of the region coded `scope`. */
  pathWithin: (path: string, scope: string): string =>
    `${path} <@ (SELECT path FROM regions WHERE code = ${scope})`,

  /** The region coded `code` (an expression) lies in the subtree of the region coded `scope`. */
  codeWithin: (code: string, scope: string): string =>
    `${code} IN (SELECT rr.code FROM regions rr
                  WHERE rr.path <@ (SELECT path FROM regions WHERE code = ${scope}))`,

  /**
   * Any of the region codes `codes` (expressions) lies in the subtree of the region coded `scope`;
   * false (not null) when none does or the codes are null. Uncorrelated: the subtree is a subquery
   * of its own, so the condition also holds on Citus, where a distributed table's row cannot be
   * correlated with the coordinator-local `regions` (docs/national-scale.md).
   */
  anyWithin: (codes: readonly string[], scope: string): string =>
    `COALESCE(${codes.map((c) => RegionSql.codeWithin(c, scope)).join(' OR ')}, false)`,
};

/**
 * A region as a message names it — by name, the code beside: 紫阳镇（361130100） in Chinese,
 * 紫阳镇 (361130100) in English; the code alone when it names no region.
 */
export function regionLabel(
  name: string | null | undefined,
  code: string,
): { zh: string; en: string } {
  return name ? { zh: `${name}（${code}）`, en: `${name} (${code})` } : { zh: code, en: code };
}

/**
 * How regions are found, by intent. The caller passes its `EntityManager`: a region read here is
 * read in the caller's transaction.
 */
export const RegionsRepository = {
  /** The names of regions by code (codes without a region are left out), for messages and tables. */
  async names(m: EntityManager, codes: readonly string[]): Promise<Map<string, string>> {
    const rows = await m.query<{ code: string; name: string }[]>(
      'SELECT code, name FROM regions WHERE code = ANY($1)',
      [[...new Set(codes)]],
    );
    return new Map(rows.map((r) => [r.code, r.name]));
  },

  /** Regions as a message names them, in the order of `codes` (one query): see {@link regionLabel}. */
  async labels(m: EntityManager, codes: readonly string[]): Promise<{ zh: string; en: string }[]> {
    const names = await RegionsRepository.names(m, codes);
    return codes.map((code) => regionLabel(names.get(code), code));
  },

  /** One region as a message names it: see {@link regionLabel}. */
  async label(m: EntityManager, code: string): Promise<{ zh: string; en: string }> {
    return (await RegionsRepository.labels(m, [code]))[0];
  },

  /** One region's name, or null when the code names no region. */
  async name(m: EntityManager, code: string): Promise<string | null> {
    return (await RegionsRepository.names(m, [code])).get(code) ?? null;
  },

  /** The names from the root down to the region itself (江西省, 上饶市, 婺源县). */
  async lineageNames(m: EntityManager, code: string): Promise<string[]> {
    const rows = await m.query<{ name: string }[]>(
      `SELECT a.name FROM regions r JOIN regions a ON a.path @> r.path
        WHERE r.code = $1 ORDER BY nlevel(a.path)`,
      [code],
    );
    return rows.map((r) => r.name);
  },

  /**
   * The regions of one level within `code`'s subtree (the region itself when it is of that
   * level), by code: the townships of a county, for example.
   */
  within(
    m: EntityManager,
    code: string,
    level: RegionLevel,
  ): Promise<{ code: string; name: string }[]> {
    return m.query<{ code: string; name: string }[]>(
      `SELECT r.code, r.name FROM regions r
        WHERE r.level = $2 AND ${RegionSql.pathWithin('r.path', '$1')}
        ORDER BY r.code`,
      [code, level],
    );
  },

  /** Every region below `code` (not the region itself), by code. */
  below(m: EntityManager, code: string): Promise<{ code: string; name: string }[]> {
    return m.query<{ code: string; name: string }[]>(
      `SELECT code, name FROM regions
        WHERE ${RegionSql.pathWithin('path', '$1')} AND code <> $1 ORDER BY code`,
      [code],
    );
  },

  /** How many regions the subtree rooted at `code` has (itself included). */
  async subtreeSize(m: EntityManager, code: string): Promise<number> {
    const [{ n }] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM regions WHERE ${RegionSql.pathWithin('path', '$1')}`,
      [code],
    );
    return n;
  },

  /** The subtree rooted at `code` (itself included), parents before children. */
  async subtree(
    m: EntityManager,
    code: string,
  ): Promise<{ code: string; parentCode: string | null; lineage: string[] }[]> {
    const rows = await m.query<{ code: string; parent_code: string | null; path: string }[]>(
      `SELECT code, parent_code, path::text AS path FROM regions
        WHERE ${RegionSql.pathWithin('path', '$1')} ORDER BY nlevel(path), code`,
      [code],
    );
    return rows.map((r) => ({
      code: r.code,
      parentCode: r.parent_code,
      lineage: r.path.split('.'),
    }));
  },

  /**
   * Whether the region coded `code` lies in the subtree of `scope` (always, for a national user's
   * null scope); undefined when `code` names no region.
   */
  async isWithin(
    m: EntityManager,
    scope: string | null,
    code: string,
  ): Promise<boolean | undefined> {
    const [row] = await RegionsRepository.classify(m, [code], scope);
    return row.known ? row.inside : undefined;
  },

  /**
   * Which of `codes` name a region, and which of those lie in the subtree of `scope` (every known
   * one when `scope` is null: a national user).
   */
  classify(
    m: EntityManager,
    codes: readonly string[],
    scope: string | null,
  ): Promise<{ code: string; known: boolean; inside: boolean }[]> {
    return m.query<{ code: string; known: boolean; inside: boolean }[]>(
      `SELECT c.code, g.code IS NOT NULL AS known,
              ($2::varchar IS NULL OR ${RegionSql.pathWithin('g.path', '$2')}) AS inside
         FROM unnest($1::text[]) AS c(code) LEFT JOIN regions g ON g.code = c.code`,
      [[...codes], scope],
    );
  },
};
