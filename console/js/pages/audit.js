// Auditor pages: officials and tenures, tenure evaluation, departure-audit reports (PDF/DOCX),
// the audit log viewer.

import { download, get, post } from '../api.js';
import { trendChart } from '../echarts.js';
import {
  action,
  alertBox,
  AUDIT_FIELD,
  AUDIT_OBJECT,
  AUDIT_VALUE,
  CATEGORY,
  date,
  field,
  FORM_STATUS,
  fmt,
  h,
  input,
  kv,
  link,
  mount,
  paged,
  pct,
  ROLE,
  RUN_STATUS,
  section,
  select,
  shift,
  table,
  toast,
  toastWhenDrawn,
  yi,
} from '../ui.js';
import {
  heading,
  regionIndex,
  regionLabel,
  regionOptions,
  query,
  searchForm,
  named,
  byAt,
  nameOf,
} from './common.js';

export async function officialsPage() {
  const index = await regionIndex();
  const box = alertBox();
  const name = input('name');
  const note = input('note');
  const form = h('form.inline', box, field('姓名', name), field('备注', note));
  form.append(
    action(
      '添加领导干部',
      async () => {
        const o = await post('/assessment/officials', {
          name: name.value.trim(),
          ...(note.value.trim() ? { note: note.value.trim() } : {}),
        });
        toast('已添加');
        location.hash = `#/officials/${o.id}`;
      },
      box,
      form,
    ),
  );
  const officials = new Map();
  mount(
    heading('领导干部自然资源资产离任审计'),
    section(
      '任期',
      paged(
        async (page) => {
          const r = await get('/assessment/officials/tenures', { page, pageSize: 20 });
          await Promise.all(
            [...new Set(r.items.map((t) => t.officialId))]
              .filter((id) => !officials.has(id))
              .map(async (id) => officials.set(id, await get(`/assessment/officials/${id}`))),
          );
          return r;
        },
        (items) =>
          table(
            [
              {
                label: '姓名',
                value: (t) =>
                  link(
                    `#/officials/${t.officialId}`,
                    officials.get(t.officialId)?.name ?? t.officialId,
                  ),
              },
              { label: '地区', value: (t) => regionLabel(index, t.regionCode) },
              { label: '职务', value: (t) => `${t.post}${t.acting ? '（代）' : ''}` },
              { label: '任期', value: (t) => `${t.startDate} — ${t.endDate ?? '至今'}` },
              { label: '', value: (t) => link(`#/tenures/${t.id}`, '任期评价与报告') },
            ],
            items,
          ),
      ),
    ),
    section('添加领导干部', form),
  );
}

export async function officialPage(id) {
  const o = await named(get(`/assessment/officials/${id}`), 'createdBy');
  const index = await regionIndex();
  const box = alertBox();
  const region = select('regionCode', await regionOptions('county'));
  const post_ = input('post', { placeholder: '如 县长' });
  const start = input('startDate', { type: 'date' });
  const end = input('endDate', { type: 'date' });
  const acting = h('input', { type: 'checkbox', name: 'acting' });
  const form = h(
    'form.inline',
    box,
    field('地区', region),
    field('职务', post_),
    field('任职日期', start),
    field('离任日期', end, '在任留空'),
    field('代理', acting),
  );
  form.append(
    action(
      '添加任期',
      async () => {
        await post(`/assessment/officials/${id}/tenures`, {
          regionCode: region.value,
          post: post_.value.trim(),
          startDate: start.value,
          ...(end.value ? { endDate: end.value } : {}),
          acting: acting.checked,
        });
        await toastWhenDrawn(officialPage(id), '已添加任期');
      },
      box,
      form,
    ),
  );
  mount(
    heading(o.name, link('#/officials', '返回')),
    kv([
      ['备注', o.note],
      ['登记', byAt(o.createdBy, o.createdAt)],
    ]),
    section(
      '任期',
      table(
        [
          { label: '地区', value: (t) => regionLabel(index, t.regionCode) },
          { label: '职务', value: (t) => t.post },
          { label: '任期', value: (t) => `${t.startDate} — ${t.endDate ?? '至今'}` },
          { label: '', value: (t) => link(`#/tenures/${t.id}`, '任期评价与报告') },
        ],
        o.tenures,
      ),
    ),
    section('添加任期', form),
  );
}

export async function tenurePage(id) {
  const tenures = await get('/assessment/officials/tenures', { pageSize: 500 });
  const tenure = tenures.items.find((t) => t.id === id);
  if (!tenure) throw new Error('找不到该任期，或不在您的地区权限内');
  const official = await get(`/assessment/officials/${tenure.officialId}`);
  const index = await regionIndex();
  const box = alertBox();
  const evaluation = h('div');
  const reportsHost = h('div');
  const loadReports = async () => {
    const r = await named(get('/assessment/reports', { tenureId: id, pageSize: 50 }), 'createdBy');
    reportsHost.replaceChildren(
      table(
        [
          { label: '生成时间', value: (x) => date(x.createdAt) },
          { label: '评价等级', value: (x) => x.conclusion ?? x.grade },
          { label: '内容哈希', value: (x) => h('code.hash', x.contentSha256.slice(0, 16) + '…') },
          { label: '生成人', value: (x) => nameOf(x.createdBy) },
          {
            label: '下载',
            value: (x) =>
              h(
                'span.actions',
                action(
                  'PDF',
                  () =>
                    download(
                      `/assessment/reports/${x.id}/pdf`,
                      `离任审计报告-${official.name}-${x.createdAt.slice(0, 10)}.pdf`,
                    ),
                  box,
                ),
                action(
                  'Word',
                  () =>
                    download(
                      `/assessment/reports/${x.id}/docx`,
                      `离任审计报告-${official.name}-${x.createdAt.slice(0, 10)}.docx`,
                    ),
                  box,
                ),
                action(
                  '核验',
                  async () => {
                    const v = await post(`/assessment/reports/${x.id}/verify`);
                    box.show(
                      v.matches
                        ? '核验一致：按库中数据重新生成的报告与存档逐字相同。'
                        : `核验不一致：${v.differences.slice(0, 5).join('；')}`,
                      v.matches ? 'ok' : 'error',
                    );
                  },
                  box,
                ),
              ),
          },
        ],
        r.items,
        { empty: '尚未生成报告' },
      ),
    );
  };
  mount(
    heading(
      `${official.name} · ${regionLabel(index, tenure.regionCode)} ${tenure.post}`,
      link('#/officials', '返回'),
    ),
    kv([
      ['任期', `${tenure.startDate} — ${tenure.endDate ?? '至今'}`],
      ['备注', tenure.note],
    ]),
    box,
    h(
      'div.actions',
      action(
        '任期评价',
        async () => {
          const e = await post(`/assessment/officials/tenures/${id}/evaluation`, {});
          evaluation.replaceChildren(evaluationView(e));
        },
        box,
        null,
        '.primary',
      ),
      action(
        '生成离任审计报告',
        async () => {
          await post('/assessment/reports', { tenureId: id });
          toast('报告已生成');
          await loadReports();
        },
        box,
      ),
    ),
    section('任期评价', evaluation),
    section('审计报告', reportsHost),
  );
  evaluation.append(h('p.muted', '点击“任期评价”，按已发布的 GEP 核算结果计算任期内的变化。'));
  await loadReports();
}

function evaluationView(e) {
  return h(
    'div',
    e.evaluable === false
      ? h(
          'div',
          h('p.big.warn', '无法评价'),
          h(
            'p.alert.error.incomplete',
            '任期首尾年度的 GEP 核算不完整，不计分、不定级、不判断触发事项：',
            h(
              'ul',
              e.gaps.filter((g) => g.code === 'incomplete_gep').map((g) => h('li', g.messageZh)),
            ),
          ),
        )
      : h('p.big', `评分 ${e.score ?? '—'} · 等级 ${e.grade ?? '—'}`),
    kv([
      ['基准年 → 末年', `${e.baselineYear} → ${e.endYear}`],
      ['GEP（基准年）', yi(e.gep?.start)],
      ['GEP（末年）', yi(e.gep?.end)],
      ['实际变化（不变价）', pct(e.gep?.realChange)],
      [
        '变化分解：方法 / 实物量 / 价格',
        e.gep?.effects
          ? `${yi(e.gep.effects.method)} / ${yi(e.gep.effects.quantity)} / ${yi(e.gep.effects.price)}`
          : '—',
      ],
    ]),
    e.series?.length > 1
      ? h(
          'figure',
          h('figcaption', `GEP 任期内变化（${e.baselineYear} 年价）`),
          trendChart(
            'GEP 任期内变化（亿元）',
            e.series.map((p) => ({
              x: p.year,
              value:
                p.gepAtBaselinePrices === null ? null : Number(shift(p.gepAtBaselinePrices, -8)),
              text:
                p.gepAtBaselinePrices === null ? '缺失' : fmt(shift(p.gepAtBaselinePrices, -8), 1),
            })),
          ),
        )
      : null,
    table(
      [
        { label: '年份', value: (p) => String(p.year) },
        { label: 'GEP 当年价（亿元）', value: (p) => fmt(shift(p.gep, -8), 2), num: true },
        {
          label: `GEP ${e.baselineYear} 年价（亿元）`,
          value: (p) => fmt(shift(p.gepAtBaselinePrices, -8), 2),
          num: true,
        },
        ...Object.keys(CATEGORY).map((k) => ({
          label: `${CATEGORY[k]}（亿元）`,
          value: (p) => (p.byCategory?.[k] == null ? '缺失' : fmt(shift(p.byCategory[k], -8), 2)),
          num: true,
        })),
      ],
      e.series ?? [],
      { caption: '历年 GEP（依据已发布的核算）' },
    ),
    table(
      [
        { label: '资源指标', value: (r) => r.variable },
        { label: '期初', value: (r) => r.start },
        { label: '期末', value: (r) => r.end },
      ],
      e.resources ?? [],
      { caption: '资源数量变化' },
    ),
    e.findings?.length
      ? section(
          '审计发现',
          h(
            'ul',
            e.findings.map((f) => h('li', f.label)),
          ),
        )
      : h('p.ok', '未触发审计发现条件。'),
    e.gaps?.length
      ? section(
          '数据缺口与处理',
          h(
            'ul',
            e.gaps.map((g) => h('li', g.messageZh ?? g.message)),
          ),
        )
      : null,
  );
}

/** The fields of entries that hold a region's code. */
const REGION_FIELDS = new Set([
  'region',
  'regionCode',
  'parentCode',
  'rootRegionCode',
  'upstreamRegionCode',
  'downstreamRegionCode',
]);

/** The console's own names of codes, where the service's vocabulary could not be read. */
const ownCodes = (key, entityType) =>
  key === 'roles'
    ? ROLE
    : key === 'status'
      ? entityType === 'survey_form'
        ? FORM_STATUS
        : RUN_STATUS
      : undefined;

/** A field of an entry's before or after as a reader reads it: names for codes, 是/否, — for none. */
function fieldValue(key, v, entityType, regions) {
  if (v === null || v === undefined) return '—';
  if (REGION_FIELDS.has(key) && typeof v === 'string') return regionLabel(regions, v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  const codes = AUDIT_VALUE[entityType]?.[key] ?? ownCodes(key, entityType);
  if (codes && typeof v === 'string') return codes[v] ?? v;
  if (codes && Array.isArray(v) && v.every((x) => typeof x === 'string'))
    return v.map((x) => codes[x] ?? x).join('、');
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return date(v);
  if (typeof v === 'object') {
    const text = JSON.stringify(v);
    return h('code', { title: text }, text.length > 200 ? `${text.slice(0, 200)}…` : text);
  }
  return String(v);
}

/**
 * The values an entry changed. A form save's or a bulk load's: 变量, 分项, 原值 → 新值, 来源. Any
 * other list of changes (a monitoring month's, a forest area's): its fields by name, then what
 * was there before and after (修改前, 修改后).
 */
function changesTable(changes, entityType, regions) {
  const cell = (x) => (x.value === null ? '未填报' : `${x.value} ${x.unit ?? ''}`.trim());
  const surveyValues = changes.every((c) => c && typeof c === 'object' && 'variable' in c);
  const side = (x, none) =>
    x === null || x === undefined
      ? none
      : typeof x === 'object' && !Array.isArray(x)
        ? Object.entries(x)
            .map(
              ([k, v]) => `${AUDIT_FIELD[k] ?? k} ${text(fieldValue(k, v, entityType, regions))}`,
            )
            .join('；')
        : String(x);
  const keys = surveyValues
    ? []
    : [...new Set(changes.flatMap((c) => Object.keys(c ?? {})))].filter(
        (k) => k !== 'before' && k !== 'after',
      );
  const columns = surveyValues
    ? [
        { label: '变量', value: (c) => c.variable },
        { label: '分项', value: (c) => c.item || '—' },
        { label: '原值', value: (c) => (c.from ? cell(c.from) : '（新填）') },
        { label: '新值', value: (c) => cell(c.to) },
        { label: '来源', value: (c) => c.source ?? '' },
      ]
    : [
        ...keys.map((k) => ({
          label: AUDIT_FIELD[k] ?? k,
          value: (c) => fieldValue(k, c[k], entityType, regions),
        })),
        { label: '修改前', value: (c) => side(c.before, '（新填）') },
        { label: '修改后', value: (c) => side(c.after, '—') },
      ];
  return h(
    'div',
    table(columns, changes.slice(0, 100), { caption: '数值变化' }),
    changes.length > 100 ? h('p.muted', `共 ${changes.length} 项，列出前 100 项。`) : null,
  );
}

/** The text of what {@link fieldValue} gives (a code element's text for a long object). */
const text = (x) => (typeof x === 'string' ? x : (x?.textContent ?? String(x)));

/**
 * An entry's content as a reader reads it: each field by name, before and after side by side,
 * the values it changed as a table; the record as stored behind 原始记录.
 */
function entryContent(e, regions) {
  const asObject = (x) => (x && typeof x === 'object' && !Array.isArray(x) ? x : {});
  const before = asObject(e.before);
  const after = asObject(e.after);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => k !== 'changes',
  );
  const hasBefore = Object.keys(before).length > 0;
  const fields = table(
    [
      { label: '项目', value: (k) => h('span', { title: k }, AUDIT_FIELD[k] ?? k) },
      ...(hasBefore
        ? [{ label: '修改前', value: (k) => fieldValue(k, before[k], e.entityType, regions) }]
        : []),
      {
        label: hasBefore ? '修改后' : '内容',
        value: (k) => fieldValue(k, after[k], e.entityType, regions),
      },
    ],
    keys,
    { empty: '' },
  );
  return h(
    'details',
    h('summary', '查看'),
    keys.length ? fields : null,
    Array.isArray(after.changes) ? changesTable(after.changes, e.entityType, regions) : null,
    h(
      'details',
      h('summary', '原始记录'),
      h('pre.json', JSON.stringify({ before: e.before, after: e.after }, null, 2)),
    ),
  );
}

export async function auditLogPage() {
  const q = query();
  // the actions the log holds among the entries this reader sees, by name
  const [actions, regions] = await Promise.all([get('/audit-log/actions'), regionIndex()]);
  const filters = searchForm('#/audit-log', [
    field('操作人', input('actor', { value: q.actor ?? '' })),
    field(
      '操作',
      select(
        'action',
        [
          ['', '全部'],
          ...actions.map((a) => [a.action, a.actionZh ?? a.action]),
          // a filter given in the address that the log does not hold (yet) stays as it was
          ...(q.action && !actions.some((a) => a.action === q.action)
            ? [[q.action, q.action]]
            : []),
        ],
        { value: q.action ?? '' },
      ),
    ),
    field(
      '对象类型',
      Object.keys(AUDIT_OBJECT).length
        ? select(
            'entityType',
            [
              ['', '全部'],
              ...Object.entries(AUDIT_OBJECT).sort(([, a], [, b]) => a.localeCompare(b, 'zh-CN')),
            ],
            { value: q.entityType ?? '' },
          )
        : input('entityType', { value: q.entityType ?? '', placeholder: '如 survey_form' }),
    ),
    field('对象编号', input('entityId', { value: q.entityId ?? '' })),
    field('起', input('from', { type: 'date', value: q.from ?? '' })),
    field('止', input('to', { type: 'date', value: q.to ?? '' })),
  ]);
  mount(
    heading('审计日志'),
    h('p.muted', '系统中每一次写操作的只增记录（不能修改或删除）。'),
    section('查询', filters),
    paged(
      (page) => get('/audit-log', { ...q, page, pageSize: 50 }),
      (items) =>
        table(
          [
            { label: '编号', value: (e) => e.id, num: true },
            { label: '时间', value: (e) => date(e.at) },
            { label: '操作人', value: (e) => e.actorUsername ?? '—' },
            {
              label: '操作',
              value: (e) =>
                e.actionZh
                  ? h(
                      'span',
                      { title: e.action },
                      e.reasonZh ? `${e.actionZh}（${e.reasonZh}）` : e.actionZh,
                    )
                  : h('code', e.action),
            },
            {
              label: '对象',
              value: (e) =>
                h(
                  'span',
                  { title: e.entityId ? `${e.entityType} ${e.entityId}` : e.entityType },
                  `${e.entityTypeZh ?? e.entityType}${e.entityId ? ` ${e.entityId.slice(0, 8)}` : ''}`,
                ),
            },
            { label: '内容', value: (e) => (e.after || e.before ? entryContent(e, regions) : '') },
            { label: '来源地址', value: (e) => e.clientIp ?? '' },
          ],
          items,
        ),
    ),
  );
}
