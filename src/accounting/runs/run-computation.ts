import { CompiledModel } from '../../formula/model';
import { canonicalJsonChunks, contentHash, contentHashYielding } from '../../common/canonical-json';
import { D, Dec, decimalOf, isOne, plusOf, timesOf } from '../../common/decimal';
import { zhEn } from '../../common/i18n/text';
import {
  evaluateModel,
  IndicatorResult,
  InputSource,
  KeptEvaluation,
  keptEvaluation,
} from '../../formula/model';
import { parseUnit } from '../../formula/units';
import { MethodologyContent } from '../methodology/methodology-content';
import {
  compileMethodology,
  resolveMethods,
  resolveParameters,
} from '../methodology/methodology-model';

export interface RunRegion {
  code: string;
  parentCode: string | null;
  /** The region and its ancestors, top first (for parameter resolution). */
  lineage: string[];
}

/**
 * Everything a run was computed from, besides the (immutable, published) methodology: the
 * region tree and every input value. Recomputing from it gives the same digits.
 */
export interface RunSnapshot {
  methodology: { id: string; standardId: string; version: number };
  year: number;
  rootRegion: string;
  /** The subtree, parents before children. */
  regions: RunRegion[];
  /** Per region, per variable: the approved values in the variable's unit, with their survey record. */
  inputs: Record<string, Record<string, InputSource>>;
  /** Indicators taken from a parcel-level run instead of being evaluated (see {@link ParcelDerived}). */
  parcelRun?: ParcelDerived;
}

/**
 * Results of a parcel-level run fed into a region run: for the county and its townships, the
 * exact sums of the parcels' stored results, per indicator (quantity in the indicator's unit,
 * value and per-type values in 元). They replace the region's own evaluation of those indicators
 * and are recorded as derived from the parcel run.
 */
export interface ParcelDerived {
  id: string;
  regionCode: string;
  compiledSqlSha256: string;
  results: Record<
    string,
    Record<
      string,
      { quantity: string | null; value: string; byIndex: Record<string, string>; parcels: number }
    >
  >;
}

export type ResultStatus = 'computed' | 'aggregated' | 'not_computable';

/**
 * A run's result for one region and indicator. `T` is how its trace is held: an object, or (for
 * storing, see `RunEvaluationPool.computeForStorage`) its JSON text.
 */
export interface ComputedResult<T = object> {
  regionCode: string;
  indicatorCode: string;
  status: ResultStatus;
  /**
   * Physical quantity in the indicator's unit. Null also when it is indexed by a set whose
   * quantities do not add up (SO₂ + NOₓ + dust): then only `quantityByIndex` is given.
   */
  quantity: Dec | null;
  quantityUnit: string | null;
  /** Quantity per index item (in the indicator's unit), when the quantity is indexed. */
  quantityByIndex: Record<string, string> | null;
  /** Value in 元, unrounded. */
  value: Dec | null;
  /** Value per index item (元), when the indicator is broken down. */
  byIndex: Record<string, string> | null;
  missing: string[] | null;
  /** Formulas and inputs (computed), or the child regions summed (aggregated). */
  trace: T | null;
}

/** Replaces parameter values of one region (each with the value it was resolved from). */
export type ParameterAdjustment = (
  params: ReturnType<typeof resolveParameters>,
  regionCode: string,
) => ReturnType<typeof resolveParameters>;

export const snapshotHash = (s: RunSnapshot): string => contentHash(s);

/**
 * {@link snapshotHash} a region at a time, letting the event loop run in between (a snapshot of
 * 40,000 townships took ~10 s to hash).
 */
export const snapshotHashYielding = (s: RunSnapshot): Promise<string> => contentHashYielding(s, 2);

/**
 * The snapshot's JSON text, the text {@link snapshotHash} hashes, in chunks of about `size`
 * characters (1 Mi by default) written a region at a time like {@link snapshotHashYielding}.
 */
export const snapshotJsonChunks = (s: RunSnapshot, size?: number): AsyncGenerator<string> =>
  canonicalJsonChunks(s, 2, size);

/**
 * Stored precision of run results: 12 decimal places (of 元 for values, of the indicator's unit
 * for quantities), far below any published figure. Results are rounded to it once, when stored;
 * from then on every aggregate is an exact sum, so a parent equals the sum of its parts and a
 * total the sum of its breakdown, digit for digit.
 */
export const STORED_DECIMALS = 12;
const stored = (x: Dec): Dec =>
  // (a decimal within them is itself: toDecimalPlaces would copy it to change nothing)
  x.decimalPlaces() <= STORED_DECIMALS ? x : x.toDecimalPlaces(STORED_DECIMALS, D.ROUND_HALF_EVEN);

const toYuan = (r: IndicatorResult) => {
  const f = parseUnit(r.value!.unit).factor;
  const inYuan = (x: Dec) => (isOne(f) ? x : timesOf(x, f));
  if (!r.value!.byIndex) return { value: stored(inYuan(r.value!.total)), byIndex: null };
  const items = Object.entries(r.value!.byIndex).map(([k, x]) => [k, stored(inYuan(x))] as const);
  return {
    value: items.reduce((s, [, x]) => plusOf(s, x), new D(0)),
    byIndex: Object.fromEntries(items.map(([k, x]) => [k, x.toString()])),
  };
};

/**
 * The stored quantity: its total, and per item when it is indexed. A quantity indexed by a set
 * whose quantities do not add up (`quantityAdditive: false`) has no total.
 */
const toQuantity = (r: IndicatorResult, nonAdditive: Set<string>) => {
  const q = r.quantity;
  if (!q) return { quantity: null, quantityByIndex: null };
  const quantity = q.index && nonAdditive.has(q.index) ? null : stored(q.total);
  if (!q.byIndex) return { quantity, quantityByIndex: null };
  return {
    quantity,
    quantityByIndex: Object.fromEntries(
      Object.entries(q.byIndex).map(([k, x]) => [k, stored(x).toString()]),
    ),
  };
};

/** Item by item sums of the parts' breakdowns, when every part has one. */
const sumByItem = (parts: (Record<string, string> | null)[]): Record<string, string> | null => {
  if (!parts.length || !parts.every((p) => p)) return null;
  const acc: Record<string, Dec> = {};
  for (const p of parts)
    for (const [k, x] of Object.entries(p!)) acc[k] = plusOf(acc[k] ?? new D(0), decimalOf(x));
  return Object.fromEntries(Object.entries(acc).map(([k, x]) => [k, x.toString()]));
};

/** Options of {@link computeRun}. */
export interface ComputeOptions {
  /**
   * Methods to use instead of the rules and the data, by region and indicator (the comparison
   * re-runs an earlier year with the methods a later run used).
   */
  methods?: Map<string, Map<string, string>>;
  /**
   * Changes the parameter values a region uses: the whole-run reference the uncertainty draws
   * (which evaluate again only what a drawn parameter reaches) are held equal to in their spec.
   */
  adjust?: ParameterAdjustment;
  /** The compiled methodology, when the caller computes many times. */
  model?: CompiledModel;
  /** Each region's resolved parameters, when the caller computes many times. */
  resolved?: Map<string, ReturnType<typeof resolveParameters>>;
  /** Filled with each region's kept evaluation (for re-evaluating a few indicators). */
  keep?: Map<string, KeptEvaluation>;
}

/**
 * One region's own evaluation of one indicator, as plain data (strings, not decimals): what a
 * worker thread sends back (see `run-evaluation-pool.ts`). Values are already in 元, and figures
 * at the stored precision; `value` is null when the region could not compute it itself.
 */
export interface OwnResult<T = IndicatorResult['trace']> {
  quantity: string | null;
  quantityUnit: string | null;
  quantityByIndex: Record<string, string> | null;
  value: string | null;
  byIndex: Record<string, string> | null;
  missing: string[] | null;
  error: string | null;
  trace: T;
}

/** Each region's own results, per indicator in the model's order. */
export type OwnResults<T = IndicatorResult['trace']> = Map<string, OwnResult<T>[]>;

/**
 * Evaluates every indicator of `regions` (some or all of the snapshot's) from the region's own
 * inputs and parameters — no aggregation. Pure: the same arguments give the same results in any
 * thread.
 */
export function evaluateRegions(
  content: MethodologyContent,
  snapshot: Pick<RunSnapshot, 'year' | 'inputs'>,
  regions: Pick<RunRegion, 'code' | 'lineage'>[],
  priceYear: number,
  options: ComputeOptions = {},
): OwnResults {
  const { methods, adjust } = options;
  const model = options.model ?? compileMethodology(content);
  const nonAdditive = new Set(
    content.indexSets.filter((s) => s.quantityAdditive === false).map((s) => s.code),
  );
  const own: OwnResults = new Map();
  for (const r of regions) {
    const inputs = snapshot.inputs[r.code] ?? {};
    const resolved =
      options.resolved?.get(r.code) ?? resolveParameters(content, r.lineage, priceYear);
    const params = adjust ? adjust(resolved, r.code) : resolved;
    // The method is the accounting year's (a rule's, or the data's): repricing keeps it.
    const rules = resolveMethods(content, r.lineage, snapshot.year);
    const forced = methods?.get(r.code);
    const kept = options.keep ? keptEvaluation() : undefined;
    const evaluated = evaluateModel(
      model,
      { ...params, ...inputs },
      (code) => forced?.get(code) ?? rules.get(code),
      kept,
      // in 元, as stored: converted to 万元 and back they are the same digits, at 2–4% more of
      // a province's computeRun (median CPU 1.76–1.81 s against 1.48–1.74 s, alternating in
      // one process)
      true,
    );
    if (kept) options.keep!.set(r.code, kept);
    own.set(
      r.code,
      model.order.map((code) => {
        const mine = evaluated.get(code)!;
        if (!mine.value)
          return {
            quantity: null,
            quantityUnit: null,
            quantityByIndex: null,
            value: null,
            byIndex: null,
            missing: mine.missing ?? null,
            error: mine.error ?? null,
            trace: mine.trace,
          };
        const { value, byIndex } = toYuan(mine);
        const { quantity, quantityByIndex } = toQuantity(mine, nonAdditive);
        return {
          quantity: quantity?.toString() ?? null,
          quantityUnit: mine.quantity?.unit ?? null,
          quantityByIndex,
          value: value.toString(),
          byIndex,
          missing: null,
          error: null,
          trace: mine.trace,
        };
      }),
    );
  }
  return own;
}

/**
 * Computes every indicator for every region of the snapshot and aggregates up the tree: a
 * region's own result when its inputs are complete; otherwise the sum of its children when they
 * all have one; otherwise not computable, naming what is missing. Sums are exact decimals, so a
 * parent equals the sum of its parts.
 */
export function computeRun(
  content: MethodologyContent,
  snapshot: RunSnapshot,
  /** Year whose parameter values (prices, coefficients) apply; the run's year by default. */
  priceYear = snapshot.year,
  options: ComputeOptions = {},
): ComputedResult[] {
  const model = options.model ?? compileMethodology(content);
  const own = evaluateRegions(content, snapshot, snapshot.regions, priceYear, {
    ...options,
    model,
  });
  return assembleRun(content, snapshot, priceYear, model.order, own, (trace) => trace);
}

/**
 * The region and everything below it, as a run of its own. Computing it gives those regions the
 * same results as computing the whole run — a region's figure depends on its own inputs and
 * lineage and on the regions below it, never on a sibling or a parent — at the cost of the
 * subtree only (a county of a province run: ~20 regions, not 1,662).
 */
export function subtreeSnapshot(snapshot: RunSnapshot, regionCode: string): RunSnapshot {
  if (regionCode === snapshot.rootRegion) return snapshot;
  const regions = snapshot.regions.filter((r) => r.lineage.includes(regionCode));
  return {
    ...snapshot,
    rootRegion: regionCode,
    regions: regions.map((r) => (r.code === regionCode ? { ...r, parentCode: null } : r)),
    inputs: Object.fromEntries(regions.map((r) => [r.code, snapshot.inputs[r.code] ?? {}])),
  };
}

/** A run cut for evaluation in parts: see {@link partitionRun}. */
export interface RunPartition {
  /** Regions above every part, parents before children: evaluated and summed last. */
  top: RunRegion[];
  /** Subtrees whose results depend on nothing outside them, largest first. */
  parts: { root: string; regions: RunRegion[] }[];
}

/**
 * Cuts a run into subtrees of at most about `1 / pieces` of its regions (a subtree is cut further
 * only when larger), and the regions above them. A subtree computes to the same results alone as
 * in the whole run (see {@link subtreeSnapshot}), so the parts can be computed on different
 * threads, each summed up to its root, and the top summed from the parts' roots.
 */
export function partitionRun(snapshot: RunSnapshot, pieces: number): RunPartition {
  const inRun = new Set(snapshot.regions.map((r) => r.code));
  const children = new Map<string, string[]>();
  for (const r of snapshot.regions)
    if (r.parentCode && inRun.has(r.parentCode) && r.code !== snapshot.rootRegion) {
      const kids = children.get(r.parentCode);
      if (kids) kids.push(r.code);
      else children.set(r.parentCode, [r.code]);
    }
  const size = new Map<string, number>();
  for (const r of [...snapshot.regions].reverse())
    size.set(r.code, 1 + (children.get(r.code) ?? []).reduce((n, k) => n + size.get(k)!, 0));
  const limit = Math.max(1, Math.ceil(snapshot.regions.length / pieces));
  const top = new Set<string>();
  const roots = new Set<string>();
  const cut = (code: string) => {
    const kids = children.get(code) ?? [];
    if (size.get(code)! <= limit || kids.length === 0) roots.add(code);
    else {
      top.add(code);
      kids.forEach(cut);
    }
  };
  cut(snapshot.rootRegion);
  const parts = new Map([...roots].map((root) => [root, [] as RunRegion[]]));
  const partOf = new Map<string, string>(); // parents come first
  for (const r of snapshot.regions) {
    if (top.has(r.code)) continue;
    const root = roots.has(r.code) ? r.code : partOf.get(r.parentCode ?? '');
    if (!root) throw new Error(`region ${r.code} is not below the run's root`);
    partOf.set(r.code, root);
    parts.get(root)!.push(r);
  }
  return {
    top: snapshot.regions.filter((r) => top.has(r.code)),
    parts: [...parts]
      .map(([root, regions]) => ({ root, regions }))
      .sort((a, b) => b.regions.length - a.regions.length),
  };
}

/**
 * {@link evaluateRegions} with each trace as its JSON text (what is stored, and cheap to pass
 * between threads), written a region at a time: a trace's objects then die young. Written after
 * a whole part of a run (5,500 townships of a national run), they all outlived V8's young
 * generation (a national run's young collections, `--trace-gc`: 13.5–14.3 → 12.4 s a thread;
 * see also `THREAD_YOUNG_GENERATION_MB`).
 */
export function evaluateRegionsForStorage(
  content: MethodologyContent,
  snapshot: Pick<RunSnapshot, 'year' | 'inputs'>,
  regions: Pick<RunRegion, 'code' | 'lineage'>[],
  priceYear: number,
  /** The compiled methodology, when the caller has it. */
  model: CompiledModel = compileMethodology(content),
): OwnResults<string> {
  const own: OwnResults<string> = new Map();
  for (const region of regions)
    for (const [code, results] of evaluateRegions(content, snapshot, [region], priceYear, {
      model,
    }))
      own.set(
        code,
        results.map((r) => ({ ...r, trace: JSON.stringify(r.trace) })),
      );
  return own;
}

/**
 * The run's results from every region's own results: a region's own figure, a parcel run's sum,
 * the sum of its children, or not computable — children before parents.
 */
export function assembleRun<T>(
  content: MethodologyContent,
  snapshot: RunSnapshot,
  priceYear: number,
  order: string[],
  own: OwnResults<T>,
  /** A trace made here (a sum's, a parcel run's) as the traces of `own` are held. */
  traceOf: (trace: object) => T,
  /**
   * Regions whose results were assembled elsewhere (the roots of subtrees computed on other
   * threads), each with its results in `order`: taken as they are; the regions below them are
   * not in the snapshot.
   */
  given?: Map<string, ComputedResult<T>[]>,
): ComputedResult<T>[] {
  const children = new Map<string, string[]>();
  const inRun = new Set(snapshot.regions.map((r) => r.code));
  for (const r of snapshot.regions) {
    if (r.parentCode && inRun.has(r.parentCode)) {
      const kids = children.get(r.parentCode);
      if (kids) kids.push(r.code);
      else children.set(r.parentCode, [r.code]);
    }
  }
  const results = new Map<string, ComputedResult<T>>(); // `${region}|${indicator}`
  const units = new Map(content.indicators.map((i) => [i.code, i.quantity?.unit ?? null]));
  // children before parents
  for (const r of [...snapshot.regions].reverse()) {
    const done = given?.get(r.code);
    if (done) {
      for (const result of done) results.set(`${r.code}|${result.indicatorCode}`, result);
      continue;
    }
    const mineAll = own.get(r.code)!;
    for (const [i, code] of order.entries()) {
      const mine = mineAll[i];
      const kids = children.get(r.code) ?? [];
      const derived = snapshot.parcelRun?.results[r.code]?.[code];
      const notComputable = (missing: string[], trace: T | null): ComputedResult<T> => ({
        regionCode: r.code,
        indicatorCode: code,
        status: 'not_computable',
        quantity: null,
        quantityUnit: units.get(code) ?? null,
        quantityByIndex: null,
        value: null,
        byIndex: null,
        missing,
        trace,
      });
      let result: ComputedResult<T>;
      if (derived && priceYear !== snapshot.year) {
        // Parcel sums were valued at the parcel run's prices; they cannot be repriced here.
        result = notComputable(
          [
            zhEn(
              `图斑核算 ${snapshot.parcelRun!.id}（只按 ${snapshot.year} 年价格计价）`,
              `parcel run ${snapshot.parcelRun!.id} (valued at ${snapshot.year} prices only)`,
            ),
          ],
          null,
        );
      } else if (derived) {
        result = {
          regionCode: r.code,
          indicatorCode: code,
          status: 'computed',
          quantity: derived.quantity === null ? null : decimalOf(derived.quantity),
          quantityByIndex: null,
          quantityUnit: units.get(code) ?? null,
          value: decimalOf(derived.value),
          byIndex: derived.byIndex,
          missing: null,
          trace: traceOf({
            derivedFrom: {
              parcelRun: snapshot.parcelRun!.id,
              compiledSqlSha256: snapshot.parcelRun!.compiledSqlSha256,
              parcels: derived.parcels,
            },
          }),
        };
      } else if (mine.value !== null) {
        result = {
          regionCode: r.code,
          indicatorCode: code,
          status: 'computed',
          quantity: mine.quantity === null ? null : decimalOf(mine.quantity),
          quantityUnit: mine.quantityUnit,
          quantityByIndex: mine.quantityByIndex,
          value: decimalOf(mine.value),
          byIndex: mine.byIndex,
          missing: null,
          trace: mine.trace,
        };
      } else if (
        kids.length > 0 &&
        kids.every((k) => results.get(`${k}|${code}`)!.value !== null)
      ) {
        const parts = kids.map((k) => results.get(`${k}|${code}`)!);
        const sumBy = parts.every((p) => p.byIndex)
          ? parts.reduce<Record<string, Dec>>((acc, p) => {
              for (const [k, x] of Object.entries(p.byIndex!))
                acc[k] = plusOf(acc[k] ?? new D(0), decimalOf(x));
              return acc;
            }, {})
          : null;
        result = {
          regionCode: r.code,
          indicatorCode: code,
          status: 'aggregated',
          quantity: parts.every((p) => p.quantity !== null)
            ? parts.reduce((s, p) => plusOf(s, p.quantity!), new D(0))
            : null,
          quantityUnit: units.get(code) ?? null,
          quantityByIndex: sumByItem(parts.map((p) => p.quantityByIndex)),
          value: parts.reduce((s, p) => plusOf(s, p.value!), new D(0)),
          byIndex: sumBy
            ? Object.fromEntries(Object.entries(sumBy).map(([k, x]) => [k, x.toString()]))
            : null,
          missing: null,
          trace: traceOf({ aggregatedFrom: kids }),
        };
      } else {
        const missing = mine.missing ?? [];
        result = notComputable(
          missing.length ? missing : mine.error ? [`error: ${mine.error}`] : [],
          mine.trace,
        );
      }
      results.set(`${r.code}|${code}`, result);
    }
  }
  return snapshot.regions.flatMap((r) => order.map((code) => results.get(`${r.code}|${code}`)!));
}
