import { EntityManager } from 'typeorm';
import { EvaluationError, SymbolInfo } from '../../formula/compile';
import { D, Dec } from '../../common/decimal';
import { DIMENSIONLESS, formatDims, parseUnit, sameDims } from '../../formula/units';
import { CATEGORIES, Category, PublishedGep } from '../../accounting/runs/published-gep';
import { DomainError, FieldProblem } from '../../common/errors/domain-error';
import { Tenure } from './tenure.entity';
import { compileField } from '../../formula/formula-problems';
import { inLanguage, zhEn } from '../../common/i18n/text';
import { RegionSql, RegionsRepository } from '../../regions/regions.repository';

/**
 * How a tenure is scored: a score formula and trigger conditions over the tenure's figures, and
 * the grade bands. The national indicator system's blocks are not public beyond block (一)
 * (audit.md §3.1), so the default scores the GEP change alone — an illustrative, configurable rule.
 */
export interface EvaluationRuleset {
  standardId: string;
  /** Points 0–100 (clamped), e.g. `80 + 200 * gep_real_change`. */
  score: string;
  /** Lowest score of each grade, best first. */
  grades: { grade: string; min: number }[];
  /** Findings raised when their condition holds, e.g. 生态产品总值严重下降. */
  triggers: { code: string; label: string; condition: string }[];
}

export const DEFAULT_RULESET: EvaluationRuleset = {
  standardId: 'ndrc-nbs-2022-trial',
  score: '80 + 200 * gep_real_change',
  grades: [
    { grade: '好', min: 90 },
    { grade: '较好', min: 80 },
    { grade: '一般', min: 70 },
    { grade: '较差', min: 60 },
    { grade: '差', min: 0 },
  ],
  triggers: [
    {
      code: 'gep_serious_decline',
      label: '生态产品总值严重下降（阈值为本地参数：实际下降 ≥ 5%）',
      condition: 'gep_real_change <= -0.05',
    },
  ],
};

/** Figures the ruleset's formulas may use. */
export const TENURE_FIGURES: Record<string, { unit: string; description: string }> = {
  gep_start: { unit: '元', description: 'GEP of the baseline year, at its prices' },
  gep_end: { unit: '元', description: 'GEP of the end year, at its prices' },
  gep_real_change: {
    unit: '1',
    description: 'end year at baseline prices and the end method, over the baseline, minus 1',
  },
  gep_change: { unit: '1', description: 'change at current prices' },
  years: { unit: '1', description: 'end year − baseline year' },
};

/** A tenure's GEP at both ends and its change (元; fractions), each null when incomplete. */
export interface TenureChange {
  gepStart: Dec | null;
  gepEnd: Dec | null;
  realChange: Dec | null;
  change: Dec | null;
}

/** Which part of a {@link TenureChange} each GEP figure of a ruleset is. */
export const TENURE_CHANGE_FIELDS = {
  gep_start: 'gepStart',
  gep_end: 'gepEnd',
  gep_real_change: 'realChange',
  gep_change: 'change',
} as const satisfies Record<string, keyof TenureChange>;

/** The figures a ruleset's formulas read (see {@link TENURE_FIGURES}). */
export const tenureFigures = (c: TenureChange, years: number): Record<string, Dec | null> => ({
  ...Object.fromEntries(
    Object.entries(TENURE_CHANGE_FIELDS).map(([name, field]) => [name, c[field]]),
  ),
  years: new D(years),
});

const env = (name: string): SymbolInfo | undefined =>
  TENURE_FIGURES[name]
    ? { kind: 'variable', unit: parseUnit(TENURE_FIGURES[name].unit) }
    : undefined;

/** Compiles the ruleset's formulas, or lists every problem with its field. */
export function compileRuleset(r: EvaluationRuleset) {
  const problems: FieldProblem[] = [];
  const compile = (path: string, text: string, condition: boolean) => {
    const f = compileField(text, env, path, problems, {
      condition,
      word: (message) =>
        zhEn(
          `${message}；可用数据：${Object.keys(TENURE_FIGURES).join('、')}`,
          `${message} — figures: ${Object.keys(TENURE_FIGURES).join(', ')}`,
        ),
    });
    return f ?? null;
  };
  const score = compile('ruleset.score', r.score, false);
  if (score && !sameDims(score.type.dims, DIMENSIONLESS))
    problems.push({
      path: 'ruleset.score',
      message: zhEn(
        `评分应为分值（无量纲），不能是 ${formatDims(score.type.dims)}`,
        `the score must be points (dimensionless), not ${formatDims(score.type.dims)}`,
      ),
    });
  const triggers = r.triggers.map((t, i) => ({
    ...t,
    f: compile(`ruleset.triggers[${i}].condition`, t.condition, true),
  }));
  const mins = r.grades.map((g) => g.min);
  if (mins.length === 0 || mins.some((m, i) => i > 0 && m >= mins[i - 1]))
    problems.push({
      path: 'ruleset.grades',
      message: zhEn(
        '等级应从优到差排列，每级的最低分依次降低',
        'grades go from best to worst, each min lower',
      ),
    });
  if (problems.length)
    throw new DomainError(
      'VALIDATION_FAILED',
      zhEn(`评价规则有 ${problems.length} 处问题`, `${problems.length} problem(s) in the ruleset`),
      problems,
    );
  return { score: score!, triggers: triggers.map((t) => ({ ...t, f: t.f! })) };
}

const yearOf = (date: string) => Number(date.slice(0, 4));

export interface Gap {
  code:
    | 'baseline_substituted'
    | 'end_substituted'
    | 'partial_year'
    | 'incomplete_gep'
    | 'incomplete_year'
    | 'year_missing';
  message: string;
  messageZh: string;
}

export interface TenureEvaluation {
  tenureId: string;
  regionCode: string;
  baselineYear: number;
  endYear: number;
  runs: { baseline: string; end: string };
  /** GEP per year at current prices and at baseline-year prices (元), years with a published run. */
  series: {
    year: number;
    runId: string;
    gep: string | null;
    gepAtBaselinePrices: string | null;
    /** At the year's own prices; null where an indicator of the category has no result. */
    byCategory: Record<Category, string | null>;
  }[];
  /** Null figures are missing (a counted indicator without a result), never 0. */
  gep: {
    start: string | null;
    end: string | null;
    realChange: string | null;
    change: string | null;
    effects: { method: string; quantity: string; price: string; total: string } | null;
    byCategory: Record<Category, { start: string | null; end: string | null }>;
  };
  resources: { variable: string; start: string | null; end: string | null }[];
  /** Approved compensation amounts to the region and the regions within it, by budget year (元). */
  compensation: { budgetYear: number; amount: string }[];
  /**
   * False when GEP at either end is incomplete: then there is no score, no grade and no finding —
   * the conclusion is 无法评价 and `gaps` says what is missing.
   */
  evaluable: boolean;
  /** The grade, or 无法评价. */
  conclusion: string;
  score: string | null;
  grade: string | null;
  findings: { code: string; label: string }[];
  /** What was missing and how it was handled, in English and in Chinese (for the report). */
  gaps: Gap[];
  ruleset: EvaluationRuleset;
}

/**
 * Evaluates a tenure from published GEP runs: the baseline is the year before taking office, the
 * end the last full year in office (or the latest published year while in office). Missing runs
 * are replaced by the nearest year inside the tenure and stated as gaps; without two runs to
 * compare the evaluation is refused (422).
 */
export async function evaluateTenure(
  manager: EntityManager,
  gep: PublishedGep,
  tenure: Tenure,
  ruleset: EvaluationRuleset,
): Promise<TenureEvaluation> {
  const compiled = compileRuleset(ruleset);
  const gaps: Gap[] = [];
  const gap = (code: Gap['code'], message: string, messageZh: string) =>
    gaps.push({ code, message, messageZh });
  // published runs covering the region (rooted at it or an ancestor), the closest root per year
  const runs = await gep.coveringRuns(manager, ruleset.standardId, tenure.regionCode);
  const byYear = new Map(runs.map((r) => [r.year, r.id]));
  const wantedStart = yearOf(tenure.startDate) - 1;
  const end = tenure.endDate;
  const wantedEnd = end
    ? end.endsWith('-12-31')
      ? yearOf(end)
      : yearOf(end) - 1
    : Math.max(...runs.map((r) => r.year), wantedStart);
  const inside = runs.map((r) => r.year).filter((y) => y >= wantedStart && y <= wantedEnd);
  const baselineYear = byYear.has(wantedStart) ? wantedStart : inside[0];
  const endYear = byYear.has(wantedEnd) ? wantedEnd : inside[inside.length - 1];
  if (baselineYear === undefined || endYear === undefined || baselineYear >= endYear) {
    const region = await RegionsRepository.label(manager, tenure.regionCode);
    const message = zhEn(
      `该任期需要 ${wantedStart} 至 ${wantedEnd} 间至少两个年度覆盖${region.zh}的已发布 ${ruleset.standardId} GEP 核算；已发布年度：${runs.map((r) => r.year).join('、') || '无'}`,
      `the tenure needs published ${ruleset.standardId} GEP runs covering ${region.en} for two years between ${wantedStart} and ${wantedEnd}; published years: ${runs.map((r) => r.year).join(', ') || 'none'}`,
    );
    throw new DomainError('VALIDATION_FAILED', message, [{ path: 'tenure', message }]);
  }
  if (baselineYear !== wantedStart)
    gap(
      'baseline_substituted',
      `no published GEP run for ${wantedStart} (the year before taking office); ${baselineYear} is used as the baseline`,
      `${wantedStart} 年（任职前一年）无已发布的 GEP 核算结果，以 ${baselineYear} 年作为评价基准年`,
    );
  if (endYear !== wantedEnd)
    gap(
      'end_substituted',
      `no published GEP run for ${wantedEnd}; ${endYear} is used as the end year`,
      `${wantedEnd} 年无已发布的 GEP 核算结果，以 ${endYear} 年作为评价终止年`,
    );
  if (end && !end.endsWith('-12-31'))
    gap(
      'partial_year',
      `the tenure ends on ${end}, within ${yearOf(end)}: that partial year is not scored (last full year ${yearOf(end) - 1})`,
      `任期于 ${end} 结束，${yearOf(end)} 年为不完整年度，不纳入评分（最后一个完整年度为 ${yearOf(end) - 1} 年）`,
    );

  const baselineRun = byYear.get(baselineYear)!;
  const endRun = byYear.get(endYear)!;
  const change = await gep.change(manager, tenure.regionCode, baselineRun, endRun);
  const cmp = change.comparison;
  for (const side of change.incomplete)
    gap(
      'incomplete_gep',
      `GEP of ${side.year} is incomplete for ${tenure.regionCode} (indicators without results: ${side.indicators.join(', ')}); the tenure cannot be evaluated`,
      `${side.year} 年 GEP 不完整（无结果的指标：${side.indicatorNames.join('、')}${side.where.length ? `；缺口：${side.where.map((w) => inLanguage(w, 'zh')).join('；')}` : ''}），无法评价`,
    );
  const evaluable = !gaps.some((g) => g.code === 'incomplete_gep');

  const series: TenureEvaluation['series'] = [];
  for (const y of runs.map((r) => r.year).filter((x) => x >= baselineYear && x <= endYear)) {
    const own = await gep.yearFigures(manager, byYear.get(y)!, tenure.regionCode, baselineYear);
    if (own.incomplete.length && y !== baselineYear && y !== endYear)
      gap(
        'incomplete_year',
        `GEP of ${y} is incomplete for ${tenure.regionCode}; shown as missing`,
        `${y} 年 GEP 不完整，该年数值缺失`,
      );
    const str = (x: Dec | null) => x?.toString() ?? null;
    series.push({
      year: y,
      runId: byYear.get(y)!,
      gep: str(own.gep),
      gepAtBaselinePrices: str(own.gepAtPrices),
      byCategory: Object.fromEntries(
        CATEGORIES.filter((c) => c in own.byCategory).map((c) => [c, str(own.byCategory[c])]),
      ) as Record<Category, string | null>,
    });
  }
  for (let y = baselineYear; y <= endYear; y++)
    if (!byYear.has(y))
      gap('year_missing', `no published GEP run for ${y}`, `${y} 年无已发布的 GEP 核算结果`);

  const figures = tenureFigures(
    {
      gepStart: cmp.from.total,
      gepEnd: cmp.to.total,
      realChange: cmp.growth.constant,
      change: cmp.growth.current,
    },
    endYear - baselineYear,
  );
  // The ruleset is never evaluated on partial totals: no score, no grade, no finding.
  let score: Dec | null = null;
  let grade: string | null = null;
  let findings: { code: string; label: string }[] = [];
  if (evaluable) ({ score, grade, findings } = gradeFigures(ruleset, figures, compiled));

  const compensation = await manager.query<{ budget_year: number; amount: string }[]>(
    `SELECT r.budget_year, round(sum(a.amount), 2)::text AS amount
       FROM compensation_amounts a JOIN compensation_runs r ON r.id = a.run_id
      WHERE r.status = 'approved' AND r.budget_year BETWEEN $2 AND $3
        AND ${RegionSql.codeWithin('a.region_code', '$1')}
      GROUP BY r.budget_year ORDER BY r.budget_year`,
    [tenure.regionCode, yearOf(tenure.startDate), end ? yearOf(end) : 9999],
  );
  // each end's inputs in the unit the end year's methodology declares
  // the area, population and GDP the end year's methodology declares
  const variables = await gep.regionFigureVariables(manager, endRun);
  const [atStart, atEnd] = [
    await gep.regionInputs(manager, baselineRun, tenure.regionCode, variables),
    await gep.regionInputs(manager, endRun, tenure.regionCode, variables),
  ];
  const resources = variables.map((variable, i) => {
    const unit = atEnd[i].unit;
    const factor = unit ? parseUnit(unit).factor : new D(1);
    const show = (x: Dec | null) =>
      x === null ? null : `${x.div(factor).toString()} ${unit ?? ''}`.trim();
    return {
      variable,
      start: show(atStart[i].valueInBaseUnits),
      end: show(atEnd[i].valueInBaseUnits),
    };
  });
  const str = (x: Dec | null) => x?.toString() ?? null;
  const effects = cmp.effects;
  return {
    tenureId: tenure.id,
    regionCode: tenure.regionCode,
    baselineYear,
    endYear,
    runs: { baseline: baselineRun, end: endRun },
    series,
    gep: {
      start: str(cmp.from.total),
      end: str(cmp.to.total),
      realChange: str(cmp.growth.constant),
      change: str(cmp.growth.current),
      effects: effects && {
        method: effects.method.toString(),
        quantity: effects.quantity.toString(),
        price: effects.price.toString(),
        total: effects.total.toString(),
      },
      byCategory: Object.fromEntries(
        CATEGORIES.filter((c) => c in cmp.from.byCategory || c in cmp.to.byCategory).map((c) => [
          c,
          { start: str(cmp.from.byCategory[c] ?? null), end: str(cmp.to.byCategory[c] ?? null) },
        ]),
      ) as Record<Category, { start: string | null; end: string | null }>,
    },
    resources,
    compensation: compensation.map((c) => ({ budgetYear: c.budget_year, amount: c.amount })),
    evaluable,
    conclusion: grade ?? NOT_EVALUABLE,
    score: score?.toFixed(2) ?? null,
    grade,
    findings,
    gaps,
    ruleset,
  };
}

/**
 * Score, grade and findings of a tenure's figures under a ruleset. A figure the ruleset uses that
 * is missing, or a formula that cannot be evaluated on these figures (division by zero…), is
 * refused (422) — never scored as if it were 0.
 */
export function gradeFigures(
  ruleset: EvaluationRuleset,
  figures: Record<string, Dec | null>,
  compiled = compileRuleset(ruleset),
): { score: Dec; grade: string; findings: { code: string; label: string }[] } {
  const lookup = (name: string) => {
    const v = figures[name];
    if (v === null || v === undefined)
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn(`此任期无法取得数据 ${name}`, `the figure ${name} is not available for this tenure`),
      );
    return v.times(parseUnit(TENURE_FIGURES[name].unit).factor);
  };
  /** A formula that cannot be evaluated on these figures (division by zero…) is the ruleset's fault: 422. */
  const run = (path: string, f: { run: (l: typeof lookup) => unknown }) => {
    try {
      return f.run(lookup) as Dec;
    } catch (e) {
      if (!(e instanceof EvaluationError)) throw e;
      throw DomainError.invalid(
        path,
        zhEn(`此任期无法评价：${e.message}`, `cannot be evaluated for this tenure: ${e.message}`),
      );
    }
  };
  const raw = run('ruleset.score', compiled.score);
  const score = D.min(D.max(raw, 0), 100).toDecimalPlaces(2, D.ROUND_HALF_UP);
  const grade =
    ruleset.grades.find((g) => score.gte(g.min))?.grade ??
    ruleset.grades[ruleset.grades.length - 1].grade;
  const findings = compiled.triggers
    .filter((t, i) => run(`ruleset.triggers[${i}].condition`, t.f).eq(1))
    .map((t) => ({ code: t.code, label: t.label }));
  return { score, grade, findings };
}

/** The conclusion when GEP at either end of the tenure is incomplete. */
export const NOT_EVALUABLE = '无法评价';
