import { ValidationError } from '@nestjs/common';
import { inLanguage } from './i18n/text';
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
    expect(problems.map((p) => ({ ...p, message: inLanguage(p.message, 'en') }))).toEqual([
      { path: 'name', message: 'name should not be empty' },
      { path: 'items[2].value', message: 'value must be a decimal string' },
      { path: 'items[2].value', message: 'too small' },
    ]);
    // class-validator's own message in Chinese; a DTO's own message as it was written
    expect(problems.map((p) => inLanguage(p.message, 'zh'))).toEqual([
      '不能为空',
      'value must be a decimal string',
      'too small',
    ]);
  });
});
