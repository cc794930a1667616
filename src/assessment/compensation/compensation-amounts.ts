import { EvaluationError } from '../../formula/compile';
import { D, Dec } from '../../common/decimal';
import { parseUnit } from '../../formula/units';
import { SubRegionFigures } from '../../accounting/runs/published-gep';
import { contentHash } from '../../common/canonical-json';
import { DomainError } from '../../common/errors/domain-error';
import { inLanguage, zhEn } from '../../common/i18n/text';
import { allocate, AllocationError } from './allocation';
import { CrossSectionContent, settleCrossSection } from './cross-section';
import {
  ForestContent,
  forestCompensation,
  ForestLevel,
  ForestOwnership,
} from './forest-compensation';
import { MonitoringSection, MonitoringValue } from './monitoring.entity';
import { applyClass, compileRewardDeduction, RewardDeductionContent } from './reward-deduction';
import {
  ALLOCATION_FIGURES,
  compileScheme,
  MissingFiguresContent,
  SchemeContent,
} from './scheme-content';

/**
 * What each kind of compensation scheme pays, as pure functions of the scheme and the figures
 * read for it (compensation-computation.ts reads them): one function per scheme type, so a
 * scheme's arithmetic is testable without a database and its inputs are exactly what is stored.
 */

export interface ComputedAmount {
  regionCode: string;
  eligible: boolean;
  weight: Dec | null;
  /** 元 to the fen; null when not computable (a figure missing and no scheme rule for it). */
  amount: Dec | null;
  explanation: object;
}

export interface ComputedCompensation {
  inputs: AllocationInputs | CrossSectionInputs | ForestInputs;
  inputsSha256: string;
  amounts: ComputedAmount[];
}

interface Recipients {
  recipients: {
    regionCode: string;
    name: string;
    figures: Record<string, string | null>;
    /** Per missing GEP figure, the names of the counted indicators without a result (why). */
    gaps?: Record<string, string[]>;
  }[];
}
/** A GEP run a compensation read, with whether its figures were complete. */
export interface GepRunRef {
  id: string;
  year: number;
  methodologyVersion: number;
  complete: boolean;
  incompleteReason: string | null;
}
export interface AllocationInputs extends Recipients {
  gepRun: GepRunRef;
  previousRun: GepRunRef | null;
}
export interface CrossSectionInputs extends Recipients {
  section: { code: string; name: string; upstream: string; downstream: string };
  year: number;
  /** Every reading the settlement used, as stored. */
  readings: {
    month: number;
    pollutant: string;
    state: string;
    concentration: string | null;
    inflow: string | null;
    source: string;
  }[];
}

export interface ForestInputs extends Recipients {
  year: number;
  /** Every area the run paid on, as stored. */
  areas: {
    regionCode: string;
    forestLevel: string;
    ownership: string;
    zone: string;
    areaMu: string;
    source: string;
  }[];
}

/** The scheme as the amounts need it: its id (hashed into the inputs) and content. */
export interface SchemeRef {
  id: string;
  content: object;
}

/** A monitoring section's readings of a year, with the names of its two regions. */
export interface CrossSectionReadings {
  section: MonitoringSection;
  readings: MonitoringValue[];
  names: Map<string, string>;
  year: number;
}

/** Each sub-region's figures (ALLOCATION_FIGURES) from the published GEP runs of a year and the one before. */
export type RecipientFigures = SubRegionFigures;

/** The figures a formula uses that a region lacks (null: not reported, never taken as 0). */
const missingFigures = (identifiers: Iterable<string>, figures: Record<string, Dec | null>) =>
  [...identifiers].filter((f) => f in ALLOCATION_FIGURES && figures[f] === null);

/** A formula's lookup over a region's figures, in base units. */
const figureLookup = (figures: Record<string, Dec | null>) => (name: string) =>
  figures[name]!.times(parseUnit(ALLOCATION_FIGURES[name].unit).factor);

/** The run reference and each recipient's figures as stored in a run's inputs. */
export function figureInputs(f: RecipientFigures): AllocationInputs {
  return {
    gepRun: f.current,
    previousRun: f.previous,
    recipients: f.regions.map((r) => ({
      regionCode: r.code,
      name: r.name,
      figures: Object.fromEntries(
        Object.entries(r.figures).map(([k, v]) => [k, v === null ? null : v.toString()]),
      ),
      ...(Object.keys(r.gaps).length ? { gaps: r.gaps } : {}),
    })),
  };
}

/**
 * Why a recipient has no amount: each figure its formulas need that is missing and why — the
 * indicators without a result, no published run for the year before, or not reported.
 */
function missingReason(
  missing: string[],
  gaps: Record<string, string[]>,
  previousYear: number | null,
): string {
  const each = missing.map((f) => {
    const why = gaps[f]?.length
      ? zhEn(
          `无结果的指标：${gaps[f].join('、')}`,
          `indicators without a result: ${gaps[f].join(', ')}`,
        )
      : (f === 'gep_prev' || f === 'gep_real_change') && previousYear !== null
        ? zhEn(`${previousYear} 年无已发布的核算`, `no published run for ${previousYear}`)
        : zhEn('未报告', 'not reported');
    return zhEn(`${ALLOCATION_FIGURES[f]?.nameZh ?? f}（${why}）`, `${f} (${why})`);
  });
  return zhEn(`缺少数据：${each.join('；')}`, `missing figures: ${each.join('; ')}`);
}

/** The explanation's citation of a scheme's own rule for missing figures. */
const citeRule = (rule: MissingFiguresContent, what: string) =>
  zhEn(
    `${what}（依据方案规定：${rule.basis}）`,
    `${what} (under the scheme's rule: ${rule.basis})`,
  );

/**
 * A budget-allocation scheme over the figures read for it: evaluates the weight and eligibility
 * formulas per recipient and splits the budget with {@link allocate}. Every figure, formula value
 * and rounding step goes into the explanation. A recipient missing a figure its formulas use is
 * ineligible, with the missing figures named; without the scheme's own rule for that, no amount
 * is exact.
 */
export function allocationAmounts(
  scheme: SchemeRef,
  loaded: RecipientFigures,
  gepYear: number,
  budget: Dec,
): ComputedCompensation {
  const content0 = scheme.content as SchemeContent;
  const { compiled, problems } = compileScheme(content0);
  if (!compiled)
    throw new DomainError(
      'VALIDATION_FAILED',
      zhEn('补偿方案无法编译', 'the scheme does not compile'),
      problems,
    );
  const used = new Set([
    ...compiled.weight.identifiers,
    ...(compiled.eligibility?.identifiers ?? []),
  ]);
  const floor = content0.floor ? new D(content0.floor) : undefined;
  const cap = content0.cap ? new D(content0.cap) : undefined;
  const rule = content0.missingFigures ?? null;
  const rows = loaded.regions.map((r) => {
    const figures = r.figures;
    const missing = missingFigures(used, figures);
    const lookup = figureLookup(figures);
    let weight: Dec | null = null;
    let eligible = missing.length === 0;
    const lacking = missing.length
      ? missingReason(missing, r.gaps, loaded.previous ? null : gepYear - 1)
      : undefined;
    let reason = lacking
      ? rule
        ? citeRule(rule, zhEn(`${lacking}，不参与分配`, `${lacking}; takes no share`))
        : zhEn(`${lacking}；金额无法计算`, `${lacking}; no amount can be computed`)
      : undefined;
    if (eligible) {
      try {
        weight = compiled.weight.run(lookup) as Dec;
        if (weight.isNegative()) {
          eligible = false;
          reason = zhEn(
            `权重公式得出负值（${weight.toString()}）`,
            `the weight formula gives a negative value (${weight.toString()})`,
          );
        } else if (compiled.eligibility && !(compiled.eligibility.run(lookup) as Dec).eq(1)) {
          eligible = false;
          reason = zhEn(
            `不满足受偿条件 ${content0.eligibility ?? ''}`,
            `does not meet the eligibility condition ${content0.eligibility ?? ''}`,
          );
        }
      } catch (e) {
        if (!(e instanceof EvaluationError)) throw e;
        eligible = false;
        reason = zhEn(
          `公式无法计算：${e.message}`,
          `the formulas cannot be evaluated: ${e.message}`,
        );
      }
    }
    return { code: r.code, name: r.name, figures, weight, eligible, reason, missing };
  });
  const str = (x: Dec | null) => (x === null ? null : x.toString());
  const inputs = figureInputs(loaded);
  const inputsSha256 = contentHash({ scheme: scheme.id, budget: budget.toString(), inputs });

  // Every share depends on every weight: one recipient's missing figure leaves no amount exact,
  // unless the scheme itself says such a recipient takes no share.
  const gaps = rule ? [] : rows.filter((r) => r.missing.length);
  if (gaps.length)
    return {
      inputs,
      inputsSha256,
      amounts: rows.map((r, i) => ({
        regionCode: r.code,
        eligible: false,
        weight: r.weight,
        amount: null,
        explanation: {
          weightFormula: content0.weight,
          eligibility: content0.eligibility ?? null,
          figures: inputs.recipients[i].figures,
          weight: str(r.weight),
          notComputable: true,
          ...(r.missing.length
            ? { reason: r.reason }
            : {
                blockedBy: gaps.map((g) => g.code),
                reason: zhEn(
                  `分配份额取决于所有地区的权重，而 ${gaps.length} 个地区缺少数据（${gaps.map((g) => g.name).join('、')}），金额无法计算`,
                  `every share depends on every region's weight, and ${gaps.length} region(s) lack figures (${gaps.map((g) => g.name).join(', ')}); the amount cannot be computed`,
                ),
              }),
        },
      })),
    };

  let allocation;
  try {
    allocation = allocate(
      budget,
      rows.map((r) => ({
        code: r.code,
        weight: r.weight ?? new D(0),
        ...(floor ? { floor } : {}),
        ...(cap ? { cap } : {}),
        eligible: r.eligible,
        ...(r.reason ? { reason: r.reason } : {}),
      })),
    );
  } catch (e) {
    if (!(e instanceof AllocationError)) throw e;
    throw new DomainError(
      'VALIDATION_FAILED',
      zhEn(`预算无法分配：${e.message}`, `the budget cannot be allocated: ${e.message}`),
      [{ path: e.field.startsWith('recipients') ? 'scheme' : e.field, message: e.message }],
    );
  }
  return {
    inputs,
    inputsSha256,
    amounts: allocation.amounts.map((a, i) => {
      const r = rows[i];
      return {
        regionCode: a.code,
        eligible: r.eligible,
        weight: r.weight,
        amount: a.amount,
        explanation: {
          weightFormula: content0.weight,
          eligibility: content0.eligibility ?? null,
          figures: inputs.recipients[i].figures,
          weight: str(r.weight),
          lambda: allocation.lambda.toString(),
          exact: a.exact.toString(),
          bound: a.bound,
          roundingFen: a.roundingFen.toString(),
          ...(r.reason ? { reason: r.reason } : {}),
          ...(r.missing.length && rule ? { missingFiguresRule: rule } : {}),
        },
      };
    }),
  };
}

/**
 * A cross-section agreement over the section's readings of a year ({@link settleCrossSection}):
 * two amounts, each what a region receives — the downstream region the upstream one's deductions
 * (and the upstream one the P-index payment when it is owed), the upstream region the compliance
 * rewards. The readings used are stored in the inputs.
 */
export function crossSectionAmounts(
  scheme: SchemeRef,
  loaded: CrossSectionReadings,
): ComputedCompensation {
  const content = scheme.content as CrossSectionContent;
  const { section, readings, names, year } = loaded;
  let settlement;
  try {
    settlement = settleCrossSection(
      content,
      readings.map((r) => ({
        month: r.month,
        pollutant: r.pollutant,
        concentration: r.concentration,
        inflow: r.inflow,
        state: r.state,
      })),
    );
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new DomainError('VALIDATION_FAILED', e.message, [
      { path: 'gepYear', message: e.message },
    ]);
  }
  const inputs: CrossSectionInputs = {
    section: {
      code: section.code,
      name: section.name,
      upstream: section.upstreamRegionCode,
      downstream: section.downstreamRegionCode,
    },
    year,
    readings: readings.map((r) => ({
      month: r.month,
      pollutant: r.pollutant,
      state: r.state,
      concentration: r.concentration?.toString() ?? null,
      inflow: r.inflow?.toString() ?? null,
      source: r.source,
    })),
    recipients: [section.downstreamRegionCode, section.upstreamRegionCode].map((code) => ({
      regionCode: code,
      name: names.get(code) ?? code,
      figures: {},
    })),
  };
  const fen = (x: Dec) => x.toDecimalPlaces(2, D.ROUND_HALF_UP);
  const upstreamPays = fen(settlement.upstreamPays);
  const downstreamPays = fen(settlement.downstreamPays);
  const net = upstreamPays.minus(downstreamPays);
  const common = {
    section: inputs.section,
    year,
    tier: content.tier,
    upstreamPays: upstreamPays.toFixed(2),
    downstreamPays: downstreamPays.toFixed(2),
    net: (() => {
      const [payer, payee, x] = net.isNegative()
        ? [section.downstreamRegionCode, section.upstreamRegionCode, net.neg()]
        : [section.upstreamRegionCode, section.downstreamRegionCode, net];
      const named = (code: string) => `${names.get(code) ?? code}（${code}）`;
      return zhEn(
        `${named(payer)}向${named(payee)}支付 ${x.toFixed(2)} 元`,
        `${payer} pays ${payee} ${x.toFixed(2)}`,
      );
    })(),
    ...(settlement.pIndex ? { pIndex: settlement.pIndex } : {}),
    gaps: settlement.gaps,
  };
  const str = (m: { month: number; exceedance: Dec | null; amount: Dec; note?: string }) => ({
    month: m.month,
    exceedance: m.exceedance?.toString() ?? null,
    amount: m.amount.toString(),
    ...(m.note ? { note: m.note } : {}),
  });
  return {
    inputs,
    inputsSha256: contentHash({ scheme: scheme.id, inputs }),
    amounts: [
      {
        regionCode: section.downstreamRegionCode,
        eligible: true,
        weight: null,
        amount: upstreamPays,
        explanation: {
          ...common,
          role: 'downstream: receives the upstream region’s deductions (and a P-index payment owed to it)',
          deductions: settlement.byPollutant.map((p) => ({
            pollutant: p.pollutant,
            limit: p.limit,
            months: p.months.map(str),
          })),
        },
      },
      {
        regionCode: section.upstreamRegionCode,
        eligible: true,
        weight: null,
        amount: downstreamPays,
        explanation: {
          ...common,
          role: 'upstream: receives compliance rewards (and a P-index payment owed to it)',
          rewardMonths: settlement.rewardMonths,
          rewardPerMonth: content.compliantMonthReward ?? null,
        },
      },
    ],
  };
}

/**
 * A reward/deduction scheme over the figures read for it: each recipient's base transfer adjusted
 * by the class of its measure. A recipient whose measure cannot be computed (a figure missing, a
 * formula that fails) has no amount — or keeps its base, unclassified, when the scheme says so.
 */
export function rewardDeductionAmounts(
  scheme: SchemeRef,
  loaded: RecipientFigures,
  gepYear: number,
): ComputedCompensation {
  const content = scheme.content as RewardDeductionContent;
  const { measure, problems } = compileRewardDeduction(content);
  if (!measure)
    throw new DomainError(
      'VALIDATION_FAILED',
      zhEn('补偿方案无法编译', 'the scheme does not compile'),
      problems,
    );
  const inputs = figureInputs(loaded);
  const base = new D(content.base);
  const rule = content.missingFigures ?? null;
  return {
    inputs,
    inputsSha256: contentHash({ scheme: scheme.id, inputs }),
    amounts: loaded.regions.map((r, i) => {
      const missing = missingFigures(measure.identifiers, r.figures);
      let value: Dec | null = null;
      let reason: string | undefined = missing.length
        ? missingReason(missing, r.gaps, loaded.previous ? null : gepYear - 1)
        : undefined;
      if (!reason)
        try {
          value = measure.run(figureLookup(r.figures)) as Dec;
        } catch (e) {
          if (!(e instanceof EvaluationError)) throw e;
          reason = zhEn(
            `考核指标无法计算：${e.message}`,
            `the measure cannot be evaluated: ${e.message}`,
          );
        }
      const common = { measureFormula: content.measure, figures: inputs.recipients[i].figures };
      if (value === null)
        return {
          regionCode: r.code,
          eligible: false,
          weight: null,
          // without the scheme's own rule, a missing measure is no reason to pay the base
          amount: rule ? base.toDecimalPlaces(2, D.ROUND_HALF_UP) : null,
          explanation: {
            ...common,
            base: content.base,
            ...(rule
              ? {
                  reason: citeRule(
                    rule,
                    zhEn(
                      `${reason}；按基数拨付，不作调整`,
                      `${reason}; the base is paid without adjustment`,
                    ),
                  ),
                  missingFiguresRule: rule,
                }
              : {
                  reason: zhEn(
                    `${reason}；金额无法计算`,
                    `${reason}; the amount cannot be computed`,
                  ),
                  notComputable: true,
                }),
          },
        };
      const applied = applyClass(content, value);
      return {
        regionCode: r.code,
        eligible: true,
        weight: value,
        amount: applied.amount,
        explanation: {
          ...common,
          measure: value.toString(),
          class: applied.class.label,
          effect: applied.class.effect,
          base: content.base,
          adjustment: applied.adjustment.toString(),
          ...(applied.suspended
            ? { suspended: 'the transfer is suspended for the budget year' }
            : {}),
        },
      };
    }),
  };
}

/**
 * Pays the registered 公益林 areas: every region gets area × the matching rates, rounded once to
 * the fen, the management share and each rate stated in the explanation; an area without an
 * applicable rate leaves the region's amount unknown.
 */
export function forestAmounts(scheme: SchemeRef, inputs: ForestInputs): ComputedCompensation {
  const content = scheme.content as ForestContent;
  const { year } = inputs;
  return {
    inputs,
    inputsSha256: contentHash({ scheme: scheme.id, inputs }),
    amounts: inputs.recipients.map(({ regionCode: code }) => {
      const result = forestCompensation(
        content,
        year,
        inputs.areas
          .filter((a) => a.regionCode === code)
          .map((a) => ({
            regionCode: code,
            forestLevel: a.forestLevel as ForestLevel,
            ownership: a.ownership as ForestOwnership,
            zone: a.zone,
            areaMu: new D(a.areaMu),
          })),
      );
      // an area without an applicable rate leaves the region's amount unknown, not smaller
      if (result.unmatched.length)
        return {
          regionCode: code,
          eligible: false,
          weight: null,
          amount: null,
          explanation: {
            year,
            lines: result.lines,
            notComputable: true,
            reason: zhEn(
              `${result.unmatched.map((u) => inLanguage(u, 'zh')).join('；')}；金额无法计算`,
              `${result.unmatched.map((u) => inLanguage(u, 'en')).join('; ')}; the amount cannot be computed`,
            ),
          },
        };
      const amount = result.total.toDecimalPlaces(2, D.ROUND_HALF_UP);
      const management = result.management.toDecimalPlaces(2, D.ROUND_HALF_UP);
      return {
        regionCode: code,
        eligible: true,
        weight: null,
        amount,
        explanation: {
          year,
          lines: result.lines,
          exact: result.total.toString(),
          toManagement: management.toFixed(2),
          toOwners: amount.minus(management).toFixed(2),
        },
      };
    }),
  };
}
