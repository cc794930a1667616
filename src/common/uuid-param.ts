import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from './errors/domain-error';

/** `@Param('id', uuidParam('user'))`: a malformed id is a 404 for that kind of thing, not a database error. */
export const uuidParam = (what: string): ParseUUIDPipe =>
  new ParseUUIDPipe({
    version: '4',
    exceptionFactory: () => new DomainError('NOT_FOUND', `no ${what} has this id (ids are UUIDs)`),
  });
