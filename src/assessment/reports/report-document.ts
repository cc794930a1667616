import { D, Dec } from '../../common/decimal';
import { CATEGORIES, Category, CATEGORY_ZH, DEDUCTION } from '../../accounting/runs/published-gep';
import { Block } from '../../common/documents/blocks';
import { ReportContent, TracedInput } from './report-content';
import { inLanguage } from '../../common/i18n/text';

/**
 * The departure-audit report as a list of format-neutral blocks (documents/blocks.ts), in Chinese,
 * following the outline of audit.md §6.
 */
export { CATEGORY_ZH };
const CATEGORY_COLOR: Record<Category, string> = {
  provisioning: '#d08c2b',
  regulating: '#2f8f5b',
  cultural: '#3a6fb0',
  out_of_region: '#8a8f94',
};

/** Thousands separators on the integer part of a fixed-point string. */
const grouped = (fixed: string) => {
  const [int, frac] = fixed.split('.');
  return `${int.replace(/\B(?=(\d{3})+$)/g, ',')}${frac === undefined ? '' : `.${frac}`}`;
};
/** 元 → 万元 with two places, rounded half up once, here at the end; null (not computed) → —. */
export const wan = (yuan: string | Dec | null): string =>
  yuan === null
    ? '—'
    : grouped(new D(yuan).div(10000).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2));
const wanNumber = (yuan: string | null) =>
  yuan === null ? null : new D(yuan).div(10000).toNumber();
export const percent = (ratio: string | null): string =>
  ratio === null ? '—' : `${new D(ratio).mul(100).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2)}%`;
const signedWan = (yuan: string | null) => {
  if (yuan === null) return '—';
  const s = wan(yuan);
  return s.startsWith('-') ? s : `+${s}`;
};
/** A missing figure in running text: said to be missing, never printed as a number. */
const wanText = (yuan: string | null) =>
  yuan === null ? '缺失（核算不完整）' : `${wan(yuan)} 万元`;
const percentText = (ratio: string | null) => (ratio === null ? '无法计算' : percent(ratio));

/** A published run the report read that has since been withdrawn (撤回). */
export interface WithdrawnSource {
  runId: string;
  year: number;
  reason: string | null;
}

/**
 * Sources as the appendix prints them: the survey forms of many regions are counted by department
 * (their ids are in the report's content and the run's trace); other sources are named.
 */
const sourcesText = (sources: string[]): string => {
  const forms = new Map<string, number>();
  const named: string[] = [];
  for (const s of sources) {
    const m = /^survey form [0-9a-f-]{36} \((.+), revision \d+\)$/.exec(s);
    if (m && sources.length > 1) forms.set(m[1], (forms.get(m[1]) ?? 0) + 1);
    else named.push(s);
  }
  return [...named, ...[...forms].map(([dept, n]) => `${dept}调查表 ${n} 份`)].join('；');
};

const inputText = (i: TracedInput): string => {
  const value =
    i.value === null
      ? `各区域取值不同（${i.unit}）`
      : typeof i.value === 'string'
        ? `${i.value} ${i.unit}`.trim()
        : `分项 ${Object.keys(i.value).length} 个（${i.unit}）`;
  return `${i.name} = ${value}${i.sources.length ? `（来源：${sourcesText(i.sources)}）` : ''}`;
};

export function reportBlocks(c: ReportContent, withdrawn: WithdrawnSource[] = []): Block[] {
  const e = c.evaluation;
  const t = c.tenure;
  const tenureText = `${t.startDate} 至 ${t.endDate ?? '今（在任）'}${t.acting ? '（代理）' : ''}`;
  const blocks: Block[] = [
    {
      kind: 'title',
      text: '领导干部自然资源资产离任审计参考报告',
      subtitle: `生态产品总值（GEP）专项 · ${t.regionName} · ${c.official.name}`,
    },
    ...(withdrawn.length
      ? [
          {
            kind: 'paragraph' as const,
            text: `【注意】本报告所依据的核算结果已被撤回：${withdrawn
              .map(
                (w) =>
                  `${w.year} 年核算批次 ${w.runId.slice(0, 8)}（撤回理由：${w.reason ?? '未说明'}）`,
              )
              .join('；')}。报告内容保持生成时的原样，不得再作为审计依据引用。`,
          },
        ]
      : []),
    ...(!e.evaluable
      ? [
          {
            kind: 'paragraph' as const,
            text: '【注意】任期首尾年度的生态产品总值核算不完整，本报告不作评分和等级评价（无法评价），缺失的数据见“数据缺口说明”。',
          },
        ]
      : []),
    { kind: 'heading', text: '一、基本情况' },
    {
      kind: 'table',
      columns: [
        { title: '项目', width: 1 },
        { title: '内容', width: 3 },
      ],
      rows: [
        ['被审计领导干部', c.official.name],
        ['职务', t.post],
        ['地区', `${t.regionPath.join(' ')}（${t.regionCode}）`],
        ['任职期间', tenureText],
        ['评价基准年', `${e.baselineYear} 年`],
        ['评价终止年', `${e.endYear} 年`],
        ['核算标准', e.ruleset.standardId],
      ],
    },
    {
      kind: 'paragraph',
      text: `本报告依据已发布的生态产品总值核算结果编制，比较任职前后（${e.baselineYear} 年与 ${e.endYear} 年）的生态产品总值及其构成，不变价按 ${e.baselineYear} 年价格计算。报告中每个数字均可在附录中追溯至核算批次、指标与数据来源。`,
    },

    { kind: 'heading', text: '二、任期内生态产品总值变化' },
    {
      kind: 'table',
      columns: [
        { title: '年度', width: 1 },
        { title: 'GEP（当年价，万元）', width: 2, align: 'right' },
        { title: `GEP（${e.baselineYear} 年不变价，万元）`, width: 2, align: 'right' },
        { title: '核算批次', width: 2 },
      ],
      rows: e.series.map((s) => [
        String(s.year),
        wan(s.gep),
        wan(s.gepAtBaselinePrices),
        s.runId.slice(0, 8),
      ]),
    },
    {
      kind: 'chart',
      chart: {
        title: `图 1  生态产品总值（万元）`,
        unit: '万元',
        labels: e.series.map((s) => String(s.year)),
        series: [
          { name: '当年价', color: '#2f8f5b', values: e.series.map((s) => wanNumber(s.gep)) },
          {
            name: `${e.baselineYear} 年不变价`,
            color: '#9cc9a9',
            values: e.series.map((s) => wanNumber(s.gepAtBaselinePrices)),
          },
        ],
        stacked: false,
      },
    },
    {
      kind: 'paragraph',
      text: `${e.baselineYear} 年 GEP 为 ${wanText(e.gep.start)}，${e.endYear} 年为 ${wanText(e.gep.end)}；按当年价变化 ${percentText(e.gep.change)}，按 ${e.baselineYear} 年不变价实际变化 ${percentText(e.gep.realChange)}。`,
    },
    { kind: 'subheading', text: '（一）分类别变化' },
    {
      kind: 'table',
      columns: [
        { title: '类别', width: 2 },
        { title: `${e.baselineYear} 年（万元）`, width: 2, align: 'right' },
        { title: `${e.endYear} 年（万元）`, width: 2, align: 'right' },
        { title: '变化（万元）', width: 2, align: 'right' },
      ],
      rows: [
        ...CATEGORIES.filter((k) => k in e.gep.byCategory).map((k) => {
          const x = e.gep.byCategory[k];
          return [
            CATEGORY_ZH[k],
            wan(x.start),
            wan(x.end),
            signedWan(
              x.start === null || x.end === null ? null : new D(x.end).minus(x.start).toString(),
            ),
          ];
        }),
        ['合计', wan(e.gep.start), wan(e.gep.end), signedWan(e.gep.effects?.total ?? null)],
      ],
    },
    {
      kind: 'chart',
      chart: {
        title: '图 2  生态产品总值构成（万元）',
        unit: '万元',
        labels: e.series.map((s) => String(s.year)),
        // the deduction is a table row, not a layer of the stacked composition
        series: CATEGORIES.filter(
          (k) => k !== DEDUCTION && e.series.some((s) => k in s.byCategory),
        ).map((k) => ({
          name: CATEGORY_ZH[k],
          color: CATEGORY_COLOR[k],
          values: e.series.map((s) => wanNumber(s.byCategory[k])),
        })),
        stacked: true,
      },
    },
    { kind: 'subheading', text: '（二）变化分解' },
    e.gep.effects
      ? {
          kind: 'table',
          columns: [
            { title: '因素', width: 3 },
            { title: '影响（万元）', width: 2, align: 'right' },
          ],
          rows: [
            ['核算方法与参数变化', signedWan(e.gep.effects.method)],
            ['实物量变化', signedWan(e.gep.effects.quantity)],
            ['价格变化', signedWan(e.gep.effects.price)],
            ['合计', signedWan(e.gep.effects.total)],
          ],
        }
      : { kind: 'paragraph', text: '核算不完整，变化无法分解。' },

    { kind: 'heading', text: '三、自然资源资产及相关指标变化' },
    {
      kind: 'table',
      columns: [
        { title: '指标', width: 2 },
        { title: `${e.baselineYear} 年`, width: 2, align: 'right' },
        { title: `${e.endYear} 年`, width: 2, align: 'right' },
      ],
      rows: e.resources.map((r) => [
        `${c.variableNames[r.variable] ?? r.variable}（${r.variable}）`,
        r.start ?? '未报告',
        r.end ?? '未报告',
      ]),
    },

    { kind: 'heading', text: '四、生态保护补偿资金' },
    e.compensation.length
      ? {
          kind: 'table',
          columns: [
            { title: '预算年度', width: 1 },
            { title: '已批准补偿金额（元）', width: 2, align: 'right' },
          ],
          rows: e.compensation.map((x) => [String(x.budgetYear), grouped(x.amount)]),
        }
      : { kind: 'paragraph', text: '任期内无已批准的生态保护补偿资金分配。' },

    { kind: 'heading', text: '五、评价意见' },
    {
      kind: 'paragraph',
      text: e.evaluable
        ? `按评价规则计算，得分 ${e.score} 分，评价等级为「${e.grade}」。`
        : `无法评价：任期首尾年度的生态产品总值不完整，评价规则不对不完整的合计计分定级。${e.gaps
            .filter((g) => g.code === 'incomplete_gep')
            .map((g) => g.messageZh)
            .join('；')}。`,
    },
    {
      kind: 'list',
      items: [
        `评分公式：${e.ruleset.score}（结果限定在 0–100 分）`,
        `等级划分：${e.ruleset.grades.map((g) => `${g.grade} ≥ ${g.min}`).join('；')}`,
      ],
    },

    ...uncertaintyBlocks(c),

    { kind: 'heading', text: '六、触发事项' },
    !e.evaluable
      ? { kind: 'paragraph', text: '数据不完整，未对评价规则所列事项作出判断。' }
      : e.findings.length
        ? { kind: 'list', items: e.findings.map((f) => `${f.label}（${f.code}）`) }
        : { kind: 'paragraph', text: '未触发评价规则所列事项。' },
    {
      kind: 'list',
      items: e.ruleset.triggers.map((x) => `规则 ${x.code}：${x.label}，条件 ${x.condition}`),
    },

    { kind: 'heading', text: '七、数据缺口说明' },
    e.gaps.length
      ? { kind: 'list', items: e.gaps.map((g) => g.messageZh) }
      : { kind: 'paragraph', text: '无。' },

    { kind: 'heading', text: '附录  数据溯源' },
    {
      kind: 'table',
      columns: [
        { title: '年度', width: 1 },
        { title: '核算批次', width: 3 },
        { title: '核算方法（版本）', width: 3 },
        { title: '输入快照 SHA-256', width: 3 },
      ],
      rows: c.runs.map((r) => [
        String(r.year),
        r.runId,
        `${r.methodology.name}（${r.methodology.standardId} v${r.methodology.version}）`,
        r.snapshotSha256,
      ]),
    },
  ];
  for (const tr of c.traces) {
    blocks.push({ kind: 'subheading', text: `${tr.year} 年指标明细（核算批次 ${tr.runId}）` });
    blocks.push({
      kind: 'table',
      columns: [
        { title: '指标', width: 3 },
        { title: '类别', width: 1.4 },
        { title: '价值量（万元）', width: 2, align: 'right' },
        { title: '公式与输入（来源）', width: 6 },
      ],
      rows: tr.indicators.map((i) => [
        `${i.nameZh}（${i.code}）${i.counted ? '' : ' 不计入'}`,
        CATEGORY_ZH[i.category as Category] ?? i.category,
        wan(i.value),
        i.value === null
          ? `未核算：缺少 ${(i.missing ?? []).map((m) => inLanguage(m, 'zh')).join('、') || '输入'}`
          : [
              i.computedIn > 1 ? `${i.computedIn} 个区域核算结果之和` : '',
              i.formula ? `公式 ${i.formula}` : '',
              ...i.inputs.map(inputText),
            ]
              .filter(Boolean)
              .join('；'),
      ]),
    });
    if (tr.computedRegions.length > 1 || tr.computedRegions[0]?.code !== c.tenure.regionCode)
      blocks.push({
        kind: 'paragraph',
        text: `核算区域（${tr.computedRegions.length} 个）：${tr.computedRegions.map((r) => `${r.name}（${r.code}）`).join('、')}。`,
      });
  }
  blocks.push({
    kind: 'paragraph',
    text: '说明：金额以元为单位精确存储，表中按万元四舍五入至两位小数。指标的完整计算过程可通过 GET /accounting/runs/{批次}/results/{地区代码}/{指标} 查询。',
  });
  return blocks;
}

/** Percentage points of a fraction's swing, e.g. 0.0123 → 1.23 个百分点. */
const points = (x: string | null) =>
  x === null ? '—' : `${new D(x).mul(100).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2)} 个百分点`;

/**
 * 评价意见's statement of uncertainty: always one paragraph; the table of intervals and of the
 * parameters that move the change most when the conclusion is not settled by the parameters.
 */
function uncertaintyBlocks(c: ReportContent): Block[] {
  const u = c.uncertainty;
  if (!u) return [];
  const e = c.evaluation;
  if (!u.parameters.length)
    return [
      {
        kind: 'paragraph',
        text: '核算参数的不确定性：两年核算所用的价格和系数均未给出取值范围，未评估不确定性。',
      },
    ];
  const grades = u.grades.map((g) => `「${g.grade}」${g.draws} 次`).join('、');
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: `核算参数的不确定性：对 ${u.parameters.length} 个给出取值范围的价格和系数，按三角分布（下限、采用值、上限）抽样 ${u.draws} 次（蒙特卡罗方法，随机种子 ${u.seed}，同样的核算结果必得同样的数字），按 ${e.baselineYear} 年不变价的实际变化 90% 区间为 ${percentText(u.realChange.p05)} 至 ${percentText(u.realChange.p95)}；各次抽样的评价等级：${grades}。${
        u.withinUncertainty
          ? '任期内的变化处于核算参数的不确定性范围之内，评价结论应结合下表审慎使用。'
          : '变化超出核算参数的不确定性范围，评价等级不因参数在其范围内取值而改变。'
      }`,
    },
  ];
  if (!u.withinUncertainty) return blocks;
  blocks.push(
    {
      kind: 'table',
      columns: [
        { title: '项目', width: 3 },
        { title: '采用值', width: 2, align: 'right' },
        { title: '5% 分位', width: 2, align: 'right' },
        { title: '95% 分位', width: 2, align: 'right' },
      ],
      rows: [
        [
          `${e.baselineYear} 年 GEP（万元）`,
          wan(u.gepStart.value),
          wan(u.gepStart.p05),
          wan(u.gepStart.p95),
        ],
        [
          `${e.endYear} 年 GEP（${e.baselineYear} 年价，万元）`,
          wan(u.gepEndAtStartPrices.value),
          wan(u.gepEndAtStartPrices.p05),
          wan(u.gepEndAtStartPrices.p95),
        ],
        [
          '实际变化',
          percent(u.realChange.value),
          percent(u.realChange.p05),
          percent(u.realChange.p95),
        ],
      ],
    },
    {
      kind: 'table',
      columns: [
        { title: '对实际变化影响最大的参数', width: 4 },
        { title: '取值范围（采用值）', width: 3 },
        { title: '取下限时', width: 2, align: 'right' },
        { title: '取上限时', width: 2, align: 'right' },
        { title: '摆幅', width: 2, align: 'right' },
      ],
      rows: u.sensitivity
        .slice(0, 5)
        .map((p) => [
          `${p.nameZh}（${p.parameter}）`,
          `${p.low}–${p.high}（${p.value}）${p.unit === '1' ? '' : ` ${p.unit}`}`,
          percent(p.realChangeAtLow),
          percent(p.realChangeAtHigh),
          points(p.swing),
        ]),
    },
  );
  return blocks;
}
