import { RegionSql } from '../regions/regions.repository';
/**
 * The WHERE clause of a list query built from optional filters: each `?` in a condition becomes
 * the next numbered parameter, so values never enter the SQL text.
 */
export class SqlFilter {
  private readonly conditions: string[] = [];

  constructor(readonly params: unknown[] = []) {}

  add(condition: string, value: unknown): this {
    this.params.push(value);
    this.conditions.push(condition.replaceAll('?', `$${this.params.length}`));
    return this;
  }

  /** Rows whose region (`column`) lies in the subtree of `regionCode`; no condition when null. */
  within(column: string, regionCode: string | null | undefined): this {
    if (!regionCode) return this;
    return this.add(RegionSql.codeWithin(column, '?'), regionCode);
  }

  get where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/** An ILIKE pattern matching text that contains `s` literally (its %, _ and \ escaped). */
export const containing = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
