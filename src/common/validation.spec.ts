import { ValidationError } from '@nestjs/common';
import { inLanguage } from './i18n/text';
import { flattenValidationErrors } from './validation';

const err = (
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
  value: unknown = 'given',
): ValidationError => ({ property, constraints, children, value });

describe('flattenValidationErrors', () => {
  it('gives every failed constraint its own problem with a dotted and indexed path', () => {
    const problems = flattenValidationErrors([
      err('name', { isNotEmpty: 'name should not be empty' }, [], ''),
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

  it('says a field that was not given at all must be given, whichever check failed first', () => {
    // decorators run bottom-up: a missing name fails @MaxLength before @IsNotEmpty is reached
    const problems = flattenValidationErrors([
      // (not the helper: its default would stand in for an explicit undefined)
      {
        property: 'name',
        constraints: { maxLength: 'name must be shorter than or equal to 200 characters' },
        children: [],
        value: undefined,
      },
      err('regionCode', { matches: 'regionCode must match /^\\d+$/ regular expression' }, [], null),
      err(
        'note',
        { maxLength: 'note must be shorter than or equal to 20 characters' },
        [],
        'x'.repeat(21),
      ),
    ]);
    expect(problems.map((p) => [p.path, inLanguage(p.message, 'zh')])).toEqual([
      ['name', '必须填写'],
      ['regionCode', '必须填写'],
      ['note', '至多 20 个字符'],
    ]);
    expect(inLanguage(problems[0].message, 'en')).toBe('is required');
  });
});
