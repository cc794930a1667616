import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { zhEn } from '../../common/i18n/text';
import { MethodologyContent } from '../methodology/methodology-content';
import { compileMethodology } from '../methodology/methodology-model';
import {
  assembleRun,
  ComputedResult,
  evaluateRegionsForStorage,
  OwnResults,
  partitionRun,
  RunRegion,
  RunSnapshot,
} from './run-computation';
import { computeRunRows, mergeRunRows, RowsChunk, RunRows, runRows } from './run-rows';
import { fromWire, POOL_CALLS, PoolCallName } from './run-evaluation-calls';
import { runUncertainty, UncertaintyOptions, UncertaintyResult } from './run-uncertainty';

/** What one thread evaluates: some regions of a run, from the run's snapshot. */
export interface EvaluationTask {
  kind: 'evaluate';
  id: number;
  content: MethodologyContent;
  snapshot: Pick<RunSnapshot, 'year' | 'inputs'>;
  regions: Pick<RunRegion, 'code' | 'lineage'>[];
  priceYear: number;
}

/**
 * Whole subtrees of a run (the snapshot's regions) computed, summed up to their roots and made
 * into stored rows ({@link computeRunRows}) on one thread.
 */
export interface RowsTask {
  kind: 'rows';
  id: number;
  content: MethodologyContent;
  snapshot: RunSnapshot;
  runId: string;
  priceYear: number;
  roots: string[];
}

/** A run's uncertainty ({@link runUncertainty}), on one thread, reporting its draws. */
export interface UncertaintyTask {
  kind: 'uncertainty';
  id: number;
  content: MethodologyContent;
  snapshot: RunSnapshot;
  regionCode: string;
  options: UncertaintyOptions;
}

/** One of {@link POOL_CALLS} with its arguments; the result comes back through {@link toWire}. */
export interface CallTask {
  kind: 'call';
  id: number;
  fn: PoolCallName;
  args: unknown[];
}

export type PoolTask = EvaluationTask | RowsTask | UncertaintyTask | CallTask;

/** Pieces of a thread's rows handed back to it once stored (see `RowsChunk.release`); no answer. */
export interface SparePieces {
  kind: 'spare';
  pieces: ArrayBuffer[];
}

/** A task before {@link RunEvaluationPool.send} gives it its id. */
type Unsent<T> = T extends PoolTask ? Omit<T, 'id'> : never;

/** A thread's answer: progress of a task, then its result or its error. */
interface PoolMessage {
  id: number;
  progress?: [number, number];
  result?: unknown;
  error?: string;
}

/** The compiled worker script next to this module (absent when running from the TypeScript sources). */
const COMPILED_SCRIPT =
  typeof __dirname === 'string' ? join(__dirname, 'run-evaluation.worker.js') : undefined;

/**
 * Runs below this many regions are evaluated on the calling thread: a county's 18 regions take
 * ~30 ms, about what handing them to threads and back costs.
 */
export const THREADED_MIN_REGIONS = 64;

/**
 * Each thread's young generation, in MB (V8 splits it into three 64 MB semi-spaces; its default
 * is 16 MB ones). A thread's evaluation makes short-lived decimals by the gigabyte (~46 KB per
 * result); in a national run each thread collected its young generation ~1,460 times, 12–14 s of
 * its ~55 s, and ~370 times, ~7 s, with this (`--trace-gc`; the run 84 → 77 s). Four times as
 * large again halved the collections but saved only 0.5 s more.
 */
export const THREAD_YOUNG_GENERATION_MB = 192;

/**
 * Evaluates large runs on worker threads: the regions' own evaluations (the decimal evaluator,
 * nearly all of a run's computing) split across `threads` threads, the aggregation up the tree on
 * the calling thread. A province of 1,662 regions held the event loop — every other request of
 * the instance — for the 2.5–3 s of its evaluation; on threads it holds it for the results'
 * hand-over and the sums, well under a second. The results are those of {@link computeRun} with
 * each trace as its JSON text (the threads run the same {@link evaluateRegions}; the spec holds
 * the two equal).
 *
 * Threads start on first use and stay, keeping the process alive only while they have a task; one
 * that dies fails its task and is replaced on the next.
 */
export class RunEvaluationPool {
  private readonly workers: (Worker | null)[];
  private nextId = 1;
  private readonly pending = new Map<
    number,
    {
      resolve: (result: unknown) => void;
      reject: (e: Error) => void;
      progress?: (done: number, total: number) => void;
      worker: Worker;
    }
  >();

  constructor(
    /** Threads to use; 0 evaluates every run on the calling thread. */
    readonly threads: number,
    private readonly script: { path: string; execArgv?: string[] } | undefined = COMPILED_SCRIPT &&
    existsSync(COMPILED_SCRIPT)
      ? { path: COMPILED_SCRIPT }
      : undefined,
    private readonly minRegions = THREADED_MIN_REGIONS,
  ) {
    this.workers = Array.from({ length: threads }, () => null);
  }

  /**
   * {@link computeRun} (without its in-process options), each trace as the JSON text that is
   * stored: on the pool's threads when the run is large, else on this one.
   */
  async computeForStorage(
    content: MethodologyContent,
    snapshot: RunSnapshot,
    priceYear = snapshot.year,
  ): Promise<ComputedResult<string>[]> {
    const model = compileMethodology(content);
    const json = (trace: object) => JSON.stringify(trace);
    const n = Math.min(this.threads, snapshot.regions.length);
    if (!this.script || n === 0 || snapshot.regions.length < this.minRegions) {
      const own = evaluateRegionsForStorage(content, snapshot, snapshot.regions, priceYear, model);
      return assembleRun(content, snapshot, priceYear, model.order, own, json);
    }
    // Regions dealt round-robin: neighbouring regions (a county's townships) cost alike.
    const slices = Array.from({ length: n }, (_, t) =>
      snapshot.regions.filter((_, i) => i % n === t),
    );
    const parts = await Promise.all(
      slices.map((regions, t) =>
        this.send<OwnResults<string>>(t, {
          kind: 'evaluate',
          content,
          snapshot: {
            year: snapshot.year,
            inputs: Object.fromEntries(
              regions
                .filter((r) => snapshot.inputs[r.code])
                .map((r) => [r.code, snapshot.inputs[r.code]]),
            ),
          },
          regions: regions.map((r) => ({ code: r.code, lineage: r.lineage })),
          priceYear,
        }),
      ),
    );
    const own: OwnResults<string> = new Map(parts.flatMap((p) => [...p]));
    return assembleRun(content, snapshot, priceYear, model.order, own, json);
  }

  /**
   * A run computed and made into the rows that store it ({@link RunRows}; the results of
   * {@link computeForStorage}, with coverage and completeness). On threads when the run is large:
   * the run is cut into subtrees ({@link partitionRun}), each thread computes its subtrees whole —
   * evaluated, summed up to their roots, written out as COPY text — and this thread only sums the
   * few regions above them from the subtrees' roots. A province held the event loop for the sums
   * and the rows of all its results (0.8–1 s); 40,000 townships for 46 s.
   *
   * `onPart` is given the rows part by part, as each is made (a subtree's as its thread returns
   * it, the regions above last), so that they can be stored while the rest is computed; the
   * rows returned are all of them.
   */
  async storageRows(
    content: MethodologyContent,
    snapshot: RunSnapshot,
    runId: string,
    priceYear = snapshot.year,
    onPart: (rows: RunRows) => void = () => undefined,
  ): Promise<RunRows> {
    const model = compileMethodology(content);
    const n = Math.min(this.threads, snapshot.regions.length);
    if (!this.script || n === 0 || snapshot.regions.length < this.minRegions) {
      const { rows } = computeRunRows(content, snapshot, runId, priceYear, [], model);
      onPart(rows);
      return rows;
    }
    // Subtrees of at most a quarter of a thread's share, largest first, each sent to the next
    // thread free: the threads stay busy to the end, and each message copies one subtree's inputs
    // (sending all a thread's at once held the event loop seconds for 40,000 townships).
    const { top, parts } = partitionRun(snapshot, n * 4);
    const queue = [...parts];
    const done: { rows: RunRows; roots: unknown }[] = [];
    const thread = async (t: number) => {
      for (let part = queue.shift(); part; part = queue.shift()) {
        const made = await this.send<{ rows: RunRows; roots: unknown }>(t, {
          kind: 'rows',
          content,
          snapshot: {
            ...snapshot,
            regions: part.regions,
            inputs: Object.fromEntries(
              part.regions
                .filter((r) => snapshot.inputs[r.code])
                .map((r) => [r.code, snapshot.inputs[r.code]]),
            ),
          },
          runId,
          priceYear,
          roots: [part.root],
        });
        for (const chunk of made.rows.chunks as RowsChunk[])
          chunk.release = () => this.handBack(t, chunk.data.buffer as ArrayBuffer);
        done.push(made);
        onPart(made.rows);
      }
    };
    const threads = Promise.all(Array.from({ length: n }, (_, t) => thread(t)));
    threads.catch(() => {
      queue.length = 0; // a part failed: the others are not sent; the failure is met below
    });
    // the regions above the subtrees evaluated here meanwhile (a province: its root)
    const own = evaluateRegionsForStorage(content, snapshot, top, priceYear, model);
    await threads;
    const given = new Map<string, ComputedResult<string>[]>();
    for (const d of done)
      for (const r of fromWire(d.roots) as ComputedResult<string>[]) {
        const list = given.get(r.regionCode);
        if (list) list.push(r);
        else given.set(r.regionCode, [r]);
      }
    const above = assembleRun(
      content,
      {
        ...snapshot,
        // in the run's order: a sum's trace lists the children as the run does
        regions: snapshot.regions.filter((r) => own.has(r.code) || given.has(r.code)),
      },
      priceYear,
      model.order,
      own,
      (trace) => JSON.stringify(trace),
      given,
    ).filter((r) => !given.has(r.regionCode));
    const last = runRows(content, runId, above);
    onPart(last);
    return mergeRunRows([...done.map((d) => d.rows), last]);
  }

  /**
   * {@link runUncertainty} on one of the pool's threads (on this one without threads): its
   * thousands of draws — seconds for a county, minutes for a province — no longer hold the event
   * loop, and its progress reaches the job while it draws. Same result, digit for digit.
   */
  async uncertainty(
    content: MethodologyContent,
    snapshot: RunSnapshot,
    regionCode: string,
    options: UncertaintyOptions,
    progress: (done: number, total: number) => void = () => undefined,
  ): Promise<UncertaintyResult> {
    if (!this.script || this.threads === 0)
      return runUncertainty(content, snapshot, regionCode, options, progress);
    return this.send<UncertaintyResult>(
      this.nextId % this.threads,
      { kind: 'uncertainty', content, snapshot, regionCode, options },
      progress,
    );
  }

  /**
   * One of {@link POOL_CALLS} (a comparison, a crosswalk, GEP at other prices…) with its
   * arguments, on one of the pool's threads when it evaluates `regions` regions or more (all
   * the runs it computes together), else on this one: the same result either way, and the event
   * loop free while a province is computed (a comparison of two province runs held it 7–8 s).
   */
  async call<K extends PoolCallName>(
    fn: K,
    args: Parameters<(typeof POOL_CALLS)[K]>,
    regions: number,
  ): Promise<ReturnType<(typeof POOL_CALLS)[K]>> {
    type Result = ReturnType<(typeof POOL_CALLS)[K]>;
    if (!this.script || this.threads === 0 || regions < this.minRegions)
      return (POOL_CALLS[fn] as (...a: unknown[]) => Result)(...args);
    const wire = await this.send<unknown>(this.nextId % this.threads, { kind: 'call', fn, args });
    return fromWire(wire) as Result;
  }

  /** Stops the threads when the application closes. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  /** Stops the threads (pending tasks fail). */
  async close(): Promise<void> {
    const running = this.workers.filter((w): w is Worker => w !== null);
    this.workers.fill(null);
    await Promise.all(running.map((w) => w.terminate()));
  }

  /** A piece of rows back to thread `thread` (or whichever replaced it), its memory with it. */
  private handBack(thread: number, piece: ArrayBuffer): void {
    const message: SparePieces = { kind: 'spare', pieces: [piece] };
    this.workers[thread]?.postMessage(message, [piece]);
  }

  private send<T>(
    thread: number,
    task: Unsent<PoolTask>,
    progress?: (done: number, total: number) => void,
  ): Promise<T> {
    const worker = (this.workers[thread] ??= this.start(thread));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (x: unknown) => void, reject, progress, worker });
      worker.ref(); // a task under way keeps the process alive; an idle thread does not
      worker.postMessage({ id, ...task });
    });
  }

  private start(thread: number): Worker {
    const w = new Worker(this.script!.path, {
      execArgv: this.script!.execArgv,
      resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB },
    });
    w.unref();
    w.on('message', (m: PoolMessage) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.progress) {
        p.progress?.(...m.progress);
        return;
      }
      this.pending.delete(m.id);
      if (![...this.pending.values()].some((x) => x.worker === w)) w.unref();
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    const fail = (e: Error) => {
      for (const [id, p] of this.pending)
        if (p.worker === w) {
          this.pending.delete(id);
          p.reject(e);
        }
      if (this.workers[thread] === w) this.workers[thread] = null;
    };
    w.on('error', fail);
    w.on('exit', (code) =>
      fail(
        new Error(
          zhEn(`核算计算线程已停止（${code}）`, `the run evaluation thread stopped (${code})`),
        ),
      ),
    );
    return w;
  }
}
