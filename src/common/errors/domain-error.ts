import { ErrorCode } from './error-codes';

/** One problem with one field of the input; `path` uses dots and [i] (`items[2].value`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** A typed error thrown by services; the global filter renders it as problem+json. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldProblem[] = [],
    /** For RATE_LIMITED: seconds until the client may retry (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError('NOT_FOUND', `${what} ${id} does not exist`);
  }

  static invalid(path: string, message: string): DomainError {
    return new DomainError('VALIDATION_FAILED', message, [{ path, message }]);
  }
}
