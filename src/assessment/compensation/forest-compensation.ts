import { D, Dec } from '../../common/decimal';
import { FieldProblem } from '../../common/errors/domain-error';
import { zhEn } from '../../common/i18n/text';

/** Levels of 公益林 designation (森林法 arts. 47–48) and kinds of owner. */
export const FOREST_LEVELS = ['national', 'provincial', 'local'] as const;
export type ForestLevel = (typeof FOREST_LEVELS)[number];
export const FOREST_OWNERSHIPS = ['state', 'collective', 'individual'] as const;
export type ForestOwnership = (typeof FOREST_OWNERSHIPS)[number];

/** As the forestry bureau says them. */
export const FOREST_LEVEL_ZH: Record<ForestLevel, string> = {
  national: '国家级',
  provincial: '省级',
  local: '地方',
};
export const FOREST_OWNERSHIP_ZH: Record<ForestOwnership, string> = {
  state: '国有',
  collective: '集体',
  individual: '个人',
};

/**
 * One rate of a public-welfare forest scheme (公益林补偿, compensation.md §4): 元 per 亩 and year
 * for forest of a designation level, optionally only for some ownerships, one zone class and a
 * range of years. Every matching rate applies, so a provincial or county top-up is a rate of its
 * own stacked on the central one; `managementPercent` of it is kept for 公共管护.
 */
export interface ForestRate {
  /** Who pays it, e.g. 中央财政, 省级财政, 县级财政. */
  fundedBy: string;
  forestLevel: ForestLevel;
  ownership?: ForestOwnership[] | null;
  /** e.g. general, source_county, reserve; none: every zone. */
  zone?: string | null;
  fromYear?: number | null;
  toYear?: number | null;
  /** 元/亩·年 */
  rate: string;
  managementPercent?: string | null;
}

export interface ForestContent {
  rates: ForestRate[];
  source: string;
  description?: string | null;
}

export function checkForest(c: ForestContent): FieldProblem[] {
  const problems: FieldProblem[] = [];
  c.rates.forEach((r, i) => {
    if (r.fromYear != null && r.toYear != null && r.toYear < r.fromYear)
      problems.push({
        path: `rates[${i}].toYear`,
        message: zhEn(
          `标准期限止于 ${r.toYear} 年，早于起始年 ${r.fromYear}`,
          `the rate ends (${r.toYear}) before it starts (${r.fromYear})`,
        ),
      });
    if (r.managementPercent != null && new D(r.managementPercent).gt(100))
      problems.push({
        path: `rates[${i}].managementPercent`,
        message: zhEn('管护费提取比例最多 100 %', 'at most 100 % can be kept for management'),
      });
  });
  return problems;
}

/** A registered area of 公益林 in a region and year (亩). */
export interface ForestArea {
  regionCode: string;
  forestLevel: ForestLevel;
  ownership: ForestOwnership;
  zone: string;
  areaMu: Dec;
}

export interface ForestLine {
  forestLevel: ForestLevel;
  ownership: ForestOwnership;
  zone: string;
  areaMu: string;
  rates: { fundedBy: string; rate: string; amount: string; management: string }[];
  amount: string;
}

/**
 * The compensation of one region's areas for a year: area × every matching rate, the management
 * share split off. Exact; the region's total is rounded once to the fen by the caller.
 */
export function forestCompensation(
  c: ForestContent,
  year: number,
  areas: ForestArea[],
): { lines: ForestLine[]; total: Dec; management: Dec; unmatched: string[] } {
  let total = new D(0);
  let management = new D(0);
  const unmatched: string[] = [];
  const lines = areas.map((a): ForestLine => {
    const rates = c.rates.filter(
      (r) =>
        r.forestLevel === a.forestLevel &&
        (r.ownership == null || r.ownership.includes(a.ownership)) &&
        (r.zone == null || r.zone === a.zone) &&
        (r.fromYear == null || year >= r.fromYear) &&
        (r.toYear == null || year <= r.toYear),
    );
    if (rates.length === 0)
      unmatched.push(
        zhEn(
          `${FOREST_LEVEL_ZH[a.forestLevel]}${FOREST_OWNERSHIP_ZH[a.ownership]}公益林（${a.zone}）${year} 年没有适用的补偿标准`,
          `${a.forestLevel}/${a.ownership}/${a.zone}: no rate applies in ${year}`,
        ),
      );
    let line = new D(0);
    const parts = rates.map((r) => {
      const amount = a.areaMu.mul(r.rate);
      const kept = amount.mul(r.managementPercent ?? 0).div(100);
      line = line.plus(amount);
      management = management.plus(kept);
      return {
        fundedBy: r.fundedBy,
        rate: r.rate,
        amount: amount.toString(),
        management: kept.toString(),
      };
    });
    total = total.plus(line);
    return {
      forestLevel: a.forestLevel,
      ownership: a.ownership,
      zone: a.zone,
      areaMu: a.areaMu.toString(),
      rates: parts,
      amount: line.toString(),
    };
  });
  return { lines, total, management, unmatched };
}
