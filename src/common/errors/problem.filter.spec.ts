import { toDomainError } from './problem.filter';

describe('toDomainError', () => {
  it('maps a PostgreSQL error met outside TypeORM (pg DatabaseError, e.g. from COPY) like a query error', () => {
    const fromCopy = Object.assign(new Error('numeric field overflow'), {
      code: '22003',
      severity: 'ERROR',
    });
    expect(toDomainError(fromCopy)?.code).toBe('VALIDATION_FAILED');
    const unique = Object.assign(new Error('duplicate key'), { code: '23505', severity: 'ERROR' });
    expect(toDomainError(unique)?.code).toBe('DUPLICATE');
  });

  it('leaves other errors as faults (500)', () => {
    expect(toDomainError(new Error('boom'))).toBeUndefined();
    expect(toDomainError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBeUndefined();
  });
});
