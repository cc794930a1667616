import { polygon } from '@turf/helpers';
import { kinks } from '@turf/kinks';
import fc from 'fast-check';
import type { Position } from 'geojson';
import { selfIntersections } from './self-intersections';

const ring = (points: Position[]): Position[] => [...points, points[0]];

describe('self-intersections by sweep', () => {
  it('finds the crossing of a bow tie and none in a square', () => {
    expect(
      selfIntersections([
        ring([
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
        ]),
      ]),
    ).toEqual([[0.5, 0.5]]);
    expect(
      selfIntersections([
        ring([
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ]),
      ]),
    ).toEqual([]);
  });

  it('finds a hole crossing its shell, and a ring touching itself', () => {
    const shell = ring([
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ]);
    expect(
      selfIntersections([
        shell,
        ring([
          [8, 8],
          [12, 8],
          [12, 9],
          [8, 9],
        ]),
      ]),
    ).toHaveLength(2);
    expect(
      selfIntersections([
        shell,
        ring([
          [2, 2],
          [4, 2],
          [4, 4],
          [2, 4],
        ]),
      ]),
    ).toEqual([]);
    const touching = ring([
      [0, 0],
      [4, 0],
      [2, 2],
      [4, 4],
      [0, 4],
      [2, 2],
    ]);
    expect(selfIntersections([touching]).length).toBeGreaterThan(0);
  });

  it('agrees with turf kinks (all pairs) on random polygons in general position (property)', () => {
    const point = fc.tuple(
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 0, max: 1_000_000 }),
    );
    // no three points on a line: touching is where the two may legitimately differ in wording
    const general = (pts: Position[]) =>
      pts.every((a, i) =>
        pts.every((b, j) =>
          pts.every(
            (c, k) =>
              i >= j || j >= k || (b[0] - a[0]) * (c[1] - a[1]) !== (b[1] - a[1]) * (c[0] - a[0]),
          ),
        ),
      );
    fc.assert(
      fc.property(fc.array(point, { minLength: 3, maxLength: 12 }), (pts) => {
        fc.pre(general(pts));
        const r = ring(pts);
        const reference = kinks(polygon([r])).features.length > 0;
        expect(selfIntersections([r]).length > 0).toBe(reference);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds no crossing in a valid 49,999-vertex boundary (the size the service accepts)', () => {
    const n = 49_998;
    const circle = ring(
      Array.from({ length: n }, (_, i) => [
        116 + 0.1 * Math.cos((2 * Math.PI * i) / n),
        29 + 0.1 * Math.sin((2 * Math.PI * i) / n),
      ]),
    );
    expect(selfIntersections([circle])).toEqual([]);
    // one vertex pushed across the ring makes it cross itself
    const bent = circle.map((p, i) => (i === 1000 ? [116, 29 + 0.2] : p));
    expect(selfIntersections([bent]).length).toBeGreaterThan(0);
  });
});
