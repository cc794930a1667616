import { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';

/**
 * Reads a row by its key and locks it (`SELECT … FOR UPDATE`) in the caller's transaction;
 * 404 naming `what` when there is none.
 */
export async function lockRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  key: string,
  what: string,
  column = 'id',
): Promise<T> {
  const row = await manager.findOne(entity, {
    where: { [column]: key } as FindOptionsWhere<T>,
    lock: { mode: 'pessimistic_write' },
  });
  if (!row) throw DomainError.notFound(what, key);
  return row;
}
