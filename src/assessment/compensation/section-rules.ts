import { D, Dec } from '../../common/decimal';
import { zhEn } from '../../common/i18n/text';

/**
 * Cross-section water-quality compensation rules (流域横向补偿), as pure functions over exact
 * decimals. Rule shapes and published numbers: `shared/domain/compensation.md` §3. Amounts in 元.
 */

/** Exceedance multiple 超标倍数 x = (C − limit) / limit; 0 when the concentration meets the limit. */
export function exceedance(concentration: Dec, limit: Dec): Dec {
  if (limit.lte(0))
    throw new RangeError(zhEn('标准限值应大于 0', 'the standard limit must be positive'));
  if (concentration.isNegative())
    throw new RangeError(zhEn('浓度不能为负数', 'a concentration cannot be negative'));
  return concentration.lte(limit) ? new D(0) : concentration.minus(limit).div(limit);
}

/** A band of a step table: applies when `above` < x ≤ `upTo` (no `upTo`: unbounded). */
export interface Step {
  above: Dec;
  upTo?: Dec;
  amount: Dec;
}

/** The step a value falls in, if any. */
function stepOf(x: Dec, steps: Step[]): Step | undefined {
  return steps.find((s) => x.gt(s.above) && (s.upTo === undefined || x.lte(s.upTo)));
}

/** A fixed amount per event by exceedance band (Hebei 2009: < 0.5× → 10万, 0.5–1.0× → 50万). */
export function stepAmount(x: Dec, steps: Step[]): Dec {
  return stepOf(x, steps)?.amount ?? new D(0);
}

/** Base by exceedance band, times (1 + x) (Zhoukou: 0.1 < x ≤ 0.5 → 10万 × (1 + x) …). */
export function baseTimesOnePlusX(x: Dec, bases: Step[]): Dec {
  const step = stepOf(x, bases);
  return step ? step.amount.mul(x.plus(1)) : new D(0);
}

/**
 * A fixed amount for each started (or, with `rounding: 'floor'`, each full) step of exceedance
 * (衡水: each 0.2× = 30万, no cap). Whether a started step counts is not stated in the source.
 */
export function perStepAmount(
  x: Dec,
  stepSize: Dec,
  amountPerStep: Dec,
  rounding: 'ceil' | 'floor' = 'ceil',
): Dec {
  if (x.lte(0)) return new D(0);
  const steps = x
    .div(stepSize)
    .toDecimalPlaces(0, rounding === 'ceil' ? D.ROUND_CEIL : D.ROUND_FLOOR);
  return steps.mul(amountPerStep);
}

/** One month at a section: outflow and (if the river enters from upstream) inflow concentration. */
export interface SectionMonth {
  month: number;
  /** Outflow concentration; null when the section was dry (断流) or frozen (冰冻): not scored. */
  outflow: Dec | null;
  inflow?: Dec | null;
  state?: 'normal' | 'dry' | 'frozen';
}

export interface MonthlyDeduction {
  month: number;
  exceedance: Dec | null;
  amount: Dec;
  /** Why nothing or less was deducted. */
  note?: string;
}

/**
 * Monthly deductions at a section with Hebei's exemptions — dry or frozen months are not scored;
 * no deduction when the inflow already exceeded the limit and the pollutant did not increase
 * across the county — and an annual cap (500万 under the 2016 rules).
 */
export function monthlyDeductions(
  months: SectionMonth[],
  limit: Dec,
  tier: (x: Dec) => Dec,
  annualCap?: Dec,
): { months: MonthlyDeduction[]; total: Dec } {
  let total = new D(0);
  const out = [...months]
    .sort((a, b) => a.month - b.month)
    .map((m): MonthlyDeduction => {
      if (m.state === 'dry' || m.state === 'frozen' || m.outflow === null)
        return {
          month: m.month,
          exceedance: null,
          amount: new D(0),
          note: `not scored (${m.state ?? 'no data'})`,
        };
      const x = exceedance(m.outflow, limit);
      if (x.gt(0) && m.inflow != null && m.inflow.gt(limit) && m.outflow.lte(m.inflow))
        return {
          month: m.month,
          exceedance: x,
          amount: new D(0),
          note: 'exempt: the inflow already exceeded the limit and the pollutant did not increase',
        };
      let amount = tier(x);
      let note: string | undefined;
      if (annualCap && total.plus(amount).gt(annualCap)) {
        amount = D.max(annualCap.minus(total), 0);
        note = `annual cap ${annualCap.toString()} 元 reached`;
      }
      total = total.plus(amount);
      return { month: m.month, exceedance: x, amount, ...(note ? { note } : {}) };
    });
  return { months: out, total };
}

/** Tianjin's zero-sum table: rank 1 → +140万, 2–7 → +120万 … +20万, 8–9 → 0, 10–15 → −20万 … −120万, 16 → −140万. */
export function tianjinAmount(rank: number, districts = 16): Dec {
  if (districts !== 16 || rank < 1 || rank > 16 || !Number.isInteger(rank))
    throw new RangeError(zhEn('天津市排名表应有 16 个区', 'the Tianjin table ranks 16 districts'));
  const wan = new D(10_000);
  if (rank === 1) return wan.mul(140);
  if (rank <= 7) return wan.mul(140 - 20 * (rank - 1));
  if (rank <= 9) return new D(0);
  if (rank <= 15) return wan.mul(-20 * (rank - 9));
  return wan.mul(-140);
}

export interface DistrictRanks {
  code: string;
  /** Ranks on the composite pollution index, the year-on-year change and the outflow/inflow ratio. */
  ranks: [number, number, number];
}

/**
 * Overall monthly ranking of Tianjin's districts by the sum of their three ranks, and the amounts.
 * Ties on the sum are broken by the composite-pollution-index rank, then by code (an assumption:
 * the rule text does not say).
 */
export function tianjinRanking(
  districts: DistrictRanks[],
): { code: string; rank: number; amount: Dec }[] {
  return [...districts]
    .sort((a, b) => {
      const sa = a.ranks[0] + a.ranks[1] + a.ranks[2];
      const sb = b.ranks[0] + b.ranks[1] + b.ranks[2];
      return sa - sb || a.ranks[0] - b.ranks[0] || (a.code < b.code ? -1 : 1);
    })
    .map((d, i) => ({ code: d.code, rank: i + 1, amount: tianjinAmount(i + 1, districts.length) }));
}

/**
 * Xin'an River compensation index P = K0 × Σ wᵢ·Cᵢ/Cᵢ0 over the agreed pollutants; P ≤ 1: the
 * downstream province pays the upstream one, otherwise the reverse. Without weights each pollutant
 * weighs 1/n (the mean ratio), so that P stays comparable with 1 — an assumption: the constants of
 * each round are unconfirmed (compensation.md §3.2).
 */
export function pIndex(
  k0: Dec,
  pollutants: { code: string; concentration: Dec; basicLimit: Dec; weight?: Dec }[],
): { p: Dec; payer: 'downstream' | 'upstream'; terms: { code: string; ratio: Dec }[] } {
  if (pollutants.length === 0)
    throw new RangeError(
      zhEn('P 指数至少需要一种污染物', 'the P index needs at least one pollutant'),
    );
  const terms = pollutants.map((x) => {
    if (x.basicLimit.lte(0))
      throw new RangeError(
        zhEn(`${x.code} 的基本限值应大于 0`, `the basic limit of ${x.code} must be positive`),
      );
    return {
      code: x.code,
      ratio: x.concentration.div(x.basicLimit).mul(x.weight ?? new D(1).div(pollutants.length)),
    };
  });
  const p = k0.mul(terms.reduce((s, t) => s.plus(t.ratio), new D(0)));
  return { p, payer: p.lte(1) ? 'downstream' : 'upstream', terms };
}
