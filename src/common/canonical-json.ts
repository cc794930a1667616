import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, decimals as their JSON strings. Two values that mean the same
 * give the same text, whatever order their keys were built in — which is what a stored hash needs.
 *
 * `JSON.stringify` with each plain object replaced by a copy with its keys sorted — or by itself
 * when they already are (a copy per object made a province run's snapshot, 8.3 MB, take ~200 ms
 * to write; without copies of objects built in key order, ~70 ms). A value whose objects all
 * have their keys in order already (a snapshot's region, as it is built) is written by
 * `JSON.stringify` alone: a replacer, even one returning its argument, is a call per value.
 */
export function canonicalJson(x: unknown): string {
  return inCanonicalOrder(x)
    ? JSON.stringify(x)
    : JSON.stringify(x, (_, v: unknown) =>
        v !== null && typeof v === 'object' && !Array.isArray(v) ? sortedKeys(v) : v,
      );
}

/**
 * Whether `JSON.stringify` writes `v` canonically as it is: every object in it has its keys in
 * canonical order (see {@link sortedKeys}), and nothing in it has a `toJSON` (whose result could
 * be an object out of order).
 */
function inCanonicalOrder(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(v)) return v.every(inCanonicalOrder);
  const keys = Object.keys(v);
  let named = 0;
  while (named < keys.length && isIndex(keys[named])) named++;
  for (let i = named + 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  for (const k of keys) if (!inCanonicalOrder((v as Record<string, unknown>)[k])) return false;
  return true;
}

/** A key JSON writes first, in numeric order: an array index (0 … 2³² − 2, no leading zero). */
const isIndex = (k: string): boolean => {
  const c = k.charCodeAt(0);
  if (c < 48 || c > 57 || (c === 48 && k.length > 1) || k.length > 10) return false;
  for (let i = 1; i < k.length; i++) {
    const d = k.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return Number(k) < 4294967295;
};

/**
 * The object, or a copy of it, whose own keys are in canonical order: array indices first (as
 * every object holds them), then the other keys sorted by UTF-16 code units.
 */
function sortedKeys(v: object): object {
  const keys = Object.keys(v);
  let named = 0;
  while (named < keys.length && isIndex(keys[named])) named++;
  let sorted = true;
  for (let i = named + 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  if (sorted) return v;
  // no prototype: a "__proto__" key is then an entry like any other
  const copy = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < named; i++) copy[keys[i]] = (v as Record<string, unknown>)[keys[i]];
  for (const k of keys.slice(named).sort()) copy[k] = (v as Record<string, unknown>)[k];
  return copy;
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
  const keys = Object.keys(sortedKeys(x)); // in the order canonicalJson writes them
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
