import { parentPort } from 'node:worker_threads';
import { evaluateRegionsForStorage } from './run-computation';
import type { EvaluationTask } from './run-evaluation-pool';

/** A thread of {@link RunEvaluationPool}: evaluates the regions it is sent, one task at a time. */
parentPort!.on('message', (task: EvaluationTask) => {
  try {
    const own = evaluateRegionsForStorage(
      task.content,
      task.snapshot,
      task.regions,
      task.priceYear,
    );
    parentPort!.postMessage({ id: task.id, own });
  } catch (e) {
    parentPort!.postMessage({ id: task.id, error: e instanceof Error ? e.message : String(e) });
  }
});
