// Apache ECharts (the charting library most Chinese government systems use), loaded on first
// use from the service itself (/console/vendor/echarts.js — offline, same origin). Charts here
// are drawn on a canvas with Chinese locale and tooltips as rich text (no inline HTML styles,
// which the console's Content-Security-Policy forbids); the exact figures stay in the table
// beside each chart.
import { h } from './ui.js';

let library;
const load = () => (library ??= import('/console/vendor/echarts.js'));

/**
 * A chart element that draws itself once ECharts has loaded; `option(echarts)` gives the option.
 * `description` is what a screen reader says of it (ECharts' own description reads data indices
 * and NaN for gaps); the title by default.
 */
function chart(title, option, { height = 320, description = title } = {}) {
  const host = h('div.echart', { role: 'img', 'aria-label': description });
  host.style.height = `${height}px`; // CSSOM, not an inline style attribute
  load()
    .then((echarts) => {
      const draw = () => {
        const c = echarts.init(host, null, { locale: 'ZH', renderer: 'canvas' });
        c.setOption({
          aria: { enabled: true, label: { description } },
          animation: false,
          textStyle: { fontFamily: 'system-ui, "Noto Sans SC", sans-serif' },
          title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
          tooltip: { renderMode: 'richText' },
          ...option(echarts),
        });
        new ResizeObserver(() => c.resize()).observe(host);
      };
      // drawn once the element is on the page (it has a size then)
      if (host.isConnected) draw();
      else
        requestAnimationFrame(function wait() {
          if (host.isConnected) draw();
          else requestAnimationFrame(wait);
        });
    })
    .catch((e) => host.replaceChildren(h('p.muted', `图表未能加载：${e.message ?? e}`)));
  return host;
}

/**
 * A waterfall: the start bar, each signed step floating from where the last ended (increase
 * green, decrease red), the end bar. Numbers in the drawing's unit (e.g. 亿元) for the bars;
 * `text` for the labels and tooltips (the exact, rounded-once figure).
 */
export function waterfallChart(title, { start, steps, end }) {
  const rows = [];
  let level = start.value;
  rows.push({ name: start.label, base: 0, size: start.value, text: start.text, kind: 'total' });
  for (const s of steps) {
    const after = level + s.value;
    rows.push({
      name: s.label,
      base: Math.min(level, after),
      size: Math.abs(s.value),
      text: s.text,
      kind: s.value >= 0 ? 'up' : 'down',
    });
    level = after;
  }
  rows.push({ name: end.label, base: 0, size: end.value, text: end.text, kind: 'total' });
  const lowest = Math.min(
    ...rows.filter((r) => r.kind !== 'total').map((r) => r.base),
    start.value,
    end.value,
  );
  const highest = Math.max(...rows.map((r) => r.base + r.size));
  const pad = (highest - lowest) * 0.15 || Math.abs(highest) * 0.01 || 1;
  const colour = { total: '#2f6fa8', up: '#1b6e3a', down: '#b2561d' };
  const description = `${title}：${rows.map((r) => `${r.name} ${r.text}`).join('，')}`;
  return chart(
    title,
    () => ({
      grid: { left: 70, right: 20, top: 50, bottom: 40 },
      xAxis: { type: 'category', data: rows.map((r) => r.name) },
      yAxis: {
        type: 'value',
        min: Math.max(0, Math.floor(lowest - pad)),
        max: Math.ceil(highest + pad),
      },
      series: [
        {
          type: 'bar',
          stack: 'w',
          silent: true,
          itemStyle: { color: 'transparent' },
          data: rows.map((r) => (r.kind === 'total' ? 0 : r.base)),
          tooltip: { show: false },
        },
        {
          type: 'bar',
          stack: 'w',
          data: rows.map((r) => ({ value: r.size, itemStyle: { color: colour[r.kind] } })),
          label: { show: true, position: 'top', formatter: (p) => rows[p.dataIndex].text },
          tooltip: { formatter: (p) => `${rows[p.dataIndex].name}：${rows[p.dataIndex].text}` },
        },
      ],
    }),
    { description },
  );
}

/**
 * A line over years, `points` [{x: year, value: number|null, text}] in year order: a year without
 * a figure (not reported, incomplete) is a gap in the line and says 缺失 under its year — never a
 * point at zero, never a line drawn straight across it. The gaps are named in the chart's label.
 */
export function trendChart(title, points, { height = 260 } = {}) {
  const missing = points.filter((p) => p.value === null).map((p) => p.x);
  const label = missing.length ? `${title}（${missing.join('、')} 年缺失）` : title;
  return chart(
    title,
    () => ({
      grid: { left: 70, right: 30, top: 50, bottom: 50 },
      xAxis: {
        type: 'category',
        data: points.map((p) => (p.value === null ? `${p.x}\n缺失` : String(p.x))),
        axisLabel: { interval: 0 },
      },
      yAxis: { type: 'value', scale: true },
      series: [
        {
          type: 'line',
          connectNulls: false,
          symbolSize: 8,
          data: points.map((p) => p.value),
          label: {
            show: true,
            position: 'top',
            formatter: (p) => points[p.dataIndex].text,
          },
          tooltip: {
            formatter: (p) => `${points[p.dataIndex].x} 年：${points[p.dataIndex].text}`,
          },
        },
      ],
      tooltip: { trigger: 'item', renderMode: 'richText' },
    }),
    {
      height,
      description: `${label}：${points.map((p) => `${p.x} 年 ${p.text}`).join('，')}`,
    },
  );
}
