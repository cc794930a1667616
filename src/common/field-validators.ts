import { applyDecorators } from '@nestjs/common';
import { IsInt, IsISO8601, Matches, Max, Min } from 'class-validator';

export const REGION_CODE = /^\d{6}(\d{3}(\d{3})?)?$/;
export const STANDARD_ID = /^[a-z0-9][a-z0-9.-]{1,63}$/;

/** A statistical division code (统计用区划代码): 6, 9 or 12 digits. */
export const IsRegionCode = (): PropertyDecorator =>
  Matches(REGION_CODE, {
    message: '$property must be a statistical division code of 6, 9 or 12 digits',
  });

/** A methodology standard id such as `ndrc-nbs-2022-trial`. */
export const IsStandardId = (): PropertyDecorator =>
  Matches(STANDARD_ID, {
    message:
      '$property must be a standard id: 2-64 lower-case letters, digits, . or - (e.g. ndrc-nbs-2022-trial)',
  });

/** An accounting year. */
export const IsAccountingYear = (): PropertyDecorator =>
  applyDecorators(IsInt(), Min(1949), Max(2200));

export const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` that exists (no 2024-02-30). */
export const IsCalendarDate = (): PropertyDecorator =>
  applyDecorators(
    Matches(CALENDAR_DATE, { message: '$property must be a date YYYY-MM-DD' }),
    IsISO8601({ strict: true }, { message: '$property must be a real date' }),
  );

export const NON_NEGATIVE_DECIMAL = /^\d{1,15}(\.\d{1,8})?$/;

/** A quantity ≥ 0 as a decimal string (JSON numbers would pass through floating point). */
export const IsQuantity = (unit: string): PropertyDecorator =>
  Matches(NON_NEGATIVE_DECIMAL, {
    message: `$property must be ${unit} as a decimal string ≥ 0 (up to 8 decimals), e.g. "12.5"`,
  });
