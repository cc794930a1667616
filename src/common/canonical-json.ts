import { createHash } from 'node:crypto';
import { D } from './decimal';

/**
 * Canonical JSON: object keys sorted, decimals as their JSON strings. Two values that mean the same
 * give the same text, whatever order their keys were built in — which is what a stored hash needs.
 */
export function canonicalJson(x: unknown): string {
  return JSON.stringify(x, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof D)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

/**
 * The SHA-256 (hex) of a value's canonical JSON: the one content hash of the service (run
 * snapshots, compensation inputs, reports, register extracts, methodology content).
 */
export const contentHash = (x: unknown): string =>
  createHash('sha256').update(canonicalJson(x)).digest('hex');
