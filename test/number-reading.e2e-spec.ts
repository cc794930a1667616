import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { binary } from './support/download';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

/**
 * One number-reading rule for every entry path (issue 19): the same text typed into the JSON API,
 * a CSV bulk load and the xlsx template is the same value — or refused everywhere, with the cell
 * or line named. Percentage cells are read as shown, negatives refused where a variable cannot be
 * negative (常住人口), and no comma is ever silently dropped.
 */
const STD = 'ndrc-nbs-2022-trial';
const HEADER = 'standard_id,department,region_code,year,variable,item,value,unit,source,note';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const REGION = '361130100';
const YEAR = 2025;

describe('one number-reading rule for JSON, CSV and xlsx', () => {
  let t: TestApp;
  let stat: string;
  let formId: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp();
    t.http.set('accept-language', 'zh-CN'); // these suites check the Chinese messages of the number rule
    stat = await t.token('wuyuan.stat');
    const f = await t.http
      .post('/survey/forms')
      .set(as(stat))
      .send({ standardId: STD, department: '统计局', regionCode: REGION, year: YEAR })
      .expect(201);
    formId = f.body.id;
  });
  afterAll(() => t.close());

  const stored = async (variable: string): Promise<string | null> => {
    const f = await t.http.get(`/survey/forms/${formId}`).set(as(stat)).expect(200);
    const v = (f.body.values as { variable: string; value: string | null }[]).find(
      (x) => x.variable === variable,
    );
    return v?.value ?? null;
  };
  const revision = async () =>
    (await t.http.get(`/survey/forms/${formId}`).set(as(stat))).body.form.revision as number;

  /** What the JSON API makes of `text`: the stored value, or the refusal's message. */
  async function viaJson(variable: string, text: string): Promise<string> {
    const res = await t.http
      .put(`/survey/forms/${formId}/values`)
      .set(as(stat))
      .send({ revision: await revision(), values: [{ variable, value: text }] });
    if (res.status === 200) return `= ${await stored(variable)}`;
    const p = expectProblem(res, 422);
    return `refused: ${p.errors.find((e) => e.path === 'values[0].value')?.message ?? p.detail}`;
  }

  async function viaCsv(variable: string, text: string): Promise<string> {
    const csv = `${HEADER}\n${STD},统计局,${REGION},${YEAR},${variable},,"${text.replace(/"/g, '""')}",,,\n`;
    const res = await t.http
      .post('/survey/forms/load-csv')
      .set(as(stat))
      .set('content-type', 'text/csv')
      .send(csv);
    if (res.status === 200) return `= ${await stored(variable)}`;
    const p = expectProblem(res, 422);
    const e = p.errors.find((x) => /^line 2/.test(x.path) || /G2|value/.test(x.path));
    return `refused: ${(e?.message ?? p.detail).replace(/^.*?：|^line 2, value: /, '')}`;
  }

  async function template(): Promise<ExcelJS.Workbook> {
    const res = await binary(t.http.get(`/survey/forms/${formId}/template`).set(as(stat)));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    return wb;
  }
  const rowOf = (sheet: ExcelJS.Worksheet, code: string) => {
    for (let r = 2; r <= sheet.rowCount; r++) if (sheet.getCell(r, 1).value === code) return r;
    throw new Error(`no row for ${code}`);
  };

  async function viaXlsx(
    variable: string,
    cell: ExcelJS.CellValue,
    numFmt?: string,
  ): Promise<string> {
    const wb = await template();
    const sheet = wb.getWorksheet('填报')!;
    const r = rowOf(sheet, variable);
    sheet.getCell(r, 6).value = cell;
    if (numFmt) sheet.getCell(r, 6).numFmt = numFmt;
    const res = await t.http
      .put(`/survey/forms/${formId}/upload`)
      .set(as(stat))
      .set('content-type', XLSX)
      .send(Buffer.from(await wb.xlsx.writeBuffer()));
    if (res.status === 200) return `= ${await stored(variable)}`;
    const p = expectProblem(res, 422);
    const e = p.errors.find((x) => x.path === `填报!F${r}`);
    return `refused: ${e?.message ?? p.detail}`;
  }

  const verdict = (s: string) => (s.startsWith('=') ? s : 'refused');

  it('the examples of the issue: every comma that is not a thousands group is refused, with the hint', async () => {
    for (const [text, expected] of [
      ['0,5', 'refused'],
      ['12,3', 'refused'],
      ['12,34,56', 'refused'],
      ['1,234.5', '= 1234.5'],
      [' 12 ', '= 12'],
      ['１２３', '= 123'],
    ]) {
      const got = [
        await viaJson('agriculture_gross_output', text),
        await viaCsv('agriculture_gross_output', text),
        await viaXlsx('agriculture_gross_output', text),
      ];
      expect([text, got.map(verdict)]).toEqual([text, [expected, expected, expected]]);
    }
    expect(await viaJson('agriculture_gross_output', '0,5')).toContain('逗号不能作小数点');
    expect(await viaCsv('agriculture_gross_output', '0,5')).toContain('请写作 0.5');
    expect(await viaXlsx('agriculture_gross_output', '0,5')).toContain('请写作 0.5');
  });

  it('常住人口 cannot be negative, on any path', async () => {
    for (const got of [
      await viaJson('population', '-12'),
      await viaCsv('population', '-12'),
      await viaXlsx('population', -12),
    ])
      expect(got).toMatch(/^refused: .*不能为负/);
    expect(await viaJson('agriculture_gross_output', '-12')).toBe('= -12');
  });

  it('a percentage cell for a variable in % is read as shown (12% → 12); elsewhere it is refused', async () => {
    expect(await viaXlsx('cvm_share', 0.12, '0%')).toBe('= 12');
    expect(await viaXlsx('cvm_share', 0.125, '0.0%')).toBe('= 12.5');
    expect(await viaJson('cvm_share', '12%')).toBe('= 12');
    expect(await viaCsv('cvm_share', '12%')).toBe('= 12');
    expect(await viaXlsx('population', 0.12, '0%')).toMatch(/^refused: .*单位不是 %/);
    // the same in the bulk import of an xlsx workbook
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('导入');
    ws.addRow(HEADER.split(','));
    ws.addRow([STD, '统计局', REGION, YEAR, 'cvm_share', null, 0.3, null, null, null]);
    ws.getCell(2, 7).numFmt = '0%';
    const res = await t.http
      .post('/survey/imports')
      .set(as(stat))
      .set('content-type', XLSX)
      .send(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.status).toBe(202);
    for (let i = 0; i < 200; i++) {
      const job = await t.http.get(`/jobs/${res.body.id}`).set(as(stat));
      if (job.body.status === 'succeeded') break;
      expect(job.body.status).not.toBe('failed');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await stored('cvm_share')).toBe('30');
  });

  it('the three paths agree on every string (property)', async () => {
    const chars = fc.constantFrom(...'0123456789,.-+% ０１２３４５６７８９．，－％e'.split(''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(chars, { minLength: 1, maxLength: 9 }).map((cs) => cs.join('')),
        fc.constantFrom('agriculture_gross_output', 'population', 'cvm_share'),
        async (text, variable) => {
          const got = [
            await viaJson(variable, text),
            await viaCsv(variable, text),
            await viaXlsx(variable, text),
          ].map(verdict);
          expect([text, variable, got]).toEqual([text, variable, [got[0], got[0], got[0]]]);
        },
      ),
      { numRuns: 40, seed: 20261202 },
    );
  }, 300_000);
});
