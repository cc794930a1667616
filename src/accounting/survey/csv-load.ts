import { FieldProblem } from '../../common/errors/domain-error';
import { REGION_CODE, STANDARD_ID } from '../../common/field-validators';
import { ValueEntry } from './survey.service';

export const CSV_COLUMNS = [
  'standard_id',
  'department',
  'region_code',
  'year',
  'variable',
  'item',
  'value',
  'unit',
  'source',
  'note',
] as const;

export interface CsvRow {
  /** 1-based line in the file. */
  line: number;
  key: { standardId: string; department: string; regionCode: string; year: number };
  entry: ValueEntry;
}

/** RFC 4180 fields: commas, double quotes ("" inside quotes), CRLF or LF line ends; a UTF-8 BOM is skipped. */
export function splitCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Reads a bulk-load CSV; every problem names its line and column. Blank `value` = not reported. */
export function parseCsv(text: string): { rows: CsvRow[]; problems: FieldProblem[] } {
  const records = splitCsv(text);
  const problems: FieldProblem[] = [];
  const header = (records[0] ?? []).map((h) => h.trim());
  if (header.join(',') !== CSV_COLUMNS.join(',')) {
    return {
      rows: [],
      problems: [
        {
          path: 'line 1',
          message: `line 1: the header must be exactly ${CSV_COLUMNS.join(',')}; found ${header.join(',') || '(nothing)'}`,
        },
      ],
    };
  }
  const rows: CsvRow[] = [];
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    if (rec.length === 1 && rec[0].trim() === '') return; // blank line
    if (rec.length !== CSV_COLUMNS.length) {
      problems.push({
        path: `line ${line}`,
        message: `line ${line}: expected ${CSV_COLUMNS.length} fields, found ${rec.length}`,
      });
      return;
    }
    const f = Object.fromEntries(CSV_COLUMNS.map((c, k) => [c, rec[k].trim()])) as Record<
      (typeof CSV_COLUMNS)[number],
      string
    >;
    const bad = (column: string, message: string) =>
      problems.push({ path: `line ${line}`, message: `line ${line}, ${column}: ${message}` });
    if (!STANDARD_ID.test(f.standard_id))
      bad('standard_id', `"${f.standard_id}" is not a standard id`);
    if (!f.department) bad('department', 'is empty');
    if (!REGION_CODE.test(f.region_code))
      bad('region_code', `"${f.region_code}" is not a division code of 6, 9 or 12 digits`);
    const year = Number(f.year);
    if (!/^\d{4}$/.test(f.year) || year < 1949 || year > 2200)
      bad('year', `"${f.year}" is not a year`);
    if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(f.variable))
      bad('variable', `"${f.variable}" is not a variable code`);
    rows.push({
      line,
      key: { standardId: f.standard_id, department: f.department, regionCode: f.region_code, year },
      entry: {
        variable: f.variable,
        ...(f.item ? { item: f.item } : {}),
        value: f.value === '' ? null : f.value.replace(/,/g, ''),
        ...(f.unit ? { unit: f.unit } : {}),
        ...(f.source ? { source: f.source } : {}),
        ...(f.note ? { note: f.note } : {}),
      },
    });
  });
  return { rows, problems };
}
