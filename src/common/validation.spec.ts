import { ValidationError } from '@nestjs/common';
import { flattenValidationErrors } from './validation';

const err = (
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError => ({ property, constraints, children });

describe('flattenValidationErrors', () => {
  it('gives every failed constraint its own problem with a dotted and indexed path', () => {
    const problems = flattenValidationErrors([
      err('name', { isNotEmpty: 'name should not be empty' }),
      err('items', undefined, [
        err('2', undefined, [
          err('value', { isNumberString: 'value must be a decimal string', min: 'too small' }),
        ]),
      ]),
    ]);
    expect(problems).toEqual([
      { path: 'name', message: 'name should not be empty' },
      { path: 'items[2].value', message: 'value must be a decimal string' },
      { path: 'items[2].value', message: 'too small' },
    ]);
  });
});
