import { area } from '@turf/area';
import { featureCollection, multiPolygon, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { selfIntersections } from './self-intersections';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { D, Dec } from '../decimal';
import { FieldProblem } from '../errors/domain-error';
import { zhEn } from '../i18n/text';

/**
 * Boundaries of units and resources: GeoJSON Polygon or MultiPolygon in longitude/latitude
 * degrees (WGS84 or CGCS2000, which differ by centimetres). Pure functions over @turf modules,
 * free of Nest and the database.
 */
export type Boundary = Polygon | MultiPolygon;

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

/** At most this many positions per boundary: a cadastral parcel has hundreds, not millions. */
export const MAX_POSITIONS = 50_000;

/**
 * Two boundaries overlap when their interiors share more than this (m²). Units that share an
 * edge intersect in a line of zero area; floating-point clipping of a shared edge leaves slivers
 * of well under a square metre, which are not an overlap.
 */
export const OVERLAP_TOLERANCE_M2 = 1;

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Checks a boundary as received (unknown JSON): type, ring structure, closure, coordinate
 * ranges, self-intersection, holes inside their shell, parts of a MultiPolygon apart. Every
 * problem is named with its path under `path`.
 */
export function checkBoundary(value: unknown, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const fail = (p: string, message: string) => problems.push({ path: p, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(
      path,
      zhEn(
        '应为 GeoJSON Polygon 或 MultiPolygon 对象',
        'must be a GeoJSON Polygon or MultiPolygon object',
      ),
    );
    return problems;
  }
  const g = value as { type?: unknown; coordinates?: unknown };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    fail(
      `${path}.type`,
      zhEn(
        `应为 Polygon 或 MultiPolygon，不能是 ${JSON.stringify(g.type)}`,
        `must be Polygon or MultiPolygon, not ${JSON.stringify(g.type)}`,
      ),
    );
    return problems;
  }
  if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
    fail(`${path}.coordinates`, zhEn('应为非空数组', 'must be a non-empty array'));
    return problems;
  }
  const polygons: [unknown, string][] =
    g.type === 'Polygon'
      ? [[g.coordinates, `${path}.coordinates`]]
      : g.coordinates.map((p, i): [unknown, string] => [p, `${path}.coordinates[${i}]`]);
  let positions = 0;
  for (const [rings, pp] of polygons) {
    if (!Array.isArray(rings) || rings.length === 0) {
      fail(
        pp,
        zhEn(
          '多边形应为由线环组成的非空数组',
          'a polygon must be a non-empty array of linear rings',
        ),
      );
      continue;
    }
    rings.forEach((ring: unknown, ri) => {
      const rp = `${pp}[${ri}]`;
      if (!Array.isArray(ring))
        return fail(rp, zhEn('线环应为坐标数组', 'a linear ring must be an array of positions'));
      if (ring.length < 4)
        return fail(
          rp,
          zhEn(
            `线环至少需要 4 个坐标点（现有 ${ring.length} 个）`,
            `a linear ring needs at least 4 positions (it has ${ring.length})`,
          ),
        );
      positions += ring.length;
      ring.forEach((pos: unknown, i) => {
        if (!Array.isArray(pos) || pos.length < 2 || pos.length > 3 || !pos.every(isNum))
          return fail(
            `${rp}[${i}]`,
            zhEn(
              '坐标点应为 [经度, 纬度]（度）',
              'a position must be [longitude, latitude] in degrees',
            ),
          );
        const [lon, lat] = pos;
        if (lon < -180 || lon > 180)
          fail(
            `${rp}[${i}][0]`,
            zhEn(`经度 ${lon} 超出 −180…180 度`, `longitude ${lon} is outside −180…180 degrees`),
          );
        if (lat < -90 || lat > 90)
          fail(
            `${rp}[${i}][1]`,
            zhEn(`纬度 ${lat} 超出 −90…90 度`, `latitude ${lat} is outside −90…90 degrees`),
          );
      });
      const first = ring[0] as unknown;
      const last = ring[ring.length - 1] as unknown;
      if (
        Array.isArray(first) &&
        Array.isArray(last) &&
        (first[0] !== last[0] || first[1] !== last[1])
      )
        fail(
          rp,
          zhEn(
            '线环未闭合：最后一个坐标点应与第一个相同',
            'the ring is not closed: its last position must repeat the first',
          ),
        );
    });
  }
  if (positions > MAX_POSITIONS)
    fail(
      `${path}.coordinates`,
      zhEn(
        `有 ${positions} 个坐标点；最多接受 ${MAX_POSITIONS} 个`,
        `has ${positions} positions; at most ${MAX_POSITIONS} are accepted`,
      ),
    );
  if (problems.length) return problems;

  const geometry = value as Boundary;
  const parts = partsOf(geometry);
  parts.forEach((rings, pi) => {
    const pp = geometry.type === 'Polygon' ? `${path}.coordinates` : `${path}.coordinates[${pi}]`;
    const crossings = selfIntersections(rings);
    if (crossings.length) {
      const [lon, lat] = crossings[0];
      fail(
        pp,
        zhEn(
          `边界自相交（${crossings.length >= 100 ? '至少 100' : crossings.length} 处交叉，第一处在 ${lon.toFixed(6)}, ${lat.toFixed(6)} 附近）`,
          `the boundary intersects itself (${crossings.length >= 100 ? 'at least 100' : crossings.length} crossing(s), the first near ${lon.toFixed(6)}, ${lat.toFixed(6)})`,
        ),
      );
      return;
    }
    rings.slice(1).forEach((hole, hi) => {
      if (!pointInRing(hole[0], rings[0]) || !pointInRing(hole[1], rings[0]))
        fail(
          `${pp}[${hi + 1}]`,
          zhEn('内环（洞）应位于外环之内', 'a hole must lie inside the outer ring'),
        );
    });
    if (ringArea(rings) <= 0) fail(pp, zhEn('多边形面积为零', 'the polygon has no area'));
  });
  if (problems.length === 0 && parts.length > 1) {
    for (let i = 0; i < parts.length; i++)
      for (let j = i + 1; j < parts.length; j++) {
        const shared = overlapM2(polygon(parts[i]).geometry, polygon(parts[j]).geometry);
        if (shared > OVERLAP_TOLERANCE_M2)
          fail(
            `${path}.coordinates[${j}]`,
            zhEn(
              `与同一 MultiPolygon 的第 ${i} 部分重叠 ${Math.round(shared)} 平方米`,
              `overlaps part ${i} of the same MultiPolygon by ${Math.round(shared)} m²`,
            ),
          );
      }
  }
  return problems;
}

const partsOf = (g: Boundary): Position[][][] =>
  g.type === 'Polygon' ? [g.coordinates] : g.coordinates;

/** Ray casting; the point is inside or on the ring's interior side. */
function pointInRing([x, y]: Position, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const ringArea = (rings: Position[][]): number => area(polygon(rings));

/** Geodesic area of a checked boundary in hectares, to 0.0001 ha (1 m²). */
export function areaHa(g: Boundary): Dec {
  return new D(area(g)).div(10_000).toDecimalPlaces(4);
}

export function bboxOf(g: Boundary): BBox {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of partsOf(g))
    for (const [x, y] of rings[0]) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  return [minX, minY, maxX, maxY];
}

/** The PostgreSQL `box` literal of a bounding box, for the `&&` prefilter. */
export const boxLiteral = ([a, b, c, d]: BBox): string => `((${a},${b}),(${c},${d}))`;

export const bboxesMeet = (a: BBox, b: BBox): boolean =>
  a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Area (m²) shared by the interiors of two boundaries; 0 when they only touch. */
export function overlapM2(a: Boundary, b: Boundary): number {
  const toFeature = (g: Boundary): Feature<Polygon | MultiPolygon> =>
    g.type === 'Polygon' ? polygon(g.coordinates) : multiPolygon(g.coordinates);
  const shared = intersect(featureCollection<Polygon | MultiPolygon>([toFeature(a), toFeature(b)]));
  return shared ? area(shared) : 0;
}

/**
 * Pairs (a < b) of a batch whose bounding boxes meet: a sweep over the boxes sorted by west
 * edge, `n log n` plus the pairs — the candidates for an exact overlap test.
 */
export function bboxPairs(items: { bbox: BBox }[]): [number, number][] {
  const order = items.map((_, i) => i).sort((i, j) => items[i].bbox[0] - items[j].bbox[0]);
  const pairs: [number, number][] = [];
  let active: number[] = [];
  for (const i of order) {
    const bi = items[i].bbox;
    active = active.filter((j) => items[j].bbox[2] >= bi[0]);
    for (const j of active)
      if (bboxesMeet(bi, items[j].bbox)) pairs.push([Math.min(i, j), Math.max(i, j)]);
    active.push(i);
  }
  return pairs;
}

/** Pairs of boundaries in a batch whose interiors overlap, with the shared area (m²). */
export function overlappingPairs(
  items: { boundary: Boundary; bbox: BBox }[],
): { a: number; b: number; m2: number }[] {
  return bboxPairs(items)
    .map(([a, b]) => ({ a, b, m2: overlapM2(items[a].boundary, items[b].boundary) }))
    .filter((p) => p.m2 > OVERLAP_TOLERANCE_M2);
}
