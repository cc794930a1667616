import { applyDecorators } from '@nestjs/common';
import { IsInt, Matches, Max, Min } from 'class-validator';

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
