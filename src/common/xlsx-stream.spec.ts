import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoWorksheet, openFirstWorksheet, UnreadableWorkbook } from './xlsx-stream';

async function rowsOf(path: string): Promise<unknown[][]> {
  const sheet = await openFirstWorksheet(path);
  const rows: unknown[][] = [];
  for await (const row of sheet.rows) rows.push((row.values as unknown[]).slice(1));
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
});
