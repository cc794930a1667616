import { expectProblem, startTestApp, TestApp } from './support/test-app';

const HEADER = 'standard_id,department,region_code,year,variable,item,value,unit,source,note';
const STD = 'ndrc-nbs-2022-trial';

describe('CSV bulk load', () => {
  let t: TestApp;
  let stat: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const load = (csv: string, token = stat) =>
    t.http.post('/survey/forms/load-csv').set(as(token)).set('content-type', 'text/csv').send(csv);
  beforeAll(async () => {
    t = await startTestApp();
    stat = await t.token('wuyuan.stat');
  });
  afterAll(() => t.close());

  const GOOD = [
    HEADER,
    `${STD},林业局,361130100,2025,stand_height,,12.5,m,"二类调查, 2025",`,
    `${STD},林业局,361130100,2025,carbon_fixed,forest,"1,200",tC,,`,
    `${STD},林业局,361130101,2025,carbon_fixed,forest,3.5,万tC,,`,
    `${STD},林业局,361130101,2025,ion_lifetime,,,,,"未监测"`,
    '',
  ].join('\r\n');

  it('opens missing forms and loads every row; the same file again changes nothing', async () => {
    const first = await load(GOOD);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ rows: 4, forms: 2, formsCreated: 2, valuesChanged: 4 });
    const again = await load(GOOD);
    expect(again.body).toEqual({ rows: 4, forms: 2, formsCreated: 0, valuesChanged: 0 });
    const { rows } = await t.db.query(
      `SELECT f.region_code, v.variable, v.item, v.value::text AS value, v.unit, v.source, v.note
         FROM survey_values v JOIN survey_forms f ON f.id = v.form_id WHERE f.year = 2025 ORDER BY 1, 2, 3`,
    );
    expect(rows).toEqual([
      {
        region_code: '361130100',
        variable: 'carbon_fixed',
        item: 'forest',
        value: '1200',
        unit: 'tC',
        source: null,
        note: null,
      },
      {
        region_code: '361130100',
        variable: 'stand_height',
        item: '',
        value: '12.5',
        unit: 'm',
        source: '二类调查, 2025',
        note: null,
      },
      {
        region_code: '361130101',
        variable: 'carbon_fixed',
        item: 'forest',
        value: '3.5',
        unit: '万tC',
        source: null,
        note: null,
      },
      {
        region_code: '361130101',
        variable: 'ion_lifetime',
        item: '',
        value: null,
        unit: 'min',
        source: null,
        note: '未监测',
      },
    ]);
  });

  it('reports every bad line and stores nothing (not even the forms it would open)', async () => {
    const forms = async () =>
      Number(
        (await t.db.query('SELECT count(*) FROM survey_forms WHERE year = 2026')).rows[0].count,
      );
    const before = await forms();
    const bad = [
      HEADER,
      `${STD},林业局,361130100,2026,stand_height,,12.5,m,,`,
      `${STD},林业局,361130100,2026,stand_height,,abc,m,,`,
      `${STD},林业局,361130100,2026,carbon_fixed,moon,1,tC,,`,
      `${STD},林业局,361130102,2026,ion_lifetime,,5,kg,,`,
      `${STD},林业局,36113,2026,ion_lifetime,,5,min,,`,
      `${STD},林业局,361130100,2026,stand_height,,1`,
    ].join('\n');
    const p = expectProblem(await load(bad), 422, 'VALIDATION_FAILED');
    expect(p.errors.map((e) => e.message)).toEqual([
      'line 3, value: "abc" is not a number; leave it empty if not reported',
      'line 3, variable: stand_height is given twice (first on line 2)',
      expect.stringMatching(/^line 4, item: carbon_fixed is given per ecosystem/),
      'line 5, unit: ion_lifetime is in min (s); kg (kg) is not compatible',
      'line 6, region_code: "36113" is not a division code of 6, 9 or 12 digits',
      'line 7: expected 10 fields, found 7',
    ]);
    expect(p.errors[0].path).toBe('line 3');
    expect(await forms()).toBe(before);
    expectProblem(await load('a,b,c\n1,2,3'), 422, 'VALIDATION_FAILED');
  });

  it('refuses a value whose exponent is out of range with its line (not a database error)', async () => {
    const p = expectProblem(
      await load(`${HEADER}\n${STD},林业局,361130100,2026,stand_height,,1e999999,m,,`),
      422,
      'VALIDATION_FAILED',
    );
    expect(p.errors.map((e) => e.message)).toEqual([
      'line 2, value: "1e999999" is out of range (the exponent may be at most ±1000)',
    ]);
  });

  it('refuses a region outside the scope, and approved forms', async () => {
    const township = await t.token('ziyang.stat');
    expectProblem(
      await load(`${HEADER}\n${STD},林业局,361130101,2025,stand_height,,1,m,,`, township),
      403,
      'OUT_OF_REGION_SCOPE',
    );
    // demo data: 2021 forms are approved; the forms and regions named as people read them
    expectProblem(
      await load(`${HEADER}\n${STD},林业局,361130100,2021,stand_height,,99,m,,`),
      409,
      'FORM_LOCKED',
    );
    const zh = await t.http
      .post('/survey/forms/load-csv')
      .set(as(stat))
      .set('accept-language', 'zh-CN')
      .set('content-type', 'text/csv')
      .send(
        [
          HEADER,
          `${STD},林业局,361130100,2021,stand_height,,99,m,,`,
          `${STD},林业局,361130101,2021,stand_height,,99,m,,`,
        ].join('\n'),
      );
    expect(expectProblem(zh, 409, 'FORM_LOCKED')).toMatchObject({
      detail: '文件中有 2 张报表已提交或已审核，其数值会被改变；请先退回修改——未保存任何数据',
      errors: [
        {
          path: 'line 2',
          message: '第 2 行：林业局 紫阳镇（361130100）2021 年报表已审核，数值不能修改',
        },
        {
          path: 'line 3',
          message: '第 3 行：林业局 清华镇（361130101）2021 年报表已审核，数值不能修改',
        },
      ],
    });
    const outside = await t.http
      .post('/survey/forms/load-csv')
      .set(as(await t.token('ziyang.stat')))
      .set('accept-language', 'zh-CN')
      .set('content-type', 'text/csv')
      .send(`${HEADER}\n${STD},林业局,361130101,2025,stand_height,,1,m,,`);
    expect(expectProblem(outside, 403, 'OUT_OF_REGION_SCOPE').detail).toBe(
      '第 2 行：行政区 清华镇（361130101）不在您的地区权限范围（紫阳镇（361130100））内',
    );
  });
});
