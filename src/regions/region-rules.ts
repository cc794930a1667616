import { FieldProblem } from '../common/errors/domain-error';
import { RegionLevel } from './region.entity';
import { zhEn } from '../common/i18n/text';

/** Code shape per level (统计用区划代码: 2+2+2 digits, then 3 for a township, 3 for a village). */
const CODE_FORMAT: Record<RegionLevel, { re: RegExp; text: string }> = {
  province: {
    re: /^\d{2}0000$/,
    text: zhEn('6 位、以 0000 结尾（如 360000）', '6 digits ending in 0000 (e.g. 360000)'),
  },
  city: {
    re: /^\d{4}00$/,
    text: zhEn('6 位、以 00 结尾（如 361100）', '6 digits ending in 00 (e.g. 361100)'),
  },
  county: {
    re: /^\d{4}(?!00)\d{2}$/,
    text: zhEn('6 位、不以 00 结尾（如 361130）', '6 digits not ending in 00 (e.g. 361130)'),
  },
  township: { re: /^\d{9}$/, text: zhEn('9 位（如 361130100）', '9 digits (e.g. 361130100)') },
  village: {
    re: /^\d{12}$/,
    text: zhEn('12 位（如 361130100001）', '12 digits (e.g. 361130100001)'),
  },
};

/** The level as a civil servant says it. */
export const LEVEL_ZH: Record<RegionLevel, string> = {
  province: '省',
  city: '地市',
  county: '县',
  township: '乡镇',
  village: '村',
};

/**
 * Allowed parent levels. A county may sit directly under a province: the districts of a
 * municipality (天津市 → 武清区) and province-administered county-level units (省直辖县级行政区划).
 */
const PARENT_LEVELS: Record<RegionLevel, RegionLevel[]> = {
  province: [],
  city: ['province'],
  county: ['city', 'province'],
  township: ['county'],
  village: ['township'],
};

/** Digits of a code its descendants share. */
const SIGNIFICANT_DIGITS: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

/** Checks a new region's code against its level and parent; returns every problem found. */
export function checkRegionPlacement(
  code: string,
  level: RegionLevel,
  parent: { code: string; level: RegionLevel } | null,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const format = CODE_FORMAT[level];
  if (!format.re.test(code)) {
    problems.push({
      path: 'code',
      message: zhEn(
        `${LEVEL_ZH[level]}级代码应为 ${format.text}；实际为 ${code}`,
        `a ${level} code must be ${format.text}; got ${code}`,
      ),
    });
  }
  const allowed = PARENT_LEVELS[level];
  if (!parent) {
    if (allowed.length > 0) {
      problems.push({
        path: 'parentCode',
        message: zhEn(
          `${LEVEL_ZH[level]}级行政区需要上级（${allowed.map((l) => LEVEL_ZH[l]).join(' 或 ')}）`,
          `a ${level} needs a parent (${allowed.join(' or ')})`,
        ),
      });
    }
    return problems;
  }
  if (!allowed.includes(parent.level)) {
    problems.push({
      path: 'parentCode',
      message:
        allowed.length === 0
          ? zhEn(
              `省级行政区没有上级；却给出了 ${parent.code}`,
              `a province has no parent; ${parent.code} was given`,
            )
          : zhEn(
              `${LEVEL_ZH[level]}级行政区的上级应为${allowed.map((l) => LEVEL_ZH[l]).join('或')}级；${parent.code} 是${LEVEL_ZH[parent.level]}级`,
              `the parent of a ${level} must be a ${allowed.join(' or ')}; ${parent.code} is a ${parent.level}`,
            ),
    });
  } else {
    const prefix = parent.code.slice(0, SIGNIFICANT_DIGITS[parent.level]);
    if (!code.startsWith(prefix)) {
      problems.push({
        path: 'code',
        message: zhEn(
          `${parent.code} 下的行政区代码应以 ${prefix} 开头`,
          `a region under ${parent.code} must have a code starting with ${prefix}`,
        ),
      });
    }
  }
  return problems;
}
