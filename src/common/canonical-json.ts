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

/** Whether JSON writes `v` as an object or array of its own entries (no `toJSON`). */
const isContainer = (v: unknown): v is object =>
  v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function';

/**
 * {@link canonicalJson} in pieces, cut at the entries of the first `depth` levels (a run
 * snapshot's regions and inputs: a piece per region), for hashing without holding the event loop.
 */
export function* canonicalJsonPieces(x: unknown, depth: number): Generator<string> {
  if (depth <= 0 || !isContainer(x)) {
    const text = canonicalJson(x);
    if (text !== undefined) yield text;
    return;
  }
  if (Array.isArray(x)) {
    yield '[';
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (i) yield ',';
      if (isContainer(v)) yield* canonicalJsonPieces(v, depth - 1);
      else yield canonicalJson(v) ?? 'null';
    }
    yield ']';
    return;
  }
  // the keys in the order canonicalJson's sorted copy holds them (array indices first)
  const keys = Object.keys(
    Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, 0]),
    ),
  );
  yield '{';
  let first = true;
  for (const k of keys) {
    const v: unknown = (x as Record<string, unknown>)[k];
    const key = `${first ? '' : ','}${JSON.stringify(k)}:`;
    if (isContainer(v)) {
      yield key;
      yield* canonicalJsonPieces(v, depth - 1);
    } else {
      const text = canonicalJson(v);
      if (text === undefined) continue; // left out, as JSON does
      yield key + text;
    }
    first = false;
  }
  yield '}';
}

/**
 * {@link canonicalJsonPieces} gathered into chunks of about `size` characters, letting other work
 * of the event loop run every ~20 ms: the text of a value too large to write out at once (a run
 * snapshot of 40,000 townships is 220 MB of JSON, which `JSON.stringify` took ~3 s to write).
 */
export async function* canonicalJsonChunks(
  x: unknown,
  depth: number,
  size = 1 << 20,
): AsyncGenerator<string> {
  let since = performance.now();
  let chunk = '';
  for (const piece of canonicalJsonPieces(x, depth)) {
    chunk += piece;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
    if (performance.now() - since > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  if (chunk) yield chunk;
}

/**
 * {@link contentHash}, letting other work of the event loop run every ~20 ms: a snapshot of
 * 40,000 townships takes ~10 s to hash.
 */
export async function contentHashYielding(x: unknown, depth: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of canonicalJsonChunks(x, depth)) hash.update(chunk);
  return hash.digest('hex');
}
