// Parcel-level accounting (地块级核算): load a county's land-survey parcels, run them, read the
// sums by township and type, explain one parcel, and evaluate a project's land-cover change.

import { get, post, session, startJob, waitForJob } from '../api.js';
import { legendColours, pointMap } from '../charts.js';
import {
  action,
  alertBox,
  field,
  fmt,
  h,
  input,
  kv,
  link,
  mount,
  paged,
  progressBar,
  section,
  select,
  showError,
  sig,
  table,
  sumDec,
  toast,
  wan,
} from '../ui.js';
import {
  heading,
  methodology,
  publishedMethodologies,
  regionIndex,
  regionLabel,
  regionOptions,
  standardSelect,
  yearInput,
  named,
  byAt,
  regionOutline,
  drawButtons,
  uploadJob,
} from './common.js';

const PHASE = {
  queued: '排队中',
  reading: '读取文件',
  checking: '校验',
  writing: '写入',
  computing: '计算',
  aggregating: '汇总',
  summarising: '统计',
};

/** `#/parcels`: the sets of the user's counties, loading a new one, starting a run. */
export async function parcelsPage() {
  const index = await regionIndex();
  const runsList = paged(
    (page) => named(get('/parcels/runs', { page, pageSize: 20 }), 'createdBy'),
    (items) =>
      table(
        [
          {
            label: '核算',
            value: (r) => link(`#/parcels/runs/${r.id}`, `${r.year} 年 · 查看结果`),
          },
          { label: '县（市、区）', value: (r) => regionLabel(index, r.regionCode) },
          { label: '核算方法', value: (r) => `${r.standardId} 第 ${r.methodologyVersion} 版` },
          { label: '图斑', value: (r) => r.parcelCount.toLocaleString('zh-CN'), num: true },
          { label: '创建', value: (r) => byAt(r.createdBy, r.createdAt) },
        ],
        items,
        { caption: '地块级核算（最新在前）', empty: '还没有地块级核算' },
      ),
  );
  const setsList = paged(
    (page) => named(get('/parcels/sets', { page, pageSize: 20 }), 'createdBy'),
    (items) =>
      table(
        [
          { label: '图斑集', value: (s) => s.name },
          { label: '县（市、区）', value: (s) => regionLabel(index, s.regionCode) },
          { label: '年份', value: (s) => `${s.year} 年` },
          { label: '图斑', value: (s) => s.parcelCount.toLocaleString('zh-CN'), num: true },
          { label: '面积（公顷）', value: (s) => fmt(s.totalArea, 2), num: true },
          { label: '来源文件', value: (s) => s.sourceFilename ?? s.sourceFormat },
          { label: '载入', value: (s) => byAt(s.createdBy, s.createdAt) },
          {
            label: '',
            value: (s) => (session.has('accountant') ? runButton(s, runsList) : ''),
          },
        ],
        items,
        { caption: '图斑集（最新在前）', empty: '还没有载入图斑' },
      ),
  );
  mount(
    heading('地块级核算'),
    h(
      'p.muted',
      '按县载入土地调查图斑（CSV 或 GeoJSON），在数据库内逐图斑计算各项生态产品价值，按乡镇和生态系统类型汇总；可解释单个图斑的结果，并测算项目改变用地类型前后的 GEP。',
    ),
    session.has('statistician') ? await loadCard(setsList) : null,
    section('图斑集', setsList),
    section('核算', runsList),
  );
}

function runButton(set, runsList) {
  const box = alertBox();
  const progress = progressBar('核算进度');
  progress.hidden = true;
  const wrap = h('span.run-set', box, progress);
  wrap.prepend(
    action(
      '核算此图斑集',
      async () => {
        const job = await startJob('/parcels/runs', { setId: set.id });
        progress.hidden = false;
        const done = await waitForJob(job.id, (j) =>
          progress.set(j.percent, PHASE[j.phase] ?? '核算中'),
        );
        toast(`${set.name}：${done.result.parcels} 个图斑已核算`);
        runsList.reload();
        location.hash = `#/parcels/runs/${done.result.runId}`;
      },
      box,
    ),
  );
  return wrap;
}

async function loadCard(setsList) {
  const box = alertBox();
  const methodologies = await publishedMethodologies();
  const standard = await standardSelect(methodologies);
  const region = select('regionCode', await regionOptions('county'));
  const year = yearInput(1);
  const name = input('name', { placeholder: '如：2025 年度国土变更调查图斑' });
  const file = h('input', {
    type: 'file',
    accept: '.csv,.geojson,.json,text/csv,application/geo+json',
    id: 'parcel-file',
  });
  const progress = progressBar('载入进度');
  progress.hidden = true;
  const problems = h('div.upload-result');
  const form = h(
    'form.inline',
    box,
    field('县（市、区）', region),
    field('年份', year),
    field('核算方法', standard),
    field('名称', name),
    field('文件（CSV 或 GeoJSON）', file),
  );
  form.append(
    action(
      '载入图斑',
      async () => {
        const f = file.files?.[0];
        if (!f)
          throw Object.assign(new Error('请选择文件'), { readable: '请选择 CSV 或 GeoJSON 文件' });
        const done = await uploadJob('/parcels/imports', f, {
          query: {
            regionCode: region.value,
            year: year.value,
            standardId: standard.value,
            name: name.value || f.name,
            filename: f.name,
          },
          contentType: /\.(geo)?json$/i.test(f.name) ? 'application/geo+json' : 'text/csv',
          progress,
          problems,
          phases: PHASE,
          problemLabel: '问题（含所在行或要素与字段）',
          refused: '以下问题导致文件未载入（没有保存任何图斑）',
        });
        toast(`${f.name}：${done.result.parcels} 个图斑已载入`);
        file.value = '';
        setsList.reload();
      },
      box,
      form,
      '.primary',
    ),
    progress,
  );
  return section(
    '载入图斑',
    h(
      'p.muted',
      '列：parcel_id 图斑编号、township 乡镇（代码或名称）、ecosystem 生态系统类型、area 面积（可带单位，如 area[亩]），可选 lon、lat 中心点，以及核算方法的逐图斑变量。有任何错误则整个文件不载入，并列出每个错误所在的行（或要素）与字段。',
    ),
    form,
    problems,
  );
}

/** `#/parcels/runs/:id`: sums by township and type, one parcel explained, a project what-if. */
export async function parcelRunPage(id) {
  const index = await regionIndex();
  const run = await named(get(`/parcels/runs/${id}`), 'createdBy');
  const m = await methodology(run.methodologyId);
  const names = indicatorNames(m.content);
  const types = parcelTypes(m.content);
  const variables = new Map((m.content.variables ?? []).map((v) => [v.code, v]));
  const parcelVariables = (m.content.parcel?.variables ?? []).map(
    (code) => variables.get(code) ?? { code, nameZh: code, unit: '' },
  );
  const inputName = (code) => variables.get(code)?.nameZh ?? code;
  const county = run.regionCode;
  const townships = [...index.values()]
    .filter((r) => r.parentCode === county)
    .sort((a, b) => a.code.localeCompare(b.code));
  const area = select('areaCode', [
    [county, `${regionLabel(index, county)}（全县）`],
    ...townships.map((t) => [t.code, regionLabel(index, t.code)]),
  ]);
  const sums = h('div.parcel-sums', h('p.muted', '正在加载……'));
  const townshipHost = h('div', h('p.muted', '正在加载……'));
  const measure = select('measure', [
    ['', '全部指标合计'],
    ...run.indicatorCodes.map((code) => [code, names.get(code) ?? code]),
  ]);
  const mapHost = h('div', h('p.muted', '正在加载图斑分布图……'));
  const project = projectCard(id, names, types, parcelVariables);
  // every area's sums at once (the county and its townships: a few hundred rows), read once
  let aggregates = [];
  const showSums = () =>
    sums.replaceChildren(
      aggregateTable(
        aggregates.filter((r) => r.areaCode === area.value),
        run.indicatorCodes,
        names,
        types,
      ),
    );
  area.addEventListener('change', showSums);
  mount(
    heading(
      `地块级核算：${regionLabel(index, county)} ${run.year} 年`,
      link('#/parcels', '返回列表'),
    ),
    kv([
      ['核算方法', `${m.name}（第 ${run.methodologyVersion} 版）`],
      ['图斑', run.parcelCount.toLocaleString('zh-CN')],
      [
        '逐项情况',
        h(
          'ul.compact',
          run.summary.map((s) =>
            h(
              'li',
              `${names.get(s.code) ?? s.code}：计算 ${s.computed}`,
              s.missing ? `，缺数据 ${s.missing}` : '',
              s.failed ? `，无法计算 ${s.failed}` : '',
            ),
          ),
        ),
      ],
      ['创建', byAt(run.createdBy, run.createdAt)],
    ]),
    section('按生态系统类型汇总（万元）', field('范围', area), sums),
    section('按乡镇汇总', field('指标', measure), townshipHost),
    mapHost,
    explainCard(id, { names, types, inputName, index }),
    project.element,
  );
  aggregates = await get(`/parcels/runs/${id}/aggregates`);
  showSums();
  let byTownship = [];
  let mapped;
  const showTownships = () => {
    byTownship = townshipSums(
      aggregates,
      townships.map((t) => t.code),
      measure.value ? [measure.value] : run.indicatorCodes,
    );
    townshipHost.replaceChildren(townshipTable(byTownship, index));
    mapped?.recolour();
  };
  measure.addEventListener('change', showTownships);
  showTownships();
  try {
    mapped = await mapCard(
      run,
      types,
      regionLabel(index, county),
      (ring, ids) => project.usePolygon(ring, ids),
      () => byTownship,
    );
    mapHost.replaceChildren(mapped);
  } catch (e) {
    const box = alertBox();
    showError(e, box);
    mapHost.replaceChildren(box);
  }
}

/**
 * 图斑分布图: the set's parcel centroids over the county's outline, coloured by ecosystem type or
 * by their township's value per hectare (`sums()`: the townships' sums of the measure chosen in
 * 按乡镇汇总; `recolour()` on the returned card follows a new choice); a polygon drawn on it (click
 * the corners, then 完成范围) selects the parcels of a project.
 */
async function mapCard(run, types, countyName, onPolygon, sums) {
  const p = await get(`/parcels/sets/${run.setId}/points`, { limit: 5000 });
  if (!p.bounds)
    return section(
      '图斑分布图',
      h('p.muted', '本图斑集的图斑没有中心点坐标（lon、lat），无法制图。'),
    );
  const outline = await regionOutline(run.regionCode);
  const present = [...new Set(p.points.map((x) => x[3]))].sort();
  const typeColours = legendColours(present);
  const status = h('p.muted', { role: 'status' });
  const colouring = select('colouring', [
    ['type', '按生态系统类型'],
    ['township', '按乡镇单位面积价值量'],
  ]);
  const host = h('div');
  let drawingControls = h('div');
  const draw = () => {
    const township = colouring.value === 'township';
    const byTown = townshipColours(sums());
    const map = pointMap(
      township ? `${countyName} 各乡镇单位面积价值量` : `${countyName} 图斑分布`,
      p.points,
      {
        bounds: p.bounds,
        ...(township
          ? { colours: byTown.colours, key: 4, legend: byTown.legend }
          : {
              colours: typeColours,
              legend: present.map((t) => ({ label: types.get(t) ?? t, color: typeColours.get(t) })),
            }),
        outline,
        onPolygon: (ring, ids) => {
          status.textContent = ring
            ? `已选定范围：图上 ${ids.length} 个图斑的中心点在范围内${
                p.sampled ? '（图上为抽样显示，测算按全部图斑）' : ''
              }。下方「项目测算」将按此范围测算。`
            : '';
          onPolygon(ring, ids);
        },
      },
    );
    host.replaceChildren(map);
    const controls = drawButtons(map.drawing, status);
    drawingControls.replaceWith(controls);
    drawingControls = controls;
  };
  const redraw = () => {
    draw();
    status.textContent = ''; // a range drawn on the map before is gone with it
    onPolygon(null, []);
  };
  colouring.addEventListener('change', redraw);
  draw();
  const card = section(
    '图斑分布图',
    h(
      'p.muted',
      `共 ${p.total.toLocaleString('zh-CN')} 个图斑${
        p.sampled ? `，图上均匀抽样显示 ${p.points.length.toLocaleString('zh-CN')} 个` : ''
      }${p.withoutCentroid ? `；${p.withoutCentroid} 个没有中心点坐标，未画出` : ''}。在图上依次点击项目范围的各个拐点，再点「完成范围」。`,
    ),
    field('着色', colouring, '按乡镇着色时，价值量为上方「按乡镇汇总」所选的指标'),
    host,
    drawingControls,
    status,
  );
  card.recolour = () => colouring.value === 'township' && redraw();
  return card;
}

/**
 * Each township's parcels summed over types and the given indicators from the run's aggregates:
 * value (元, exact) only when every sum is complete — a township with a gap is incomplete, never
 * smaller.
 */
function townshipSums(rows, townships, indicatorCodes) {
  return townships
    .map((code) => {
      const mine = rows.filter(
        (r) => r.areaCode === code && indicatorCodes.includes(r.indicatorCode),
      );
      if (!mine.length) return null;
      const first = mine.filter((r) => r.indicatorCode === indicatorCodes[0]);
      const values = mine.map((r) => r.value);
      return {
        code,
        parcels: first.reduce((n, r) => n + Number(r.parcels), 0),
        areaHa: sumDec(first.map((r) => r.areaHa)),
        value: sumDec(values),
        // parcels without a result: over the types of one indicator, the most of any indicator
        gaps: Math.max(
          0,
          ...indicatorCodes.map((c) =>
            mine
              .filter((r) => r.indicatorCode === c)
              .reduce((n, r) => n + (r.missing ?? 0) + (r.failed ?? 0), 0),
          ),
        ),
      };
    })
    .filter(Boolean);
}

/** 按乡镇汇总: parcels, area, value and value per hectare of each township; gaps said, not summed. */
function townshipTable(sums, index) {
  return table(
    [
      { label: '乡镇', value: (s) => regionLabel(index, s.code) },
      { label: '图斑', value: (s) => s.parcels.toLocaleString('zh-CN'), num: true },
      { label: '面积（公顷）', value: (s) => fmt(s.areaHa, 2), num: true },
      {
        label: '价值量合计',
        value: (s) =>
          s.value === null
            ? h('span.incomplete', `不完整（${s.gaps} 个图斑无结果）`)
            : wan(s.value),
        num: true,
      },
      {
        label: '单位面积（万元/公顷）',
        value: (s) => (s.value === null ? '—' : fmt(perHectare(s), 2)),
        num: true,
      },
    ],
    sums,
    { caption: '各乡镇全部类型的价值量；有图斑无结果的乡镇不合计', empty: '没有图斑' },
  );
}

/** 万元 per hectare, for drawing and display (the exact sums are in the table). */
const perHectare = (s) => Number(s.value) / 1e4 / Number(s.areaHa);

const RAMP = ['#a1d99b', '#74c476', '#31a354', '#006d2c', '#00441b'];
const INCOMPLETE_COLOUR = '#b9b9b9';

/** Townships coloured in five classes of value per hectare (quantiles); incomplete ones grey. */
function townshipColours(sums) {
  const complete = sums.filter((s) => s.value !== null && Number(s.areaHa) > 0);
  const sorted = complete.map(perHectare).sort((a, b) => a - b);
  const classes = Math.min(RAMP.length, sorted.length);
  const breaks = Array.from(
    { length: classes },
    (_, k) => sorted[Math.ceil(((k + 1) * sorted.length) / classes) - 1],
  );
  const classOf = (v) => breaks.findIndex((b) => v <= b);
  // fewer classes than colours: spread over the whole ramp, lightest to darkest
  const colourOf = (k) =>
    RAMP[classes < 2 ? 2 : Math.round((k * (RAMP.length - 1)) / (classes - 1))];
  const colours = new Map(
    sums.map((s) => [
      s.code,
      complete.includes(s) ? colourOf(classOf(perHectare(s))) : INCOMPLETE_COLOUR,
    ]),
  );
  const legend = breaks.map((b, k) => ({
    label: `${k === 0 ? '≤' : `${fmt(breaks[k - 1], 1)}–`}${fmt(b, 1)} 万元/公顷`,
    color: colourOf(k),
  }));
  if (complete.length < sums.length)
    legend.push({ label: '不完整（有图斑无结果，不按 0 着色）', color: INCOMPLETE_COLOUR });
  return { colours, legend };
}

/** Indicator names (Chinese first) by code. */
function indicatorNames(content) {
  return new Map((content.indicators ?? []).map((i) => [i.code, i.nameZh ?? i.code]));
}

/** The parcel types (the index set of the parcel model), by code with their names. */
function parcelTypes(content) {
  const set = content.parcel?.indexSet;
  const items = (content.indexSets ?? []).find((s) => s.code === set)?.items ?? [];
  return new Map(items.map((i) => [i.code, i.name ?? i.code]));
}

/**
 * Rows: types; columns: indicators. A sum over parcels some of which have no result (no data, or
 * a data error) is incomplete and says how many; none of the parcels: missing.
 */
function aggregateTable(rows, codes, names, types) {
  const byType = new Map();
  for (const r of rows) {
    if (!byType.has(r.ecosystem))
      byType.set(r.ecosystem, { parcels: r.parcels, areaHa: r.areaHa, cells: new Map() });
    byType.get(r.ecosystem).cells.set(r.indicatorCode, r);
  }
  // the service leaves a sum null when any of its parcels has no result (never a partial sum)
  const cell = (c) => {
    if (!c) return '—';
    const gaps = (c.missing ?? 0) + (c.failed ?? 0);
    if (c.value !== null) return wan(c.value);
    return h(
      'span.incomplete',
      { title: `${c.missing} 个图斑缺数据，${c.failed} 个无法计算` },
      gaps < c.parcels ? `不完整（${gaps} 个图斑无结果）` : '缺失',
    );
  };
  return table(
    [
      { label: '生态系统类型', value: ([code]) => types.get(code) ?? code },
      { label: '图斑', value: ([, t]) => Number(t.parcels).toLocaleString('zh-CN'), num: true },
      { label: '面积（公顷）', value: ([, t]) => fmt(t.areaHa, 2), num: true },
      ...codes.map((code) => ({
        label: names.get(code) ?? code,
        value: ([, t]) => cell(t.cells.get(code)),
        num: true,
      })),
    ],
    [...byType],
    { caption: '各类型的价值量（万元）；缺数据的图斑不计为 0', empty: '此范围没有图斑' },
  );
}

function explainCard(runId, { names, types, inputName, index }) {
  const box = alertBox();
  const parcel = input('parcelId', { placeholder: '图斑编号，如 P-000001' });
  const out = h('div.parcel-explain');
  const form = h('form.inline', box, field('图斑编号', parcel));
  form.append(
    action(
      '解释此图斑',
      async () => {
        const e = await get(
          `/parcels/runs/${runId}/parcels/${encodeURIComponent(parcel.value.trim())}`,
        );
        out.replaceChildren(
          kv([
            ['乡镇', regionLabel(index, e.townshipCode)],
            ['生态系统类型', types.get(e.ecosystem) ?? e.ecosystem],
            ['面积（公顷）', sig(e.areaHa, 8)],
            [
              '输入',
              h(
                'ul.compact',
                e.inputs.map((i) =>
                  h(
                    'li',
                    `${inputName(i.code)}：${i.value === null ? '未填报' : `${sig(i.value)} ${i.unit}`}`,
                  ),
                ),
              ),
            ],
          ]),
          table(
            [
              { label: '指标', value: (i) => names.get(i.code) ?? i.code },
              { label: '状态', value: (i) => PARCEL_STATUS[i.status] ?? i.status },
              {
                label: '实物量',
                value: (i) =>
                  i.quantity === null ? '—' : `${sig(i.quantity)} ${i.quantityUnit ?? ''}`,
                num: true,
              },
              {
                label: '价值量（元）',
                value: (i) => (i.value === null ? '—' : sig(i.value, 10)),
                num: true,
              },
              {
                label: '复算（十进制）',
                value: (i) => (i.agrees ? '一致' : h('span.incomplete', '不一致')),
              },
              {
                label: '说明',
                value: (i) =>
                  i.missing?.length
                    ? `缺少：${i.missing.map(inputName).join('、')}`
                    : (i.error ?? ''),
              },
            ],
            e.indicators,
            { caption: `图斑 ${e.parcelId ?? parcel.value} 的各项结果与复算` },
          ),
        );
      },
      box,
      form,
    ),
  );
  return section('解释单个图斑', form, out);
}

const PARCEL_STATUS = { computed: '已计算', missing: '缺数据', failed: '无法计算' };

function projectCard(runId, names, types, parcelVariables) {
  const box = alertBox();
  const ids = h('textarea', {
    name: 'parcelIds',
    rows: 3,
    placeholder: '图斑编号，用逗号、空格或换行分隔',
  });
  const projectName = input('name', { placeholder: '如：某工业园区二期' });
  const to = select(
    'scenario.ecosystem',
    [...types].map(([code, name]) => [code, `${name}（${code}）`]),
  );
  const out = h('div.project-result');
  let polygon = null; // a range drawn on the map: used instead of the ids
  const drawn = h('p.muted');
  // each input after the change, in its declared unit; blank keeps the parcel's own value
  const after = parcelVariables.map((v) => ({
    code: v.code,
    control: input(`scenario.inputs.${v.code}`, { inputMode: 'decimal', placeholder: '不变' }),
    label: `${v.nameZh}（${v.unit}）`,
  }));
  const form = h(
    'form',
    box,
    field('项目名称', projectName),
    field('项目占用的图斑', ids),
    drawn,
    field('改为生态系统类型', to),
    h(
      'fieldset.scenario-inputs',
      h('legend', '改变后的逐图斑数值（留空则沿用图斑原值）'),
      h(
        'div.inline',
        after.map((a) => field(a.label, a.control)),
      ),
    ),
  );
  form.append(
    action(
      '测算前后 GEP',
      async () => {
        const parcelIds = ids.value.split(/[\s,，、]+/).filter(Boolean);
        const r = await post(`/parcels/runs/${runId}/projects`, {
          name: projectName.value || undefined,
          ...(polygon
            ? { polygon: { type: 'Polygon', coordinates: [polygon] } }
            : { parcelIds: parcelIds.length ? parcelIds : undefined }),
          scenario: {
            ecosystem: to.value,
            inputs: Object.fromEntries(
              after
                .filter((a) => a.control.value.trim() !== '')
                .map((a) => [a.code, a.control.value.trim()]),
            ),
          },
        });
        out.replaceChildren(
          kv([
            ['图斑', `${r.parcels} 个，${fmt(r.areaHa, 2)} 公顷`],
            ['改为', types.get(r.scenario.ecosystem) ?? r.scenario.ecosystem],
            ['GEP 之前（万元）', wan(r.gep.before)],
            ['GEP 之后（万元）', wan(r.gep.after)],
            ['变化（万元）', wan(r.gep.change)],
            r.gep.incomplete.length
              ? [
                  '未计入',
                  h(
                    'span.incomplete',
                    `${r.gep.incomplete.map((c) => names.get(c) ?? c).join('、')}：前后至少一方缺数据，未计入上面的 GEP`,
                  ),
                ]
              : null,
          ]),
          table(
            [
              { label: '指标', value: (i) => names.get(i.code) ?? i.code },
              { label: '计入 GEP', value: (i) => (i.counted ? '是' : '否') },
              {
                label: '之前（万元）',
                value: (i) => (i.before.value === null ? '缺失' : wan(i.before.value)),
                num: true,
              },
              {
                label: '之后（万元）',
                value: (i) => (i.after.value === null ? '缺失' : wan(i.after.value)),
                num: true,
              },
              {
                label: '变化（万元）',
                value: (i) => (i.change.value === null ? '—' : wan(i.change.value)),
                num: true,
              },
            ],
            r.indicators,
            { caption: '各项生态产品价值的前后对比' },
          ),
        );
      },
      box,
      form,
      '.primary',
    ),
  );
  return {
    element: section(
      '项目测算（改变用地类型）',
      h(
        'p.muted',
        '选定项目占用的图斑（填写编号，或在上面的分布图上画出范围）和改变后的生态系统类型，用本次核算的参数测算前后 GEP，作为占用补偿的依据。',
      ),
      form,
      out,
    ),
    /** A range drawn on the map (null: back to the ids). */
    usePolygon(ring, picked) {
      polygon = ring;
      ids.disabled = Boolean(ring);
      drawn.textContent = ring
        ? `按分布图上画出的范围测算（中心点在范围内的图斑，图上 ${picked.length} 个）；清除范围后可改填编号。`
        : '';
    },
  };
}
