import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { Open } from 'unzipper';

/**
 * The first worksheet of an xlsx file on disk, read row by row without loading the workbook.
 *
 * exceljs's streaming `WorkbookReader` is used for the workbook, its shared strings and number
 * formats (the sheet's cells are read by {@link sheetRows}), but not for reading the archive,
 * where it misreads files two ways:
 * - it reads the zip in one forward pass and sometimes never receives the last entries: a file
 *   that stores `sharedStrings.xml` after the sheet, as LibreOffice does, then gives
 *   `{"sharedString":0}` for every text cell (intermittent, seen on Node 22; exceljs #683);
 * - it decodes each chunk of XML on its own, so a Chinese character split across two chunks
 *   becomes U+FFFD (measured: 10 of 5,000 rows of a 300 KB shared-string table mangled).
 * Here the archive is opened through its central directory (unzipper `Open.file`), the workbook,
 * its relationships, shared strings and styles are read first and completely, and every part is
 * decoded as one UTF-8 stream (`setEncoding`), so text is never cut inside a character.
 */
export interface FirstWorksheet {
  /** The sheet's name as the user sees it on its tab. */
  name: string;
  rows: AsyncIterable<SheetRow>;
  /** How much of the sheet has been read, from 0 to 1. */
  fractionRead: () => number;
}

/** A row of the sheet: cell values as exceljs gives them, and each cell's number format. */
export interface SheetRow {
  number: number;
  /**
   * Values by column from index 1: a string, number, boolean or Date, a shared string's rich
   * text (`{ richText }`), a formula's `{ formula, result }` or an `{ error }`.
   */
  values: unknown[];
  /** The number format of the cell in column `col` (from 1), when its style has one. */
  numFmt(col: number): string | undefined;
}

/** Thrown when the file is not an xlsx workbook this reader can open; the message says why. */
export class UnreadableWorkbook extends Error {}

interface ZipEntry {
  path: string;
  uncompressedSize: number;
  stream(): Readable;
}

/** The parts of exceljs 4.4's WorkbookReader driven here (internal API; exceljs is pinned to 4.x). */
interface ReaderParts {
  model?: { sheets?: { name: string; rId: string }[] };
  properties?: { date1904?: boolean };
  sharedStrings?: unknown[];
  styles?: { getStyleModel(id: number): { numFmt?: string } | null };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
}

const text = (entry: ZipEntry): Readable => entry.stream().setEncoding('utf8');

/** Where a relationship target points inside the archive (`worksheets/x.xml` or `/xl/worksheets/x.xml`). */
const partPath = (target: string) =>
  target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;

export async function openFirstWorksheet(path: string): Promise<FirstWorksheet> {
  let files: ZipEntry[];
  try {
    files = (await Open.file(path)).files;
  } catch (e) {
    throw new UnreadableWorkbook(
      `not a zip archive (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const entries = new Map(files.map((f) => [f.path.replace(/^\//, ''), f]));
  const part = (name: string) => entries.get(name);
  const workbookXml = part('xl/workbook.xml');
  const rels = part('xl/_rels/workbook.xml.rels');
  if (!workbookXml || !rels) throw new UnreadableWorkbook('xl/workbook.xml is missing');

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // number formats: a percentage cell is read as it is shown
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as ReaderParts;
  await reader._parseRels(text(rels));
  await reader._parseWorkbook(text(workbookXml));
  const sharedStrings = part('xl/sharedStrings.xml');
  if (sharedStrings) for await (const s of reader._parseSharedStrings(text(sharedStrings))) void s;
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(text(styles));

  const first = reader.model?.sheets?.[0];
  if (!first) throw new NoWorksheet();
  const target = reader.workbookRels?.find((r) => r.Id === first.rId)?.Target;
  const sheet = target ? part(partPath(target)) : undefined;
  if (!sheet) throw new UnreadableWorkbook(`the part of worksheet "${first.name}" is missing`);
  const sheetPart: ZipEntry = sheet;

  let read = 0;
  const size = Math.max(1, sheet.uncompressedSize);
  async function* chunks(): AsyncIterable<string> {
    for await (const chunk of text(sheetPart)) {
      read += Buffer.byteLength(chunk as string);
      yield chunk as string;
    }
  }
  const formats = new Map<number, string | undefined>();
  const numFmtOf = (style: number) => {
    if (!formats.has(style)) formats.set(style, reader.styles?.getStyleModel(style)?.numFmt);
    return formats.get(style);
  };
  const rows = sheetRows(
    chunks(),
    reader.sharedStrings ?? [],
    numFmtOf,
    !!reader.properties?.date1904,
  );
  return { name: first.name, rows, fractionRead: () => Math.min(1, read / size) };
}

const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML character data as text (the five named entities and character references). */
const xmlText = (x: string): string =>
  x.indexOf('&') < 0
    ? x
    : x.replace(ENTITY, (_m, name: string, dec: string, hex: string) =>
        name ? NAMED[name] : String.fromCodePoint(parseInt(dec ?? hex, dec ? 10 : 16)),
      );

const CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
const ATTR = /\b(r|s|t)=(?:"([^"]*)"|'([^']*)')/g;
const FORMULA = /<f\b[^>]*?(?:\/>|>([\s\S]*?)<\/f>)/;
const VALUE = /<v\b[^>]*?(?:\/>|>([\s\S]*?)<\/v>)/;
const RUN_TEXT = /<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g;

/** Whether a number format shows a date (exceljs's rule: y, m, d, h, s or b outside quotes and brackets). */
const isDateFmt = (fmt: string | undefined): boolean =>
  !!fmt && /[ymdhMsb]+/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

/** An Excel serial date as a Date (exceljs's conversion). */
const excelToDate = (v: number, date1904: boolean): Date =>
  new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));

/** Column number (from 1) of a cell reference such as `AB12`; 0 when there is none. */
function columnOf(ref: string | undefined): number {
  if (!ref) return 0;
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return col;
}

/**
 * The rows of a worksheet part (`<sheetData>`), read from its XML text as it arrives, the cells
 * given the values exceljs's worksheet reader gives them (numbers, dates by their number format,
 * shared strings, formulas with their results, booleans, errors).
 *
 * exceljs's reader (a SAX parser building an object per tag) was half of the reading of a
 * 100,000-row bulk load on the 2-core machine. Unlike it, a rich inline string keeps all its
 * runs, a cell or row without a reference follows the one before it, and a sheet cut off inside
 * its rows is an {@link UnreadableWorkbook}.
 */
export async function* sheetRows(
  chunks: AsyncIterable<string>,
  shared: unknown[],
  numFmtOf: (style: number) => string | undefined,
  date1904: boolean,
): AsyncIterable<SheetRow> {
  let buf = '';
  let state: 'before' | 'rows' | 'after' = 'before';
  let previousRow = 0;

  const rowOf = (attrs: string, body: string): SheetRow => {
    const r = /\br=["'](\d+)["']/.exec(attrs);
    const number = r ? Number(r[1]) : previousRow + 1;
    previousRow = number;
    const rowStyle = /\bs=["'](\d+)["']/.exec(attrs);
    const values: unknown[] = [];
    const styles: number[] = [];
    let col = 0;
    CELL.lastIndex = 0;
    for (let m = CELL.exec(body); m; m = CELL.exec(body)) {
      let ref: string | undefined;
      let style = 0;
      let type: string | undefined;
      ATTR.lastIndex = 0;
      for (let a = ATTR.exec(m[1]); a; a = ATTR.exec(m[1])) {
        const value = a[2] ?? a[3];
        if (a[1] === 'r') ref = value;
        else if (a[1] === 's') style = Number(value) || 0;
        else type = value;
      }
      col = columnOf(ref) || col + 1;
      if (!style && rowStyle) style = Number(rowStyle[1]) || 0;
      if (style) styles[col] = style;
      const inner = m[2];
      if (inner === undefined) continue;
      const f = FORMULA.exec(inner);
      const v = VALUE.exec(inner);
      const vText = v ? xmlText(v[1] ?? '') : undefined;
      if (f) {
        values[col] = {
          formula: xmlText(f[1] ?? ''),
          ...(vText !== undefined ? { result: type === 'str' ? vText : parseFloat(vText) } : {}),
        };
        continue;
      }
      if (type === 'inlineStr') {
        const is = /<is\b[^>]*>([\s\S]*?)<\/is>/.exec(inner);
        if (!is) continue;
        let text = '';
        RUN_TEXT.lastIndex = 0;
        for (let t = RUN_TEXT.exec(is[1]); t; t = RUN_TEXT.exec(is[1])) text += xmlText(t[1] ?? '');
        values[col] = text;
        continue;
      }
      if (vText === undefined) continue;
      switch (type) {
        case 's':
          values[col] = shared[parseInt(vText, 10)];
          break;
        case 'str':
          values[col] = vText;
          break;
        case 'e':
          values[col] = { error: vText };
          break;
        case 'b':
          values[col] = parseInt(vText, 10) !== 0;
          break;
        default: {
          const n = parseFloat(vText);
          values[col] = isDateFmt(numFmtOf(style)) ? excelToDate(n, date1904) : n;
        }
      }
    }
    return { number, values, numFmt: (c) => (styles[c] ? numFmtOf(styles[c]) : undefined) };
  };

  /** Rows complete in `buf`; what follows the last one stays for the next chunk. */
  function* take(): Iterable<SheetRow> {
    if (state === 'before') {
      const at = buf.search(/<sheetData\b/);
      if (at < 0) {
        buf = buf.slice(-16); // the tag may be cut by the chunk edge
        return;
      }
      const close = buf.indexOf('>', at);
      if (close < 0) return;
      state = buf[close - 1] === '/' ? 'after' : 'rows';
      buf = buf.slice(close + 1);
    }
    let pos = 0;
    while (state === 'rows') {
      const open = buf.indexOf('<', pos);
      if (open < 0) break;
      if (buf.startsWith('</sheetData', open)) {
        state = 'after';
        break;
      }
      const close = buf.indexOf('>', open);
      if (close < 0) break;
      if (!/^<row\b/.test(buf.slice(open, open + 5))) {
        pos = close + 1; // not a row: skipped
        continue;
      }
      const attrs = buf.slice(open + 4, close);
      if (attrs.endsWith('/')) {
        rowOf(attrs.slice(0, -1), ''); // an empty row: counted, not given
        pos = close + 1;
        continue;
      }
      const end = buf.indexOf('</row>', close);
      if (end < 0) break;
      yield rowOf(attrs, buf.slice(close + 1, end));
      pos = end + 6;
    }
    buf = state === 'after' ? '' : buf.slice(pos);
  }

  const finished = () => state === 'after';
  const inRows = () => state === 'rows';
  for await (const chunk of chunks) {
    if (finished()) continue; // read to the end: the fraction read reaches 1
    buf += chunk;
    yield* take();
  }
  if (inRows()) throw new UnreadableWorkbook('the worksheet ends inside its rows');
}

/** Thrown for a workbook without a single worksheet. */
export class NoWorksheet extends UnreadableWorkbook {}
