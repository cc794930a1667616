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

/** The definition: every plain object replaced by a copy with its entries sorted. */
const byDefinition = (x: unknown): string =>
  JSON.stringify(x, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );

describe('canonicalJson', () => {
  it('writes what its definition does, sorted keys or not (the stored hashes stay the same)', () => {
    fc.assert(
      fc.property(value, (x) => {
        expect(canonicalJson(x)).toBe(byDefinition(x));
      }),
      { numRuns: 3000 },
    );
    const unsorted = { value: '1', unit: 'hm²', source: 'x', 10: 1, 9: 2, __proto__: null };
    const text = '{"9":2,"10":1,"source":"x","unit":"hm²","value":"1"}';
    expect(canonicalJson(unsorted)).toBe(text);
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"z":1,"a":2},"a":3}'))).toBe(
      '{"__proto__":{"a":2,"z":1},"a":3,"b":1}',
    );
    expect(canonicalJson([new D('1.50'), new Date(0), undefined, () => 1])).toBe(
      '["1.5","1970-01-01T00:00:00.000Z",null,null]',
    );
    // what a toJSON gives is written in order too, though the object holding it is in order
    expect(canonicalJson({ a: { toJSON: () => ({ b: 1, a: 2 }) } })).toBe('{"a":{"a":2,"b":1}}');
  });
});

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
