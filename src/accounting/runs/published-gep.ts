import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { D, Dec } from '../../common/decimal';
import { TraceInput } from '../../formula/model';
import {
  CATEGORIES,
  Category,
  CATEGORY_ZH,
  DEDUCTION,
  MethodologyContent,
  REGION_FIGURES,
} from '../methodology/methodology-content';
import { AccountingRun } from './accounting-run.entity';
import { derivedFigures, GepComparison, RegionGep, regionGep, regionInput } from './comparison';
import { RunSnapshot, subtreeSnapshot } from './run-computation';
import { RunEvaluationPool } from './run-evaluation-pool';
import { ChangeUncertainty, changeUncertainty, DrawnChange } from './run-uncertainty';
import { gapProblems, gapsWithin } from './run-completeness';
import { RunsRepository } from './runs.repository';
import { RegionSql, RegionsRepository } from '../../regions/regions.repository';

export { CATEGORIES, CATEGORY_ZH, DEDUCTION };
export type { Category, ChangeUncertainty, DrawnChange, GepComparison };

/**
 * The one door from assessment into accounting: published GEP figures of a region and year, with
 * their completeness, their change between years and the traces behind them. Compensation, tenure
 * evaluation and departure-audit reports read accounting through this service and nothing else —
 * not its tables, entities or computation — so the rule that a figure over a gap is missing, not
 * a smaller number, is applied here once. Every method takes the caller's `EntityManager`: what it
 * reads is read in the caller's transaction.
 */
@Injectable()
export class PublishedGep {
  constructor(
    /** Where the recomputations are done (a run evaluation thread; this one by default). */
    private readonly pool: RunEvaluationPool = new RunEvaluationPool(0),
  ) {}

  /**
   * The figures of each sub-region of the published run of `standardId` rooted at
   * `rootRegionCode` for `year`, and the change from the year before at constant prices; null
   * when that year has no published run.
   */
  async subRegionFigures(
    m: EntityManager,
    standardId: string,
    rootRegionCode: string,
    year: number,
  ): Promise<SubRegionFigures | null> {
    const current = await RunsRepository.publishedRootedAt(m, standardId, rootRegionCode, year);
    if (!current) return null;
    const previous = await RunsRepository.publishedRootedAt(
      m,
      standardId,
      rootRegionCode,
      year - 1,
    );
    const { content } = await RunsRepository.withMethodology(m, current.id);
    const stored = await RunsRepository.results(m, current.id);
    const children = current.snapshot.regions.filter((r) => r.parentCode === rootRegionCode);
    // the change at constant prices: this year's quantities at last year's prices and method
    // (each child's GEP, recomputed on a run evaluation thread)
    const codes = children.map((r) => r.code);
    const byCode = (geps: RegionGep[]) => new Map(codes.map((code, i) => [code, geps[i]]));
    let atPrevPrices: Map<string, RegionGep> | null = null;
    let prevUnderMethod: Map<string, RegionGep> | null = null;
    let prevStored: Awaited<ReturnType<typeof RunsRepository.results>> | null = null;
    let prevContent: MethodologyContent | null = null;
    if (previous) {
      atPrevPrices = byCode(
        await this.pool.call(
          'gepsAt',
          [content, current.snapshot, previous.year, codes],
          current.snapshot.regions.length,
        ),
      );
      prevStored = await RunsRepository.results(m, previous.id);
      prevUnderMethod =
        previous.methodologyId === current.methodologyId
          ? null
          : byCode(
              await this.pool.call(
                'gepsAt',
                [content, previous.snapshot, undefined, codes],
                previous.snapshot.regions.length,
              ),
            );
      prevContent = (await RunsRepository.withMethodology(m, previous.id)).content;
    }
    const names = await RegionsRepository.names(
      m,
      children.map((r) => r.code),
    );

    const figuresOf = (code: string) => {
      const gaps: Partial<Record<GepFigure, string[]>> = {};
      // why a figure is missing, in the names of the indicators without a result
      const total = (
        figure: GepFigure,
        g: { total: Dec | null; incomplete: string[] },
        method = content,
      ) => {
        const indicators = g.incomplete.map(
          (c) => method.indicators.find((i) => i.code === c)?.nameZh ?? c,
        );
        if (indicators.length)
          gaps[figure] = [...new Set([...(gaps[figure] ?? []), ...indicators])];
        return g.total;
      };
      const gep = total('gep', regionGep(content, stored, code));
      const gepPrev =
        previous && prevContent
          ? total('gep_prev', regionGep(prevContent, prevStored!, code), prevContent)
          : null;
      let realChange: Dec | null = null;
      if (previous && atPrevPrices) {
        const now = total('gep_real_change', atPrevPrices.get(code)!);
        const before = prevUnderMethod
          ? total('gep_real_change', prevUnderMethod.get(code)!)
          : gepPrev;
        if (!prevUnderMethod && gaps.gep_prev) gaps.gep_real_change = gaps.gep_prev;
        realChange = now && before && !before.isZero() ? now.div(before).minus(1) : null;
      }
      const derived = derivedFigures(content, current.snapshot, code, gep);
      const dec = (x: string | null) => (x === null ? null : new D(x));
      const figures: Record<GepFigure, Dec | null> = {
        gep,
        gep_prev: gepPrev,
        gep_real_change: realChange,
        area: dec(derived.areaKm2),
        population: dec(derived.population),
        gdp: dec(derived.gdp),
      };
      return { figures, gaps };
    };
    return {
      current: runRef(current),
      previous: previous ? runRef(previous) : null,
      regions: children.map((r) => ({
        code: r.code,
        name: names.get(r.code) ?? r.code,
        ...figuresOf(r.code),
      })),
    };
  }

  /**
   * The published runs of `standardId` that cover `regionCode` (rooted at it or an ancestor), one
   * per year, the closest root winning.
   */
  coveringRuns(
    m: EntityManager,
    standardId: string,
    regionCode: string,
  ): Promise<{ id: string; year: number }[]> {
    return RunsRepository.publishedCovering(m, standardId, regionCode);
  }

  /**
   * A region's GEP change between two published runs, decomposed into method, quantity and price
   * effects, and — for each end that is incomplete — which indicators lack a result and where
   * the gap arises (in Chinese, naming regions and the data to supply).
   */
  async change(
    m: EntityManager,
    regionCode: string,
    fromRunId: string,
    toRunId: string,
  ): Promise<GepChange> {
    const [from, to] = [await side(m, fromRunId), await side(m, toRunId)];
    const sub = (x: typeof from) => ({
      content: x.content,
      snapshot: subtreeSnapshot(x.snapshot, regionCode),
    });
    const sides = [sub(from), sub(to)] as const;
    const comparison = await this.pool.call(
      'compareRuns',
      [...sides, regionCode],
      // each side is computed twice at most (at the other end's prices or method)
      2 * (sides[0].snapshot.regions.length + sides[1].snapshot.regions.length),
    );
    const names = await RegionsRepository.names(
      m,
      [from, to].flatMap((s) => s.snapshot.regions.map((r) => r.code)),
    );
    // Each end counts as incomplete if any of its views (own prices, the other end's prices or
    // method) lacks a counted indicator: the real change needs all four.
    const incomplete: GepChange['incomplete'] = [];
    for (const [s, views] of [
      [from, [comparison.from, comparison.fromUnderToMethod]],
      [to, [comparison.to, comparison.toAtFromPrices]],
    ] as const) {
      const missing = [...new Set(views.flatMap((v) => v.incomplete))];
      if (!missing.length) continue;
      incomplete.push({
        year: s.run.year,
        indicators: missing,
        indicatorNames: missing.map(
          (c) => s.content.indicators.find((i) => i.code === c)?.nameZh ?? c,
        ),
        where: gapProblems(
          gapsWithin(s.run.completeness, s.snapshot.regions, regionCode),
          s.content,
          names,
          { limit: 20, inputs: s.snapshot.inputs },
        ).map((p) => p.message),
      });
    }
    return { comparison, incomplete };
  }

  /**
   * The uncertainty of a region's GEP change between two runs from the parameters' ranges
   * (Monte Carlo, fixed seed: the same runs, draws and seed give the same digits); `perDraw`
   * receives each draw's figures.
   */
  async changeUncertainty(
    m: EntityManager,
    regionCode: string,
    fromRunId: string,
    toRunId: string,
    options: Parameters<typeof changeUncertainty>[3],
    perDraw?: (d: DrawnChange) => void,
    wanted?: ReadonlySet<keyof DrawnChange>,
  ): Promise<ChangeUncertainty> {
    const [from, to] = [await side(m, fromRunId), await side(m, toRunId)];
    // the region's subtree is all that is drawn (and all the thread is sent)
    const sides = [from, to].map((x) => ({
      content: x.content,
      snapshot: subtreeSnapshot(x.snapshot, regionCode),
    }));
    const regions = Math.max(...sides.map((x) => x.snapshot.regions.length));
    const draws = typeof options.draws === 'function' ? options.draws(regions) : options.draws;
    // on a thread (the draws of a report take seconds); the draws graded here, in their order
    const { result, draws: each } = await this.pool.call(
      'changeUncertaintyDraws',
      [sides[0], sides[1], regionCode, { draws, seed: options.seed }, wanted],
      draws * regions,
    );
    if (perDraw) each.forEach(perDraw);
    return result;
  }

  /**
   * A region's GEP in a published run — as stored, by category — and at the prices of
   * `atPricesOf` (recomputed from the run's snapshot). `incomplete` lists the counted indicators
   * without a result; the totals are then null, never a partial sum.
   */
  async yearFigures(
    m: EntityManager,
    runId: string,
    regionCode: string,
    atPricesOf: number,
  ): Promise<YearFigures> {
    const s = await side(m, runId);
    // the published figure is stored; only the other-price view needs recomputing
    const own = regionGep(
      s.content,
      await RunsRepository.results(m, runId, regionCode),
      regionCode,
    );
    const subtree = subtreeSnapshot(s.snapshot, regionCode);
    const [constant] = await this.pool.call(
      'gepsAt',
      [s.content, subtree, atPricesOf, [regionCode]],
      subtree.regions.length,
    );
    return {
      year: s.run.year,
      gep: own.total,
      gepAtPrices: constant.total,
      byCategory: Object.fromEntries(
        CATEGORIES.filter((c) => c in own.byCategory).map((c) => [c, own.byCategory[c]]),
      ) as Record<Category, Dec | null>,
      incomplete: own.incomplete,
    };
  }

  /**
   * The variables the run's methodology names as a region's area, population and GDP
   * (`regionFigures`), in that order; a figure it does not name is left out.
   */
  async regionFigureVariables(m: EntityManager, runId: string): Promise<string[]> {
    const { content } = await side(m, runId);
    return REGION_FIGURES.map((f) => content.regionFigures?.[f]).filter(
      (v): v is string => v !== undefined,
    );
  }

  /**
   * Reported inputs of a region in a published run — its own value, else the sum over its
   * sub-regions when every one has it — in base units, with the variable's declared unit and name.
   */
  async regionInputs(
    m: EntityManager,
    runId: string,
    regionCode: string,
    variables: readonly string[],
  ): Promise<
    { variable: string; nameZh: string; unit: string | null; valueInBaseUnits: Dec | null }[]
  > {
    const s = await side(m, runId);
    return variables.map((variable) => {
      const declared = s.content.variables.find((v) => v.code === variable);
      return {
        variable,
        nameZh: declared?.nameZh ?? variable,
        unit: declared?.unit ?? null,
        valueInBaseUnits: regionInput(s.content, s.snapshot, regionCode, variable),
      };
    });
  }

  /**
   * The state of runs an assessment has read (published, superseded, withdrawn with its reason),
   * by id; ids that name no run are absent.
   */
  async runStates(m: EntityManager, runIds: readonly string[]): Promise<Map<string, RunState>> {
    const rows = await m.query<
      { id: string; status: string; withdrawal_reason: string | null; withdrawn_at: Date | null }[]
    >(
      `SELECT id, status, withdrawal_reason, withdrawn_at FROM accounting_runs
        WHERE id = ANY($1) ORDER BY withdrawn_at NULLS LAST, id`,
      [runIds],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        { status: r.status, withdrawalReason: r.withdrawal_reason, withdrawnAt: r.withdrawn_at },
      ]),
    );
  }

  /** What a report cites of a published run: its year, methodology, publication and snapshot hash. */
  async runInfo(m: EntityManager, runId: string): Promise<PublishedRunInfo> {
    const { run, methodology } = await RunsRepository.withMethodology(m, runId);
    return {
      ...runRef(run),
      methodology: {
        id: methodology.id,
        standardId: methodology.standardId,
        version: methodology.version,
        name: methodology.name,
      },
      publishedAt: run.publishedAt?.toISOString() ?? null,
      snapshotSha256: run.snapshotSha256,
    };
  }

  /**
   * The appendix of one year: each indicator of the region with its value as stored and the inputs
   * it was computed from, in published-table order (by category). A region aggregated from
   * sub-regions (at any depth) is traced to the computed regions below it.
   */
  async regionTrace(m: EntityManager, runId: string, regionCode: string): Promise<RegionTrace> {
    const { content } = await RunsRepository.withMethodology(m, runId);
    const own = await m.query<
      { indicator_code: string; value: string | null; missing: string[] | null }[]
    >(
      `SELECT indicator_code, value::text, missing FROM accounting_results
        WHERE run_id = $1 AND region_code = $2`,
      [runId, regionCode],
    );
    const computed = await m.query<
      { region_code: string; indicator_code: string; trace: RawTrace }[]
    >(
      `SELECT r.region_code, r.indicator_code, r.trace
         FROM accounting_results r
        WHERE r.run_id = $1 AND r.value IS NOT NULL AND r.trace -> 'inputs' IS NOT NULL
          AND ${RegionSql.codeWithin('r.region_code', '$2')}
        ORDER BY r.region_code, r.indicator_code`,
      [runId, regionCode],
    );
    const names = await RegionsRepository.names(
      m,
      computed.map((c) => c.region_code),
    );
    const byIndicator = new Map<string, RawTrace[]>();
    const regions = new Map<string, string>();
    for (const c of computed) {
      byIndicator.set(c.indicator_code, [...(byIndicator.get(c.indicator_code) ?? []), c.trace]);
      regions.set(c.region_code, names.get(c.region_code) ?? c.region_code);
    }
    const stored = new Map(own.map((r) => [r.indicator_code, r]));
    const category = new Map(content.services.map((s) => [s.code, s.category]));
    const order = (c: string) => CATEGORIES.indexOf(c as Category);
    const indicators = content.indicators
      .map((ind) => {
        const r = stored.get(ind.code);
        const traces = r?.value === null || !r ? [] : (byIndicator.get(ind.code) ?? []);
        return {
          code: ind.code,
          nameZh: ind.nameZh,
          category: category.get(ind.service)!,
          counted: ind.counted,
          value: r?.value ?? null,
          missing: r?.missing ?? null,
          traces,
        };
      })
      .sort((a, b) => order(a.category) - order(b.category));
    return {
      computedRegions: [...regions].map(([code, name]) => ({ code, name })),
      indicators,
    };
  }
}

/** The figures of a region the assessment module may use, and their units. */
export type GepFigure = 'gep' | 'gep_prev' | 'gep_real_change' | 'area' | 'population' | 'gdp';

export interface RunState {
  status: string;
  withdrawalReason: string | null;
  withdrawnAt: Date | null;
}

/** A published run as the assessment module refers to it. */
export interface PublishedRunRef {
  id: string;
  year: number;
  methodologyVersion: number;
  complete: boolean;
  incompleteReason: string | null;
}

export interface PublishedRunInfo extends PublishedRunRef {
  methodology: { id: string; standardId: string; version: number; name: string };
  publishedAt: string | null;
  snapshotSha256: string;
}

export interface SubRegionFigures {
  current: PublishedRunRef;
  previous: PublishedRunRef | null;
  regions: {
    code: string;
    name: string;
    /**
     * gep (元), gep_prev (元, the year before), gep_real_change (ratio at constant prices),
     * area (km²), population (人), gdp (元); null where not available — never 0.
     */
    figures: Record<GepFigure, Dec | null>;
    /** For each missing figure, the names of the indicators without a result. */
    gaps: Partial<Record<GepFigure, string[]>>;
  }[];
}

export interface GepChange {
  comparison: GepComparison;
  incomplete: { year: number; indicators: string[]; indicatorNames: string[]; where: string[] }[];
}

export interface YearFigures {
  year: number;
  gep: Dec | null;
  gepAtPrices: Dec | null;
  byCategory: Record<Category, Dec | null>;
  incomplete: string[];
}

export interface RawTrace {
  valueFormula: string;
  inputs: TraceInput[];
}

export interface RegionTrace {
  computedRegions: { code: string; name: string }[];
  indicators: {
    code: string;
    nameZh: string;
    category: Category;
    counted: boolean;
    value: string | null;
    missing: string[] | null;
    /** The trace of each computed region below (or of the region itself). */
    traces: RawTrace[];
  }[];
}

const runRef = (r: AccountingRun): PublishedRunRef => ({
  id: r.id,
  year: r.year,
  methodologyVersion: r.methodologyVersion,
  complete: r.completeness.complete,
  incompleteReason: r.incompleteReason,
});

async function side(
  m: EntityManager,
  runId: string,
): Promise<{ run: AccountingRun; content: MethodologyContent; snapshot: RunSnapshot }> {
  const { run, content } = await RunsRepository.withMethodology(m, runId);
  return { run, content, snapshot: run.snapshot };
}
