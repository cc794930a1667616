import ExcelJS from 'exceljs';
import { COLUMNS, DATA_SHEET, INFO_SHEET } from '../src/accounting/survey/form-workbook';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('xlsx template and upload', () => {
  let t: TestApp;
  let stat: string;
  let formId: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const download = async () => {
    const res = await t.http
      .get(`/survey/forms/${formId}/template`)
      .set(as(stat))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    return wb;
  };
  const rowOf = (sheet: ExcelJS.Worksheet, code: string, item = '') => {
    for (let r = 2; r <= sheet.rowCount; r++) {
      if (sheet.getCell(r, 1).value === code && (sheet.getCell(r, 3).value ?? '') === item)
        return r;
    }
    throw new Error(`no row for ${code} ${item}`);
  };
  const upload = async (wb: ExcelJS.Workbook) =>
    t.http
      .put(`/survey/forms/${formId}/upload`)
      .set(as(stat))
      .set('content-type', XLSX)
      .send(Buffer.from(await wb.xlsx.writeBuffer()));

  beforeAll(async () => {
    t = await startTestApp();
    stat = await t.token('wuyuan.stat');
    const f = await t.http.post('/survey/forms').set(as(stat)).send({
      standardId: 'ndrc-nbs-2022-trial',
      department: '林业局',
      regionCode: '361130',
      year: 2024,
    });
    formId = f.body.id;
  });
  afterAll(() => t.close());

  it('downloads a real xlsx template: instructions with the form id and revision, one row per variable and item, Chinese headers', async () => {
    const wb = await download();
    const info = wb.getWorksheet(INFO_SHEET)!;
    expect(info.getCell('B1').value).toBe(formId);
    expect(info.getCell('B2').value).toBe(1);
    expect(info.getCell('B5').value).toBe('婺源县（361130）');
    const sheet = wb.getWorksheet(DATA_SHEET)!;
    expect(COLUMNS.map((_, i) => sheet.getCell(1, i + 1).value)).toEqual([...COLUMNS]);
    const r = rowOf(sheet, 'carbon_fixed', 'forest');
    expect(sheet.getCell(r, 2).value).toBe('生态系统固碳量（NEP）');
    expect(sheet.getCell(r, 4).value).toBe('森林');
    expect(sheet.getCell(r, 5).value).toBe('tC');
    expect(sheet.getCell(r, 6).dataValidation?.type).toBe('decimal');
  });

  it('uploads a filled template (units converted later, blanks not reported); the same file again changes nothing', async () => {
    const wb = await download();
    const sheet = wb.getWorksheet(DATA_SHEET)!;
    const forest = rowOf(sheet, 'carbon_fixed', 'forest');
    sheet.getCell(forest, 5).value = '万tC';
    sheet.getCell(forest, 6).value = 52.25;
    sheet.getCell(forest, 7).value = '2024 森林资源年度监测';
    sheet.getCell(rowOf(sheet, 'stand_height'), 6).value = '12.5';
    sheet.getCell(rowOf(sheet, 'carbon_fixed', 'urban'), 6).value = 0;
    const first = await upload(wb);
    expect(first.status).toBe(200);
    expect(first.body.revision).toBe(2);
    const form = await t.http.get(`/survey/forms/${formId}`).set(as(stat));
    expect(form.body.values).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          variable: 'carbon_fixed',
          item: 'forest',
          value: '52.25',
          unit: '万tC',
          source: '2024 森林资源年度监测',
        }),
        expect.objectContaining({ variable: 'carbon_fixed', item: 'urban', value: '0' }),
        expect.objectContaining({ variable: 'stand_height', value: '12.5' }),
        expect.objectContaining({ variable: 'ion_lifetime', value: null }),
      ]),
    );
    const again = await upload(wb);
    expect(again.status).toBe(200);
    expect(again.body.revision).toBe(2);
    const saves = await t.db.query(
      "SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'survey_form.save_values'",
      [formId],
    );
    expect(saves.rows[0].count).toBe('1');
    // a re-downloaded template carries the stored values back
    const back = (await download()).getWorksheet(DATA_SHEET)!;
    expect(back.getCell(rowOf(back, 'carbon_fixed', 'forest'), 6).value).toBe(52.25);
  });

  it('reports every bad cell with sheet, row and column, and stores nothing', async () => {
    const wb = await download();
    const sheet = wb.getWorksheet(DATA_SHEET)!;
    const h = rowOf(sheet, 'stand_height');
    const l = rowOf(sheet, 'ion_lifetime');
    sheet.getCell(h, 6).value = '十二';
    sheet.getCell(l, 5).value = 'kg';
    sheet.getCell(l, 6).value = 10;
    const before = await t.db.query('SELECT count(*) FROM survey_values WHERE form_id = $1', [
      formId,
    ]);
    const p = expectProblem(await upload(wb), 422, 'VALIDATION_FAILED');
    expect(p.errors).toEqual(
      expect.arrayContaining([
        {
          path: `${DATA_SHEET}!F${h}`,
          message: `row ${h}, 数值: "十二" is not a number; leave it empty if not reported`,
        },
        {
          path: `${DATA_SHEET}!E${l}`,
          message: `row ${l}, 单位: ion_lifetime is in min (s); kg (kg) is not compatible`,
        },
      ]),
    );
    const after = await t.db.query('SELECT count(*) FROM survey_values WHERE form_id = $1', [
      formId,
    ]);
    expect(after.rows[0].count).toBe(before.rows[0].count);
  });

  it('refuses a changed header, a broken file and another form’s template', async () => {
    const wb = await download();
    wb.getWorksheet(DATA_SHEET)!.getCell('F1').value = 'value';
    const p = expectProblem(await upload(wb), 422, 'VALIDATION_FAILED');
    expect(p.errors).toEqual([
      { path: `${DATA_SHEET}!F1`, message: 'column F must be headed “数值”, found “value”' },
    ]);
    const broken = await t.http
      .put(`/survey/forms/${formId}/upload`)
      .set(as(stat))
      .set('content-type', XLSX)
      .send(Buffer.from('PK not really a zip'));
    expect(expectProblem(broken, 422, 'VALIDATION_FAILED').detail).toMatch(
      /problem\(s\) in the file/,
    );
    const other = await download();
    other.getWorksheet(INFO_SHEET)!.getCell('B1').value = '00000000-0000-4000-8000-000000000000';
    expectProblem(await upload(other), 422, 'VALIDATION_FAILED');
    expectProblem(
      await t.http
        .put(`/survey/forms/${formId}/upload`)
        .set(as(stat))
        .set('content-type', 'text/plain')
        .send('x'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('refuses a stale template once the form has changed', async () => {
    const wb = await download(); // revision 2
    await t.http
      .put(`/survey/forms/${formId}/values`)
      .set(as(stat))
      .send({ revision: 2, values: [{ variable: 'ion_lifetime', value: '9' }] })
      .expect(200);
    wb
      .getWorksheet(DATA_SHEET)!
      .getCell(rowOf(wb.getWorksheet(DATA_SHEET)!, 'stand_height'), 6).value = 13;
    expectProblem(await upload(wb), 409, 'STALE_REVISION');
  });
});
