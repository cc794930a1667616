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

/** A line over years. points: [{x: year, value: number, text}] */
export function lineChart(title, points, { width = 640, height = 240 } = {}) {
  const pad = { l: 60, r: 20, t: 20, b: 40 };
  const xs = points.map((p) => p.x);
  const vs = points.map((p) => p.value);
  const [xmin, xmax] = [Math.min(...xs), Math.max(...xs)];
  const vmax = Math.max(...vs) * 1.1 || 1;
  const px = (x) =>
    pad.l + (xmax === xmin ? 0.5 : (x - xmin) / (xmax - xmin)) * (width - pad.l - pad.r);
  const py = (v) => height - pad.b - (v / vmax) * (height - pad.t - pad.b);
  return svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart' },
    svg('title', {}, title),
    svg('line', {
      x1: pad.l,
      y1: height - pad.b,
      x2: width - pad.r,
      y2: height - pad.b,
      class: 'axis',
    }),
    svg('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: height - pad.b, class: 'axis' }),
    svg('polyline', {
      points: points.map((p) => `${px(p.x)},${py(p.value)}`).join(' '),
      fill: 'none',
      stroke: PALETTE[0],
      'stroke-width': 2.5,
    }),
    points.map((p) =>
      svg(
        'g',
        {},
        svg('circle', { cx: px(p.x), cy: py(p.value), r: 4, fill: PALETTE[0] }),
        svg(
          'text',
          { x: px(p.x), y: py(p.value) - 8, 'text-anchor': 'middle', class: 'chart-value' },
          p.text,
        ),
        svg(
          'text',
          { x: px(p.x), y: height - pad.b + 18, 'text-anchor': 'middle', class: 'chart-label' },
          String(p.x),
        ),
      ),
    ),
  );
}

function rings(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  return [];
}

/**
 * Boundaries drawn on a plain background (equirectangular, scaled by the latitude's cosine).
 * features: [{id, label, geometry, selected?}]; onSelect(id) when a shape is clicked or chosen
 * with Enter.
 */
export function boundaryMap(title, features, onSelect, { width = 640, height = 420 } = {}) {
  const all = features.flatMap((f) => rings(f.geometry).flat());
  if (!all.length) return null;
  const lons = all.map((p) => p[0]);
  const lats = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [
    Math.min(...lons),
    Math.max(...lons),
    Math.min(...lats),
    Math.max(...lats),
  ];
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const scale = Math.min((width - 20) / ((x1 - x0) * k || 1e-9), (height - 20) / (y1 - y0 || 1e-9));
  const X = (lon) => 10 + (lon - x0) * k * scale;
  const Y = (lat) => height - 10 - (lat - y0) * scale;
  return svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': title, class: 'map' },
    svg('title', {}, title),
    svg('rect', { x: 0, y: 0, width, height, class: 'map-bg' }),
    features.map((f, i) => {
      const d = rings(f.geometry)
        .map(
          (ring) =>
            'M' + ring.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join('L') + 'Z',
        )
        .join(' ');
      const shape = svg(
        'path',
        {
          d,
          class: f.selected ? 'unit selected' : 'unit',
          fill: PALETTE[i % PALETTE.length],
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
    }),
  );
}
