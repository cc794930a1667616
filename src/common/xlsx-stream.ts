import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { Open } from 'unzipper';

/**
 * The first worksheet of an xlsx file on disk, read row by row without loading the workbook.
 *
 * exceljs's streaming `WorkbookReader` is used for what it does well (cells, shared strings,
 * number formats) but not for reading the archive, where it misreads files two ways:
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
  rows: AsyncIterable<ExcelJS.Row>;
  /** How much of the sheet has been read, from 0 to 1. */
  fractionRead: () => number;
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
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    chunks: AsyncIterable<string>,
    sheetNo: string,
  ): Iterable<{ eventType: string; value: unknown }>;
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
  const sheetNo = /(\d+)\.xml$/.exec(sheet.path)?.[1] ?? '1';
  let rows: AsyncIterable<ExcelJS.Row> | undefined;
  for (const { eventType, value } of reader._parseWorksheet(chunks(), sheetNo)) {
    if (eventType === 'worksheet') rows = value as AsyncIterable<ExcelJS.Row>;
  }
  if (!rows) throw new UnreadableWorkbook(`worksheet "${first.name}" cannot be read`);
  return { name: first.name, rows, fractionRead: () => Math.min(1, read / size) };
}

/** Thrown for a workbook without a single worksheet. */
export class NoWorksheet extends UnreadableWorkbook {}
