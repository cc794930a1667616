import { parentPort } from 'node:worker_threads';
import { readFeatureCollection } from './feature-collection';
import { checkBoundary, overlapM2 } from '../common/geometry/geometry';

/** The geometry checks and file reading, answered in a worker thread (see geometry-offload.ts). */
parentPort?.on(
  'message',
  (m: { id: number; task: 'check' | 'overlap' | 'read'; args: [unknown, unknown] }) => {
    try {
      const result =
        m.task === 'check'
          ? checkBoundary(m.args[0], m.args[1] as string)
          : m.task === 'read'
            ? readFeatureCollection(m.args[0] as string)
            : overlapM2(m.args[0] as never, m.args[1] as never);
      parentPort!.postMessage({ id: m.id, result });
    } catch (e) {
      parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  },
);
