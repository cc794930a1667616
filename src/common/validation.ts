import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldProblem } from './errors/domain-error';

/** Flattens class-validator's tree into one problem per failed constraint, with a field path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const path = /^\d+$/.test(e.property)
      ? `${parent}[${e.property}]`
      : parent
        ? `${parent}.${e.property}`
        : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flattenValidationErrors(e.children ?? [], path)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const problems = flattenValidationErrors(errors);
      return new DomainError(
        'VALIDATION_FAILED',
        problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '),
        problems,
      );
    },
  });
}
