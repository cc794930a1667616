// Accountant pages: methodologies (read, compare, validate; authoring in methodology-authoring.js), runs (start with progress, publish,
// verify, export), results with charts and the "explain this number" drill-down.

import { all, download, get, post, session, startJob, waitForJob } from '../api.js';
import { barChart, tornadoChart } from '../charts.js';
import { trendChart, waterfallChart } from '../echarts.js';
import {
  action,
  alertBox,
  badge,
  button,
  CATEGORY,
  date,
  dialog,
  exactly,
  field,
  fmt,
  h,
  input,
  kv,
  link,
  mount,
  paged,
  pct,
  progressBar,
  RUN_STATUS,
  section,
  select,
  showError,
  shift,
  table,
  toast,
  toastWhenDrawn,
  yi,
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
  knowNames,
  nameOf,
} from './common.js';
import {
  addIndicator,
  addParameter,
  ruleDialog,
  variableDialog,
  indexSetDialog,
  authoringCard,
  deductionToggle,
  editable,
  editIndicator,
  editParameter,
  editColumn,
  importCard,
} from './methodology-authoring.js';

export async function methodologiesPage() {
  mount(
    heading('核算方法'),
    h(
      'p.muted',
      '核算方法以数据保存：指标公式（带单位）、参数与价格（注明出处）、调查变量。已发布的版本不可修改。',
    ),
    importCard(),
    paged(
      (page) => get('/methodologies', { page, pageSize: 20 }),
      (items) =>
        table(
          [
            { label: '名称', value: (m) => link(`#/methodologies/${m.id}`, m.name) },
            { label: '标准', value: (m) => m.standardId },
            { label: '版本', value: (m) => String(m.version), num: true },
            {
              label: '状态',
              value: (m) => badge(m.status, { draft: '草稿', published: '已发布' }),
            },
            {
              label: '指标/变量/参数',
              value: (m) =>
                `${m.counts?.indicators ?? '—'} / ${m.counts?.variables ?? '—'} / ${m.counts?.parameters ?? '—'}`,
            },
            { label: '发布时间', value: (m) => date(m.publishedAt) },
          ],
          items,
        ),
    ),
  );
}

const CHANGE = { added: '新增', removed: '删除', changed: '修改' };
const KIND = {
  indexSet: '分类',
  service: '服务',
  variable: '变量',
  parameter: '参数',
  indicator: '指标',
  validationRule: '校验规则',
  parcel: '图斑',
};

export async function methodologyPage(id) {
  const m = await methodology(id);
  const box = alertBox();
  const c = m.content;
  const services = new Map(c.services.map((s) => [s.code, s]));
  const rules = c.indicators.flatMap((i) =>
    (i.methodRules ?? []).map((r) => ({ ...r, indicator: i.code })),
  );
  const index =
    rules.length || c.parameters.some((p) => p.values.some((v) => v.region))
      ? await regionIndex()
      : new Map();
  const itemNames = new Map(
    c.indexSets.flatMap((set) => set.items.map((it) => [`${set.code}|${it.code}`, it.name])),
  );
  const validation = h('div');
  const others = (await all('/methodologies')).filter((o) => o.id !== id);
  const other = h(
    'select',
    { id: 'diff-other', name: 'other' },
    others.map((o) =>
      h('option', { value: o.id }, `${o.name}（${o.standardId} 第 ${o.version} 版）`),
    ),
  );
  const diffHost = h('div');
  mount(
    heading(m.name, link('#/methodologies', '返回列表')),
    kv([
      ['标准', `${m.standardId} 第 ${m.version} 版`],
      ['状态', badge(m.status, { draft: '草稿', published: '已发布' })],
      ['依据文件', m.sourceDocument],
      ['说明', m.description],
      [
        '区域外生态产品扣减',
        c.requireOutOfRegionDeduction
          ? '发布核算前必须扣减（GEP = 区域内全部生态产品价值 − 来自区域外的部分）'
          : c.services.some((s) => s.category === 'out_of_region')
            ? '有扣减项，发布前不强制'
            : '无',
      ],
    ]),
    deductionToggle(m),
    authoringCard(m),
    box,
    section(
      '校验',
      action(
        '校验此方法',
        async () => {
          const r = await post(`/methodologies/${id}/validate`);
          validation.replaceChildren(
            r.valid
              ? h('p.ok', '校验通过，没有问题。')
              : table(
                  [
                    { label: '位置', value: (p) => p.path },
                    { label: '问题', value: (p) => p.message },
                  ],
                  r.problems,
                  { caption: `${r.problems.length} 个问题` },
                ),
          );
        },
        box,
      ),
      validation,
    ),
    others.length
      ? section(
          '版本比较',
          h(
            'div.inline',
            field('与之比较', other),
            action(
              '比较',
              async () => {
                const d = await get(`/methodologies/${id}/diff/${other.value}`);
                diffHost.replaceChildren(
                  table(
                    [
                      { label: '类别', value: (x) => KIND[x.kind] ?? x.kind },
                      { label: '代码', value: (x) => x.code },
                      { label: '变化', value: (x) => CHANGE[x.change] ?? x.change },
                      {
                        label: '字段',
                        value: (x) =>
                          (x.fields ?? [])
                            .map((f) => f.field ?? f.path ?? JSON.stringify(f))
                            .join('、'),
                      },
                    ],
                    d.changes,
                    {
                      caption: `${d.from.standardId} v${d.from.version} → ${d.to.standardId} v${d.to.version}：${d.changes.length} 处变化`,
                      empty: '两个版本内容相同',
                    },
                  ),
                );
              },
              box,
            ),
          ),
          diffHost,
        )
      : null,
    section(
      `指标（${c.indicators.length}）`,
      editable(m) ? button('新增指标', () => addIndicator(m)) : null,
      table(
        [
          { label: '指标', value: (i) => h('span', i.nameZh, h('small.code', i.code)) },
          { label: '类别', value: (i) => CATEGORY[services.get(i.service)?.category] ?? '' },
          {
            label: '实物量公式',
            value: (i) =>
              i.quantity ? h('code', `${i.quantity.formula} [${i.quantity.unit}]`) : '—',
          },
          { label: '价值量公式', value: (i) => h('code', `${i.value.formula} [${i.value.unit}]`) },
          { label: '可选方法', value: (i) => methodsCell(i) },
          { label: '计入', value: (i) => (i.counted ? '是' : '否（避免重复计算）') },
          { label: '出处', value: (i) => h('small', i.citation) },
          ...editColumn(m, 'indicators', editIndicator, (x) => `指标「${x.nameZh}」`),
        ],
        c.indicators,
      ),
    ),
    rules.length
      ? section(
          `方法选用规则（${rules.length}）`,
          h(
            'p.muted',
            '规则指定某地区（及其下级）在某期间必须采用的方法；没有规则时，按声明顺序采用输入数据齐全的第一种方法。指定的方法缺少数据时不出结果，不会改用其他方法。',
          ),
          table(
            [
              {
                label: '指标',
                value: (r) => {
                  const i = c.indicators.find((x) => x.code === r.indicator);
                  return i ? h('span', i.nameZh, h('small.code', i.code)) : r.indicator;
                },
              },
              { label: '方法', value: (r) => methodName(c, r.indicator, r.method) },
              { label: '地区', value: (r) => (r.region ? regionLabel(index, r.region) : '全国') },
              {
                label: '期间',
                value: (r) => `${r.validFrom ?? '不限'} — ${r.validTo ?? '不限'}`,
              },
              { label: '依据', value: (r) => h('small', r.note ?? '') },
            ],
            rules,
          ),
        )
      : null,
    others.length ? crosswalkSection(m, others, box) : null,
    section(
      `参数与价格（${c.parameters.length}）`,
      editable(m) ? button('新增参数', () => addParameter(m)) : null,
      table(
        [
          { label: '参数', value: (p) => h('span', p.nameZh, h('small.code', p.code)) },
          { label: '单位', value: (p) => p.unit },
          {
            label: '取值',
            value: (p) =>
              h(
                'ul.plain',
                p.values.map((v) =>
                  h(
                    'li',
                    `${
                      typeof v.value === 'object'
                        ? Object.entries(v.value)
                            .map(([k, x]) => `${itemNames.get(`${p.index}|${k}`) ?? k} ${x}`)
                            .join('，')
                        : v.value
                    }${v.low != null && v.high != null ? `（范围 ${v.low}–${v.high}）` : ''}${v.region ? `（${regionLabel(index, v.region)}）` : ''}${v.validFrom || v.validTo ? ` · ${v.validFrom ?? ''}–${v.validTo ?? ''} 年` : ''}${v.priceYear ? ` · ${v.priceYear} 年价` : ''}`,
                  ),
                ),
              ),
          },
          { label: '来源', value: (p) => h('small', p.values.map((v) => v.source).join('；')) },
          ...editColumn(m, 'parameters', editParameter, (x) => `参数「${x.nameZh}」`),
        ],
        c.parameters,
      ),
    ),
    section(
      `调查变量（${c.variables.length}）`,
      editable(m) ? button('新增变量', () => variableDialog(m)) : null,
      table(
        [
          { label: '变量', value: (v) => h('span', v.nameZh, h('small.code', v.code)) },
          { label: '单位', value: (v) => v.unit },
          { label: '填报部门', value: (v) => v.department ?? '—' },
          ...editColumn(m, 'variables', variableDialog, (x) => `变量「${x.nameZh}」`),
        ],
        c.variables,
      ),
    ),
    section(
      `分项（${c.indexSets.length}）`,
      editable(m) ? button('新增分项', () => indexSetDialog(m)) : null,
      table(
        [
          { label: '分项', value: (s) => h('span', s.name, h('small.code', s.code)) },
          {
            label: '各项',
            value: (s) => s.items.map((it) => `${it.name}（${it.code}）`).join('、'),
          },
          {
            label: '实物量',
            value: (s) => (s.quantityAdditive === false ? '各项不同物质，不相加' : '可相加'),
          },
          ...editColumn(m, 'indexSets', indexSetDialog, (x) => `分项「${x.name}」`),
        ],
        c.indexSets,
        { empty: '没有分项' },
      ),
    ),
    section(
      `校验规则（${(c.validationRules ?? []).length}）`,
      editable(m) ? button('新增校验规则', () => ruleDialog(m)) : null,
      table(
        [
          { label: '规则', value: (r) => h('code', r.code) },
          { label: '类型', value: (r) => RULE_KIND_ZH[r.kind] ?? r.kind },
          { label: '级别', value: (r) => (r.severity === 'error' ? '错误' : '警告') },
          {
            label: '变量',
            value: (r) => c.variables.find((v) => v.code === r.variable)?.nameZh ?? r.variable,
          },
          { label: '条件', value: (r) => h('small', ruleText(r, c)) },
          ...editColumn(m, 'validationRules', ruleDialog, (x) => `校验规则「${x.code}」`),
        ],
        c.validationRules ?? [],
        { empty: '没有校验规则' },
      ),
    ),
  );
}

const RULE_KIND_ZH = {
  range: '取值范围',
  required: '必填',
  yoy_change: '同比变化',
  parts_sum: '分项之和',
  compare: '两项比较',
};

/** A validation rule's condition in words. */
function ruleText(r, c) {
  const name = (code) => c.variables.find((v) => v.code === code)?.nameZh ?? code;
  switch (r.kind) {
    case 'range':
      return `${r.min ?? '不限'} ≤ 值 ≤ ${r.max ?? '不限'}`;
    case 'required':
      return '必须填报';
    case 'yoy_change':
      return `与上年相比变化不超过 ${r.maxChangePercent}%`;
    case 'parts_sum':
      return `${(r.parts ?? []).map(name).join(' + ')} = ${name(r.variable)}`;
    case 'compare':
      return `${name(r.variable)} ${r.op} ${name(r.other)}`;
    default:
      return r.message ?? '';
  }
}

/** The name of an indicator's method: the main one or an alternative. */
function methodName(c, indicator, code) {
  const i = c.indicators.find((x) => x.code === indicator);
  const m = i && [i.method, ...(i.alternatives ?? [])].find((x) => x?.code === code);
  return m ? `${m.nameZh}（${m.code}）` : code;
}

/** An indicator's methods, main first, each with its formulas (the alternatives are tried in this order). */
function methodsCell(i) {
  if (!i.alternatives?.length) return '—';
  const line = (m, k) =>
    h(
      'li',
      h('span', `${k + 1}. ${m.nameZh ?? '主方法'}`, m.code ? h('small.code', m.code) : null),
      h(
        'div',
        h(
          'small',
          m.quantity ? h('code', `${m.quantity.formula} [${m.quantity.unit}]`) : null,
          m.quantity ? '；' : null,
          h('code', `${m.value.formula} [${m.value.unit}]`),
        ),
      ),
    );
  return h(
    'ol.plain',
    [{ ...(i.method ?? {}), quantity: i.quantity, value: i.value }, ...i.alternatives].map(line),
  );
}

/** 标准对照: two methodologies item by item over the common service catalogue. */
function crosswalkSection(m, others, box) {
  const other = h(
    'select',
    { id: 'crosswalk-other', name: 'crosswalk-other' },
    others.map((o) =>
      h('option', { value: o.id }, `${o.name}（${o.standardId} 第 ${o.version} 版）`),
    ),
  );
  const host = h('div');
  const names = (xs) => (xs.length ? xs.map((x) => x.nameZh).join('、') : '—');
  const PRESENCE = {
    both: '两者都计入',
    only_first: '仅本方法计入',
    only_second: '仅对照方法计入',
    neither: '都不计入',
  };
  return section(
    '标准对照',
    h(
      'p.muted',
      '按统一的生态系统服务目录（水源涵养 = 涵养水源、固碳 = 固定二氧化碳……）逐项对照两种核算方法，列出只有一方计入的项目。',
    ),
    h(
      'div.inline',
      field('对照方法', other),
      action(
        '对照',
        async () => {
          const x = await get(`/methodologies/${m.id}/crosswalk/${other.value}`);
          host.replaceChildren(
            table(
              [
                { label: '服务', value: (r) => r.nameZh },
                { label: '类别', value: (r) => CATEGORY[r.category] ?? r.category },
                {
                  label: `本方法（${x.first.standardId}）`,
                  value: (r) => names(r.sides[0].counted),
                },
                {
                  label: `对照方法（${x.second.standardId}）`,
                  value: (r) => names(r.sides[1].counted),
                },
                {
                  label: '对照结果',
                  value: (r) => badge(r.presence, PRESENCE),
                },
                { label: '说明', value: (r) => h('small', r.note ?? '') },
              ],
              x.items,
              {
                caption: `${x.first.name} ↔ ${x.second.name}：${x.items.length} 项，${
                  x.items.filter((r) => r.presence !== 'both').length
                } 项只有一方计入`,
              },
            ),
            x.unplaced.length
              ? h(
                  'p.muted',
                  `未归入目录的服务：${x.unplaced.map((u) => `${u.nameZh}（${u.side === 0 ? '本方法' : '对照方法'}）`).join('、')}`,
                )
              : null,
          );
        },
        box,
      ),
    ),
    host,
  );
}

export async function runsPage() {
  const index = await regionIndex();
  mount(
    heading('核算结果'),
    session.has('accountant') ? await startRunCard() : null,
    paged(
      (page) => named(get('/accounting/runs', { page, pageSize: 20 }), 'createdBy'),
      (items) =>
        table(
          [
            { label: '年份', value: (r) => link(`#/runs/${r.id}`, `${r.year} 年`) },
            { label: '地区', value: (r) => regionLabel(index, r.rootRegionCode) },
            { label: '核算方法', value: (r) => `${r.standardId} 第 ${r.methodologyVersion} 版` },
            { label: '状态', value: (r) => badge(r.status, RUN_STATUS) },
            {
              label: '完整性',
              value: (r) =>
                r.completeness.complete
                  ? '完整'
                  : badge('incomplete', {
                      incomplete: `不完整（${r.completeness.gaps.length} 项缺失）`,
                    }),
            },
            {
              label: '计算/汇总/无法计算',
              value: (r) =>
                `${r.coverage?.computed ?? '—'} / ${r.coverage?.aggregated ?? '—'} / ${r.coverage?.notComputable ?? '—'}`,
            },
            { label: '创建', value: (r) => byAt(r.createdBy, r.createdAt) },
          ],
          items,
          { caption: '核算运行（最新在前）' },
        ),
    ),
  );
}

async function startRunCard() {
  const box = alertBox();
  const methodologies = await publishedMethodologies();
  const standard = await standardSelect(methodologies);
  const region = select('regionCode', await regionOptions('county'));
  const year = yearInput(4);
  const progress = progressBar('核算进度');
  progress.hidden = true;
  const form = h(
    'form.inline',
    box,
    field('核算方法', standard),
    field('地区', region),
    field('年份', year),
  );
  form.append(
    action(
      '开始核算',
      async () => {
        const job = await startJob('/accounting/runs', {
          standardId: standard.value,
          regionCode: region.value,
          year: Number(year.value),
        });
        progress.hidden = false;
        progress.set(0, '排队中');
        const done = await waitForJob(job.id, (j) =>
          progress.set(j.percent, PHASE[j.phase] ?? j.phase),
        );
        toast('核算完成');
        location.hash = `#/runs/${done.result.runId}`;
      },
      box,
      form,
      '.primary',
    ),
    progress,
  );
  return section(
    '发起核算',
    h('p.muted', '用已审核的调查报表和已发布的核算方法计算 GEP；结果先为草稿，检查后发布。'),
    form,
  );
}

const PHASE = {
  queued: '排队中',
  'loading inputs': '读取数据',
  computing: '计算',
  storing: '写入结果',
  done: '完成',
};

export async function runPage(id) {
  const run = await named(get(`/accounting/runs/${id}`), 'createdBy', 'publishedBy', 'withdrawnBy');
  const index = await regionIndex();
  const names = await indicatorNames(run.methodologyId);
  const box = alertBox();
  const region = select(
    'region',
    [...index.values()]
      .filter(
        (r) => r.path.split('.').includes(run.rootRegionCode) || r.code === run.rootRegionCode,
      )
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((r) => [r.code, `${r.name}（${r.code}）`]),
    { value: run.rootRegionCode },
  );
  const category = select('category', [['', '全部类别'], ...Object.entries(CATEGORY)]);
  const resultsHost = h('div');
  const loadResults = async () => {
    const items = await all(`/accounting/runs/${id}/results`, {
      regionCode: region.value,
      ...(category.value ? { category: category.value } : {}),
    });
    resultsHost.replaceChildren(resultsTable(id, items, names));
  };
  region.addEventListener('change', () => void loadResults().catch((e) => showError(e, box)));
  category.addEventListener('change', () => void loadResults().catch((e) => showError(e, box)));

  const actions = h('div.actions');
  if (session.has('accountant') && run.status === 'draft')
    actions.append(
      action(
        run.completeness.complete ? '发布结果' : '发布结果（不完整）',
        async () => {
          if (!run.completeness.complete) return publishIncompleteDialog(run);
          if (!window.confirm(`发布 ${run.year} 年核算结果？同一年份已发布的结果将被替代。`))
            return;
          await post(`/accounting/runs/${id}/publish`);
          await toastWhenDrawn(runPage(id), '已发布');
        },
        box,
        null,
        '.primary',
      ),
    );
  if (session.has('admin') && run.status === 'published')
    actions.append(action('撤回发布', async () => withdrawDialog(run), box));
  actions.append(link(`#/runs/${id}/compare`, '与其他年份比较（方法、实物量、价格分解）'));
  actions.append(
    action(
      '导出 Excel',
      () =>
        download(`/accounting/runs/${id}/export`, `GEP-${run.rootRegionCode}-${run.year}.xlsx`, {
          format: 'xlsx',
        }),
      box,
    ),
    action(
      '导出 CSV',
      () =>
        download(`/accounting/runs/${id}/export`, `GEP-${run.rootRegionCode}-${run.year}.csv`, {
          format: 'csv',
        }),
      box,
    ),
    action(
      '复算核验',
      async () => {
        const v = await post(`/accounting/runs/${id}/verify`);
        box.show(
          v.identical
            ? `复算一致：${v.compared} 个结果逐位相同，计算过程一致，快照哈希${v.hashMatches ? '一致' : '不一致'}。`
            : v.figuresIdentical
              ? `数值逐位相同，但计算过程与存储的不同：${v.differences.slice(0, 5).join('；')}`
              : `复算不一致：${v.differences.slice(0, 5).join('；')}`,
          v.identical ? 'ok' : 'error',
        );
      },
      box,
    ),
  );

  mount(
    heading(
      `${regionLabel(index, run.rootRegionCode)} ${run.year} 年 GEP 核算`,
      link('#/runs', '返回列表'),
    ),
    kv([
      ['状态', badge(run.status, RUN_STATUS)],
      ['完整性', completenessView(run)],
      run.incompleteReason ? ['不完整发布理由', run.incompleteReason] : null,
      run.withdrawalReason
        ? ['撤回', `${byAt(run.withdrawnBy, run.withdrawnAt)}：${run.withdrawalReason}`]
        : null,
      ['核算方法', `${run.standardId} 第 ${run.methodologyVersion} 版`],
      [
        '覆盖',
        `计算 ${run.coverage.computed} · 汇总 ${run.coverage.aggregated} · 无法计算 ${run.coverage.notComputable}`,
      ],
      ['输入快照 SHA-256', h('code.hash', run.snapshotSha256)],
      ['创建', byAt(run.createdBy, run.createdAt)],
      ['发布', run.publishedAt ? byAt(run.publishedBy, run.publishedAt) : '—'],
    ]),
    box,
    actions,
    await summarySection(run, index),
    uncertaintySection(run, index),
    section(
      '明细结果',
      h('div.inline', field('地区', region), field('类别', category)),
      resultsHost,
    ),
  );
  await loadResults();
}

const wanOf = (yuan) => (yuan === null || yuan === undefined ? '不完整' : fmt(shift(yuan, -4), 2));

/**
 * GEP with its uncertainty: a job drawing the parameters within their ranges (Monte Carlo, fixed
 * seed) and ranking them by how much they move GEP (the tornado chart).
 */
function uncertaintySection(run, index) {
  const box = alertBox();
  const draws = input('draws', { type: 'number', value: '1000', min: 100, max: 10000, step: 100 });
  const seed = input('seed', { type: 'number', value: '1', min: 0 });
  const progress = progressBar('不确定性分析进度');
  progress.hidden = true;
  const host = h('div');
  const form = h('form.inline', box, field('抽样次数', draws), field('随机数种子', seed));
  form.append(
    action(
      '计算不确定性',
      async () => {
        const job = await post(`/accounting/runs/${run.id}/uncertainty`, {
          draws: Number(draws.value),
          seed: Number(seed.value),
        });
        progress.hidden = false;
        progress.set(0, '排队中');
        const done = await waitForJob(job.id, (j) => progress.set(j.percent, '抽样计算'));
        host.replaceChildren(uncertaintyView(done.result, index));
      },
      box,
      form,
    ),
    progress,
  );
  return section(
    '不确定性与敏感性',
    h(
      'p.muted',
      '按核算所用参数的取值范围（下限、上限）做蒙特卡罗抽样：每个参数取三角分布（下限、采用值、上限），所有地区共用同一次抽样；随机数种子固定，同一核算、同样的次数和种子得出完全相同的结果。',
    ),
    form,
    host,
  );
}

function uncertaintyView(r, index) {
  const row = (label, x) => ({ label, ...x });
  const rows = [
    row(`GEP（${regionLabel(index, r.regionCode)}）`, r.gep),
    ...Object.keys(CATEGORY)
      .filter((c) => c in r.byCategory)
      .map((c) => row(CATEGORY[c], r.byCategory[c])),
  ];
  const tornado = r.sensitivity.filter((s) => s.swing !== null).slice(0, 10);
  return h(
    'div',
    r.notes.length
      ? h(
          'ul.gaps',
          r.notes.map((n) => h('li', n)),
        )
      : null,
    table(
      [
        { label: '项目', value: (x) => x.label },
        { label: '采用值（万元）', value: (x) => wanOf(x.value), num: true },
        { label: '5% 分位', value: (x) => wanOf(x.p05), num: true },
        { label: '中位数', value: (x) => wanOf(x.p50), num: true },
        { label: '95% 分位', value: (x) => wanOf(x.p95), num: true },
      ],
      rows,
      {
        caption: `${r.draws} 次抽样，随机数种子 ${r.seed}；三角分布（下限、采用值、上限）；单位：万元`,
      },
    ),
    tornado.length
      ? h(
          'figure',
          h('figcaption', '敏感性排序：单个参数取下限或上限时 GEP 的变化（龙卷风图）'),
          tornadoChart(
            '参数敏感性（龙卷风图）',
            tornado.map((s) => ({
              label: s.nameZh,
              base: Number(r.gep.value),
              low: Number(s.gepAtLow),
              high: Number(s.gepAtHigh),
              lowText: wanOf(s.gepAtLow),
              highText: wanOf(s.gepAtHigh),
            })),
          ),
        )
      : null,
    table(
      [
        { label: '参数', value: (s) => `${s.nameZh}（${s.parameter}）` },
        { label: '取值范围', value: (s) => `${s.low} – ${s.high}（采用 ${s.value}）${s.unit}` },
        { label: '取下限时 GEP（万元）', value: (s) => wanOf(s.gepAtLow), num: true },
        { label: '取上限时 GEP（万元）', value: (s) => wanOf(s.gepAtHigh), num: true },
        { label: '摆幅（万元）', value: (s) => wanOf(s.swing), num: true },
      ],
      r.sensitivity,
      { caption: '敏感性排序（摆幅从大到小）', empty: '没有带取值范围的参数' },
    ),
  );
}

/** Whether every counted result is there; an incomplete run says so wherever its figures show. */
function completenessView(run) {
  if (run.completeness.complete) return badge('complete', { complete: '完整' });
  const regions = new Set(run.completeness.gaps.map((g) => g.regionCode)).size;
  return h(
    'span',
    badge('incomplete', { incomplete: '不完整' }),
    ` ${run.completeness.gaps.length} 项应计入 GEP 的结果无法核算（涉及 ${regions} 个地区），含缺口的合计不显示数值`,
  );
}

/**
 * Publishing an incomplete run: the gaps as the service names them, the reason (audited, shown
 * with the figures) and, when it replaces a complete published run, the confirmation naming it.
 */
async function publishIncompleteDialog(run) {
  const box = alertBox();
  const reason = h('textarea', {
    name: 'incompleteReason',
    dataset: { path: 'incompleteReason' },
    rows: 3,
  });
  const published = (
    await all('/accounting/runs', {
      standardId: run.standardId,
      regionCode: run.rootRegionCode,
      year: run.year,
    })
  ).find((r) => r.status === 'published');
  const replacesComplete = published?.completeness.complete ? published : null;
  await knowNames([replacesComplete?.publishedBy]);
  const confirm = h('input', {
    type: 'checkbox',
    name: 'supersedes',
    dataset: { path: 'supersedes' },
  });
  const summary = await get(`/accounting/runs/${run.id}/summary`);
  const form = h(
    'form.stack',
    h(
      'p.alert.error.incomplete',
      `本次核算不完整：${run.completeness.gaps.length} 项应计入 GEP 的结果无法核算。缺失的数据不按 0 计算，含缺口的合计将显示为“缺失”。`,
    ),
    summary.gaps.length
      ? h(
          'ul.gaps',
          summary.gaps.slice(0, 20).map((g) => h('li', g.message)),
        )
      : null,
    field('发布理由（必填，记入审计日志并随结果显示）', reason),
    replacesComplete
      ? h(
          'label.check',
          confirm,
          ` 确认以不完整的核算取代已发布的完整核算（${replacesComplete.id.slice(0, 8)}，${nameOf(replacesComplete.publishedBy)} 发布）`,
        )
      : null,
    box,
  );
  const d = dialog(`发布不完整的 ${run.year} 年核算`, form);
  form.append(
    action(
      '仍然发布',
      async () => {
        if (replacesComplete && !confirm.checked) {
          box.show('请勾选确认取代已发布的完整核算');
          return;
        }
        await post(`/accounting/runs/${run.id}/publish`, {
          incompleteReason: reason.value.trim(),
          ...(replacesComplete ? { supersedes: replacesComplete.id } : {}),
        });
        await toastWhenDrawn(runPage(run.id), '已发布（不完整）');
        d.close();
      },
      box,
      form,
      '.primary',
    ),
  );
}

/** An admin withdraws (撤回) a published run with a reason. */
function withdrawDialog(run) {
  const box = alertBox();
  const reason = h('textarea', { name: 'reason', dataset: { path: 'reason' }, rows: 3 });
  const form = h(
    'form.stack',
    h(
      'p.muted',
      '撤回后该核算不再作为已发布结果；已据其批准的补偿和已生成的审计报告保持原样，并显示其依据已被撤回。',
    ),
    field('撤回理由（必填）', reason),
    box,
  );
  const d = dialog(`撤回 ${run.year} 年核算`, form);
  form.append(
    action(
      '撤回',
      async () => {
        await post(`/accounting/runs/${run.id}/withdraw`, { reason: reason.value.trim() });
        await toastWhenDrawn(runPage(run.id), '已撤回');
        d.close();
      },
      box,
      form,
      '.primary',
    ),
  );
}

/** A figure that may be missing: the value, or 缺失 (never 0). */
const num = (x) => (x === null || x === undefined ? null : Number(x));

async function summarySection(run, index) {
  const summary = await get(`/accounting/runs/${run.id}/summary`);
  const ranking = await get(`/accounting/runs/${run.id}/ranking`);
  const series = await constantPriceSeries(run);
  const cats = Object.entries(summary.byCategory);
  return section(
    'GEP 总览',
    h('p.big', `GEP ${summary.gep === null ? '缺失' : yi(summary.gep)}`),
    summary.incomplete.length
      ? h(
          'div.alert.error.incomplete',
          h(
            'p',
            `不完整：${summary.incomplete.length} 项指标无结果，GEP 及含缺口的类别不显示合计（不按 0 计算）。缺口出自：`,
          ),
          h(
            'ul.gaps',
            summary.gaps.slice(0, 20).map((g) => h('li', g.message)),
          ),
        )
      : !summary.run.complete
        ? h('p.alert.info.incomplete', '本地区数据完整；但本次核算在其他地区不完整。')
        : null,
    kv([
      [
        '单位面积 GEP',
        summary.derived.gepPerKm2
          ? `${fmt(shift(summary.derived.gepPerKm2, -4), 2)} 万元/km²`
          : '—',
      ],
      [
        '人均 GEP',
        summary.derived.gepPerCapita ? `${fmt(summary.derived.gepPerCapita, 0)} 元/人` : '—',
      ],
      ['GEP/GDP', summary.derived.gepToGdp ? fmt(summary.derived.gepToGdp, 2) : '—'],
    ]),
    h(
      'div.charts',
      h(
        'figure',
        h('figcaption', 'GEP 构成（按类别）'),
        barChart(
          'GEP 按类别',
          cats.map(([k, v]) => ({
            label: CATEGORY[k] ?? k,
            value: num(v),
            text: v === null ? '缺失' : yi(v),
          })),
        ),
      ),
      ranking.length
        ? h(
            'figure',
            h('figcaption', 'GEP 按乡镇'),
            barChart(
              'GEP 按乡镇',
              ranking.map((r) => ({
                label: r.name,
                value: num(r.gep),
                text: r.gep === null ? '缺失' : yi(r.gep),
              })),
            ),
          )
        : null,
      series.length > 1
        ? h(
            'figure',
            h('figcaption', `GEP 历年变化（${run.year} 年不变价）`),
            trendChart(
              `GEP 历年变化（${run.year} 年不变价，亿元）`,
              series.map((p) => ({
                x: p.year,
                value: p.gep === null ? null : Number(shift(p.gep, -8)),
                text: p.gep === null ? '缺失' : fmt(shift(p.gep, -8), 1),
              })),
            ),
          )
        : null,
    ),
    table(
      [
        { label: '类别', value: ([k]) => CATEGORY[k] ?? k },
        {
          label: '价值（亿元）',
          value: ([, v]) => (v === null ? '缺失' : fmt(shift(v, -8), 2)),
          num: true,
        },
        {
          label: '价值（元，精确值）',
          value: ([, v]) => (v === null ? '缺失' : h('code', v)),
          num: true,
        },
      ],
      cats,
      { caption: '按类别（图表的文字版）' },
    ),
    ranking.length
      ? table(
          [
            { label: '排名', value: (r) => (r.rank === null ? '—' : String(r.rank)), num: true },
            { label: '乡镇', value: (r) => regionLabel(index, r.regionCode) },
            {
              label: 'GEP（亿元）',
              value: (r) => (r.gep === null ? '缺失' : fmt(shift(r.gep, -8), 2)),
              num: true,
            },
            {
              label: '单位面积（万元/km²）',
              value: (r) => (r.gepPerKm2 === null ? '—' : fmt(shift(r.gepPerKm2, -4), 2)),
              num: true,
            },
            { label: '人均（元）', value: (r) => fmt(r.gepPerCapita, 0), num: true },
          ],
          ranking,
          { caption: '乡镇排名' },
        )
      : null,
    series.length > 1
      ? table(
          [
            { label: '年份', value: (p) => String(p.year) },
            {
              label: `GEP（${run.year} 年价，亿元）`,
              value: (p) => (p.gep === null ? '缺失' : fmt(shift(p.gep, -8), 2)),
              num: true,
            },
          ],
          series,
          { caption: '历年（不变价）' },
        )
      : null,
  );
}

/** The published runs of the same standard and region, each valued at this run's prices. */
async function constantPriceSeries(run) {
  const runs = (
    await all('/accounting/runs', { standardId: run.standardId, regionCode: run.rootRegionCode })
  ).filter((r) => r.status === 'published' || r.id === run.id);
  const byYear = new Map();
  for (const r of runs) if (!byYear.has(r.year) || r.id === run.id) byYear.set(r.year, r);
  const years = [...byYear.values()].sort((a, b) => a.year - b.year);
  const summaries = await Promise.all(
    years.map((r) =>
      get(`/accounting/runs/${r.id}/summary`, { priceYear: run.year }).catch((e) => {
        // A year that cannot be valued at this price year is left out; anything else is an error.
        if (e.status >= 400 && e.status < 500) return null;
        throw e;
      }),
    ),
  );
  return years.flatMap((r, i) =>
    summaries[i]
      ? [{ year: r.year, gep: summaries[i].gep, complete: r.completeness.complete }]
      : [],
  );
}

const RESULT_STATUS = { computed: '计算', aggregated: '汇总', not_computable: '无法计算' };

/** Indicator code → Chinese name, from the run's methodology. */
async function indicatorNames(methodologyId) {
  try {
    const m = await methodology(methodologyId);
    return new Map(m.content.indicators.map((i) => [i.code, i.nameZh]));
  } catch {
    return new Map();
  }
}

function resultsTable(runId, items, names) {
  return table(
    [
      {
        label: '指标',
        value: (r) =>
          h(
            'span',
            names.get(r.indicatorCode) ?? r.indicatorCode,
            h('small.code', r.indicatorCode),
          ),
      },
      { label: '状态', value: (r) => RESULT_STATUS[r.status] ?? r.status },
      {
        label: '实物量',
        value: (r) =>
          r.quantity
            ? `${fmt(r.quantity, 2)} ${r.quantityUnit ?? ''}`
            : r.quantityByIndex && r.value
              ? '分项列示'
              : '—',
        num: true,
      },
      {
        label: '价值量（万元）',
        value: (r) => (r.value ? fmt(shift(r.value, -4), 2) : '—'),
        num: true,
      },
      { label: '缺少的输入', value: (r) => (r.missing?.length ? r.missing.join('、') : '') },
      {
        label: '',
        value: (r) =>
          h(
            'button',
            {
              type: 'button',
              'aria-label': `解释 ${names.get(r.indicatorCode) ?? r.indicatorCode}`,
              on: {
                click: () =>
                  void explain(runId, r.regionCode, r.indicatorCode).catch((e) =>
                    toast(e.readable ?? String(e), 'error'),
                  ),
              },
            },
            '解释此数',
          ),
      },
    ],
    items,
    { caption: '指标结果（价值量为精确值四舍五入到 0.01 万元显示）' },
  );
}

const INPUT_KIND = {
  constant: '常数',
  variable: '调查数据',
  parameter: '参数/价格',
  self: '本指标中间量',
  indicator: '其他指标',
};

/** "Explain this number": the formula, every input with its source, or the regions summed. */
export async function explain(runId, regionCode, indicator) {
  const index = await regionIndex();
  const r = await get(`/accounting/runs/${runId}/results/${regionCode}/${indicator}`);
  const showValue = (v, itemNames) =>
    v && typeof v === 'object'
      ? h(
          'ul.plain',
          Object.entries(v).map(([k, x]) => h('li', `${itemNames?.[k] ?? k}：`, exactly(x))),
        )
      : v === null || v === undefined
        ? '—'
        : exactly(v);
  // a survey value: the form it came from (opens it) and the statistician's own source and note
  const showSource = (i) => {
    if (!i.sourceText) return h('small', i.source ?? '');
    const notes = (i.notes ?? []).filter((n) => n.source || n.note);
    return h(
      'div',
      link(`#/forms/${i.formId}`, i.sourceText),
      notes.length
        ? h(
            'ul.plain',
            notes.map((n) =>
              h(
                'li',
                h(
                  'small',
                  [
                    n.item ? `${i.itemNames?.[n.item] ?? n.item}：` : '',
                    n.source ? `来源 ${n.source}` : '',
                    n.source && n.note ? '；' : '',
                    n.note ? `备注 ${n.note}` : '',
                  ].join(''),
                ),
              ),
            ),
          )
        : null,
    );
  };
  const body = [
    kv([
      ['地区', regionLabel(index, regionCode)],
      ['指标', r.indicatorNameZh ? `${r.indicatorNameZh}（${indicator}）` : indicator],
      ['价值量（元，精确值）', h('code', r.value ?? '—')],
      [
        '实物量',
        r.quantity
          ? `${r.quantity} ${r.quantityUnit ?? ''}`
          : r.quantityByIndex
            ? h(
                'ul.plain',
                Object.entries(r.quantityByIndex).map(([k, x]) =>
                  h('li', `${k}：${x} ${r.quantityUnit ?? ''}`),
                ),
              )
            : '—',
      ],
      r.quantity === null && r.quantityByIndex && r.value
        ? ['说明', '各分项为不同物质，实物量不相加']
        : null,
      r.methodNameZh ? ['采用方法', r.methodNameZh] : null,
      r.trace?.methods?.length
        ? [
            '各方法的数据情况',
            h(
              'ul.plain',
              r.trace.methods.map((m) =>
                h(
                  'li',
                  `${r.methodNames?.[m.method] ?? m.method}：`,
                  m.chosen
                    ? '采用'
                    : m.required === false
                      ? '本地区本年度按规则不采用'
                      : m.missing.length
                        ? `缺少 ${m.missing.join('、')}`
                        : '数据齐全，但排在前面的方法已可计算',
                ),
              ),
            ),
          ]
        : null,
      r.trace?.valueFormula ? ['价值量公式', h('code', r.trace.valueFormula)] : null,
      r.trace?.quantityFormula ? ['实物量公式', h('code', r.trace.quantityFormula)] : null,
      r.missing?.length ? ['缺少的输入', r.missing.join('、')] : null,
    ]),
  ];
  if (r.trace?.inputs)
    body.push(
      table(
        [
          {
            label: '输入',
            value: (i) =>
              i.nameZh ? h('span', i.nameZh, h('small.code', i.name)) : h('code', i.name),
          },
          { label: '类型', value: (i) => INPUT_KIND[i.kind] ?? i.kind },
          { label: '取值', value: (i) => showValue(i.value, i.itemNames) },
          { label: '单位', value: (i) => i.unit ?? '' },
          { label: '来源/出处', value: showSource },
        ],
        r.trace.inputs,
        { caption: '计算所用的输入（调查数据注明报表，参数注明文献出处）' },
      ),
    );
  if (r.trace?.aggregatedFrom)
    body.push(
      h('p', '本数为下列地区之和：'),
      h(
        'ul.plain.cols',
        r.trace.aggregatedFrom.map((code) =>
          h(
            'li',
            h(
              'button.link',
              { type: 'button', on: { click: () => void explain(runId, code, indicator) } },
              regionLabel(index, code),
            ),
          ),
        ),
      ),
    );
  document.querySelector('dialog[open]')?.close();
  dialog(`解释此数：${regionLabel(index, regionCode)} · ${r.indicatorNameZh ?? indicator}`, body);
}

/**
 * Two years side by side: GEP of each, and the change split into what the method, the physical
 * quantities and the prices contributed (they add up to the change exactly); by category too.
 */
export async function comparePage(id) {
  const run = await named(get(`/accounting/runs/${id}`), 'createdBy', 'publishedBy', 'withdrawnBy');
  const index = await regionIndex();
  const box = alertBox();
  const others = (
    await get('/accounting/runs', { regionCode: run.rootRegionCode, pageSize: 100 })
  ).items.filter((r) => r.id !== id && r.standardId === run.standardId && r.status !== 'draft');
  const other = select(
    'otherId',
    others.map((r) => [
      r.id,
      `${r.year} 年 · 第 ${r.methodologyVersion} 版（${RUN_STATUS[r.status] ?? r.status}）`,
    ]),
  );
  const region = select(
    'regionCode',
    [...index.values()]
      .filter((r) => r.path.split('.').includes(run.rootRegionCode))
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((r) => [r.code, `${r.name}（${r.code}）`]),
    { value: run.rootRegionCode },
  );
  const host = h('div');
  const show = async () => {
    const picked = others.find((r) => r.id === other.value);
    if (!picked) return;
    // the earlier year first
    const [early, late] = picked.year <= run.year ? [picked, run] : [run, picked];
    const [from, to] = [early.id, late.id];
    // a run is named by its year, and by its methodology version too when that differs
    const sameVersion = early.methodologyVersion === late.methodologyVersion;
    const runName = (r) => `${r.year} 年${sameVersion ? '' : `（第 ${r.methodologyVersion} 版）`}`;
    const method = (r) => (sameVersion ? `${r.year} 年方法` : `第 ${r.methodologyVersion} 版方法`);
    const c = await get(`/accounting/runs/${from}/compare/${to}`, { regionCode: region.value });
    const change = c.effects.total;
    const share = (x) => (Number(change) === 0 ? '—' : pct(String(Number(x) / Number(change))));
    const effects = [
      ['方法变化', c.effects.method, '较早年份按较新方法重算，与原结果之差'],
      ['实物量变化', c.effects.quantity, '按较早年份价格计算的实物量变化'],
      ['价格变化', c.effects.price, '参数（价格、系数）取较新年份的值带来的变化'],
    ];
    host.replaceChildren(
      kv([
        ['地区', regionLabel(index, c.regionCode)],
        [`${runName(early)} GEP`, yi(c.from.total)],
        [`${runName(late)} GEP`, yi(c.to.total)],
        ['变化', yi(change)],
        ['增长率（当年价）', pct(c.growth.current)],
        [`增长率（${c.fromYear} 年可比价）`, pct(c.growth.constant)],
      ]),
      table(
        [
          { label: '构成', value: (e) => e[0] },
          { label: '变化（亿元）', value: (e) => yi(e[1]), num: true },
          { label: '占变化', value: (e) => share(e[1]), num: true },
          { label: '含义', value: (e) => h('small', e[2]) },
        ],
        [...effects, ['合计', change, '三项之和，等于两年 GEP 之差']],
        {
          caption: sameVersion
            ? `GEP 变化的分解（${early.year} → ${late.year}）`
            : `GEP 变化的分解（${runName(early)} → ${runName(late)}）`,
        },
      ),
      waterfallChart(`GEP 变化的分解（亿元）：${runName(early)} → ${runName(late)}`, {
        start: { label: runName(early), value: Number(c.from.total) / 1e8, text: yi(c.from.total) },
        steps: effects.map(([label, v]) => ({ label, value: Number(v) / 1e8, text: yi(v) })),
        end: { label: runName(late), value: Number(c.to.total) / 1e8, text: yi(c.to.total) },
      }),
      c.methodChanges?.length
        ? table(
            [
              { label: '指标', value: (x) => h('span', x.nameZh, h('small.code', x.indicator)) },
              { label: runName(early), value: (x) => x.from?.nameZh ?? '未采用（无结果）' },
              { label: runName(late), value: (x) => x.to?.nameZh ?? '未采用（无结果）' },
              {
                label: '地区',
                value: (x) =>
                  x.regions.length > 3
                    ? `${x.regions
                        .slice(0, 3)
                        .map((r) => regionLabel(index, r))
                        .join('、')} 等 ${x.regions.length} 个`
                    : x.regions.map((r) => regionLabel(index, r)).join('、'),
              },
            ],
            c.methodChanges,
            { caption: '方法改变的指标（其影响计入“方法变化”）' },
          )
        : h('p.muted', '两次核算各指标采用的方法相同。'),
      table(
        [
          { label: '类别', value: (k) => CATEGORY[k] ?? k },
          { label: runName(early), value: (k) => yi(c.from.byCategory[k]), num: true },
          {
            label: `${early.year} 年（按${method(late)}）`,
            value: (k) => yi(c.fromUnderToMethod.byCategory[k]),
            num: true,
          },
          {
            label: `${c.toYear} 年（${c.fromYear} 年价格）`,
            value: (k) => yi(c.toAtFromPrices.byCategory[k]),
            num: true,
          },
          { label: runName(late), value: (k) => yi(c.to.byCategory[k]), num: true },
        ],
        Object.keys(c.to.byCategory),
        { caption: '按类别' },
      ),
    );
  };
  const form = h('form.inline', box, field('与哪一年比较', other), field('地区', region));
  form.append(action('比较', show, box, form, '.primary'));
  mount(
    heading(
      `${regionLabel(index, run.rootRegionCode)} ${run.year} 年 GEP 比较`,
      link(`#/runs/${id}`, '返回'),
    ),
    others.length ? form : h('p.muted', '没有可比较的其他年份核算（同一核算标准、非草稿）'),
    host,
  );
  if (others.length) await show().catch((e) => showError(e, box));
}
