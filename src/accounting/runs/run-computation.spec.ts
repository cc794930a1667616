import fc from 'fast-check';
import { D } from '../../common/decimal';
import { MethodologyContent } from '../methodology/methodology-content';
import {
  assembleRun,
  ComputedResult,
  computeRun,
  evaluateRegions,
  partitionRun,
  RunRegion,
  RunSnapshot,
  subtreeSnapshot,
} from './run-computation';
import { compileMethodology } from '../methodology/methodology-model';

const ECO = ['forest', 'wetland', 'farmland'];
const CONTENT: MethodologyContent = {
  indexSets: [
    { code: 'ecosystem', name: '生态系统', items: ECO.map((code) => ({ code, name: code })) },
  ],
  services: [
    { code: 'wc', category: 'regulating', nameZh: '水源涵养', nameEn: 'water conservation' },
  ],
  variables: [
    { code: 'p', nameZh: '降水', unit: 'mm', index: 'ecosystem' },
    { code: 'a', nameZh: '面积', unit: '亩', index: 'ecosystem' },
  ],
  parameters: [
    {
      code: 'cost',
      nameZh: '库容造价',
      unit: '元/m³',
      values: [{ value: '7.06', source: 'test', evidence: 'verified' }],
    },
  ],
  indicators: [
    {
      code: 'wc',
      service: 'wc',
      nameZh: '水源涵养',
      nameEn: 'water conservation',
      quantity: { formula: 'p .* a', unit: '万m³' },
      value: { formula: 'Q * cost / 3', unit: '万元' }, // /3 and 亩 make non-terminating decimals
      valuationMethod: 'shadow_project',
      citation: 'test',
      evidence: 'verified',
      counted: true,
    },
  ],
};

/** A random tree: a root with children, some of which have children; leaves report inputs. */
const tree = fc
  .array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 })
  .map((fanout) => {
    const regions: RunRegion[] = [{ code: 'R', parentCode: null, lineage: ['R'] }];
    fanout.forEach((n, i) => {
      const child = `R${i}`;
      regions.push({ code: child, parentCode: 'R', lineage: ['R', child] });
      for (let j = 0; j < n; j++)
        regions.push({
          code: `${child}_${j}`,
          parentCode: child,
          lineage: ['R', child, `${child}_${j}`],
        });
    });
    return regions;
  });
const amount = fc
  .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 4 }))
  .map(([n, s]) => new D(n).div(new D(10).pow(s)).toString());

/** `tree` a level deeper: two villages under each township `where` says. */
const withVillages = (where: (town: string) => boolean) =>
  tree.map((regions) =>
    regions.flatMap((r) =>
      r.lineage.length === 3 && where(r.code)
        ? [
            r,
            ...['a', 'b'].map((v) => ({
              code: `${r.code}_${v}`,
              parentCode: r.code,
              lineage: [...r.lineage, `${r.code}_${v}`],
            })),
          ]
        : [r],
    ),
  );

/** A 2021 run of the test methodology over `regions` (rooted at R). */
const snapshotOf = (regions: RunRegion[], inputs: RunSnapshot['inputs']): RunSnapshot => ({
  methodology: { id: 'm', standardId: 'test', version: 1 },
  year: 2021,
  rootRegion: 'R',
  regions,
  inputs,
});

describe('computeRun (property)', () => {
  it('a parent equals the sum of its children exactly, and every total the sum of its breakdown', () => {
    fc.assert(
      fc.property(
        tree,
        fc.array(fc.tuple(amount, amount, amount, amount, amount, amount), {
          minLength: 30,
          maxLength: 30,
        }),
        (regions, values) => {
          const leaves = regions.filter((r) => !regions.some((c) => c.parentCode === r.code));
          const inputs = Object.fromEntries(
            leaves.map((r, i) => {
              const v = values[i % values.length];
              return [
                r.code,
                {
                  p: { value: Object.fromEntries(ECO.map((e, k) => [e, v[k]])) },
                  a: { value: Object.fromEntries(ECO.map((e, k) => [e, v[k + 3]])) },
                },
              ];
            }),
          );
          const snapshot = snapshotOf(regions, inputs);
          const results = computeRun(CONTENT, snapshot);
          const by = new Map(results.map((r) => [r.regionCode, r]));
          for (const r of regions) {
            const res = by.get(r.code)!;
            expect(res.value).not.toBeNull();
            const kids = regions.filter((c) => c.parentCode === r.code);
            if (kids.length) {
              expect(res.status).toBe('aggregated');
              expect(
                res.value!.eq(kids.reduce((s, k) => s.plus(by.get(k.code)!.value!), new D(0))),
              ).toBe(true);
              for (const e of ECO) {
                expect(
                  new D(res.byIndex![e]).eq(
                    kids.reduce((s, k) => s.plus(by.get(k.code)!.byIndex![e]), new D(0)),
                  ),
                ).toBe(true);
              }
            }
            expect(res.value!.eq(ECO.reduce((s, e) => s.plus(res.byIndex![e]), new D(0)))).toBe(
              true,
            );
          }
          // deterministic: the same snapshot gives the same digits
          expect(computeRun(CONTENT, snapshot).map((r) => r.value!.toString())).toEqual(
            results.map((r) => r.value!.toString()),
          );
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe('subtreeSnapshot (property)', () => {
  it("gives a region and the regions below it the whole run's results, digit for digit, trace for trace", () => {
    // a price of its own for R0 and what lies below it: results depend on the lineage
    const content: MethodologyContent = {
      ...CONTENT,
      parameters: [
        {
          ...CONTENT.parameters[0],
          values: [
            ...CONTENT.parameters[0].values,
            { value: '9.5', source: 'test', evidence: 'verified', region: 'R0' },
          ],
        },
      ],
    };
    // a level deeper than `tree`: the even-numbered townships get villages
    const deeper = withVillages((town) => Number(town.split('_')[1]) % 2 === 0);
    fc.assert(
      fc.property(
        deeper,
        // per region: inputs complete, partly missing (not computable unless its children are) or absent
        fc.array(fc.tuple(fc.constantFrom('full', 'partial', 'none'), amount, amount), {
          minLength: 30,
          maxLength: 30,
        }),
        fc.nat(),
        (regions, given, pick) => {
          const inputs = Object.fromEntries(
            regions.flatMap((r, i) => {
              const [kind, x, y] = given[i % given.length];
              if (kind === 'none') return [];
              const p = Object.fromEntries(ECO.map((e) => [e, x]));
              const a = Object.fromEntries(
                ECO.map((e, k) => [e, k === 0 && kind === 'partial' ? null : y]),
              );
              return [[r.code, { p: { value: p }, a: { value: a } }]];
            }),
          );
          const snapshot = snapshotOf(regions, inputs);
          const region = regions[pick % regions.length].code;
          const sub = subtreeSnapshot(snapshot, region);
          expect(sub.regions.every((r) => r.lineage.includes(region))).toBe(true);
          expect(sub.regions.length).toBe(regions.filter((r) => r.lineage.includes(region)).length);
          const text = (rs: ReturnType<typeof computeRun>) =>
            rs.map((r) =>
              JSON.stringify(r, (_, v: unknown) => (v instanceof D ? v.toString() : v)),
            );
          const whole = computeRun(content, snapshot).filter((r) =>
            sub.regions.some((x) => x.code === r.regionCode),
          );
          expect(text(computeRun(content, sub))).toEqual(text(whole));
          expect(text(computeRun(content, sub, 2020))).toEqual(
            text(
              computeRun(content, snapshot, 2020).filter((r) =>
                sub.regions.some((x) => x.code === r.regionCode),
              ),
            ),
          );
        },
      ),
      { numRuns: 100, seed: 11 },
    );
  });
});

describe('partitionRun (property)', () => {
  it('cuts a run into whole subtrees and a top that, summed from the subtrees’ roots, give the whole run’s results', () => {
    const model = compileMethodology(CONTENT);
    const deeper = withVillages(() => true);
    fc.assert(
      fc.property(
        deeper,
        fc.array(fc.tuple(fc.constantFrom('full', 'partial', 'none'), amount), {
          minLength: 20,
          maxLength: 20,
        }),
        fc.integer({ min: 1, max: 12 }),
        (regions, given, pieces) => {
          const inputs = Object.fromEntries(
            regions.flatMap((r, i) => {
              const [kind, x] = given[i % given.length];
              if (kind === 'none') return [];
              const v = Object.fromEntries(
                ECO.map((e, k) => [e, k === 1 && kind === 'partial' ? null : x]),
              );
              return [[r.code, { p: { value: v }, a: { value: v } }]];
            }),
          );
          const snapshot = snapshotOf(regions, inputs);
          const { top, parts } = partitionRun(snapshot, pieces);
          // every region once: in the top or in one part
          const placed = [...top, ...parts.flatMap((p) => p.regions)].map((r) => r.code);
          expect([...placed].sort()).toEqual(regions.map((r) => r.code).sort());
          const topCodes = new Set(top.map((r) => r.code));
          const limit = Math.ceil(regions.length / pieces);
          for (const part of parts) {
            const codes = new Set(part.regions.map((r) => r.code));
            // a whole subtree: its root's, and every region of the run below a member is a member
            expect(part.regions[0].code).toBe(part.root);
            expect(regions.filter((r) => r.lineage.includes(part.root)).map((r) => r.code)).toEqual(
              part.regions.map((r) => r.code),
            );
            expect(part.root === 'R' || topCodes.has(part.regions[0].parentCode!)).toBe(true);
            // cut no further than needed: larger than the limit only when it has no children
            if (part.regions.length > limit) expect(codes.size).toBe(1);
          }
          // each top region was cut because it was too large
          for (const r of top)
            expect(regions.filter((x) => x.lineage.includes(r.code)).length).toBeGreaterThan(limit);
          // the parts computed alone, the top summed from their roots: the whole run
          const text = (rs: ComputedResult[]) =>
            rs
              .map((r) => JSON.stringify(r, (_, v: unknown) => (v instanceof D ? v.toString() : v)))
              .sort();
          const fromParts = parts.map((p) =>
            computeRun(CONTENT, { ...snapshot, rootRegion: p.root, regions: p.regions }),
          );
          const roots = new Map(
            parts.map((p, i) => [p.root, fromParts[i].filter((r) => r.regionCode === p.root)]),
          );
          const above = assembleRun(
            CONTENT,
            {
              ...snapshot,
              regions: regions.filter((r) => topCodes.has(r.code) || roots.has(r.code)),
            },
            2021,
            model.order,
            evaluateRegions(CONTENT, snapshot, top, 2021, { model }),
            (trace) => trace,
            roots,
          ).filter((r) => !roots.has(r.regionCode));
          expect(text([...fromParts.flat(), ...above])).toEqual(
            text(computeRun(CONTENT, snapshot)),
          );
        },
      ),
      { numRuns: 150, seed: 5 },
    );
  });
});
