import { EntityManager } from 'typeorm';
import { TraceInput } from '../../formula/model';
import {
  ChangeUncertainty,
  DrawnChange,
  PublishedGep,
  RawTrace,
} from '../../accounting/runs/published-gep';
import { D } from '../../common/decimal';
import { DomainError } from '../../common/errors/domain-error';
import { canonicalJson } from '../../common/canonical-json';
import { Official } from '../officials/official.entity';
import { Tenure } from '../officials/tenure.entity';
import {
  compileRuleset,
  evaluateTenure,
  EvaluationRuleset,
  gradeFigures,
  NOT_EVALUABLE,
  TENURE_CHANGE_FIELDS,
  tenureFigures,
  TenureEvaluation,
} from '../officials/tenure-evaluation';
import { RegionsRepository } from '../../regions/regions.repository';

/** Where the report's figures come from: one published run per year shown. */
export interface ReportRunInput {
  year: number;
  runId: string;
  methodology: { id: string; standardId: string; version: number; name: string };
  publishedAt: string | null;
  snapshotSha256: string;
}

/**
 * An input of an indicator as the appendix shows it. For a region computed from its sub-regions
 * the inputs of every computed sub-region are merged: one value when they all used the same
 * (a price, a coefficient), null when the value differs by region (survey data), with every
 * source named.
 */
export interface TracedInput {
  name: string;
  kind: TraceInput['kind'];
  unit: string;
  value: string | Record<string, string> | null;
  sources: string[];
}

/** One indicator of the region in a traced year, with its inputs and their sources. */
export interface TracedIndicator {
  code: string;
  nameZh: string;
  category: string;
  counted: boolean;
  /** 元, as stored (12 places); null when not computed. */
  value: string | null;
  missing: string[] | null;
  formula: string | null;
  inputs: TracedInput[];
  /** How many computed regions the figure sums: 1 for the region itself, else its sub-regions. */
  computedIn: number;
}

/**
 * Draws and seed of the uncertainty every report states: fixed, so regenerating a report gives
 * the same digits. 500 draws put the 5th and 95th percentiles within about ±1 % (of the interval's
 * width) of where 10,000 would — ample for a statement about the conclusion. The work grows with
 * draws × regions, so a large region (a prefecture of some 200 townships) takes fewer: at most
 * 20,000 region-draws, never fewer than 100 draws (the report states how many).
 */
export const REPORT_UNCERTAINTY = {
  draws: (regions: number) => Math.max(100, Math.min(500, Math.floor(20000 / regions))),
  seed: 20260101,
};

/**
 * How far the tenure's conclusion rests on parameters known only within a range: the change's
 * uncertainty from every price and coefficient with a cited range (Monte Carlo), and the grade
 * each draw gives under the ruleset.
 */
export interface ReportUncertainty extends ChangeUncertainty {
  /** How many draws gave each conclusion, most first (无法评价 when a draw cannot be scored). */
  grades: { grade: string; draws: number }[];
  /**
   * The conclusion is not settled by the parameters' ranges: the real change's 90 % interval
   * includes no change, or the draws give more than one grade. The report then shows the table.
   */
  withinUncertainty: boolean;
}

/**
 * Everything a departure-audit report says, as data: the stored report keeps this, its SHA-256
 * over canonical JSON is the content hash, and the PDF and DOCX are rendered from it alone.
 * Nothing in it depends on when it was made, so regenerating from the same database gives the
 * same hash.
 */
export interface ReportContent {
  official: { id: string; name: string };
  tenure: {
    id: string;
    post: string;
    regionCode: string;
    regionName: string;
    /** Names from the region up to the root, e.g. 江西省 上饶市 婺源县. */
    regionPath: string[];
    startDate: string;
    endDate: string | null;
    acting: boolean;
  };
  evaluation: TenureEvaluation;
  runs: ReportRunInput[];
  /** Chinese names of the resource variables in the evaluation (from the end year's method). */
  variableNames: Record<string, string>;
  /** The change's uncertainty from the parameters' ranges; null when the tenure is not evaluable. */
  uncertainty: ReportUncertainty | null;
  /** The indicator traces of the baseline and end years (the appendix). */
  traces: {
    year: number;
    runId: string;
    /** The regions whose computed results the figures sum (the region itself when computed). */
    computedRegions: { code: string; name: string }[];
    indicators: TracedIndicator[];
  }[];
}

/** Builds the report content of a tenure from published runs (422 when there are too few). */
export async function buildReportContent(
  manager: EntityManager,
  gep: PublishedGep,
  tenure: Tenure,
  ruleset: EvaluationRuleset,
): Promise<ReportContent> {
  const evaluation = await evaluateTenure(manager, gep, tenure, ruleset);
  const official = await manager.findOneByOrFail(Official, { id: tenure.officialId });
  const regionPath = await RegionsRepository.lineageNames(manager, tenure.regionCode);

  const runs: ReportRunInput[] = [];
  for (const s of evaluation.series) {
    const run = await gep.runInfo(manager, s.runId);
    runs.push({
      year: s.year,
      runId: run.id,
      methodology: run.methodology,
      publishedAt: run.publishedAt,
      snapshotSha256: run.snapshotSha256,
    });
  }

  const traces: ReportContent['traces'] = [];
  for (const [year, runId] of [
    [evaluation.baselineYear, evaluation.runs.baseline],
    [evaluation.endYear, evaluation.runs.end],
  ] as const) {
    const trace = await gep.regionTrace(manager, runId, tenure.regionCode);
    traces.push({
      year,
      runId,
      computedRegions: trace.computedRegions,
      indicators: trace.indicators.map(({ traces: t, ...ind }): TracedIndicator => ({
        ...ind,
        formula: t[0]?.valueFormula ?? null,
        inputs: mergeInputs(t),
        computedIn: t.length,
      })),
    });
  }

  const uncertainty = evaluation.evaluable
    ? await reportUncertainty(manager, gep, evaluation, ruleset)
    : null;

  const names = await gep.regionInputs(
    manager,
    evaluation.runs.end,
    tenure.regionCode,
    evaluation.resources.map((r) => r.variable),
  );
  return {
    official: { id: official.id, name: official.name },
    tenure: {
      id: tenure.id,
      post: tenure.post,
      regionCode: tenure.regionCode,
      regionName: regionPath[regionPath.length - 1],
      regionPath,
      startDate: tenure.startDate,
      endDate: tenure.endDate,
      acting: tenure.acting,
    },
    evaluation,
    runs,
    variableNames: Object.fromEntries(names.map((v) => [v.variable, v.nameZh])),
    uncertainty,
    traces,
  };
}

async function reportUncertainty(
  manager: EntityManager,
  gep: PublishedGep,
  e: TenureEvaluation,
  ruleset: EvaluationRuleset,
): Promise<ReportUncertainty> {
  const compiled = compileRuleset(ruleset);
  // only the figures the ruleset reads are drawn (GEP at current prices needs two more evaluations)
  const used = new Set(
    [compiled.score, ...compiled.triggers.map((t) => t.f)].flatMap((f) => f.identifiers),
  );
  const grades = new Map<string, number>();
  const u = await gep.changeUncertainty(
    manager,
    e.regionCode,
    e.runs.baseline,
    e.runs.end,
    REPORT_UNCERTAINTY,
    (d) => {
      let grade = NOT_EVALUABLE; // a draw with a figure missing is not scored as 0
      const figures = tenureFigures(d, e.endYear - e.baselineYear);
      try {
        if ([...used].every((name) => figures[name] !== null))
          grade = gradeFigures(ruleset, figures, compiled).grade;
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
      }
      grades.set(grade, (grades.get(grade) ?? 0) + 1);
    },
    new Set<keyof DrawnChange>(
      Object.entries(TENURE_CHANGE_FIELDS)
        .filter(([name]) => used.has(name))
        .map(([, field]) => field),
    ),
  );
  const byCount = [...grades]
    .map(([grade, draws]) => ({ grade, draws }))
    .sort((a, b) => b.draws - a.draws || a.grade.localeCompare(b.grade));
  const { p05, p95 } = u.realChange;
  const straddles = p05 !== null && p95 !== null && new D(p05).lte(0) && new D(p95).gte(0);
  return { ...u, grades: byCount, withinUncertainty: straddles || byCount.length > 1 };
}

function mergeInputs(traces: RawTrace[]): TracedInput[] {
  const merged = new Map<string, TracedInput & { seen: Set<string> }>();
  for (const t of traces)
    for (const i of t.inputs) {
      const m =
        merged.get(i.name) ??
        merged.set(i.name, { ...i, value: i.value, sources: [], seen: new Set() }).get(i.name)!;
      m.seen.add(canonicalJson(i.value));
      if (i.source && !m.sources.includes(i.source)) m.sources.push(i.source);
    }
  return [...merged.values()].map(({ seen, ...m }) => ({
    name: m.name,
    kind: m.kind,
    unit: m.unit,
    value: seen.size === 1 ? m.value : null,
    sources: m.sources,
  }));
}
