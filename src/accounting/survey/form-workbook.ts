import ExcelJS from 'exceljs';
import { FieldProblem } from '../../common/errors/domain-error';
import { SurveyForm } from './survey-form.entity';
import { FormVariable, ValueEntry } from './form-entries';
import { SurveyValue } from './survey-value.entity';
import { zhEn } from '../../common/i18n/text';
import { spreadsheetNumber } from '../../common/number-reading';
import { decimalCell } from '../../common/xlsx-cell';

/** The data sheet and its columns, in order; an upload must keep them exactly. */
export const DATA_SHEET = '填报';
export const INFO_SHEET = '说明';
export const COLUMNS = [
  '变量代码',
  '变量名称',
  '分项代码',
  '分项名称',
  '单位',
  '数值',
  '来源',
  '备注',
] as const;
const COL = Object.fromEntries(COLUMNS.map((c, i) => [c, i + 1])) as Record<
  (typeof COLUMNS)[number],
  number
>;
const letter = (col: number) => String.fromCharCode(64 + col);

/**
 * The xlsx template of a form: one row per variable (per index item for indexed ones), Chinese
 * labels, the unit to report in, existing values prefilled, numeric validation on the value
 * column, and a sheet of instructions that also carries the form id and revision.
 */
export async function buildTemplate(
  form: SurveyForm,
  regionName: string,
  variables: FormVariable[],
  values: SurveyValue[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'GEP accounting service';
  const info = wb.addWorksheet(INFO_SHEET);
  info.columns = [{ width: 16 }, { width: 70 }];
  const rows: [string, string | number][] = [
    ['表单编号', form.id],
    ['版本', form.revision],
    ['核算标准', form.standardId],
    ['填报部门', form.department],
    ['地区', `${regionName}（${form.regionCode}）`],
    ['年度', form.year],
    ['状态', form.status],
    [
      '填写说明',
      `在“${DATA_SHEET}”表的“数值”列填写数值；单位可改为同量纲的其他单位（如 亿m³ 代替 m³）；空白表示“未填报”，0 是明确的零值。请勿改动表头、变量代码和分项代码。上传时以“版本”核对：若表单已被他人修改，需重新下载模板。`,
    ],
  ];
  rows.forEach((r) => info.addRow(r));
  info.getColumn(1).font = { bold: true };

  const sheet = wb.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((header) => ({
    header,
    width: header === '变量名称' || header === '来源' || header === '备注' ? 28 : 14,
  }));
  sheet.getRow(1).font = { bold: true };
  const existing = new Map(values.map((v) => [`${v.variable}\u0000${v.item}`, v]));
  for (const v of variables) {
    for (const item of v.items ?? [{ code: '', name: '' }]) {
      const saved = existing.get(`${v.code}\u0000${item.code}`);
      const row = sheet.addRow([
        v.code,
        v.nameZh,
        item.code,
        item.name,
        saved?.unit ?? v.unit,
        saved?.value == null ? null : decimalCell(saved.value.toString()),
        saved?.source ?? null,
        saved?.note ?? null,
      ]);
      row.getCell(COL['数值']).dataValidation = {
        type: 'decimal',
        operator: 'between',
        formulae: [-1e15, 1e15],
        allowBlank: true,
        showErrorMessage: true,
        errorTitle: '数值',
        error: '请填写数值（空白表示未填报）',
      };
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface ParsedUpload {
  formId: string | null;
  revision: number | null;
  entries: ValueEntry[];
  /** `values[i]` of `entries` comes from this sheet cell row. */
  rows: number[];
  problems: FieldProblem[];
}

const text = (v: ExcelJS.CellValue): string => {
  if (v == null) return '';
  if (typeof v === 'object' && 'richText' in v)
    return v.richText
      .map((r) => r.text)
      .join('')
      .trim();
  if (typeof v === 'object' && 'result' in v) return text(v.result);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    return String(v).trim();
  if (v instanceof Date) return v.toISOString();
  return ''; // hyperlinks, errors and other cell objects carry no value a form uses
};

/**
 * Reads an uploaded template. Every problem names its sheet, row and column; numbers typed in
 * Excel come as doubles and are read back as their shortest decimal form (what was typed, up to
 * 15 significant digits).
 */
export async function parseUpload(data: Buffer): Promise<ParsedUpload> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch (e) {
    return {
      formId: null,
      revision: null,
      entries: [],
      rows: [],
      problems: [
        {
          path: '',
          message: zhEn(
            `文件不是可读取的 xlsx 工作簿（${e instanceof Error ? e.message : String(e)}）`,
            `the file is not a readable xlsx workbook (${e instanceof Error ? e.message : String(e)})`,
          ),
        },
      ],
    };
  }
  const problems: FieldProblem[] = [];
  const info = wb.getWorksheet(INFO_SHEET);
  const sheet = wb.getWorksheet(DATA_SHEET);
  if (!sheet || !info) {
    return {
      formId: null,
      revision: null,
      entries: [],
      rows: [],
      problems: [
        {
          path: '',
          message: zhEn(
            `工作簿应含下载模板中的“${INFO_SHEET}”和“${DATA_SHEET}”两张表`,
            `the workbook needs the sheets “${INFO_SHEET}” and “${DATA_SHEET}” of the downloaded template`,
          ),
        },
      ],
    };
  }
  const infoValue = (label: string) => {
    for (let r = 1; r <= info.rowCount; r++)
      if (text(info.getCell(r, 1).value) === label) return text(info.getCell(r, 2).value);
    return '';
  };
  const formId = infoValue('表单编号') || null;
  const revision = Number(infoValue('版本')) || null;
  COLUMNS.forEach((header, i) => {
    const got = text(sheet.getCell(1, i + 1).value);
    if (got !== header)
      problems.push({
        path: `${DATA_SHEET}!${letter(i + 1)}1`,
        message: zhEn(
          `${letter(i + 1)} 列的表头应为“${header}”，实际为“${got}”`,
          `column ${letter(i + 1)} must be headed “${header}”, found “${got}”`,
        ),
      });
  });
  if (problems.length) return { formId, revision, entries: [], rows: [], problems };
  const entries: ValueEntry[] = [];
  const rows: number[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const code = text(sheet.getCell(r, COL['变量代码']).value);
    if (!code) continue;
    const raw = sheet.getCell(r, COL['数值']).value;
    let value: string | null = null;
    if (typeof raw === 'number') {
      if (!Number.isFinite(raw))
        problems.push({
          path: `${DATA_SHEET}!F${r}`,
          message: zhEn(
            `第 ${r} 行“数值”列：不是有限的数值`,
            `row ${r}, 数值: not a finite number`,
          ),
        });
      else value = spreadsheetNumber(raw, sheet.getCell(r, COL['数值']).numFmt);
    } else if (text(raw) !== '') {
      value = text(raw); // read by the one number rule when the entries are checked
    }
    const source = text(sheet.getCell(r, COL['来源']).value);
    const note = text(sheet.getCell(r, COL['备注']).value);
    entries.push({
      variable: code,
      item: text(sheet.getCell(r, COL['分项代码']).value) || undefined,
      unit: text(sheet.getCell(r, COL['单位']).value) || undefined,
      value,
      ...(source ? { source } : {}),
      ...(note ? { note } : {}),
    });
    rows.push(r);
  }
  return { formId, revision, entries, rows, problems };
}

/** Maps a problem on `values[i].field` back to its sheet cell. */
export function locateProblem(p: FieldProblem, rows: number[]): FieldProblem {
  const m = /^values\[(\d+)\]\.(\w+)$/.exec(p.path);
  if (!m) return p;
  const row = rows[Number(m[1])];
  const column = {
    variable: '变量代码',
    item: '分项代码',
    unit: '单位',
    value: '数值',
    source: '来源',
    note: '备注',
  }[m[2]] as (typeof COLUMNS)[number] | undefined;
  if (!column) return p;
  return {
    path: `${DATA_SHEET}!${letter(COL[column])}${row}`,
    message: zhEn(
      `第 ${row} 行 ${letter(COL[column])} 列（${column}）：${p.message}`,
      `row ${row}, ${column}: ${p.message}`,
    ),
  };
}
