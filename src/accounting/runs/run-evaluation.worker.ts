import { parentPort } from 'node:worker_threads';
import { evaluateRegionsForStorage } from './run-computation';
import type { PoolTask, SparePieces } from './run-evaluation-pool';
import { POOL_CALLS, toWire } from './run-evaluation-calls';
import { runUncertainty } from './run-uncertainty';
import { computeRunRows, rowsAsBytes } from './run-rows';
import { CopyPieces } from '../../database/copy';

/**
 * Pieces of rows the calling thread has stored and handed back (see `RowsChunk.release`), for
 * the next rows: at most 64 of them, and none kept once the thread has been idle for
 * {@link SPARE_IDLE_MS}.
 */
const pieces = new CopyPieces(64);
const SPARE_IDLE_MS = 5000;
let forget: NodeJS.Timeout | undefined;

/** A thread of {@link RunEvaluationPool}: does the tasks it is sent, one at a time. */
parentPort!.on('message', (task: PoolTask | SparePieces) => {
  if (task.kind === 'spare') {
    for (const piece of task.pieces) pieces.handedBack(piece);
    clearTimeout(forget);
    forget = setTimeout(() => pieces.clear(), SPARE_IDLE_MS).unref();
    return;
  }
  try {
    if (task.kind === 'uncertainty') {
      const result = runUncertainty(
        task.content,
        task.snapshot,
        task.regionCode,
        task.options,
        (done, total) => parentPort!.postMessage({ id: task.id, progress: [done, total] }),
      );
      parentPort!.postMessage({ id: task.id, result });
      return;
    }
    if (task.kind === 'rows') {
      const { rows, roots } = computeRunRows(
        task.content,
        task.snapshot,
        task.runId,
        task.priceYear,
        task.roots,
        undefined,
        pieces.take,
      );
      const bytes = rowsAsBytes(rows);
      parentPort!.postMessage(
        { id: task.id, result: { rows: bytes, roots: toWire(roots) } },
        bytes.chunks.map((c) => c.data.buffer as ArrayBuffer), // handed over, not copied
      );
      return;
    }
    if (task.kind === 'call') {
      const result = (POOL_CALLS[task.fn] as (...a: unknown[]) => unknown)(...task.args);
      parentPort!.postMessage({ id: task.id, result: toWire(result) });
      return;
    }
    const own = evaluateRegionsForStorage(
      task.content,
      task.snapshot,
      task.regions,
      task.priceYear,
    );
    parentPort!.postMessage({ id: task.id, result: own });
  } catch (e) {
    parentPort!.postMessage({ id: task.id, error: e instanceof Error ? e.message : String(e) });
  }
});
