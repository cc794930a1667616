import { clock } from '../common/clock';
import { UNIT_TYPE_CODES, UnitType } from './registry-types';

/**
 * Registration-unit code (自然资源登记单元代码): the 6-digit county division code, the two-letter
 * unit-type segment ({@link UNIT_TYPE_CODES}) and a 5-digit sequence per county and type, e.g.
 * `361130ZB00001` for Wuyuan's first nature-reserve unit. The county is the first six digits of
 * the unit's region (a township's code starts with its county's). GB/T 46547-2025 fixes the
 * national layout; it has not been seen (registry.md §9), so this is a project convention that
 * keeps the one part the sources agree on: the code starts from the county division code.
 */
export function unitCode(regionCode: string, type: UnitType, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 99_999)
    throw new RangeError(`unit sequence ${sequence} is outside 1…99999`);
  return `${regionCode.slice(0, 6)}${UNIT_TYPE_CODES[type]}${String(sequence).padStart(5, '0')}`;
}

export const UNIT_CODE = /^\d{6}[A-Z]{2}\d{5}$/;

/** A resource's code: its unit's code and a 4-digit sequence within the unit. */
export const resourceCode = (unit: string, sequence: number): string =>
  `${unit}-${String(sequence).padStart(4, '0')}`;

/**
 * The last day of an objection period of `workingDays` working days starting the day after
 * `start` (public notice 公告, commonly ≥ 15 working days — registry.md §6.1, unconfirmed).
 * Working days here are Monday to Friday; public holidays and their make-up working days change
 * every year by State Council notice and are not modelled: a period that spans a holiday should
 * be given more days.
 */
export function addWorkingDays(start: string, workingDays: number): string {
  const d = new Date(`${start}T00:00:00Z`);
  let left = workingDays;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const dow = d.getUTCDay();
    if (dow !== 0 && dow !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

/** Today's date in China (Asia/Shanghai), as the default effective date of an entry. */
export const todayInChina = (): string => clock.todayInChina();
