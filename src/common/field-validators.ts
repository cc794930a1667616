import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, Matches, Max, Min, ValidateBy } from 'class-validator';
import { zhEn } from './i18n/text';
import { readYuan } from './money';

export const REGION_CODE = /^\d{6}(\d{3}(\d{3})?)?$/;
export const STANDARD_ID = /^[a-z0-9][a-z0-9.-]{1,63}$/;

/** A statistical division code (统计用区划代码): 6, 9 or 12 digits. */
export const IsRegionCode = (): PropertyDecorator =>
  Matches(REGION_CODE, {
    message: zhEn(
      '应为 6、9 或 12 位统计用区划代码（如 361130）',
      '$property must be a statistical division code of 6, 9 or 12 digits',
    ),
  });

/** A methodology standard id such as `ndrc-nbs-2022-trial`. */
export const IsStandardId = (): PropertyDecorator =>
  Matches(STANDARD_ID, {
    message: zhEn(
      '应为核算标准编号：2–64 个小写字母、数字、. 或 -（如 ndrc-nbs-2022-trial）',
      '$property must be a standard id: 2-64 lower-case letters, digits, . or - (e.g. ndrc-nbs-2022-trial)',
    ),
  });

/** An accounting year. */
export const IsAccountingYear = (): PropertyDecorator =>
  applyDecorators(IsInt(), Min(1949), Max(2200));

export const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` that exists (no 2024-02-30). */
export const IsCalendarDate = (): PropertyDecorator =>
  applyDecorators(
    Matches(CALENDAR_DATE, {
      message: zhEn('日期格式应为 2024-01-05', '$property must be a date YYYY-MM-DD'),
    }),
    IsISO8601(
      { strict: true },
      { message: zhEn('日期不存在（如 2 月 30 日）', '$property must be a real date') },
    ),
  );

export const NON_NEGATIVE_DECIMAL = /^\d{1,15}(\.\d{1,8})?$/;

/** A quantity ≥ 0 as a decimal string (JSON numbers would pass through floating point). */
export const IsQuantity = (unit: string): PropertyDecorator =>
  Matches(NON_NEGATIVE_DECIMAL, {
    message: zhEn(
      `应为以${unit}计的非负数，最多 8 位小数，写成文字（如 "12.5"）`,
      `$property must be ${unit} as a decimal string ≥ 0 (up to 8 decimals), e.g. "12.5"`,
    ),
  });

/**
 * Characters a name must not hide: controls, bidirectional overrides and isolates (U+202E turns
 * 「张三」 into a reversed look-alike) and zero-width characters.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
/** A UTF-16 surrogate without its pair: not a character at all. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a name cannot be stored as given, or null. */
export function nameDefect(value: string): string | null {
  if (LONE_SURROGATE.test(value))
    return zhEn(
      '含有无效的字符（孤立的代理项），请重新输入',
      'contains an invalid character (a lone surrogate); type it again',
    );
  if (HIDDEN.test(value))
    return zhEn(
      '含有控制字符、双向文本控制符或零宽字符，请删除后重新填写',
      'contains control, bidirectional-override or zero-width characters; remove them',
    );
  return null;
}

/**
 * A name a person reads (a region, an official, a party, a user): stored in Unicode NFC, so that
 * a name typed two ways is one name, and refused with a clear message when it carries controls,
 * bidi overrides, zero-width characters or lone surrogates.
 */
export const IsCleanName = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && nameDefect(value) === null ? value.normalize('NFC') : value,
    ),
    ValidateBy({
      name: 'cleanName',
      validator: {
        validate: (v: unknown) => typeof v !== 'string' || nameDefect(v) === null,
        defaultMessage: (a) =>
          `${a?.property ?? zhEn('名称', 'name')} ${nameDefect(String(a?.value ?? '')) ?? ''}`.trim(),
      },
    }),
  );

export const YUAN = /^\d{1,15}(\.\d{1,2})?$/;

/**
 * An amount of money in 元 (at most 2 decimals, ≥ 0), also accepted as people write it on a
 * screen that shows 万元: `5000 万元`, `0.5 亿元`, `1,234.56`, full-width digits ({@link readYuan});
 * converted exactly to 元 before it is checked.
 */
export const IsYuan = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      // a plain amount in 元 is kept as written (50000000.00 stays so)
      if (typeof value !== 'string' || YUAN.test(value)) return value;
      const read = readYuan(value);
      return 'value' in read ? read.value : value;
    }),
    Matches(YUAN, {
      message: zhEn(
        '应为金额：以元计、不为负、最多 2 位小数（如 "50000000.00"），或写明单位（如 "5000 万元"、"0.5 亿元"）',
        '$property must be 元 as a decimal string ≥ 0 with at most 2 decimals',
      ),
    }),
  );
