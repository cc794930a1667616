import ExcelJS from 'exceljs';
import { MethodologyContent } from '../methodology/methodology-content';
import { AccountingResult } from './accounting-result.entity';
import { AccountingRun, RUN_STATUS_ZH } from './accounting-run.entity';

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
    (r.missing ?? []).join(' '),
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

/** xlsx with the same columns; numbers stay text so that no digit is lost to floating point. */
export async function toXlsx(run: AccountingRun, rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(`${run.year} 核算结果`, {
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
    ['说明', '价值量单位为元，未经舍入；“汇总”为下级地区之和；“无法核算”列出缺少的数据。'],
  ].forEach((r) => meta.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
