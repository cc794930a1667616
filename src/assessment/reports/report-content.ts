import { EntityManager } from 'typeorm';
import { TraceInput } from '../../formula/model';
import { CATEGORIES, MethodologyContent } from '../../accounting/methodology/methodology-content';
import { Methodology } from '../../accounting/methodology/methodology.entity';
import { AccountingRun } from '../../accounting/runs/accounting-run.entity';
import { canonicalJson } from '../../common/canonical-json';
import { Official } from '../officials/official.entity';
import { Tenure } from '../officials/tenure.entity';
import {
  evaluateTenure,
  EvaluationRuleset,
  TenureEvaluation,
} from '../officials/tenure-evaluation';

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
  tenure: Tenure,
  ruleset: EvaluationRuleset,
): Promise<ReportContent> {
  const evaluation = await evaluateTenure(manager, tenure, ruleset);
  const official = await manager.findOneByOrFail(Official, { id: tenure.officialId });
  const regionPath = await manager.query<{ name: string }[]>(
    `SELECT a.name FROM regions r JOIN regions a ON a.path @> r.path
      WHERE r.code = $1 ORDER BY nlevel(a.path)`,
    [tenure.regionCode],
  );

  const runs: ReportRunInput[] = [];
  const methodologies = new Map<string, Methodology>();
  for (const s of evaluation.series) {
    const run = await manager.findOneByOrFail(AccountingRun, { id: s.runId });
    const m =
      methodologies.get(run.methodologyId) ??
      (await manager.findOneByOrFail(Methodology, { id: run.methodologyId }));
    methodologies.set(m.id, m);
    runs.push({
      year: s.year,
      runId: run.id,
      methodology: { id: m.id, standardId: m.standardId, version: m.version, name: m.name },
      publishedAt: run.publishedAt?.toISOString() ?? null,
      snapshotSha256: run.snapshotSha256,
    });
  }

  const traces: ReportContent['traces'] = [];
  for (const [year, runId] of [
    [evaluation.baselineYear, evaluation.runs.baseline],
    [evaluation.endYear, evaluation.runs.end],
  ] as const) {
    const run = runs.find((r) => r.runId === runId)!;
    traces.push({
      year,
      runId,
      ...(await traceYear(manager, runId, methodologies.get(run.methodology.id)!.content, tenure)),
    });
  }

  const endRun = runs.find((r) => r.runId === evaluation.runs.end)!;
  const endContent = methodologies.get(endRun.methodology.id)!.content;
  return {
    official: { id: official.id, name: official.name },
    tenure: {
      id: tenure.id,
      post: tenure.post,
      regionCode: tenure.regionCode,
      regionName: regionPath[regionPath.length - 1].name,
      regionPath: regionPath.map((r) => r.name),
      startDate: tenure.startDate,
      endDate: tenure.endDate,
      acting: tenure.acting,
    },
    evaluation,
    runs,
    variableNames: Object.fromEntries(
      evaluation.resources.map((r) => [
        r.variable,
        endContent.variables.find((v) => v.code === r.variable)?.nameZh ?? r.variable,
      ]),
    ),
    traces,
  };
}

/**
 * The appendix of one year: each indicator of the region with its value as stored and the inputs
 * it was computed from. A region aggregated from sub-regions (at any depth) is traced to the
 * computed regions below it, their inputs merged.
 */
async function traceYear(
  manager: EntityManager,
  runId: string,
  content: MethodologyContent,
  tenure: Tenure,
): Promise<Omit<ReportContent['traces'][number], 'year' | 'runId'>> {
  const own = await manager.query<
    { indicator_code: string; value: string | null; missing: string[] | null }[]
  >(
    `SELECT indicator_code, value::text, missing FROM accounting_results
      WHERE run_id = $1 AND region_code = $2`,
    [runId, tenure.regionCode],
  );
  const computed = await manager.query<
    { region_code: string; name: string; indicator_code: string; trace: RawTrace }[]
  >(
    `SELECT r.region_code, g.name, r.indicator_code, r.trace
       FROM accounting_results r JOIN regions g ON g.code = r.region_code
      WHERE r.run_id = $1 AND r.value IS NOT NULL AND r.trace ? 'inputs'
        AND g.path <@ (SELECT path FROM regions WHERE code = $2)
      ORDER BY r.region_code, r.indicator_code`,
    [runId, tenure.regionCode],
  );
  const byIndicator = new Map<string, RawTrace[]>();
  const regions = new Map<string, string>();
  for (const c of computed) {
    byIndicator.set(c.indicator_code, [...(byIndicator.get(c.indicator_code) ?? []), c.trace]);
    regions.set(c.region_code, c.name);
  }
  const stored = new Map(own.map((r) => [r.indicator_code, r]));
  const category = new Map(content.services.map((s) => [s.code, s.category]));
  const order = (c: string) => CATEGORIES.indexOf(c as (typeof CATEGORIES)[number]);
  const indicators = content.indicators
    .map((ind): TracedIndicator => {
      const r = stored.get(ind.code);
      const traces = r?.value === null || !r ? [] : (byIndicator.get(ind.code) ?? []);
      return {
        code: ind.code,
        nameZh: ind.nameZh,
        category: category.get(ind.service)!,
        counted: ind.counted,
        value: r?.value ?? null,
        missing: r?.missing ?? null,
        formula: traces[0]?.valueFormula ?? null,
        inputs: mergeInputs(traces),
        computedIn: traces.length,
      };
    })
    .sort((a, b) => order(a.category) - order(b.category));
  return {
    computedRegions: [...regions].map(([code, name]) => ({ code, name })),
    indicators,
  };
}

interface RawTrace {
  valueFormula: string;
  inputs: TraceInput[];
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
