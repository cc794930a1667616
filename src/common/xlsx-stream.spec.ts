import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoWorksheet, openFirstWorksheet, sheetRows, UnreadableWorkbook } from './xlsx-stream';

async function rowsOf(path: string): Promise<unknown[][]> {
  const sheet = await openFirstWorksheet(path);
  const rows: unknown[][] = [];
  for await (const row of sheet.rows) rows.push(row.values.slice(1));
  expect(sheet.fractionRead()).toBe(1);
  return rows;
}

describe('reading the first worksheet of an xlsx file', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'xlsx-stream-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps every Chinese character of a large shared-string table (no character cut at a chunk edge)', async () => {
    // 5,000 distinct strings make a shared-string table of ~300 KB, read in many chunks; exceljs's
    // own stream reader mangled 10 of these rows into U+FFFD.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('调查数据');
    ws.addRow(['名称', '数值']);
    for (let i = 0; i < 5000; i++) ws.addRow([`婺源县清华镇统计局水源涵养量${i}`, i]);
    wb.addWorksheet('说明').addRow(['不读取']);
    const path = join(dir, 'large.xlsx');
    await wb.xlsx.writeFile(path);

    const sheet = await openFirstWorksheet(path);
    expect(sheet.name).toBe('调查数据');
    const rows = await rowsOf(path);
    expect(rows).toHaveLength(5001);
    expect(rows[0]).toEqual(['名称', '数值']);
    rows.slice(1).forEach((row, i) => expect(row).toEqual([`婺源县清华镇统计局水源涵养量${i}`, i]));
  });

  it('reads shared strings stored after the sheet, as LibreOffice writes them, every time', async () => {
    const path = join(process.cwd(), 'test/fixtures/bulk-libreoffice.xlsx');
    for (let i = 0; i < 25; i++) {
      const [header] = await rowsOf(path);
      expect(header.slice(0, 3)).toEqual(['standard_id', 'department', 'region_code']);
    }
  });

  it('says what is wrong with a file that is not a workbook', async () => {
    const notZip = join(dir, 'not.xlsx');
    await writeFile(notZip, 'standard_id,department\n');
    await expect(openFirstWorksheet(notZip)).rejects.toThrow(UnreadableWorkbook);

    const emptyZip = join(dir, 'docx.xlsx');
    const zip = new (await import('jszip')).default();
    zip.file('word/document.xml', '<w:document/>');
    await writeFile(emptyZip, await zip.generateAsync({ type: 'nodebuffer' }));
    await expect(openFirstWorksheet(emptyZip)).rejects.toThrow('xl/workbook.xml is missing');
  });

  it('names a workbook without worksheets as such', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x');
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const zip = await (await import('jszip')).default.loadAsync(buffer);
    const workbookXml = await zip.file('xl/workbook.xml')!.async('string');
    zip.file('xl/workbook.xml', workbookXml.replace(/<sheets>.*<\/sheets>/s, '<sheets/>'));
    const path = join(dir, 'no-sheets.xlsx');
    await writeFile(path, await zip.generateAsync({ type: 'nodebuffer' }));
    await expect(openFirstWorksheet(path)).rejects.toThrow(NoWorksheet);
  });

  /** A cell as a random sheet holds it: its value and number format. */
  const cell = fc.oneof(
    fc.constantFrom(null, '', '婺源县 <清华镇> & "统计局"', "it's", ' 12.5 ', '0.3', 'a\nb'),
    fc.string({ maxLength: 8 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constantFrom(0.125, 1234.5, 1e-7, 123456789012345680, -0),
    fc
      .date({ min: new Date('1950-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => new Date(Math.round(d.getTime() / 1000) * 1000)),
    fc.constantFrom(
      { formula: 'A1*2', result: 7 },
      { formula: 'CONCAT("a","b")', result: 'ab' },
      { formula: 'B2' },
      { error: '#DIV/0!' },
      { richText: [{ text: '林' }, { font: { bold: true }, text: '地' }] },
    ),
  );
  /**
   * What the two exceljs readers' shared-string tables differ in, made equal: an empty string
   * (null or ''), rich text (runs without a font have `font: null` or none); and an invalid Date
   * (a number far outside the calendar under a date format) equal to another.
   */
  const dateText = (v: unknown) =>
    v instanceof Date
      ? isNaN(v.getTime())
        ? 'Invalid Date'
        : v.toISOString()
      : v && typeof v === 'object' && 'richText' in v
        ? (v.richText as { text: string }[]).map((r) => r.text).join('')
        : (v ?? '');
  const format = fc.constantFrom(undefined, '0.00%', '#,##0.00', 'yyyy-mm-dd', '0.0', '@');

  it('gives the cells exceljs gives, with their number formats, for any sheet', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.tuple(cell, format), { maxLength: 6 }), { maxLength: 8 }),
        async (grid) => {
          const wb = new ExcelJS.Workbook();
          const ws = wb.addWorksheet('数据');
          grid.forEach((cells, r) =>
            cells.forEach(([value, numFmt], c) => {
              const target = ws.getCell(r + 1, c + 1);
              target.value = value as ExcelJS.CellValue;
              // (the whole-workbook reader makes a formula's result under a date format a
              // Date, the streaming one, which the loads used, a serial number: not compared)
              if (numFmt && !(value && typeof value === 'object' && 'formula' in value))
                target.numFmt = numFmt;
            }),
          );
          const path = join(dir, 'random.xlsx');
          await wb.xlsx.writeFile(path);
          const expected: { number: number; values: unknown[]; formats: unknown[] }[] = [];
          const reference = new ExcelJS.Workbook();
          await reference.xlsx.readFile(path);
          reference.worksheets[0].eachRow((row) => {
            const values = (row.values as unknown[]).slice(1).map(dateText);
            expected.push({
              number: row.number,
              values,
              formats: values.map((v, i) =>
                v === undefined ? undefined : row.getCell(i + 1).numFmt || undefined,
              ),
            });
          });
          const got: typeof expected = [];
          for await (const row of (await openFirstWorksheet(path)).rows) {
            const values = row.values.slice(1).map(dateText);
            if (values.every((v) => v === undefined)) continue;
            got.push({
              number: row.number,
              values,
              formats: values.map((v, i) => (v === undefined ? undefined : row.numFmt(i + 1))),
            });
          }
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads a row cut anywhere by the chunk edges, entities and inline strings included', async () => {
    const xml =
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><t>林</t></r><r><t xml:space="preserve">地 &amp; 草</t></r></is></c>' +
      '<c r="C1" t="str"><f>"&lt;"</f><v>&lt;</v></c><c r="D1"><v>1.5</v></c></row><row r="3" spans="1:2"/>' +
      '<row r="4"><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c r="E4" t="s"><v>0</v></c></row></sheetData></worksheet>';
    const expected = [
      {
        number: 1,
        values: [undefined, '林地 & 草', undefined, { formula: '"<"', result: '<' }, 1.5],
      },
      { number: 4, values: [undefined, true, { error: '#N/A' }, undefined, undefined, '共享'] },
    ];
    for (let cut = 0; cut <= xml.length; cut += 7) {
      const rows = [];
      const chunks = Readable.from(
        [xml.slice(0, cut), xml.slice(cut)]
          .filter((x) => x)
          .map((x) => (cut % 2 ? x.replace(/r="(\w+)"/g, "r='$1'") : x)),
      );
      for await (const row of sheetRows(chunks, ['共享'], () => undefined, false))
        rows.push({ number: row.number, values: row.values });
      expect(rows).toEqual(expected);
    }
    const cutOff = sheetRows(Readable.from([xml.slice(0, 200)]), [], () => undefined, false);
    await expect(
      (async () => {
        for await (const row of cutOff) void row;
      })(),
    ).rejects.toThrow(UnreadableWorkbook);
  });
});
