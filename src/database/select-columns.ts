import type { EntityMetadata, FindOptionsSelect, ObjectLiteral } from 'typeorm';

/**
 * A find's `select` of every column of an entity but `left` — a large column (a run's snapshot,
 * a methodology's content) that the answer does not need and would otherwise be read and parsed.
 */
export function columnsExcept<T extends ObjectLiteral>(
  metadata: EntityMetadata,
  left: keyof T & string,
): FindOptionsSelect<T> {
  return Object.fromEntries(
    metadata.columns.filter((c) => c.propertyName !== left).map((c) => [c.propertyName, true]),
  ) as FindOptionsSelect<T>;
}
