import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FieldProblem } from '../common/errors/domain-error';
import { CollectionReading, readFeatureCollection } from './feature-collection';
import { Boundary, checkBoundary, overlapM2 } from '../common/geometry/geometry';
import { zhEn } from '../common/i18n/text';

/**
 * The expensive geometry — reading a GeoJSON file of several MB, validating a boundary of up to 50,000 positions, clipping two of them
 * to measure an overlap (seconds with polygon clipping in exact arithmetic) — runs in a worker
 * thread, so that one large unit does not stall every other request (/health stayed at 2–3 s
 * while two 50,000-vertex units were clipped). One worker, tasks in order; it is started on first
 * use and restarted if it dies. From the TypeScript sources (the tests) there is no compiled
 * worker script and the work runs in-process.
 */
const SCRIPT = typeof __dirname === 'string' ? join(__dirname, 'geometry.worker.js') : undefined;

type Task = { task: 'check' | 'overlap' | 'read'; args: [unknown, unknown] };
let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (x: unknown) => void; reject: (e: Error) => void }>();

function start(): Worker {
  const w = new Worker(SCRIPT!);
  w.unref();
  w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.result);
  });
  const fail = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    if (worker === w) worker = null;
  };
  w.on('error', fail);
  w.on('exit', (code) =>
    fail(new Error(zhEn(`几何计算进程已停止（${code}）`, `the geometry worker stopped (${code})`))),
  );
  return w;
}

const usable = () => SCRIPT !== undefined && existsSync(SCRIPT);

function run<T>(t: Task, inProcess: () => T): Promise<T> {
  if (!usable()) return Promise.resolve().then(inProcess);
  worker ??= start();
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (x: unknown) => void, reject });
    worker!.postMessage({ id, ...t });
  });
}

/** {@link checkBoundary}, off the event loop. */
export const checkBoundaryAsync = (value: unknown, path: string): Promise<FieldProblem[]> =>
  run({ task: 'check', args: [value, path] }, () => checkBoundary(value, path));

/** {@link overlapM2}, off the event loop. */
export const overlapM2Async = (a: Boundary, b: Boundary): Promise<number> =>
  run({ task: 'overlap', args: [a, b] }, () => overlapM2(a, b));

/** {@link readFeatureCollection}, off the event loop. */
export const readFeatureCollectionAsync = (text: string): Promise<CollectionReading> =>
  run({ task: 'read', args: [text, undefined] }, () => readFeatureCollection(text));
