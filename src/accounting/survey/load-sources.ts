import { zhEn } from '../../common/i18n/text';
import { asUtf8 } from '../../common/text-encoding';
import { spreadsheetNumber } from '../../common/number-reading';
import { csvRecords, CsvSyntaxError } from '../../common/csv-records';
import { FirstWorksheet, NoWorksheet, openFirstWorksheet } from '../../common/xlsx-stream';
import { Readable, Transform } from 'node:stream';
import { DomainError } from '../../common/errors/domain-error';

/** The columns of a bulk load, in this order, on line 1 of a CSV or row 1 of an xlsx's first sheet. */
export const LOAD_COLUMNS = [
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

/** One record of a bulk-load file: its line (CSV) or row (xlsx) and its fields as text. */
export interface LoadRecord {
  line: number;
  fields: string[];
}

/** Where a problem is: `path` for machines (`line 12`, `数据!G12`), `label` to start a message with. */
export interface Location {
  path: string;
  label: string;
}

const columnLetter = (index: number) => String.fromCharCode(65 + index);

/** A bulk-load file being read: its records (header first), how far reading has got, and how to name a place in it. */
export interface LoadSource {
  format: 'csv' | 'xlsx';
  records: AsyncIterable<LoadRecord>;
  bytesTotal: number;
  bytesRead(): number;
  /** `column`: index into {@link LOAD_COLUMNS}; omitted for the whole line or row. */
  locate(line: number, column?: number): Location;
}

/** The input, passed through a byte counter (read lazily: nothing flows until the reader pulls). */
function counted(input: Readable): { stream: Readable; read: () => number } {
  let read = 0;
  const stream = new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      read += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      done(null, chunk);
    },
  });
  input.on('error', (e) => stream.destroy(e));
  input.pipe(stream);
  return { stream, read: () => read };
}

/**
 * RFC 4180 CSV, UTF-8 (a BOM is skipped) or GBK as Excel on Chinese Windows saves it, CRLF or LF,
 * streamed: the file is never held whole. A malformed file (an unclosed quote…) is a 422 naming
 * the line; a file in neither encoding a 422 saying how to save it.
 */
export function csvSource(input: Readable, bytesTotal: number): LoadSource {
  const { stream, read } = counted(input);
  async function* records(): AsyncIterable<LoadRecord> {
    try {
      yield* csvRecords(asUtf8(stream));
    } catch (e) {
      if (!(e instanceof CsvSyntaxError)) throw e;
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn('文件不是有效的 CSV；未保存任何内容', 'the file is not valid CSV; nothing was stored'),
        [{ path: `line ${e.line}`, message: e.reason }],
      );
    }
  }
  return {
    format: 'csv',
    records: records(),
    bytesTotal,
    bytesRead: read,
    locate: (line, column) => {
      const label =
        column === undefined
          ? zhEn(`第 ${line} 行`, `line ${line}`)
          : zhEn(
              `第 ${line} 行 ${columnLetter(column)} 列（${LOAD_COLUMNS[column]}）`,
              `line ${line}, ${LOAD_COLUMNS[column]}`,
            );
      return { path: `line ${line}`, label };
    },
  };
}

/**
 * A cell as the text a user sees: numbers at Excel's 15 significant digits (a percentage cell as
 * its percentage, e.g. 12%), formulas by their result.
 */
function cellText(value: unknown, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return spreadsheetNumber(value, numFmt);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result, numFmt);
    if (typeof v.text === 'string') return v.text;
  }
  return JSON.stringify(value);
}

/**
 * The first worksheet of an xlsx file on disk, streamed row by row (shared strings and number
 * formats read first; see {@link openFirstWorksheet}), so that a 100,000-row workbook is not loaded
 * whole. Blank trailing cells count as empty fields.
 */
export function xlsxSource(path: string, bytesTotal: number): LoadSource {
  let sheet = 'Sheet1';
  let fractionRead = () => 0;
  const unreadable = (why: string) =>
    new DomainError(
      'VALIDATION_FAILED',
      zhEn('文件不是可读取的 xlsx 工作簿', 'the file is not a readable xlsx workbook'),
      [{ path: 'file', message: zhEn(`文件：${why}`, `file: ${why}`) }],
    );
  async function* records(): AsyncIterable<LoadRecord> {
    let worksheet: FirstWorksheet;
    try {
      worksheet = await openFirstWorksheet(path);
    } catch (e) {
      if (e instanceof NoWorksheet) {
        throw new DomainError(
          'VALIDATION_FAILED',
          zhEn('工作簿中没有工作表', 'the workbook has no worksheet'),
          [
            {
              path: 'file',
              message: zhEn('文件：工作簿中没有工作表', 'file: the workbook has no worksheet'),
            },
          ],
        );
      }
      throw unreadable(e instanceof Error ? e.message : String(e));
    }
    sheet = worksheet.name;
    fractionRead = worksheet.fractionRead;
    try {
      for await (const row of worksheet.rows) {
        const fields = Array.from(row.values.slice(1), (v, i) =>
          cellText(
            v,
            typeof v === 'number' || (v !== null && typeof v === 'object')
              ? row.numFmt(i + 1)
              : undefined,
          ),
        );
        while (fields.length && fields[fields.length - 1].trim() === '') fields.pop();
        if (fields.length === 0) continue;
        yield { line: row.number, fields };
      }
    } catch (e) {
      if (e instanceof DomainError) throw e;
      throw unreadable(e instanceof Error ? e.message : String(e));
    }
  }
  return {
    format: 'xlsx',
    records: records(),
    bytesTotal,
    bytesRead: () => Math.round(bytesTotal * fractionRead()),
    locate: (line, column) =>
      column === undefined
        ? {
            path: `${sheet}!${line}:${line}`,
            label: zhEn(`“${sheet}”表第 ${line} 行`, `${sheet} row ${line}`),
          }
        : {
            path: `${sheet}!${columnLetter(column)}${line}`,
            label: zhEn(
              `“${sheet}”表 ${columnLetter(column)}${line} 单元格（${LOAD_COLUMNS[column]}）`,
              `${sheet}!${columnLetter(column)}${line} (${LOAD_COLUMNS[column]})`,
            ),
          },
  };
}
