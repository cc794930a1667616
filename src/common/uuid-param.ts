import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from './errors/domain-error';
import { zhEn } from './i18n/text';

/**
 * `@Param('id', uuidParam('user'))`: a malformed id is a 404 for that kind of thing, not a
 * database error. Any version: most ids are random (4), the forms a bulk load opens time-ordered (7).
 */
export const uuidParam = (what: string): ParseUUIDPipe =>
  new ParseUUIDPipe({
    version: 'all',
    exceptionFactory: () =>
      new DomainError(
        'NOT_FOUND',
        zhEn(`找不到此编号的${what}（编号应为 UUID）`, `no ${what} has this id (ids are UUIDs)`),
      ),
  });
