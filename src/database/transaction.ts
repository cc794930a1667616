import { DataSource, EntityManager } from 'typeorm';

/**
 * The transaction a service method writes in: the caller's when it passes one (`within` — a seed
 * that builds a whole demo register in one transaction, a service that composes another's
 * steps), else a new one of `ds`. Write methods that can take part in a caller's work take
 * `within?: EntityManager` as their last parameter and call this, so the manager is always
 * passed explicitly and never guessed from a `DataSource | EntityManager` union.
 */
export function inTransaction<T>(
  ds: DataSource,
  within: EntityManager | undefined,
  work: (m: EntityManager) => Promise<T>,
): Promise<T> {
  return within ? work(within) : ds.transaction(work);
}
