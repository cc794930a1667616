import { D } from '../../common/decimal';
import { MethodologyContent } from '../methodology/methodology-content';
import { compareRuns, crosswalkRegion, regionGep, RegionGep, RunSide } from './comparison';
import { computeRun, RunSnapshot, subtreeSnapshot } from './run-computation';
import { ChangeUncertainty, changeUncertainty, DrawnChange } from './run-uncertainty';

/**
 * Computations from runs' snapshots that answer a request and take seconds for a province (each
 * evaluates whole runs with the decimal evaluator): {@link RunEvaluationPool.call} does them on a
 * run evaluation thread, so the instance answers other requests meanwhile. Each is a pure
 * function of plain data (methodology content, snapshots, codes) — what can be sent to a thread.
 */
export const POOL_CALLS = {
  compareRuns,

  /** {@link crosswalkRegion} of two runs in a region, from their snapshots (the region's subtree only). */
  crosswalkRuns(sides: [RunSide, RunSide], regionCode: string) {
    const [a, b] = sides.map((s) => computeRun(s.content, subtreeSnapshot(s.snapshot, regionCode)));
    return crosswalkRegion([sides[0].content, sides[1].content], [a, b], regionCode);
  },

  /**
   * GEP of each of `regionCodes` with the run computed at `priceYear`'s prices (the run's own by
   * default), in the order asked.
   */
  gepsAt(
    content: MethodologyContent,
    snapshot: RunSnapshot,
    priceYear: number | undefined,
    regionCodes: string[],
  ): RegionGep[] {
    const results = computeRun(content, snapshot, priceYear);
    return regionCodes.map((code) => regionGep(content, results, code));
  },

  /**
   * {@link changeUncertainty} with each draw's figures returned with it (a thread cannot call
   * back per draw): the caller grades the draws as they would have been handed to `perDraw`.
   */
  changeUncertaintyDraws(
    from: RunSide,
    to: RunSide,
    regionCode: string,
    options: { draws: number; seed: number },
    wanted?: ReadonlySet<keyof DrawnChange>,
  ): { result: ChangeUncertainty; draws: DrawnChange[] } {
    const draws: DrawnChange[] = [];
    const result = changeUncertainty(from, to, regionCode, options, (d) => draws.push(d), wanted);
    return { result, draws };
  },
};

export type PoolCallName = keyof typeof POOL_CALLS;

const DECIMAL = '$decimal';

/**
 * A result made fit for a thread's message: a decimal (whose class does not survive the copy)
 * becomes `{ $decimal: its exact text }`; {@link fromWire} turns it back.
 */
export function toWire(x: unknown): unknown {
  if (x instanceof D) return { [DECIMAL]: x.toString() };
  if (Array.isArray(x)) return x.map(toWire);
  if (x !== null && typeof x === 'object')
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, toWire(v)]));
  return x;
}

/** The inverse of {@link toWire}. */
export function fromWire(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(fromWire);
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (typeof o[DECIMAL] === 'string' && Object.keys(o).length === 1) return new D(o[DECIMAL]);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fromWire(v)]));
  }
  return x;
}
