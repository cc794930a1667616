// Charts and the map as plain SVG: no library, no tile server, works offline. Every chart has a
// text alternative (a title and a table beside it on the page).

const NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs))
    if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children.flat())
    if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

const PALETTE = ['#1b6e3a', '#2f6fa8', '#b2561d', '#6b4fa0', '#8a6d00', '#2a7f7f'];

/**
 * Horizontal bars. rows: [{label, value: number (for length only), text: exact figure shown}].
 */
export function barChart(title, rows, { width = 640 } = {}) {
  const rowH = 26;
  const labelW = 130;
  const textW = 150;
  const height = rows.length * rowH + 10;
  // a missing value (null) gets no bar, only its text: it is not a bar of length 0
  const max = Math.max(
    ...rows.filter((r) => r.value !== null).map((r) => Math.abs(r.value)),
    1e-12,
  );
  const plotW = width - labelW - textW;
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart' },
    svg('title', {}, title),
    rows.map((r, i) => {
      const y = i * rowH + 5;
      const missing = r.value === null || !Number.isFinite(r.value);
      const w = missing ? 0 : Math.max(1, (Math.abs(r.value) / max) * plotW);
      return svg(
        'g',
        {},
        svg(
          'text',
          { x: labelW - 6, y: y + 17, 'text-anchor': 'end', class: 'chart-label' },
          r.label,
        ),
        missing
          ? null
          : svg('rect', {
              x: labelW,
              y: y + 3,
              width: w,
              height: rowH - 8,
              fill: PALETTE[i % PALETTE.length],
            }),
        svg('text', { x: labelW + w + 6, y: y + 17, class: 'chart-value' }, r.text),
      );
    }),
  );
  return chart;
}

function rings(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  return [];
}

/** Area-weighted centroid of a ring (lon/lat), for placing its label; the ring's first point if degenerate. */
function ringCentroid(ring) {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
  }
  return Math.abs(a) < 1e-15 ? ring[0] : [cx / (3 * a), cy / (3 * a)];
}

/** The outer ring with the largest area: where a feature's label goes. */
function mainRing(geometry) {
  const outers =
    geometry?.type === 'Polygon'
      ? [geometry.coordinates[0]]
      : geometry?.type === 'MultiPolygon'
        ? geometry.coordinates.map((p) => p[0])
        : [];
  const area = (r) =>
    Math.abs(
      r.reduce(
        (s, p, i) => s + p[0] * r[(i + 1) % r.length][1] - r[(i + 1) % r.length][0] * p[1],
        0,
      ),
    );
  return outers.sort((x, y) => area(y) - area(x))[0];
}

/** 1, 2 or 5 × 10ⁿ metres, the longest not over `max`. */
function niceMetres(max) {
  const p = 10 ** Math.floor(Math.log10(max));
  return [5, 2, 1].map((k) => k * p).find((v) => v <= max) ?? p;
}

const metresText = (m) => (m >= 1000 ? `${m / 1000} 千米` : `${m} 米`);

/**
 * An offline map (no tile server): GeoJSON boundaries in SVG on a plain background, equirectangular
 * with the latitude's cosine, with the region's outline under them, a label on every shape that has
 * room for one, a legend, a scale bar and a north arrow.
 * features: [{id, label, name?, geometry, color?, selected?}] — `name` is the short label drawn on
 *   the map (default: label); onSelect(id) when a shape is clicked or chosen with Enter.
 * options.outline: {label, geometry} — the region's outline (行政区界线), drawn dashed.
 * options.legend: [{label, color}] — shown under the map with the outline's entry.
 * options.onPolygon: a polygon can be drawn on the map (see {@link drawing}); the returned
 *   element's `drawing` controls it.
 */
export function boundaryMap(
  title,
  features,
  onSelect,
  { width = 640, height = 420, outline = null, legend = [], onPolygon = null } = {},
) {
  const all = [...features, ...(outline ? [outline] : [])].flatMap((f) => rings(f.geometry).flat());
  if (!all.length) return null;
  const lons = all.map((p) => p[0]);
  const lats = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [
    Math.min(...lons),
    Math.max(...lons),
    Math.min(...lats),
    Math.max(...lats),
  ];
  const pad = MAP_PAD;
  const proj = projection([x0, y0, x1, y1], width, height);
  const { X, Y } = proj;
  const pathOf = (geometry) => pathIn(geometry, X, Y);

  // Labels: at each shape's main ring's centroid, largest shapes first, skipped where one would
  // cover another (the shape's tooltip and the table beside the map still name it).
  const placed = [];
  const labelOf = (f) => {
    const ring = mainRing(f.geometry);
    if (!ring) return null;
    const [lon, lat] = ringCentroid(ring);
    const text = f.name ?? f.label;
    const w = [...text].length * 12 + 6;
    const box = [X(lon) - w / 2, Y(lat) - 9, X(lon) + w / 2, Y(lat) + 9];
    if (box[0] < 0 || box[2] > width || box[1] < 0 || box[3] > height - pad.b + 20) return null;
    if (placed.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]))
      return null;
    placed.push(box);
    return svg(
      'text',
      { x: X(lon), y: Y(lat) + 4, 'text-anchor': 'middle', class: 'map-label' },
      text,
    );
  };

  const shapes = features.map((f, i) => {
    const shape = svg(
      'path',
      {
        d: pathOf(f.geometry),
        class: f.selected ? 'unit selected' : 'unit',
        fill: f.color ?? PALETTE[i % PALETTE.length],
        tabindex: 0,
        role: 'button',
        'aria-label': f.label,
      },
      svg('title', {}, f.label),
    );
    shape.addEventListener('click', () => onSelect(f.id));
    shape.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onSelect(f.id);
      }
    });
    return shape;
  });
  const bySize = [...features].sort(
    (a, b) => rings(b.geometry).flat().length - rings(a.geometry).flat().length,
  );
  const frame = mapFrame(title, { width, height, proj, outline, legend }, [
    shapes,
    svg('g', { class: 'map-labels', 'aria-hidden': 'true' }, bySize.map(labelOf)),
  ]);
  if (onPolygon) frame.drawing = drawing(frame.map, proj, width, height, onPolygon);
  return frame;
}

/**
 * A map's drawing and its frame: background, the region's outline (dashed, with its entry in the
 * legend), the layers given, scale bar and north arrow; the legend beside it. `frame.map` is the
 * SVG element.
 */
function mapFrame(title, { width, height, proj, outline, legend }, layers) {
  const map = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': title, class: 'map' },
    svg('title', {}, title),
    svg('rect', { x: 0, y: 0, width, height, class: 'map-bg' }),
    outline
      ? svg(
          'path',
          { d: pathIn(outline.geometry, proj.X, proj.Y), class: 'region-outline' },
          svg('title', {}, outline.label),
        )
      : null,
    ...layers,
    ...furniture(width, height, proj.scale),
  );
  const frame = framed(map, [
    ...(outline ? [{ label: outline.label, outline: true }] : []),
    ...legend,
  ]);
  frame.map = map;
  return frame;
}

const MAP_PAD = { l: 14, r: 14, t: 14, b: 40 };

/** An SVG path of a (multi)polygon's rings under a projection. */
const pathIn = (geometry, X, Y) =>
  rings(geometry)
    .map(
      (ring) =>
        'M' + ring.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join('L') + 'Z',
    )
    .join(' ');

/** Equirectangular projection of [west, south, east, north] into the drawing (north up). */
function projection([x0, y0, x1, y1], width, height, pad = MAP_PAD) {
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const scale = Math.min(
    (width - pad.l - pad.r) / ((x1 - x0) * k || 1e-9),
    (height - pad.t - pad.b) / (y1 - y0 || 1e-9),
  );
  const X = (lon) => pad.l + (lon - x0) * k * scale;
  const Y = (lat) => height - pad.b - (lat - y0) * scale;
  const lonOf = (x) => x0 + (x - pad.l) / (k * scale);
  const latOf = (y) => y0 + (height - pad.b - y) / scale;
  return { X, Y, scale, lonOf, latOf };
}

/** A map's scale bar and north arrow. */
function furniture(width, height, scale, pad = MAP_PAD) {
  const metresPerPx = 111_320 / scale; // one degree of latitude ≈ 111.32 km
  const barM = niceMetres((width / 4) * metresPerPx);
  const barPx = barM / metresPerPx;
  const by = height - 16;
  return [
    svg(
      'g',
      { class: 'map-scale', 'aria-label': `比例尺 ${metresText(barM)}` },
      svg('path', {
        d: `M${pad.l},${by - 5}V${by}H${pad.l + barPx}V${by - 5}`,
        class: 'scale-bar',
      }),
      svg('text', { x: pad.l, y: by - 8, class: 'map-note' }, '0'),
      svg(
        'text',
        { x: pad.l + barPx, y: by - 8, 'text-anchor': 'middle', class: 'map-note' },
        metresText(barM),
      ),
    ),
    svg(
      'g',
      { class: 'map-north', 'aria-label': '指北针' },
      svg('path', {
        d: `M${width - 24},${pad.t + 26}L${width - 16},${pad.t}L${width - 8},${pad.t + 26}L${width - 16},${pad.t + 19}Z`,
      }),
      svg(
        'text',
        { x: width - 16, y: pad.t + 40, 'text-anchor': 'middle', class: 'map-note' },
        '北',
      ),
    ),
  ];
}

/** The map with its legend beside it: entries {label, color} or {label, outline: true}. */
function framed(map, entries) {
  const key = entries.length
    ? Object.assign(document.createElement('ul'), { className: 'map-legend' })
    : null;
  for (const e of entries) {
    const li = document.createElement('li');
    li.append(
      svg(
        'svg',
        { width: 22, height: 14, 'aria-hidden': 'true' },
        e.outline
          ? svg('rect', { x: 1, y: 1, width: 20, height: 12, class: 'region-outline' })
          : svg('rect', {
              x: 1,
              y: 1,
              width: 20,
              height: 12,
              fill: e.color,
              class: 'legend-swatch',
            }),
      ),
      e.label,
    );
    key.append(li);
  }
  const frame = document.createElement('div');
  frame.className = 'map-frame';
  frame.append(map, ...(key ? [key] : []));
  return frame;
}

/** Whether [lon, lat] lies inside the ring (even-odd rule). */
export function insideRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Drawing a polygon on a map (the map's `svg`, its projection): a click adds a corner; the
 * returned controller's finish() closes the ring and calls onPolygon(ring [[lon, lat]…] closed,
 * the ids `inside(ring)` gives); clear() removes it; add(lon, lat) adds a corner without a mouse.
 */
function drawing(map, { X, Y, lonOf, latOf }, width, height, onPolygon, inside = () => []) {
  const shape = svg('path', { class: 'selection', d: '' });
  map.append(shape);
  map.classList.add('drawing');
  let ring = [];
  let closed = false;
  const draw = () =>
    shape.setAttribute(
      'd',
      ring.length
        ? `M${ring.map(([lon, lat]) => `${X(lon).toFixed(1)},${Y(lat).toFixed(1)}`).join('L')}${closed ? 'Z' : ''}`
        : '',
    );
  const add = (lon, lat) => {
    if (closed) [ring, closed] = [[], false];
    ring.push([lon, lat]);
    draw();
  };
  map.addEventListener('click', (e) => {
    const box = map.getBoundingClientRect();
    add(
      lonOf(((e.clientX - box.left) / box.width) * width),
      latOf(((e.clientY - box.top) / box.height) * height),
    );
  });
  return {
    add,
    finish() {
      if (ring.length < 3) return null;
      closed = true;
      draw();
      const closedRing = [...ring.map((p) => [...p]), [...ring[0]]];
      onPolygon(closedRing, inside(closedRing));
      return closedRing;
    },
    clear() {
      [ring, closed] = [[], false];
      draw();
      onPolygon(null, inside(null));
    },
  };
}

/**
 * Parcel centroids as dots coloured by type, over the region's outline when known, with scale,
 * north arrow and legend. points: [[id, lon, lat, type, township]…]; colours: Map → colour of
 * the field `key` (3, the type, by default; 4 colours by township). With
 * `onPolygon`, a polygon can be drawn on it (see {@link drawing}; the returned element's
 * `drawing` controls it) and the dots inside are ringed.
 */
export function pointMap(
  title,
  points,
  {
    bounds,
    colours,
    key = 3,
    legend = [],
    outline = null,
    onPolygon = null,
    width = 640,
    height = 420,
  },
) {
  const outlineRing = outline ? rings(outline.geometry).flat() : [];
  const lons = [bounds[0], bounds[2], ...outlineRing.map((p) => p[0])];
  const lats = [bounds[1], bounds[3], ...outlineRing.map((p) => p[1])];
  const proj = projection(
    [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
    width,
    height,
  );
  const { X, Y } = proj;
  const r = points.length < 500 ? 4 : points.length < 5000 ? 2.6 : 1.8; // fewer, larger
  const picked = svg('g', { class: 'map-picked' });
  const frame = mapFrame(title, { width, height, proj, outline, legend }, [
    svg(
      'g',
      { class: 'map-points' },
      points.map((p) =>
        svg('circle', {
          cx: X(p[1]).toFixed(1),
          cy: Y(p[2]).toFixed(1),
          r,
          fill: colours.get(p[key]) ?? '#888',
        }),
      ),
    ),
    picked,
  ]);
  if (onPolygon)
    frame.drawing = drawing(frame.map, proj, width, height, onPolygon, (ring) => {
      const inside = ring ? points.filter(([, lon, lat]) => insideRing([lon, lat], ring)) : [];
      picked.replaceChildren(
        ...inside.map(([, lon, lat]) =>
          svg('circle', {
            cx: X(lon).toFixed(1),
            cy: Y(lat).toFixed(1),
            r: r + 1.5,
            class: 'picked',
          }),
        ),
      );
      return inside.map(([id]) => id);
    });
  return frame;
}

/** Colours for a legend keyed by category, stable in the order the keys are given. */
export function legendColours(keys) {
  return new Map(keys.map((key, i) => [key, PALETTE[i % PALETTE.length]]));
}

/**
 * A tornado chart: for each row, how far the figure moves when one input goes to its low end
 * (left of the line) and its high end (right). rows: [{label, low, high, base: numbers for the
 * drawing only, lowText, highText}], largest swing first.
 */
export function tornadoChart(title, rows, { width = 680 } = {}) {
  const rowH = 28;
  const labelW = 150;
  const textW = 110;
  const height = rows.length * rowH + 30;
  const plotW = width - labelW - 2 * textW;
  const reach = Math.max(
    ...rows.flatMap((r) => [Math.abs(r.low - r.base), Math.abs(r.high - r.base)]),
    1e-12,
  );
  const mid = labelW + textW + plotW / 2;
  const X = (v, base) => mid + ((v - base) / reach) * (plotW / 2);
  return svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart' },
    svg('title', {}, title),
    rows.map((r, i) => {
      const y = i * rowH + 6;
      const [xl, xh] = [X(r.low, r.base), X(r.high, r.base)];
      return svg(
        'g',
        {},
        svg(
          'text',
          { x: labelW - 6, y: y + 17, 'text-anchor': 'end', class: 'chart-label' },
          r.label,
        ),
        svg('rect', {
          x: Math.min(xl, mid),
          y: y + 3,
          width: Math.max(1, Math.abs(mid - xl)),
          height: rowH - 9,
          fill: PALETTE[1],
        }),
        svg('rect', {
          x: Math.min(xh, mid),
          y: y + 3,
          width: Math.max(1, Math.abs(xh - mid)),
          height: rowH - 9,
          fill: PALETTE[2],
        }),
        svg(
          'text',
          { x: Math.min(xl, xh, mid) - 4, y: y + 17, 'text-anchor': 'end', class: 'chart-value' },
          r.lowText,
        ),
        svg('text', { x: Math.max(xl, xh, mid) + 4, y: y + 17, class: 'chart-value' }, r.highText),
      );
    }),
    svg('line', { x1: mid, x2: mid, y1: 2, y2: height - 22, class: 'axis' }),
    svg(
      'text',
      { x: mid, y: height - 6, 'text-anchor': 'middle', class: 'chart-label' },
      '采用值；蓝：参数取下限，橙：参数取上限',
    ),
  );
}
