import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts, SKRSContext2D } from '@napi-rs/canvas';
import { ChartSpec } from './blocks';

/**
 * The CJK font the reports embed: Noto Sans SC (思源黑体, SIL OFL 1.1), shipped inside the npm
 * package @embedpdf/fonts-sc, so a fresh machine with only Node has it. It covers GB 2312.
 */
// `require` exists in the compiled service (CommonJS); Jest runs this file as an ES module,
// where the project root (its working directory) resolves the same package.
const resolve =
  typeof require === 'function'
    ? require.resolve
    : createRequire(join(process.cwd(), 'package.json')).resolve;
const fontDir = join(dirname(resolve('@embedpdf/fonts-sc')), '..', 'fonts');
export const FONT_REGULAR = join(fontDir, 'NotoSansHans-Regular.otf');
export const FONT_BOLD = join(fontDir, 'NotoSansHans-Bold.otf');

const FAMILY = 'GEP Report Sans';
let registered = false;
const ensureFont = () => {
  if (!registered) GlobalFonts.registerFromPath(FONT_REGULAR, FAMILY);
  registered = true;
};

/** Width and height of the PNG charts, in pixels (drawn at 2× for print). */
export const CHART_SIZE = { width: 1200, height: 600 };

/** A round step (1, 2 or 5 × 10ⁿ) giving about five ticks up to max. */
function niceStep(max: number): number {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
}

const tickLabel = (x: number) =>
  x.toLocaleString('en-US', { maximumFractionDigits: 2, useGrouping: true });

/**
 * Renders a bar chart (grouped or stacked) to PNG, server-side. Missing values (null) leave a
 * gap, never a zero bar. The same spec gives the same bytes.
 */
export function renderChart(spec: ChartSpec): Buffer {
  ensureFont();
  const { width, height } = CHART_SIZE;
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, width, height);

  const plot = { left: 150, right: width - 40, top: 90, bottom: height - 80 };
  const totals = spec.labels.map((_, i) =>
    spec.stacked
      ? spec.series.reduce((s, x) => s + Math.max(x.values[i] ?? 0, 0), 0)
      : Math.max(0, ...spec.series.map((x) => x.values[i] ?? 0)),
  );
  const max = Math.max(...totals, 0) || 1;
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const y = (v: number) => plot.bottom - (v / top) * (plot.bottom - plot.top);

  // title and legend
  g.fillStyle = '#222';
  g.font = `30px "${FAMILY}"`;
  g.textBaseline = 'alphabetic';
  g.fillText(spec.title, plot.left, 45);
  let lx = plot.left;
  g.font = `22px "${FAMILY}"`;
  for (const s of spec.series) {
    g.fillStyle = s.color;
    g.fillRect(lx, 60, 22, 16);
    g.fillStyle = '#333';
    g.fillText(s.name, lx + 30, 76);
    lx += 30 + g.measureText(s.name).width + 30;
  }

  // axes and grid
  g.strokeStyle = '#ccc';
  g.lineWidth = 1;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  g.fillStyle = '#444';
  for (let v = 0; v <= top + step / 2; v += step) {
    g.beginPath();
    g.moveTo(plot.left, y(v));
    g.lineTo(plot.right, y(v));
    g.stroke();
    g.fillText(tickLabel(v), plot.left - 10, y(v));
  }
  g.save();
  g.translate(28, (plot.top + plot.bottom) / 2);
  g.rotate(-Math.PI / 2);
  g.textAlign = 'center';
  g.fillText(spec.unit, 0, 0);
  g.restore();

  // bars
  const slot = (plot.right - plot.left) / Math.max(spec.labels.length, 1);
  const groupWidth = slot * 0.7;
  spec.labels.forEach((label, i) => {
    const x0 = plot.left + slot * i + (slot - groupWidth) / 2;
    drawGroup(g, spec, i, x0, groupWidth, y);
    g.fillStyle = '#444';
    g.textAlign = 'center';
    g.textBaseline = 'top';
    g.fillText(label, x0 + groupWidth / 2, plot.bottom + 12);
  });
  g.strokeStyle = '#666';
  g.beginPath();
  g.moveTo(plot.left, plot.bottom);
  g.lineTo(plot.right, plot.bottom);
  g.stroke();
  return canvas.toBuffer('image/png');
}

function drawGroup(
  g: SKRSContext2D,
  spec: ChartSpec,
  i: number,
  x0: number,
  w: number,
  y: (v: number) => number,
) {
  if (spec.stacked) {
    let base = 0;
    for (const s of spec.series) {
      const v = s.values[i];
      if (v === null || v <= 0) continue;
      g.fillStyle = s.color;
      g.fillRect(x0, y(base + v), w, y(base) - y(base + v));
      base += v;
    }
    return;
  }
  const bw = w / spec.series.length;
  spec.series.forEach((s, k) => {
    const v = s.values[i];
    if (v === null) return;
    g.fillStyle = s.color;
    g.fillRect(x0 + k * bw, y(Math.max(v, 0)), bw * 0.92, y(0) - y(Math.max(v, 0)));
  });
}
