import fc from 'fast-check';
import {
  canonicalJson,
  canonicalJsonChunks,
  canonicalJsonPieces,
  contentHash,
  contentHashYielding,
} from './canonical-json';
import { D } from './decimal';

/** Keys as they occur: codes, region codes of 6, 9 and 12 digits (array-index keys or not), names. */
const key = fc.oneof(
  fc.constantFrom('value', 'unit', 'source', 'a', 'B', '0', '1', '10', '2', '007', '-1', '1.5'),
  fc.constantFrom('361130', '361130101', '361130101001', '440100', '4294967294', '4294967295'),
  fc.constantFrom('森林', '', '__proto__'),
  fc.string({ maxLength: 3 }),
);

const leaf = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.double(), // NaN and ±Infinity included
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.date({ noInvalidDate: true }),
  fc.integer().map((n) => new D(n).div(7)),
);

const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('canonicalJsonPieces', () => {
  it('cut at any depth, join into canonicalJson exactly (so the hash is the same)', async () => {
    await fc.assert(
      fc.asyncProperty(value, fc.integer({ min: 0, max: 4 }), async (x, depth) => {
        const whole = canonicalJson(x);
        const pieces = [...canonicalJsonPieces(x, depth)];
        if (whole === undefined) expect(pieces).toEqual([]);
        else {
          expect(pieces.join('')).toBe(whole);
          expect(await contentHashYielding(x, depth)).toBe(contentHash(x));
          const chunks: string[] = [];
          for await (const c of canonicalJsonChunks(x, depth, 8)) chunks.push(c);
          expect(chunks.join('')).toBe(whole);
          expect(chunks.slice(0, -1).every((c) => c.length >= 8)).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('cuts a snapshot into a piece per region and lets the event loop run while it hashes', async () => {
    const inputs = Object.fromEntries(
      Array.from({ length: 40_000 }, (_, i) => [
        String(361130100 + i * 37), // 9 digits: an array index — ordered numerically
        { area: { value: String(i / 8), unit: 'hm²', source: `表 ${i}` } },
      ]),
    );
    const snapshot = {
      year: 2021,
      regions: Object.keys(inputs).map((code) => ({ code, parentCode: '361130', lineage: [code] })),
      inputs: { ...inputs, '361130101001': { area: { value: '1', unit: 'hm²' } } },
      parcelRun: undefined,
    };
    expect([...canonicalJsonPieces(snapshot, 2)].length).toBeGreaterThan(80_000);
    // one hash of 40,000 regions (~0.3 s here): other work runs in between
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const t0 = performance.now();
    const hash = await contentHashYielding(snapshot, 2);
    const took = performance.now() - t0;
    clearInterval(timer);
    expect(hash).toBe(contentHash(snapshot));
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(took / 60));
    expect(ticks).toBeGreaterThan(0);
  });
});
