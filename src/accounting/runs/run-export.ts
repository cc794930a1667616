import ExcelJS from 'exceljs';
import { D, Dec } from '../../common/decimal';
import { CATEGORIES, CATEGORY_ZH, MethodologyContent } from '../methodology/methodology-content';
import { sumCounted } from '../methodology/methodology-model';
import { AccountingResult } from './accounting-result.entity';
import { AccountingRun, RUN_STATUS_ZH } from './accounting-run.entity';
import { inLanguage } from '../../common/i18n/text';
import { DIMENSIONS, parseUnit } from '../../formula/units';
import { TraceInput } from '../../formula/model';

export const EXPORT_COLUMNS = [
  '地区代码',
  '地区名称',
  '指标代码',
  '指标名称',
  '状态',
  '实物量',
  '实物量单位',
  '价值量（元）',
  '缺少的数据',
] as const;
const STATUS_ZH = { computed: '核算', aggregated: '汇总', not_computable: '无法核算' } as const;

/** Whether the run lacks counted results, as the exports state it. */
export const completenessText = (run: AccountingRun): string =>
  run.completeness.complete
    ? '完整'
    : `不完整：${run.completeness.gaps.length} 项应计入 GEP 的结果无法核算（共 ${run.completeness.expected} 项），含缺口地区的合计不可作为总值使用`;

/** One row per region and indicator, values as exact decimal strings (元, unrounded). */
export function exportRows(
  run: AccountingRun,
  content: MethodologyContent,
  results: AccountingResult[],
  regionNames: Map<string, string>,
): string[][] {
  const names = new Map(content.indicators.map((i) => [i.code, i.nameZh]));
  return results.map((r) => [
    r.regionCode,
    regionNames.get(r.regionCode) ?? '',
    r.indicatorCode,
    names.get(r.indicatorCode) ?? '',
    STATUS_ZH[r.status],
    r.quantity?.toString() ?? '',
    r.quantityUnit ?? '',
    r.value?.toString() ?? '',
    (r.missing ?? []).map((m) => inLanguage(m, 'zh')).join(' '),
  ]);
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** CSV with a UTF-8 byte-order mark, so that Excel opens the Chinese text correctly. */
export function toCsv(rows: string[][]): Buffer {
  const lines = [EXPORT_COLUMNS.join(','), ...rows.map((r) => r.map(csvCell).join(','))];
  return Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'),
  ]);
}

const CURRENCY = DIMENSIONS.indexOf('currency');
/** A price's unit: currency per something (元/m³, 元/t, 元/(hm²·a)) — not a plain amount of money. */
const isPriceUnit = (unit: string): boolean => {
  try {
    const dims = parseUnit(unit).dims;
    return dims[CURRENCY] === 1 && dims.some((x, i) => i !== CURRENCY && x !== 0);
  } catch {
    return false;
  }
};

/**
 * The price an indicator's value reads: the one parameter in its trace whose unit is currency per
 * something. A sum over sub-regions has the price its parts share (none when they differ). None
 * when there is no such parameter or several (a table cell holds one price).
 */
function priceOf(
  result: AccountingResult | undefined,
  byRegion: Map<string, AccountingResult>,
  depth = 0,
): TraceInput | null {
  const trace = result?.trace as { inputs?: TraceInput[]; aggregatedFrom?: string[] } | null;
  if (!result || !trace) return null;
  if (trace.aggregatedFrom) {
    if (depth > 8 || trace.aggregatedFrom.length === 0) return null;
    const parts = trace.aggregatedFrom.map((code) =>
      priceOf(byRegion.get(`${code}|${result.indicatorCode}`), byRegion, depth + 1),
    );
    const key = (p: TraceInput | null) => (p ? JSON.stringify([p.value, p.unit]) : null);
    return parts[0] && parts.every((p) => key(p) === key(parts[0])) ? parts[0] : null;
  }
  const prices = (trace.inputs ?? []).filter((i) => i.kind === 'parameter' && isPriceUnit(i.unit));
  return prices.length === 1 ? prices[0] : null;
}

/** The unit of the published table's values, and how many decimals it is rounded to. */
const TABLE_UNIT = { name: '万元', yuan: new D(10000), decimals: 2 };
const QUANTITY_DECIMALS = 4;

/**
 * The run's GEP of its root region laid out as a published GEP table: category → service →
 * indicator, indexed items (生活/工业/农业用水…) as their own rows, service and category subtotals
 * and the GEP total; values in 万元 as numbers rounded once to publication precision (the exact
 * sums are rounded, not the rounded parts summed), quantities in the indicator's unit. A total
 * over a missing figure is left empty and says so — never a partial sum.
 */
function gepTableSheet(
  wb: ExcelJS.Workbook,
  run: AccountingRun,
  content: MethodologyContent,
  results: AccountingResult[],
  regionName: string,
): void {
  const sheet = wb.addWorksheet('GEP 核算表', { views: [{ state: 'frozen', ySplit: 3 }] });
  const mine = new Map(
    results.filter((r) => r.regionCode === run.rootRegionCode).map((r) => [r.indicatorCode, r]),
  );
  const sums = sumCounted(content, (code) => mine.get(code)?.value ?? null);
  const byRegion = new Map(results.map((r) => [`${r.regionCode}|${r.indicatorCode}`, r]));
  const money = (yuan: Dec | null) =>
    yuan === null
      ? null
      : Number(yuan.div(TABLE_UNIT.yuan).toDecimalPlaces(TABLE_UNIT.decimals, D.ROUND_HALF_UP));
  const share = (yuan: Dec | null) =>
    yuan === null || sums.total === null || sums.total.isZero()
      ? null
      : Number(yuan.div(sums.total).toDecimalPlaces(6, D.ROUND_HALF_UP));
  const itemNames = new Map(content.indexSets.flatMap((x) => x.items.map((i) => [i.code, i.name])));
  // items in the order their index set lists them (森林, 灌丛, 草地…), as the table prints them
  const itemOrder = new Map(
    content.indexSets.flatMap((x) => x.items.map((i, n): [string, number] => [i.code, n])),
  );

  sheet.columns = [
    { width: 12 },
    { width: 16 },
    { width: 22 },
    { width: 14 },
    { width: 18 },
    { width: 12 },
    { width: 14 },
    { width: 14 },
    { width: 18 },
    { width: 12 },
    { width: 36 },
  ];
  sheet.mergeCells(1, 1, 1, 11);
  sheet.getCell(1, 1).value = `${regionName}${run.year} 年生态产品总值（GEP）核算表`;
  sheet.getCell(1, 1).font = { bold: true, size: 14 };
  sheet.mergeCells(2, 1, 2, 11);
  sheet.getCell(2, 1).value =
    `核算标准：${run.standardId} 第 ${run.methodologyVersion} 版；价值量单位：${TABLE_UNIT.name}（保留 ${TABLE_UNIT.decimals} 位小数，合计由精确值舍入）；${completenessText(run)}`;
  const header = sheet.getRow(3);
  header.values = [
    '类别',
    '生态系统服务',
    '核算科目',
    '分项',
    '实物量',
    '实物量单位',
    '价格',
    '价格单位',
    `价值量（${TABLE_UNIT.name}）`,
    '占 GEP 比例',
    '备注',
  ];
  header.font = { bold: true };

  const VALUE_FORMAT = '#,##0.00';
  /** The price for the next row added (as it is cited: not rounded, it is a parameter). */
  let price: { value: number; unit: string } | null = null;
  const setPrice = (p: TraceInput | null, item?: string) => {
    const v =
      p === null
        ? undefined
        : typeof p.value === 'string'
          ? item
            ? undefined
            : p.value
          : item
            ? p.value[item]
            : undefined;
    price = p && v !== undefined ? { value: Number(v), unit: p.unit } : null;
  };
  const add = (
    cells: (string | number | null)[],
    style: { bold?: boolean; quantity?: boolean } = {},
  ) => {
    // the price and price-unit columns follow the quantity's unit on every row
    const full = [
      ...cells.slice(0, 6),
      price?.value ?? null,
      price?.unit ?? null,
      ...cells.slice(6),
    ];
    price = null;
    const row = sheet.addRow(full.map((c) => (c === null ? undefined : c)));
    row.getCell(5).numFmt = '#,##0.####';
    row.getCell(7).numFmt = '#,##0.######';
    row.getCell(9).numFmt = VALUE_FORMAT;
    row.getCell(10).numFmt = '0.00%';
    if (style.bold) row.font = { bold: true };
    return row;
  };
  const gapNote = '含缺失数据，不合计';

  for (const category of CATEGORIES) {
    const services = content.services.filter((x) => x.category === category);
    if (!services.length) continue;
    const sub = sums.byCategory[category];
    add(
      [
        CATEGORY_ZH[category],
        null,
        null,
        null,
        null,
        null,
        money(sub),
        share(sub),
        sub === null ? gapNote : null,
      ],
      { bold: true },
    );
    for (const service of services) {
      const indicators = content.indicators.filter((i) => i.service === service.code);
      if (!indicators.length) continue;
      const serviceSum = sums.byService[service.code] ?? null;
      const counted = indicators.some((i) => i.counted);
      add(
        [
          null,
          service.nameZh,
          null,
          null,
          null,
          null,
          counted ? money(serviceSum) : null,
          counted ? share(serviceSum) : null,
          !counted ? '不计入 GEP' : serviceSum === null ? gapNote : null,
        ],
        { bold: true },
      );
      for (const indicator of indicators) {
        const r = mine.get(indicator.code);
        const p = priceOf(r, byRegion);
        const value = r?.value ?? null;
        const perItemOnly = r?.quantity === null && r?.quantityByIndex && value !== null;
        const note = [
          indicator.counted ? null : '不计入 GEP',
          perItemOnly ? '实物量按分项列示（不同物质不相加）' : null,
          value === null
            ? `缺少数据${r?.missing?.length ? `：${r.missing.map((m) => inLanguage(m, 'zh')).join('、')}` : ''}`
            : null,
        ]
          .filter(Boolean)
          .join('；');
        setPrice(p);
        add([
          null,
          null,
          indicator.nameZh,
          null,
          r?.quantity
            ? Number(r.quantity.toDecimalPlaces(QUANTITY_DECIMALS, D.ROUND_HALF_UP))
            : null,
          r?.quantity ? r.quantityUnit : null,
          money(value),
          indicator.counted ? share(value) : null,
          note || null,
        ]);
        const items = Object.entries(r?.byIndex ?? {}).sort(
          ([a], [b]) => (itemOrder.get(a) ?? 1e9) - (itemOrder.get(b) ?? 1e9),
        );
        for (const [item, yuan] of items) {
          setPrice(p, item);
          const q = r?.quantityByIndex?.[item];
          add([
            null,
            null,
            null,
            itemNames.get(item) ?? item,
            q === undefined
              ? null
              : Number(new D(q).toDecimalPlaces(QUANTITY_DECIMALS, D.ROUND_HALF_UP)),
            q === undefined ? null : r!.quantityUnit,
            money(new D(yuan)),
            null,
            null,
          ]);
        }
      }
    }
  }
  add(
    [
      '生态产品总值（GEP）',
      null,
      null,
      null,
      null,
      null,
      money(sums.total),
      sums.total === null ? null : 1,
      sums.total === null ? `不完整：${sums.incomplete.length} 项应计入的指标无结果` : null,
    ],
    { bold: true },
  );
}

/**
 * xlsx: the published GEP table of the run's region first (numbers), then every region's exact
 * results (text, so that no digit is lost to floating point), then what the run is.
 */
export async function toXlsx(
  run: AccountingRun,
  rows: string[][],
  content: MethodologyContent,
  results: AccountingResult[],
  regionName: string,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  gepTableSheet(wb, run, content, results, regionName);
  const sheet = wb.addWorksheet(`${run.year} 精确值`, {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = EXPORT_COLUMNS.map((header) => ({ header, width: header.length > 4 ? 22 : 14 }));
  sheet.getRow(1).font = { bold: true };
  rows.forEach((r) => sheet.addRow(r));
  const meta = wb.addWorksheet('说明');
  [
    ['核算编号', run.id],
    ['核算标准', `${run.standardId} v${run.methodologyVersion}`],
    ['地区', run.rootRegionCode],
    ['年度', run.year],
    ['状态', RUN_STATUS_ZH[run.status]],
    ['完整性', completenessText(run)],
    ...(run.incompleteReason ? [['不完整发布理由', run.incompleteReason]] : []),
    ...(run.withdrawalReason ? [['撤回理由', run.withdrawalReason]] : []),
    ['数据快照 SHA-256', run.snapshotSha256],
    [
      '说明',
      '“GEP 核算表”按类别、服务、科目列示本地区价值量（万元，保留 2 位小数）；“精确值”表列示各地区全部结果，价值量单位为元，未经舍入；“汇总”为下级地区之和；“无法核算”列出缺少的数据。',
    ],
  ].forEach((r) => meta.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
