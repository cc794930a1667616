import { D, Dec } from '../../common/decimal';
import { zhEn } from '../../common/i18n/text';
import { MethodologyContent, ParameterValueContent } from '../methodology/methodology-content';
import {
  compileMethodology,
  GepSummary,
  resolveParameters,
  sumCounted,
} from '../methodology/methodology-model';
import { EvaluationError, Value } from '../../formula/compile-core';
import { dependents, KeptEvaluation, reevaluate } from '../../formula/model';
import { isPowerOfTen, parseUnit, Unit } from '../../formula/units';
import { methodsUsed, regionGep, RunSide, sameMethods } from './comparison';
import { computeRun, RunSnapshot, STORED_DECIMALS, subtreeSnapshot } from './run-computation';

/**
 * GEP with its uncertainty, from the ranges (`low`/`high`) the methodology gives its parameters.
 *
 * Method: Monte Carlo with a stated number of draws and a fixed seed. Each parameter with a range
 * is drawn from a triangular distribution (low, the value used, high) — the value used is the
 * most likely, the range its bounds, which is what a cited range with a recommended value says
 * and no more. One draw per parameter serves every region (a price or coefficient is uncertain
 * for all regions alike, so regional figures move together and add up). Interval propagation was
 * not chosen: formulas with min/max, conditionals and products of uncertain terms make interval
 * bounds either wrong or far too wide.
 *
 * Reproducible to the digit: the generator is mulberry32 on 32-bit integers, each draw u is the
 * exact decimal n / 2³², the drawn value is kept to {@link DRAWN_DIGITS} significant digits, and
 * everything after is exact decimal arithmetic — the same run, draws and seed give the same
 * figures on any machine. Percentiles are nearest-rank on the sorted draws.
 *
 * Fast: the run is evaluated once in full; a draw evaluates again only the indicators a drawn
 * parameter reaches ({@link drawEvaluator}) — 1,000 draws of a county run in seconds.
 *
 * Sensitivity: one parameter at a time at its low and its high end, every other at its value;
 * the swing of the root region's GEP ranks the parameters (the tornado chart).
 */
export interface UncertaintyOptions {
  draws: number;
  seed: number;
  /**
   * The region as the notes name it (婺源县（361130） / 婺源县 (361130)): the draws run on a thread
   * without the database, so the caller names it. Its code when not given.
   */
  regionLabel?: { zh: string; en: string };
}

export interface Interval {
  /** The run's own figure (every parameter at its value). */
  value: string | null;
  mean: string | null;
  p05: string | null;
  p50: string | null;
  p95: string | null;
  min: string | null;
  max: string | null;
}

export interface SensitivityRow {
  parameter: string;
  nameZh: string;
  unit: string;
  low: string;
  value: string;
  high: string;
  /** Root-region GEP with this parameter at its low / high end (元). */
  gepAtLow: string | null;
  gepAtHigh: string | null;
  /** |gepAtHigh − gepAtLow| (元). */
  swing: string | null;
}

export interface UncertaintyResult {
  method: 'monte_carlo';
  distribution: 'triangular(low, value, high)';
  draws: number;
  seed: number;
  regionCode: string;
  /** The parameters drawn (those with a range in the values the region and those below it used). */
  parameters: {
    code: string;
    nameZh: string;
    unit: string;
    low: string;
    value: string;
    high: string;
  }[];
  gep: Interval;
  byCategory: Record<string, Interval>;
  byService: Record<string, Interval>;
  /** The region and every region below it. */
  byRegion: Record<string, Interval>;
  sensitivity: SensitivityRow[];
  /** Why a figure has no interval (an incomplete GEP stays incomplete in every draw). */
  notes: string[];
}

/**
 * Significant digits a drawn value is kept to: far finer than any parameter is known (a price to
 * the fen, a coefficient to three or four digits), and it keeps the draws' arithmetic short.
 */
export const DRAWN_DIGITS = 12;

/** mulberry32: a small, well-mixed 32-bit generator; the same seed gives the same stream. */
function generator(seed: number): () => Dec {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const n = (t ^ (t >>> 14)) >>> 0;
    return new D(n).div(4294967296); // exact: n / 2³²
  };
}

/** The value at quantile u of the triangular distribution (a, c, b): a ≤ c ≤ b. */
export function triangular(a: Dec, c: Dec, b: Dec, u: Dec): Dec {
  if (b.eq(a)) return a;
  const fc = c.minus(a).div(b.minus(a));
  return u.lt(fc)
    ? a.plus(u.times(b.minus(a)).times(c.minus(a)).sqrt())
    : b.minus(new D(1).minus(u).times(b.minus(a)).times(b.minus(c)).sqrt());
}

/**
 * A value with a usable range: decimals with low ≤ value ≤ high (the methodology refuses any
 * other; an older stored one is left undrawn rather than drawn into nonsense).
 */
const ranged = (v: ParameterValueContent | null) => {
  if (!v || typeof v.value !== 'string' || v.low == null || v.high == null) return null;
  try {
    const [low, value, high] = [new D(v.low), new D(v.value), new D(v.high)];
    return low.lte(value) && value.lte(high) ? v : null;
  } catch {
    return null;
  }
};

function interval(value: Dec | null, draws: (Dec | null)[], places = 2): Interval {
  const r2 = (x: Dec) => x.toDecimalPlaces(places).toFixed(places);
  if (value === null || draws.some((d) => d === null))
    return {
      value: value === null ? null : r2(value), // rounded once, as every figure here
      mean: null,
      p05: null,
      p50: null,
      p95: null,
      min: null,
      max: null,
    };
  const sorted = (draws as Dec[]).slice().sort((x, y) => x.comparedTo(y));
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return {
    value: r2(value),
    mean: r2(sorted.reduce((s, x) => s.plus(x), new D(0)).div(sorted.length)),
    p05: r2(rank(0.05)),
    p50: r2(rank(0.5)),
    p95: r2(rank(0.95)),
    min: r2(sorted[0]),
    max: r2(sorted[sorted.length - 1]),
  };
}

/**
 * A value in base units as the run stores it in 元: what `toYuan(amount(v, unit))` gives, digit
 * for digit (x ÷ f × f per item, each rounded to the stored places, then summed), without the
 * detour through an Amount when the unit is 元 itself.
 */
function yuanOf(v: Value, unit: Unit): Dec {
  const f = unit.factor;
  // ÷ 10ᵏ × 10ᵏ only moves the point of a number within the working precision (元, 万元, 亿元)
  const exact = isPowerOfTen(f);
  const item = (x: Dec) =>
    (exact && x.sd() <= D.precision ? x : x.div(f).times(f)).toDecimalPlaces(
      STORED_DECIMALS,
      D.ROUND_HALF_EVEN,
    );
  if (typeof v === 'object' && 'index' in v)
    return v.values.reduce<Dec>((sum, x) => sum.plus(item(x)), new D(0));
  if (typeof v === 'boolean')
    throw new EvaluationError(
      zhEn('价值量公式得出的是条件而不是数值', 'a value formula gave a condition'),
    );
  return item(v);
}

/** A parameter's value changed for a draw (in the parameter's unit), or null to keep it. */
type Pick = (code: string, v: ParameterValueContent) => Dec | null;

/**
 * GEP of every region of a run with some parameter values changed, computed the fast way: the run
 * is evaluated once in full; a draw evaluates again only the indicators that depend on a drawn
 * parameter, by the methods the run used, and sums parents from children where the run did.
 * Digit for digit what computing the whole run with those values gives (run-uncertainty.spec
 * holds the two equal). A draw in which a formula fails (a root of a negative number…) leaves
 * the region's changed indicators without a result.
 */
export function drawEvaluator(
  content: MethodologyContent,
  snapshot: RunSnapshot,
  /** As for {@link computeRun}: another year's prices, methods imposed by region and indicator. */
  options: { priceYear?: number; methods?: Map<string, Map<string, string>> } = {},
) {
  const model = compileMethodology(content);
  const priceYear = options.priceYear ?? snapshot.year;
  const resolved = new Map(
    snapshot.regions.map((r) => [r.code, resolveParameters(content, r.lineage, priceYear)]),
  );
  const kept = new Map<string, KeptEvaluation>();
  const base = computeRun(content, snapshot, priceYear, {
    model,
    resolved,
    keep: kept,
    methods: options.methods,
  });
  const baseOf = new Map(base.map((r) => [`${r.regionCode}|${r.indicatorCode}`, r]));
  // the parameters with a usable range, as each region resolved them
  const varied = new Map<string, { low: string; value: string; high: string }>();
  const rangedIn = new Map(
    snapshot.regions.map((r) => [
      r.code,
      Object.entries(resolved.get(r.code)!).flatMap(([code, src]) => {
        const v = ranged(src.chosen);
        if (!v) return [];
        if (!varied.has(code))
          varied.set(code, { low: v.low!, value: v.value as string, high: v.high! });
        return [{ code, v, factor: parseUnit(src.unit!).factor }];
      }),
    ]),
  );
  const affected = dependents(model, new Set(varied.keys()));
  const children = new Map<string, string[]>();
  for (const r of snapshot.regions)
    if (r.parentCode && resolved.has(r.parentCode))
      children.set(r.parentCode, [...(children.get(r.parentCode) ?? []), r.code]);
  const upward = [...snapshot.regions].reverse(); // children before parents

  const gepWith = (
    pick: Pick,
    /** The regions whose GEP is wanted (all by default). */
    wanted: readonly string[] = snapshot.regions.map((r) => r.code),
  ): Map<string, GepSummary> => {
    const now = new Map<string, Dec | null>(); // `${region}|${indicator}`, the affected ones
    for (const r of upward) {
      const changed = new Map<string, Value>();
      for (const { code, v, factor } of rangedIn.get(r.code)!) {
        const x = pick(code, v);
        if (x !== null) changed.set(code, x.times(factor));
      }
      let fresh: Map<string, Value | null> | null | undefined;
      for (const code of affected) {
        const key = `${r.code}|${code}`;
        const b = baseOf.get(key)!;
        let y = b.value;
        if (b.status === 'computed' && !(b.trace as { derivedFrom?: object } | null)?.derivedFrom) {
          if (fresh === undefined) {
            try {
              fresh = reevaluate(kept.get(r.code)!, changed, affected);
            } catch (e) {
              if (!(e instanceof EvaluationError)) throw e;
              fresh = null;
            }
          }
          const v = fresh?.get(code) ?? null;
          const unit = kept.get(r.code)!.methods.get(code)?.value.unit;
          y = v === null || !unit ? null : yuanOf(v, unit);
        } else if (b.status === 'aggregated') {
          const parts = children.get(r.code)!.map((k) => now.get(`${k}|${code}`) ?? null);
          y = parts.some((p) => p === null)
            ? null
            : parts.reduce<Dec>((sum, p) => sum.plus(p!), new D(0));
        }
        now.set(key, y);
      }
    }
    return new Map(
      wanted.map((region) => [
        region,
        sumCounted(content, (code) => {
          const key = `${region}|${code}`;
          return now.has(key) ? now.get(key)! : (baseOf.get(key)?.value ?? null);
        }),
      ]),
    );
  };
  return { base, varied, gepWith };
}

/**
 * The draws of a seed: each call gives the next draw — one u per parameter (in `order`) — as a
 * Pick, under which regions using the same value and range get the same drawn value.
 */
function drawsOf(order: string[], seed: number): () => Pick {
  const next = generator(seed);
  return () => {
    const u = new Map(order.map((code) => [code, next()]));
    const drawn = new Map<string, Dec>();
    return (code, v) => {
      const key = `${code}|${v.low}|${v.value as string}|${v.high}`;
      let x = drawn.get(key);
      if (!x) {
        x = triangular(
          new D(v.low!),
          new D(v.value as string),
          new D(v.high!),
          u.get(code)!,
        ).toSignificantDigits(DRAWN_DIGITS, D.ROUND_HALF_EVEN);
        drawn.set(key, x);
      }
      return x;
    };
  };
}

/** One parameter at the low or the high end of its range, every other at its value. */
const atEnd =
  (code: string, end: 'low' | 'high'): Pick =>
  (c, v) =>
    c === code ? new D(end === 'low' ? v.low! : v.high!) : null;

/** Largest swing first; a swing that cannot be computed last. */
const bySwing = (x: { swing: string | null; parameter: string }, y: typeof x) =>
  x.swing === null
    ? 1
    : y.swing === null
      ? -1
      : new D(y.swing).comparedTo(x.swing) || x.parameter.localeCompare(y.parameter);

export function runUncertainty(
  content: MethodologyContent,
  run: RunSnapshot,
  regionCode: string,
  options: UncertaintyOptions,
  progress: (done: number, total: number) => void = () => undefined,
): UncertaintyResult {
  // Only the region's subtree is drawn: its figures are the whole run's, and a county of a
  // province run costs its ~20 regions per draw instead of 1,662.
  const snapshot = subtreeSnapshot(run, regionCode);
  const names = new Map(content.parameters.map((p) => [p.code, p]));
  const { base, varied, gepWith } = drawEvaluator(content, snapshot);
  const regions = snapshot.regions.map((r) => r.code);
  const point = new Map(regions.map((code) => [code, regionGep(content, base, code)]));
  const order = [...varied.keys()].sort();

  const draws: Map<string, GepSummary>[] = [];
  const nextDraw = drawsOf(order, options.seed);
  const total = options.draws + 2 * order.length;
  for (let i = 0; i < options.draws; i++) {
    draws.push(gepWith(nextDraw()));
    if (i % 25 === 0) progress(i, total);
  }

  const root = point.get(regionCode)!;
  const sensitivity = order.map((code, k): SensitivityRow => {
    const at = (end: 'low' | 'high') => gepWith(atEnd(code, end)).get(regionCode)!.total;
    const [lo, hi] = [at('low'), at('high')];
    progress(options.draws + 2 * (k + 1), total);
    const p = names.get(code)!;
    const r = varied.get(code)!;
    return {
      parameter: code,
      nameZh: p.nameZh,
      unit: p.unit,
      ...r,
      gepAtLow: lo?.toDecimalPlaces(2).toFixed(2) ?? null,
      gepAtHigh: hi?.toDecimalPlaces(2).toFixed(2) ?? null,
      swing: lo && hi ? hi.minus(lo).abs().toDecimalPlaces(2).toFixed(2) : null,
    };
  });
  sensitivity.sort(bySwing);

  const notes: string[] = [];
  if (!order.length)
    notes.push(
      zhEn(
        '本核算所用的参数都没有给出取值范围（low/high），GEP 没有可计算的不确定性',
        'no parameter value used by this run gives a range (low/high): GEP has no uncertainty to compute',
      ),
    );
  if (root.total === null) {
    const region = options.regionLabel ?? { zh: `${regionCode} `, en: regionCode };
    notes.push(
      zhEn(
        `${region.zh}的 GEP 不完整（${root.incomplete.map((c) => content.indicators.find((i) => i.code === c)?.nameZh ?? c).join('、')} 无结果），没有区间`,
        `GEP of ${region.en} is incomplete (${root.incomplete.join(', ')} without a result): no interval`,
      ),
    );
  }
  const categories = Object.keys(root.byCategory);
  const services = Object.keys(root.byService);
  return {
    method: 'monte_carlo',
    distribution: 'triangular(low, value, high)',
    draws: options.draws,
    seed: options.seed,
    regionCode,
    parameters: order.map((code) => ({
      code,
      nameZh: names.get(code)!.nameZh,
      unit: names.get(code)!.unit,
      ...varied.get(code)!,
    })),
    gep: interval(
      root.total,
      draws.map((d) => d.get(regionCode)!.total),
    ),
    byCategory: Object.fromEntries(
      categories.map((c) => [
        c,
        interval(
          root.byCategory[c as keyof typeof root.byCategory] ?? null,
          draws.map(
            (d) => d.get(regionCode)!.byCategory[c as keyof typeof root.byCategory] ?? null,
          ),
        ),
      ]),
    ),
    byService: Object.fromEntries(
      services.map((s) => [
        s,
        interval(
          root.byService[s],
          draws.map((d) => d.get(regionCode)!.byService[s] ?? null),
        ),
      ]),
    ),
    byRegion: Object.fromEntries(
      regions.map((code) => [
        code,
        interval(
          point.get(code)!.total,
          draws.map((d) => d.get(code)!.total),
        ),
      ]),
    ),
    sensitivity,
    notes,
  };
}

/** A tenure's GEP figures in one draw of the parameters (see {@link changeUncertainty}). */
export interface DrawnChange {
  /** 元 */
  gepStart: Dec | null;
  gepEnd: Dec | null;
  /** End year at the start year's prices and the end method, over the start, minus 1. */
  realChange: Dec | null;
  /** At current prices, minus 1. */
  change: Dec | null;
}

export interface ChangeUncertainty {
  method: 'monte_carlo';
  distribution: 'triangular(low, value, high)';
  draws: number;
  seed: number;
  regionCode: string;
  fromYear: number;
  toYear: number;
  parameters: UncertaintyResult['parameters'];
  /** GEP of the start year, and of the end year at the start year's prices (元, 2 places). */
  gepStart: Interval;
  gepEndAtStartPrices: Interval;
  /** The real change as a fraction, 6 places (0.012345 = +1.2345 %). */
  realChange: Interval;
  /** Parameters by how far their range moves the real change (swing in the same fraction). */
  sensitivity: {
    parameter: string;
    nameZh: string;
    unit: string;
    low: string;
    value: string;
    high: string;
    realChangeAtLow: string | null;
    realChangeAtHigh: string | null;
    swing: string | null;
  }[];
  notes: string[];
}

/**
 * The uncertainty of a region's GEP change between two runs, from the parameters' ranges: each
 * draw gives every parameter one value (the same u for the same parameter code in every
 * evaluation — a price is uncertain, not different from one year to the next) and recomputes the
 * four figures of the comparison ({@link compareRuns}): the start year, the end year, the end year
 * at the start year's prices and the start year under the end year's methods. Only the region's
 * subtree is evaluated. `perDraw` receives each draw's figures (the tenure evaluation grades them).
 */
export function changeUncertainty(
  from: RunSide,
  to: RunSide,
  regionCode: string,
  /** `draws` may depend on how many regions the subtree has (the work grows with both). */
  options: { draws: number | ((regions: number) => number); seed: number },
  perDraw: (d: DrawnChange) => void = () => undefined,
  /** The figures `perDraw` needs (the rest are null in it, and not computed): all by default. */
  wanted: ReadonlySet<keyof DrawnChange> = new Set(['gepStart', 'gepEnd', 'realChange', 'change']),
): ChangeUncertainty {
  const [s0, s1] = [
    subtreeSnapshot(from.snapshot, regionCode),
    subtreeSnapshot(to.snapshot, regionCode),
  ];
  const draws =
    typeof options.draws === 'function'
      ? options.draws(Math.max(s0.regions.length, s1.regions.length))
      : options.draws;
  const end = drawEvaluator(to.content, s1);
  const used = methodsUsed(end.base);
  const start = drawEvaluator(from.content, s0);
  const sameMethod =
    from.snapshot.methodology.id === to.snapshot.methodology.id &&
    sameMethods(methodsUsed(start.base), used);
  const startUnderEnd = sameMethod ? start : drawEvaluator(to.content, s0, { methods: used });
  const endAtStartPrices = drawEvaluator(to.content, s1, {
    priceYear: from.snapshot.year,
    methods: used,
  });
  const evaluators = [start, end, endAtStartPrices, startUnderEnd];
  const varied = new Map<string, { low: string; value: string; high: string }>();
  for (const e of evaluators) for (const [k, v] of e.varied) if (!varied.has(k)) varied.set(k, v);
  const order = [...varied.keys()].sort();
  const names = new Map(
    [...from.content.parameters, ...to.content.parameters].map((p) => [p.code, p]),
  );

  /** The four figures of one setting of the parameters (an evaluator used twice runs once). */
  const figures = (pick: Pick) => {
    const totals = new Map<object, Dec | null>();
    const needed = [
      wanted.has('gepStart') || wanted.has('change'),
      wanted.has('gepEnd') || wanted.has('change'),
      true, // the real change and the two intervals need these two always
      true,
    ];
    const [g0, g1, g1p0, g0m] = evaluators.map((e, k) => {
      if (!needed[k]) return null;
      if (!totals.has(e)) totals.set(e, e.gepWith(pick, [regionCode]).get(regionCode)!.total);
      return totals.get(e)!;
    });
    const rate = (a: Dec | null, b: Dec | null) =>
      a === null || b === null || b.isZero() ? null : a.div(b).minus(1);
    const drawnChange: DrawnChange = {
      gepStart: g0,
      gepEnd: g1,
      realChange: rate(g1p0, g0m),
      change: rate(g1, g0),
    };
    return { ...drawnChange, g0m, g1p0, drawnChange };
  };
  const point = figures(() => null);

  const nextDraw = drawsOf(order, options.seed);
  const drawn: { g0m: Dec | null; g1p0: Dec | null; real: Dec | null }[] = [];
  for (let i = 0; i < draws; i++) {
    const f = figures(nextDraw());
    perDraw(f.drawnChange);
    drawn.push({ g0m: f.g0m, g1p0: f.g1p0, real: f.realChange });
  }
  const six = (x: Dec | null) => x?.toDecimalPlaces(6).toFixed(6) ?? null;
  const sensitivity = order
    .map((code) => {
      const at = (end: 'low' | 'high') => figures(atEnd(code, end)).realChange;
      const [lo, hi] = [at('low'), at('high')];
      const p = names.get(code)!;
      return {
        parameter: code,
        nameZh: p.nameZh,
        unit: p.unit,
        ...varied.get(code)!,
        realChangeAtLow: six(lo),
        realChangeAtHigh: six(hi),
        swing: lo && hi ? six(hi.minus(lo).abs()) : null,
      };
    })
    .sort(bySwing);
  const notes: string[] = [];
  if (!order.length)
    notes.push(
      zhEn(
        '两年核算所用的参数都没有给出取值范围（low/high），变化没有可计算的不确定性',
        'no parameter value used by either run gives a range (low/high): the change has no uncertainty to compute',
      ),
    );
  if (point.realChange === null)
    notes.push(
      zhEn(
        `${regionCode} 的 GEP 不完整，实际变化没有区间`,
        `GEP of ${regionCode} is incomplete: the real change has no interval`,
      ),
    );
  return {
    method: 'monte_carlo',
    distribution: 'triangular(low, value, high)',
    draws,
    seed: options.seed,
    regionCode,
    fromYear: from.snapshot.year,
    toYear: to.snapshot.year,
    parameters: order.map((code) => ({
      code,
      nameZh: names.get(code)!.nameZh,
      unit: names.get(code)!.unit,
      ...varied.get(code)!,
    })),
    gepStart: interval(
      point.g0m,
      drawn.map((d) => d.g0m),
    ),
    gepEndAtStartPrices: interval(
      point.g1p0,
      drawn.map((d) => d.g1p0),
    ),
    realChange: interval(
      point.realChange,
      drawn.map((d) => d.real),
      6,
    ),
    sensitivity,
    notes,
  };
}
