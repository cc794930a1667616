// Finance pages: compensation schemes, what-if runs side by side, approval, per-recipient
// explanations, fund events, export.

import { all, del, download, get, post, session } from '../api.js';
import {
  action,
  alertBox,
  badge,
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
  RUN_STATUS,
  SCHEME_TYPE,
  section,
  select,
  subDec,
  sumDec,
  table,
  toast,
  toastWhenDrawn,
  wan,
} from '../ui.js';
import {
  heading,
  regionIndex,
  regionLabel,
  regionOptions,
  query,
  named,
  byAt,
  nameOf,
} from './common.js';

/** A run's scheme as people call it: its name (the code only when the name is unknown). */
const schemeLabel = (r) => r.schemeName ?? r.schemeCode;

const FUND = {
  pending: '待拨付',
  paid: '已拨付',
  withheld: '暂缓',
  reduced: '核减',
  stopped: '停止',
  recovered: '追回',
};

export async function compensationPage() {
  const index = await regionIndex();
  const schemes = await all('/assessment/compensation/schemes');
  const compare = new Set();
  const compareBtn = h(
    'a.button',
    { href: '#/compensation/compare', 'aria-disabled': 'true' },
    '并排比较所选测算',
  );
  const updateCompare = () => {
    const ids = [...compare];
    compareBtn.href = `#/compensation/compare?a=${ids[0] ?? ''}&b=${ids[1] ?? ''}`;
    compareBtn.setAttribute('aria-disabled', String(ids.length !== 2));
    compareBtn.classList.toggle('disabled', ids.length !== 2);
  };
  compareBtn.addEventListener('click', (e) => {
    if (compare.size !== 2) {
      e.preventDefault();
      toast('请勾选两个测算再比较', 'error');
    }
  });
  updateCompare();
  mount(
    heading('生态补偿'),
    section(
      '补偿方案',
      table(
        [
          { label: '方案', value: (s) => link(`#/compensation/schemes/${s.id}`, s.name) },
          { label: '类型', value: (s) => SCHEME_TYPE[s.type] ?? s.type },
          { label: '版本', value: (s) => String(s.version), num: true },
          { label: '状态', value: (s) => badge(s.status, { draft: '草稿', published: '已发布' }) },
        ],
        schemes,
      ),
    ),
    session.has('finance')
      ? await newRunCard(schemes.filter((s) => s.status === 'published'))
      : null,
    section(
      '补偿测算',
      h(
        'p.muted',
        '每次测算保存所用的输入和哈希；草稿可删除，批准后不可更改。勾选两个测算可并排比较（如不同预算的假设测算）。',
      ),
      compareBtn,
      paged(
        (page) => named(get('/assessment/compensation/runs', { page, pageSize: 20 }), 'createdBy'),
        (items) =>
          table(
            [
              {
                label: '比较',
                value: (r) => {
                  const box = h('input', {
                    type: 'checkbox',
                    'aria-label': `比较 ${schemeLabel(r)} ${r.budgetYear}`,
                    checked: compare.has(r.id),
                  });
                  box.addEventListener('change', () => {
                    if (box.checked) {
                      if (compare.size >= 2) {
                        box.checked = false;
                        toast('最多比较两个测算', 'error');
                        return;
                      }
                      compare.add(r.id);
                    } else compare.delete(r.id);
                    updateCompare();
                  });
                  return box;
                },
              },
              {
                label: '方案',
                value: (r) =>
                  link(`#/compensation/runs/${r.id}`, `${schemeLabel(r)} 第 ${r.schemeVersion} 版`),
              },
              { label: '地区', value: (r) => regionLabel(index, r.rootRegionCode) },
              { label: '预算年度', value: (r) => String(r.budgetYear) },
              { label: 'GEP 年份', value: (r) => (r.gepYear ? String(r.gepYear) : '—') },
              { label: '资金（万元）', value: (r) => (r.budget ? wan(r.budget) : '—'), num: true },
              { label: '状态', value: (r) => badge(r.status, RUN_STATUS) },
              { label: '创建', value: (r) => byAt(r.createdBy, r.createdAt) },
            ],
            items,
          ),
      ),
    ),
  );
}

async function newRunCard(schemes) {
  const box = alertBox();
  const scheme = select(
    'schemeId',
    schemes.map((s) => [s.id, s.name]),
  );
  const region = select('regionCode', await regionOptions('county'));
  const budgetYear = input('budgetYear', {
    type: 'number',
    min: 2000,
    max: 2100,
    value: new Date().getFullYear() - 3,
    inputMode: 'numeric',
  });
  const gepYear = input('gepYear', {
    type: 'number',
    min: 2000,
    max: 2100,
    inputMode: 'numeric',
    placeholder: '默认上一年',
  });
  const budget = input('budget', { placeholder: '如 50000000.00 或 5000 万元' });
  // defaults from the data: the latest published GEP of the region, budgeted the year after
  // (never over what the user has typed)
  let typed = false;
  for (const i of [budgetYear, gepYear]) i.addEventListener('input', () => (typed = true));
  const latestPublished = async () => {
    if (!region.value) return;
    const runs = await get('/accounting/runs', { regionCode: region.value, pageSize: 100 });
    if (typed) return;
    const years = runs.items.filter((r) => r.status === 'published').map((r) => r.year);
    if (!years.length) {
      gepYear.placeholder = '该地区没有已发布的 GEP 核算';
      return;
    }
    const latest = Math.max(...years);
    gepYear.value = String(latest);
    budgetYear.value = String(latest + 1);
  };
  region.addEventListener('change', () => void latestPublished());
  await latestPublished();
  const form = h(
    'form.inline',
    box,
    field('方案', scheme),
    field('地区', region),
    field('预算年度', budgetYear),
    field('GEP 年份', gepYear),
    field('资金总额', budget, '按 GEP 分配的方案必填；以元计，或写明万元、亿元'),
  );
  form.append(
    action(
      '测算',
      async () => {
        const run = await post('/assessment/compensation/runs', {
          schemeId: scheme.value,
          regionCode: region.value,
          budgetYear: Number(budgetYear.value),
          ...(gepYear.value ? { gepYear: Number(gepYear.value) } : {}),
          ...(budget.value.trim() ? { budget: budget.value.trim() } : {}),
        });
        toast('测算已生成（草稿）');
        location.hash = `#/compensation/runs/${run.id}`;
      },
      box,
      form,
      '.primary',
    ),
  );
  return section('新的测算（假设情形）', form);
}

export async function schemePage(id) {
  const s = await named(get(`/assessment/compensation/schemes/${id}`), 'publishedBy');
  mount(
    heading(s.name, link('#/compensation', '返回')),
    kv([
      ['代码', `${s.code} 第 ${s.version} 版`],
      ['类型', SCHEME_TYPE[s.type] ?? s.type],
      ['状态', badge(s.status, { draft: '草稿', published: '已发布' })],
      ['发布', s.publishedAt ? byAt(s.publishedBy, s.publishedAt) : '—'],
    ]),
    section('方案内容（公式、系数与出处）', contentView(s.content)),
  );
}

/** The words of a scheme's fields, as the finance bureau writes them. */
const FIELD = {
  standardId: '核算标准',
  source: '依据',
  description: '说明',
  weight: '权重公式',
  eligibility: '受偿条件',
  floor: '保底金额（元）',
  cap: '封顶金额（元）',
  missingFigures: '缺少数据时',
  rule: '处理办法',
  note: '说明',
  section: '监测断面',
  pollutants: '考核污染物',
  code: '代码',
  limit: '限值（mg/L）',
  tier: '扣缴规则',
  kind: '方式',
  steps: '档次',
  above: '高于',
  upTo: '至',
  amount: '金额（元）',
  stepSize: '步长',
  amountPerStep: '每步金额（元）',
  rounding: '取整',
  k0: 'K0',
  exemptWhenInflowExceeds: '入境已超标且未加重时免扣',
  compliantMonthReward: '达标月奖励（元）',
  annualCap: '年度上限（元）',
  measure: '考核指标公式',
  base: '基数（元）',
  classes: '档次',
  label: '名称',
  effect: '效果',
  percent: '比例（%）',
  fundedBy: '出资方',
  rates: '补偿标准',
  forestLevel: '公益林级别',
  ownership: '权属',
  zone: '区划',
  fromYear: '起始年',
  toYear: '截止年',
  rate: '标准（元/亩）',
  managementPercent: '管护费提取比例（%）',
};
const VALUE = {
  exclude: '不参与分配',
  keep_base: '按基数拨付',
  reward: '奖励',
  deduction: '扣减',
  suspend: '暂停',
  none: '无',
  steps: '分档定额',
  base_times_one_plus_x: '基数 ×（1 + 超标倍数）',
  per_step: '按步长累计',
  p_index: 'P 指数',
  ceil: '向上',
  floor: '向下',
  national: '国家级',
  provincial: '省级',
  state: '国有',
  collective: '集体',
  individual: '个人',
};
const said = (v) =>
  v === null || v === undefined
    ? '—'
    : typeof v === 'boolean'
      ? v
        ? '是'
        : '否'
      : Array.isArray(v)
        ? v.map(said).join('、')
        : /[+*/<>=()]/.test(String(v)) && /[a-z]/.test(String(v))
          ? h('code', String(v))
          : (VALUE[v] ?? String(v));

/** A scheme's content as labelled fields; lists of rules as tables. */
function contentView(content) {
  const rows = [];
  const tables = [];
  for (const [k, v] of Object.entries(content ?? {})) {
    if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) {
      const keys = [...new Set(v.flatMap((x) => Object.keys(x)))];
      tables.push(
        table(
          keys.map((key) => ({ label: FIELD[key] ?? key, value: (x) => said(x[key]) })),
          v,
          { caption: FIELD[k] ?? k },
        ),
      );
    } else if (v && typeof v === 'object') {
      tables.push(h('h3', FIELD[k] ?? k), contentView(v));
    } else rows.push([FIELD[k] ?? k, said(v)]);
  }
  return h('div', kv(rows), ...tables);
}

function explanation(a) {
  const e = a.explanation ?? {};
  const rows = Object.entries(e.figures ?? {});
  return [
    kv([
      ['地区', `${a.name}（${a.regionCode}）`],
      [
        '资格',
        `${a.eligible ? '符合' : '不符合'}${e.eligibility ? `（条件：${e.eligibility}）` : ''}`,
      ],
      e.weightFormula ? ['权重公式', h('code', e.weightFormula)] : null,
      ['权重', exactly(a.weight)],
      e.lambda ? ['分配系数 λ（资金 ÷ 权重之和）', exactly(e.lambda)] : null,
      e.exact ? ['精确金额（元）', exactly(e.exact)] : null,
      e.bound ? ['上下限', String(e.bound)] : null,
      e.roundingFen ? ['舍入调整（元）', e.roundingFen] : null,
      ['补偿金额（元）', h('strong', a.amount === null ? '无法计算' : fmt(a.amount, 2))],
    ]),
    rows.length
      ? table(
          [
            { label: '输入', value: ([k]) => h('code', k) },
            {
              label: '取值',
              value: ([, v]) =>
                /^-?\d+(\.\d+)?$/.test(String(v)) ? exactly(v) : h('code', String(v)),
              num: true,
            },
          ],
          rows,
          { caption: '所用数据（来自已发布的 GEP 核算结果）' },
        )
      : null,
    Object.keys(e).some(
      (k) =>
        ![
          'figures',
          'weightFormula',
          'lambda',
          'exact',
          'bound',
          'roundingFen',
          'eligibility',
          'weight',
        ].includes(k),
    )
      ? h(
          'pre.json',
          JSON.stringify(
            Object.fromEntries(Object.entries(e).filter(([k]) => !['figures'].includes(k))),
            null,
            2,
          ),
        )
      : null,
  ];
}

export async function compensationRunPage(id) {
  const run = await named(get(`/assessment/compensation/runs/${id}`), 'approvedBy');
  const index = await regionIndex();
  const box = alertBox();
  const actions = h('div.actions');
  // One approved run per scheme, region and budget year: say so rather than offer a refused approval.
  const approved =
    run.status === 'draft'
      ? (
          await get('/assessment/compensation/runs', {
            status: 'approved',
            schemeCode: run.schemeCode,
            regionCode: run.rootRegionCode,
            budgetYear: run.budgetYear,
          })
        ).items.find((r) => r.rootRegionCode === run.rootRegionCode)
      : null;
  if (approved)
    actions.append(
      h(
        'p.alert.info',
        `${run.budgetYear} 年度本方案已有批准的测算（`,
        link(`#/compensation/runs/${approved.id}`, '查看'),
        '），批准结果不可更改；此测算仅供比较。',
      ),
    );
  if (session.has('finance') && run.status === 'draft') {
    actions.append(
      approved || run.notComputable?.length
        ? ''
        : action(
            '批准',
            async () => {
              if (!window.confirm('批准后金额不可更改，确定批准？')) return;
              await post(`/assessment/compensation/runs/${id}/approve`);
              await toastWhenDrawn(compensationRunPage(id), '已批准');
            },
            box,
            null,
            '.primary',
          ),
      action(
        '删除草稿',
        async () => {
          if (!window.confirm('删除这个测算草稿？')) return;
          await del(`/assessment/compensation/runs/${id}`);
          toast('已删除');
          location.hash = '#/compensation';
        },
        box,
      ),
    );
  }
  actions.append(
    action(
      '导出 Excel',
      () =>
        download(
          `/assessment/compensation/runs/${id}/export`,
          `补偿-${run.schemeCode}-${run.budgetYear}.xlsx`,
        ),
      box,
    ),
  );
  const total = sumDec(run.amounts.map((a) => a.amount));
  const gaps = run.amounts.filter((a) => a.amount === null);
  mount(
    heading(
      `${schemeLabel(run)} · ${regionLabel(index, run.rootRegionCode)} · ${run.budgetYear} 年度`,
      link('#/compensation', '返回'),
    ),
    kv([
      ['状态', badge(run.status, RUN_STATUS)],
      ['方案版本', String(run.schemeVersion)],
      ['GEP 年份', run.gepYear ? String(run.gepYear) : '—'],
      ['资金总额', run.budget ? `${fmt(run.budget, 2)} 元` : '—'],
      ['输入哈希 SHA-256', h('code.hash', run.inputsSha256)],
      ['批准', run.approvedAt ? byAt(run.approvedBy, run.approvedAt) : '—'],
    ]),
    run.sourceWithdrawn
      ? h(
          'p.alert.error',
          `所依据的 GEP 核算已被撤回（${date(run.sourceWithdrawn.at)}，理由：${run.sourceWithdrawn.reason ?? '未说明'}）。金额保持批准时的原样，请核实后处理。`,
        )
      : null,
    gaps.length
      ? h(
          'p.alert.error.incomplete',
          `不完整：${gaps.length} 个地区的金额无法计算（${gaps.map((a) => a.name).join('、')}），缺失的数据不按 0 计算，本测算不能批准。请待 GEP 核算补齐后重新测算，或在方案中规定缺失数据的处理办法。`,
        )
      : null,
    box,
    actions,
    section(
      `分配结果（${run.amounts.length} 个对象，合计 ${total === null ? '无法计算' : `${fmt(total, 2)} 元`}）`,
      table(
        [
          { label: '地区', value: (a) => `${a.name}（${a.regionCode}）` },
          { label: '资格', value: (a) => (a.eligible ? '符合' : '不符合') },
          {
            label: '金额（元）',
            value: (a) => (a.amount === null ? '无法计算' : fmt(a.amount, 2)),
            num: true,
          },
          { label: '资金状态', value: (a) => FUND[a.fundState] ?? a.fundState },
          {
            label: '',
            value: (a) =>
              h(
                'button',
                {
                  type: 'button',
                  on: { click: () => dialog(`补偿说明：${a.name}`, explanation(a)) },
                },
                '说明',
              ),
          },
        ],
        run.amounts,
      ),
    ),
    run.status === 'approved' ? await fundSection(run, box) : null,
  );
}

async function fundSection(run, box) {
  const events = await named(
    get(`/assessment/compensation/runs/${run.id}/fund-events`),
    'recordedBy',
  );
  const form = h('form.inline');
  if (session.has('finance')) {
    const region = select(
      'regionCode',
      run.amounts.map((a) => [a.regionCode, a.name]),
    );
    const state = select(
      'state',
      Object.entries(FUND).filter(([k]) => k !== 'pending'),
    );
    const amount = input('amount', { inputMode: 'decimal', placeholder: '默认全额' });
    const document = input('document', { placeholder: '文号，如 婺财预〔2024〕12号' });
    form.append(
      field('对象', region),
      field('状态', state),
      field('金额（元）', amount),
      field('依据文件', document),
      action(
        '登记',
        async () => {
          await post(`/assessment/compensation/runs/${run.id}/fund-events`, {
            regionCode: region.value,
            state: state.value,
            document: document.value.trim(),
            ...(amount.value.trim() ? { amount: amount.value.trim() } : {}),
          });
          await toastWhenDrawn(compensationRunPage(run.id), '已登记');
        },
        box,
        form,
      ),
    );
  }
  return section(
    '资金拨付记录',
    table(
      [
        { label: '时间', value: (e) => date(e.recordedAt) },
        { label: '对象', value: (e) => e.regionCode },
        { label: '状态', value: (e) => FUND[e.state] ?? e.state },
        { label: '金额（元）', value: (e) => fmt(e.amount, 2), num: true },
        { label: '依据文件', value: (e) => e.document },
        { label: '登记人', value: (e) => nameOf(e.recordedBy) },
      ],
      events,
    ),
    form,
  );
}

export async function comparePage() {
  const { a, b } = query();
  if (!a || !b) {
    mount(
      heading('并排比较'),
      h('p', '请在补偿测算列表中勾选两个测算。'),
      link('#/compensation', '返回'),
    );
    return;
  }
  const [x, y] = await Promise.all([
    get(`/assessment/compensation/runs/${a}`),
    get(`/assessment/compensation/runs/${b}`),
  ]);
  const codes = [...new Set([...x.amounts, ...y.amounts].map((r) => r.regionCode))];
  const find = (run, code) => run.amounts.find((r) => r.regionCode === code);
  const title = (r) =>
    `${schemeLabel(r)} ${r.budgetYear}${r.budget ? ` · ${wan(r.budget)}` : ''}（${RUN_STATUS[r.status]}）`;
  mount(
    heading('补偿测算并排比较', link('#/compensation', '返回')),
    table(
      [
        { label: '地区', value: (c) => find(x, c)?.name ?? find(y, c)?.name ?? c },
        { label: `A：${title(x)}（元）`, value: (c) => fmt(find(x, c)?.amount, 2), num: true },
        { label: `B：${title(y)}（元）`, value: (c) => fmt(find(y, c)?.amount, 2), num: true },
        {
          label: 'B − A（元）',
          value: (c) => fmt(subDec(find(y, c)?.amount, find(x, c)?.amount), 2),
          num: true,
        },
      ],
      codes,
      { caption: '逐个对象的补偿金额' },
    ),
  );
}
