import { D, Dec } from '../../common/decimal';
import { zhEn } from '../../common/i18n/text';
import { MethodologyContent, ParameterValueContent } from '../methodology/methodology-content';
import {
  compileMethodology,
  GepSummary,
  resolveParameters,
} from '../methodology/methodology-model';
import { regionGep } from './comparison';
import { computeRun, ParameterAdjustment, RunSnapshot } from './run-computation';

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
 * exact decimal n / 2³², and everything after is exact decimal arithmetic — the same run, draws
 * and seed give the same figures on any machine. Percentiles are nearest-rank on the sorted draws.
 *
 * Sensitivity: one parameter at a time at its low and its high end, every other at its value;
 * the swing of the root region's GEP ranks the parameters (the tornado chart).
 */
export interface UncertaintyOptions {
  draws: number;
  seed: number;
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
  /** The parameters drawn (those with a range in the values the run used). */
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
  byRegion: Record<string, Interval>;
  sensitivity: SensitivityRow[];
  /** Why a figure has no interval (an incomplete GEP stays incomplete in every draw). */
  notes: string[];
}

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

function interval(value: Dec | null, draws: (Dec | null)[]): Interval {
  const r2 = (x: Dec) => x.toDecimalPlaces(2).toFixed(2);
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

export function runUncertainty(
  content: MethodologyContent,
  snapshot: RunSnapshot,
  regionCode: string,
  options: UncertaintyOptions,
  progress: (done: number, total: number) => void = () => undefined,
): UncertaintyResult {
  const names = new Map(content.parameters.map((p) => [p.code, p]));
  // What each region used, and the parameters with a range somewhere in the run.
  const varied = new Map<string, { low: string; value: string; high: string }>();
  const adjustOf =
    (pick: (code: string, v: ParameterValueContent) => Dec | null): ParameterAdjustment =>
    (params) => {
      const out = { ...params };
      for (const [code, src] of Object.entries(params)) {
        const v = ranged(src.chosen);
        if (!v) continue;
        if (!varied.has(code))
          varied.set(code, { low: v.low!, value: v.value as string, high: v.high! });
        const x = pick(code, v);
        if (x !== null) out[code] = { ...src, value: x.toString() };
      }
      return out;
    };
  const model = compileMethodology(content);
  // what stays the same from draw to draw is worked out once
  const resolved = new Map(
    snapshot.regions.map((r) => [r.code, resolveParameters(content, r.lineage, snapshot.year)]),
  );
  const base = computeRun(content, snapshot, undefined, {
    model,
    resolved,
    adjust: adjustOf(() => null),
  });
  const regions = snapshot.regions.map((r) => r.code);
  const gepOf = (results: ReturnType<typeof computeRun>) =>
    new Map(regions.map((code) => [code, regionGep(content, results, code)]));
  const point = gepOf(base);
  const order = [...varied.keys()].sort();

  const draws: Map<string, GepSummary>[] = [];
  const next = generator(options.seed);
  const total = options.draws + 2 * order.length;
  for (let i = 0; i < options.draws; i++) {
    const u = new Map(order.map((code) => [code, next()]));
    // one draw per parameter; regions using the same value and range share its result
    const drawn = new Map<string, Dec>();
    const results = computeRun(content, snapshot, undefined, {
      model,
      resolved,
      adjust: adjustOf((code, v) => {
        const key = `${code}|${v.low}|${v.value as string}|${v.high}`;
        let x = drawn.get(key);
        if (!x) {
          x = triangular(new D(v.low!), new D(v.value as string), new D(v.high!), u.get(code)!);
          drawn.set(key, x);
        }
        return x;
      }),
    });
    draws.push(gepOf(results));
    if (i % 25 === 0) progress(i, total);
  }

  const root = point.get(regionCode)!;
  const sensitivity = order.map((code, k): SensitivityRow => {
    const at = (end: 'low' | 'high') =>
      regionGep(
        content,
        computeRun(content, snapshot, undefined, {
          model,
          resolved,
          adjust: adjustOf((c, v) => (c === code ? new D(end === 'low' ? v.low! : v.high!) : null)),
        }),
        regionCode,
      ).total;
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
  sensitivity.sort((x, y) =>
    x.swing === null
      ? 1
      : y.swing === null
        ? -1
        : new D(y.swing).comparedTo(x.swing) || x.parameter.localeCompare(y.parameter),
  );

  const notes: string[] = [];
  if (!order.length)
    notes.push(
      zhEn(
        '本核算所用的参数都没有给出取值范围（low/high），GEP 没有可计算的不确定性',
        'no parameter value used by this run gives a range (low/high): GEP has no uncertainty to compute',
      ),
    );
  if (root.total === null)
    notes.push(
      zhEn(
        `${regionCode} 的 GEP 不完整（${root.incomplete.join('、')} 无结果），没有区间`,
        `GEP of ${regionCode} is incomplete (${root.incomplete.join(', ')} without a result): no interval`,
      ),
    );
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
