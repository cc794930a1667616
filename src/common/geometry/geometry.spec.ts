import { areaHa, bboxOf, checkBoundary, overlapM2, overlappingPairs } from './geometry';
import { addWorkingDays, unitCode } from '../../registry/registry-rules';
import type { Polygon } from 'geojson';

const square = (x: number, y: number, size = 0.01): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});

describe('checkBoundary', () => {
  it('accepts a simple polygon and a polygon with a hole', () => {
    expect(checkBoundary(square(117.8, 29.2), 'b')).toEqual([]);
    const withHole = square(117.8, 29.2, 0.1);
    withHole.coordinates.push(square(117.82, 29.22, 0.01).coordinates[0].slice().reverse());
    expect(checkBoundary(withHole, 'b')).toEqual([]);
  });

  it('refuses an unclosed ring, too few positions, out-of-range coordinates and junk', () => {
    const open = square(117.8, 29.2);
    open.coordinates[0][4] = [117.8, 29.3];
    expect(checkBoundary(open, 'b')).toEqual([
      expect.objectContaining({
        path: 'b.coordinates[0]',
        message: expect.stringMatching(/not closed/),
      }),
    ]);
    expect(
      checkBoundary(
        {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
              [0, 0],
            ],
          ],
        },
        'b',
      )[0].message,
    ).toMatch(/at least 4/);
    const far = square(190, 95);
    const paths = checkBoundary(far, 'b').map((p) => p.path);
    expect(paths).toContain('b.coordinates[0][1][0]');
    expect(paths).toContain('b.coordinates[0][2][1]');
    expect(checkBoundary({ type: 'Point', coordinates: [1, 2] }, 'b')[0].path).toBe('b.type');
    expect(checkBoundary('x', 'b')[0].path).toBe('b');
    expect(checkBoundary({ type: 'Polygon', coordinates: [[['a', 1]]] }, 'b')).not.toEqual([]);
  });

  it('refuses a self-intersecting (bow-tie) ring, a hole outside its shell, and overlapping parts', () => {
    const bow: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [117, 29],
          [117.1, 29.1],
          [117.1, 29],
          [117, 29.1],
          [117, 29],
        ],
      ],
    };
    expect(checkBoundary(bow, 'b')[0].message).toMatch(/intersects itself/);
    const stray = square(117.8, 29.2, 0.01);
    stray.coordinates.push(square(118, 30, 0.01).coordinates[0]);
    expect(checkBoundary(stray, 'b')).toEqual([
      expect.objectContaining({
        path: 'b.coordinates[1]',
        message: expect.stringMatching(/inside the outer ring/),
      }),
    ]);
    const multi = {
      type: 'MultiPolygon',
      coordinates: [square(117, 29, 0.1).coordinates, square(117.05, 29.05, 0.1).coordinates],
    };
    expect(checkBoundary(multi, 'b')[0].path).toMatch(/^b\.coordinates/);
  });
});

describe('areas and overlaps', () => {
  it('computes the geodesic area in hectares', () => {
    // 0.01° × 0.01° at 29.2° N: about 1,113 m × 971 m ≈ 108 ha.
    const ha = areaHa(square(117.8, 29.2)).toNumber();
    expect(ha).toBeGreaterThan(105);
    expect(ha).toBeLessThan(110);
    expect(bboxOf(square(117.8, 29.2))).toEqual([117.8, 29.2, 117.81, 29.21]);
  });

  it('counts a shared edge as no overlap and a shared area as one', () => {
    expect(overlapM2(square(117.8, 29.2), square(117.81, 29.2))).toBe(0);
    expect(overlapM2(square(117.8, 29.2), square(117.805, 29.2))).toBeGreaterThan(500_000);
    const batch = [
      square(117.8, 29.2),
      square(117.81, 29.2),
      square(117.815, 29.205),
      square(118, 29),
    ].map((b) => ({ boundary: b, bbox: bboxOf(b) }));
    expect(overlappingPairs(batch).map(({ a, b }) => [a, b])).toEqual([[1, 2]]);
  });
});

describe('codes and periods', () => {
  it('builds the unit code from the county, the type and the sequence', () => {
    expect(unitCode('361130', 'nature_reserve', 1)).toBe('361130ZB00001');
    expect(unitCode('361130102', 'forest', 42)).toBe('361130SL00042');
    expect(() => unitCode('361130', 'forest', 100_000)).toThrow(RangeError);
  });

  it('counts working days Monday to Friday', () => {
    // 2024-03-01 is a Friday: 15 working days later is Friday 2024-03-22.
    expect(addWorkingDays('2024-03-01', 15)).toBe('2024-03-22');
    expect(addWorkingDays('2024-03-02', 1)).toBe('2024-03-04');
  });
});
