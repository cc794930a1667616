import ExcelJS from 'exceljs';
import type { Test } from 'supertest';

/** The body of a binary response (xlsx, pdf, docx) as a Buffer. */
export const binary = (req: Test) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

/** Downloads an xlsx and opens it (fails the test on anything but 200). */
export async function workbook(req: Test): Promise<ExcelJS.Workbook> {
  const res = await binary(req);
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as ArrayBuffer);
  return wb;
}

/** Downloads an xlsx and opens its first sheet (fails the test on anything but 200). */
export async function firstSheet(req: Test): Promise<ExcelJS.Worksheet> {
  return (await workbook(req)).worksheets[0];
}
