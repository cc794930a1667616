import { D, Dec } from '../../common/decimal';
import { FieldProblem } from '../../common/errors/domain-error';
import {
  baseTimesOnePlusX,
  exceedance,
  MonthlyDeduction,
  monthlyDeductions,
  perStepAmount,
  pIndex,
  Step,
  stepAmount,
} from './section-rules';
import { zhEn } from '../../common/i18n/text';

/** Pollutants a cross-section agreement may assess (GB 3838-2002 names). */
export const POLLUTANTS = ['COD', 'CODMn', 'NH3N', 'TP', 'TN'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

/** The pollutants by their GB 3838-2002 names. */
export const POLLUTANT_ZH: Record<Pollutant, string> = {
  COD: '化学需氧量（COD）',
  CODMn: '高锰酸盐指数（CODMn）',
  NH3N: '氨氮（NH₃-N）',
  TP: '总磷（TP）',
  TN: '总氮（TN）',
};

/**
 * Upper bounds of a plausible surface-water concentration (mg/L): far above any river reading
 * (raw sewage is a few hundred mg/L COD), so a value beyond is a typing or unit error.
 */
export const PLAUSIBLE_MAX: Record<Pollutant, string> = {
  COD: '2000',
  CODMn: '500',
  NH3N: '500',
  TP: '100',
  TN: '500',
};

export interface StepContent {
  above: string;
  upTo?: string | null;
  amount: string;
}

/**
 * A cross-section water-quality agreement (流域横向补偿) between the region upstream of a monitoring
 * section and the region downstream, as data (compensation.md §3.13):
 * - `steps`: a fixed amount per month and pollutant by exceedance band (Hebei 2009);
 * - `base_times_one_plus_x`: base by band × (1 + x) (Zhoukou);
 * - `per_step`: an amount per started (or full) step of exceedance, e.g. 0.2× (衡水);
 * - `p_index`: the annual P = K0 × Σ wᵢ·Cᵢ/Cᵢ0 with `limit` as the basic limit Cᵢ0 (Xin'an):
 *   P ≤ 1 → downstream pays upstream `amount`, else upstream pays downstream.
 * Monthly tiers are deductions the upstream region pays the downstream one, summed over the
 * pollutants, with the Hebei exemptions (dry/frozen months; inflow already exceeding and no
 * increase) and an optional annual cap; `compliantMonthReward` is paid by the downstream region
 * for each scored month in which every pollutant met its limit (谁达标谁受益).
 */
export interface CrossSectionContent {
  section: string;
  pollutants: { code: Pollutant; limit: string; weight?: string | null }[];
  tier:
    | { kind: 'steps'; steps: StepContent[] }
    | { kind: 'base_times_one_plus_x'; steps: StepContent[] }
    | { kind: 'per_step'; stepSize: string; amountPerStep: string; rounding?: 'ceil' | 'floor' }
    | { kind: 'p_index'; k0: string; amount: string };
  exemptWhenInflowExceeds?: boolean;
  compliantMonthReward?: string | null;
  annualCap?: string | null;
  source: string;
  description?: string | null;
}

/** Checks what class-validator cannot: bands in order, weights summing to 1, a known tier. */
export function checkCrossSection(c: CrossSectionContent): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  c.pollutants.forEach((p, i) => {
    if (seen.has(p.code))
      problems.push({
        path: `pollutants[${i}].code`,
        message: zhEn(`${p.code} 重复列出`, `${p.code} is listed twice`),
      });
    seen.add(p.code);
    if (new D(p.limit).lte(0))
      problems.push({
        path: `pollutants[${i}].limit`,
        message: zhEn('限值应大于 0 mg/L', 'the limit must be above 0 mg/L'),
      });
  });
  const t = c.tier;
  if (t.kind === 'steps' || t.kind === 'base_times_one_plus_x') {
    t.steps.forEach((s, i) => {
      if (s.upTo != null && new D(s.upTo).lte(s.above))
        problems.push({
          path: `tier.steps[${i}].upTo`,
          message: zhEn(
            `区间终点（${s.upTo}）不高于起点（${s.above}）`,
            `the band ends (${s.upTo}) at or below where it starts (${s.above})`,
          ),
        });
      const prev = t.steps[i - 1];
      if (prev && (prev.upTo == null || !new D(prev.upTo).eq(s.above)))
        problems.push({
          path: `tier.steps[${i}].above`,
          message: zhEn(
            `区间应首尾相接：此区间起于 ${s.above}，上一区间止于 ${prev.upTo ?? '无上限'}`,
            `bands must follow each other: this one starts at ${s.above}, the one before ends at ${prev.upTo ?? 'no end'}`,
          ),
        });
    });
  }
  if (t.kind === 'per_step' && new D(t.stepSize).lte(0))
    problems.push({
      path: 'tier.stepSize',
      message: zhEn('步长应大于 0', 'the step must be above 0'),
    });
  if (t.kind === 'p_index') {
    const weights = c.pollutants.map((p) => p.weight);
    if (weights.some((w) => w != null) && weights.some((w) => w == null))
      problems.push({
        path: 'pollutants',
        message: zhEn(
          '请为 P 指数的每种污染物给出权重，或都不给（等权）',
          'give a weight for every pollutant of the P index, or for none (equal weights)',
        ),
      });
    else if (
      weights.every((w) => w != null) &&
      !weights.reduce((s, w) => s.plus(w), new D(0)).eq(1)
    )
      problems.push({
        path: 'pollutants',
        message: zhEn('P 指数的权重之和应为 1', 'the P-index weights must sum to 1'),
      });
  }
  return problems;
}

/** One monitoring value as the settlement reads it. */
export interface MonitoringReading {
  month: number;
  pollutant: Pollutant;
  /** mg/L; null when the section was dry or frozen. */
  concentration: Dec | null;
  inflow: Dec | null;
  state: 'normal' | 'dry' | 'frozen';
}

export interface CrossSectionSettlement {
  /** 元 the upstream region pays the downstream one, and the reverse. */
  upstreamPays: Dec;
  downstreamPays: Dec;
  byPollutant: { pollutant: Pollutant; limit: string; months: MonthlyDeduction[] }[];
  rewardMonths: number[];
  pIndex?: { p: string; terms: { code: string; annualMean: string; ratio: string }[] };
  /** Months without a reading for some pollutant (not scored, stated). */
  gaps: string[];
}

const toStep = (s: StepContent): Step => ({
  above: new D(s.above),
  ...(s.upTo != null ? { upTo: new D(s.upTo) } : {}),
  amount: new D(s.amount),
});

/** Settles a year of monthly readings under an agreement. Pure; amounts exact to the fen. */
export function settleCrossSection(
  c: CrossSectionContent,
  readings: MonitoringReading[],
): CrossSectionSettlement {
  const gaps: string[] = [];
  const at = new Map(readings.map((r) => [`${r.pollutant}|${r.month}`, r]));
  for (let m = 1; m <= 12; m++) {
    const absent = c.pollutants.filter((p) => !at.has(`${p.code}|${m}`)).map((p) => p.code);
    if (absent.length) gaps.push(`month ${m}: no reading for ${absent.join(', ')} (not scored)`);
  }
  const t = c.tier;
  if (t.kind === 'p_index') {
    const terms = c.pollutants.map((p) => {
      const values = readings
        .filter((r) => r.pollutant === p.code && r.state === 'normal' && r.concentration)
        .map((r) => r.concentration!);
      if (values.length === 0)
        throw new RangeError(
          zhEn(
            `该年度没有 ${p.code} 的监测值：无法计算 P 指数`,
            `no reading of ${p.code} in the year: the P index cannot be computed`,
          ),
        );
      const mean = values.reduce((s, v) => s.plus(v), new D(0)).div(values.length);
      return { p, mean };
    });
    const result = pIndex(
      new D(t.k0),
      terms.map(({ p, mean }) => ({
        code: p.code,
        concentration: mean,
        basicLimit: new D(p.limit),
        ...(p.weight != null ? { weight: new D(p.weight) } : {}),
      })),
    );
    const amount = new D(t.amount);
    return {
      upstreamPays: result.payer === 'upstream' ? amount : new D(0),
      downstreamPays: result.payer === 'downstream' ? amount : new D(0),
      byPollutant: [],
      rewardMonths: [],
      pIndex: {
        p: result.p.toString(),
        terms: terms.map(({ p, mean }, i) => ({
          code: p.code,
          annualMean: mean.toString(),
          ratio: result.terms[i].ratio.toString(),
        })),
      },
      gaps,
    };
  }
  const tierOf = (x: Dec): Dec =>
    t.kind === 'steps'
      ? stepAmount(x, t.steps.map(toStep))
      : t.kind === 'base_times_one_plus_x'
        ? baseTimesOnePlusX(x, t.steps.map(toStep))
        : perStepAmount(x, new D(t.stepSize), new D(t.amountPerStep), t.rounding ?? 'ceil');
  const byPollutant = c.pollutants.map((p) => {
    const months = readings
      .filter((r) => r.pollutant === p.code)
      .map((r) => ({
        month: r.month,
        outflow: r.concentration,
        inflow: c.exemptWhenInflowExceeds ? r.inflow : null,
        state: r.state,
      }));
    return {
      pollutant: p.code,
      limit: p.limit,
      months: monthlyDeductions(months, new D(p.limit), tierOf).months,
    };
  });
  // the annual cap applies to the agreement's total, month by month in pollutant order
  const cap = c.annualCap ? new D(c.annualCap) : null;
  let upstreamPays = new D(0);
  for (let m = 1; m <= 12; m++)
    for (const p of byPollutant)
      for (const d of p.months.filter((x) => x.month === m)) {
        if (cap && upstreamPays.plus(d.amount).gt(cap)) {
          d.amount = D.max(cap.minus(upstreamPays), 0);
          d.note = `annual cap ${cap.toString()} 元 reached`;
        }
        upstreamPays = upstreamPays.plus(d.amount);
      }
  const rewardMonths: number[] = [];
  if (c.compliantMonthReward)
    for (let m = 1; m <= 12; m++) {
      const rs = c.pollutants.map((p) => at.get(`${p.code}|${m}`));
      if (
        rs.every((r) => r && r.state === 'normal' && r.concentration !== null) &&
        rs.every((r, i) => exceedance(r!.concentration!, new D(c.pollutants[i].limit)).isZero())
      )
        rewardMonths.push(m);
    }
  return {
    upstreamPays,
    downstreamPays: new D(c.compliantMonthReward ?? 0).mul(rewardMonths.length),
    byPollutant,
    rewardMonths,
    gaps,
  };
}
