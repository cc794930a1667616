// Apache ECharts (the charting library most Chinese government systems use), loaded on first
// use from the service itself (/console/vendor/echarts.js — offline, same origin). Charts here
// are drawn on a canvas with Chinese locale and tooltips as rich text (no inline HTML styles,
// which the console's Content-Security-Policy forbids); the exact figures stay in the table
// beside each chart.
import { h } from './ui.js';

let library;
const load = () => (library ??= import('/console/vendor/echarts.js'));

/** A chart element that draws itself once ECharts has loaded; `option(echarts)` gives the option. */
function chart(title, option, { height = 320 } = {}) {
  const host = h('div.echart', { role: 'img', 'aria-label': title });
  host.style.height = `${height}px`; // CSSOM, not an inline style attribute
  load()
    .then((echarts) => {
      const draw = () => {
        const c = echarts.init(host, null, { locale: 'ZH', renderer: 'canvas' });
        c.setOption({
          aria: { enabled: true },
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
  return chart(title, () => ({
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
  }));
}
