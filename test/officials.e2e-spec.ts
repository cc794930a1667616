import { D } from '../src/common/decimal';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

interface Evaluation {
  baselineYear: number;
  endYear: number;
  series: { year: number; gep: string | null; gepAtBaselinePrices: string | null }[];
  gep: {
    start: string;
    end: string;
    realChange: string | null;
    change: string | null;
    effects: { method: string; quantity: string; price: string; total: string };
  };
  compensation: { budgetYear: number; amount: string }[];
  score: string;
  grade: string;
  findings: { code: string }[];
  gaps: { code: string; message: string; messageZh: string }[];
}

describe('Officials, tenures and their evaluation from published GEP runs', () => {
  let t: TestApp;
  let auditor: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp();
    auditor = await t.token('shangrao.auditor');
  });
  afterAll(() => t.close());

  const demoTenure = async (name: string) => {
    const officials = await t.http
      .get(`/assessment/officials?q=${encodeURIComponent(name)}`)
      .set(as(auditor));
    const detail = await t.http
      .get(`/assessment/officials/${officials.body.items[0].id}`)
      .set(as(auditor));
    return detail.body.tenures[0] as { id: string; startDate: string; endDate: string | null };
  };
  const evaluate = (id: string, body: object = {}) =>
    t.http.post(`/assessment/officials/tenures/${id}/evaluation`).set(as(auditor)).send(body);

  it('evaluates the demo county head 2018-03 → 2021-06: baseline 2019 (2017 has no run), end 2020, gaps stated', async () => {
    const tenure = await demoTenure('甲某');
    expect(tenure).toMatchObject({ startDate: '2018-03-01', endDate: '2021-06-30' });
    const res = await evaluate(tenure.id);
    expect(res.status).toBe(200);
    const e = res.body as Evaluation;
    expect([e.baselineYear, e.endYear]).toEqual([2019, 2020]);
    expect(e.gaps.map((g) => g.message)).toEqual([
      'no published GEP run for 2017 (the year before taking office); 2019 is used as the baseline',
      'the tenure ends on 2021-06-30, within 2021: that partial year is not scored (last full year 2020)',
    ]);
    // the decomposition adds up, and the score follows the default rule 80 + 200 × real change
    const fx = e.gep.effects;
    expect(new D(fx.method).plus(fx.quantity).plus(fx.price).eq(fx.total)).toBe(true);
    expect(new D(e.gep.end).minus(e.gep.start).eq(fx.total)).toBe(true);
    const expected = D.min(D.max(new D(80).plus(new D(e.gep.realChange!).mul(200)), 0), 100);
    expect(e.score).toBe(expected.toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2));
    const bands: [string, number][] = [
      ['好', 90],
      ['较好', 80],
      ['一般', 70],
      ['较差', 60],
      ['差', 0],
    ];
    expect(e.grade).toBe(bands.find(([, min]) => new D(e.score).gte(min))![0]);
    expect(e.series.map((s) => s.year)).toEqual([2019, 2020]);
    expect(e.series[0].gep).toBe(e.gep.start);
  });

  it('takes the ruleset as data: a custom trigger raises its finding; formulas in the wrong units are refused', async () => {
    const tenure = await demoTenure('乙某'); // in office: 2020 → 2022
    const strict = await evaluate(tenure.id, {
      ruleset: {
        standardId: 'ndrc-nbs-2022-trial',
        score: '100',
        grades: [
          { grade: '好', min: 90 },
          { grade: '差', min: 0 },
        ],
        triggers: [{ code: 'no_growth', label: 'GEP 不增长', condition: 'gep_real_change < 10' }],
      },
    });
    expect(strict.status).toBe(200);
    const e = strict.body as Evaluation;
    expect([e.baselineYear, e.endYear]).toEqual([2020, 2022]);
    expect(e.score).toBe('100.00');
    expect(e.grade).toBe('好');
    expect(e.findings).toEqual([{ code: 'no_growth', label: 'GEP 不增长' }]);
    // compensation approved for the county and its townships in the tenure (still in office):
    // the township allocation (budget 2023) and the 玉坦大桥 rewards to the county (budget 2024)
    expect(e.compensation).toEqual([
      { budgetYear: 2023, amount: '50000000.00' },
      { budgetYear: 2024, amount: '500000.00' },
    ]);
    const bad = expectProblem(
      await evaluate(tenure.id, {
        ruleset: {
          standardId: 'ndrc-nbs-2022-trial',
          score: 'gep_end',
          grades: [{ grade: '好', min: 0 }],
          triggers: [{ code: 'x', label: 'x', condition: 'gep_end > 1' }],
        },
      }),
      422,
      'VALIDATION_FAILED',
    );
    expect(bad.errors.map((p) => p.path)).toEqual([
      'ruleset.score',
      'ruleset.triggers[0].condition',
    ]);
  });

  it('answers 422, not 500, when a ruleset formula cannot be evaluated on the figures', async () => {
    const tenure = await demoTenure('乙某');
    const p = expectProblem(
      await evaluate(tenure.id, {
        ruleset: {
          standardId: 'ndrc-nbs-2022-trial',
          score: '1 / (gep_change - gep_change)',
          grades: [{ grade: '好', min: 0 }],
          triggers: [],
        },
      }),
      422,
      'VALIDATION_FAILED',
    );
    expect(p.errors[0].path).toBe('ruleset.score');
  });

  it('refuses tenures that end before they start or overlap the same post, also in raw SQL', async () => {
    const official = await t.http
      .post('/assessment/officials')
      .set(as(auditor))
      .send({ name: '丙某（测试）' });
    expect(official.status).toBe(201);
    const add = (body: object) =>
      t.http.post(`/assessment/officials/${official.body.id}/tenures`).set(as(auditor)).send(body);
    const backwards = expectProblem(
      await add({
        regionCode: '361130',
        post: '县委书记',
        startDate: '2020-05-01',
        endDate: '2020-04-30',
      }),
      422,
    );
    expect(backwards.errors[0].path).toBe('endDate');
    expectProblem(
      await add({ regionCode: '361130', post: '县委书记', startDate: '2020-02-30' }),
      422,
    );
    expect(
      (
        await add({
          regionCode: '361130',
          post: '县委书记',
          startDate: '2016-01-01',
          endDate: '2019-12-31',
        })
      ).status,
    ).toBe(201);
    const overlap = expectProblem(
      await add({ regionCode: '361130', post: '县委书记', startDate: '2019-12-31', acting: true }),
      409,
      'DUPLICATE',
    );
    expect(overlap.errors[0].path).toBe('startDate');
    // the next day is fine, and another post may overlap
    expect(
      (await add({ regionCode: '361130', post: '县委书记', startDate: '2020-01-01' })).status,
    ).toBe(201);
    await expect(
      t.db.query(
        `INSERT INTO tenures (official_id, region_code, post, start_date) VALUES ($1, '361130', '县委书记', '2021-01-01')`,
        [official.body.id],
      ),
    ).rejects.toThrow(/tenures_no_overlap/);
    await expect(
      t.db.query(
        `INSERT INTO tenures (official_id, region_code, post, start_date, end_date) VALUES ($1, '361130', '副县长', '2021-01-01', '2020-01-01')`,
        [official.body.id],
      ),
    ).rejects.toThrow(/tenures_dates_check/);
    // a tenure without two published runs cannot be evaluated
    const early = await add({
      regionCode: '361130',
      post: '副县长',
      startDate: '2010-01-01',
      endDate: '2012-12-31',
    });
    const none = expectProblem(await evaluate(early.body.id), 422, 'VALIDATION_FAILED');
    expect(none.detail).toMatch(/published years: 2019, 2020, 2021, 2022/);
    // scope: a county admin cannot add tenures in another county (her county named)
    const outside = expectProblem(
      await t.http
        .post(`/assessment/officials/${official.body.id}/tenures`)
        .set(as(await t.token('wuyuan.admin')))
        .set('accept-language', 'zh-CN')
        .send({ regionCode: '361181', post: '县长', startDate: '2020-01-01' }),
      403,
      'OUT_OF_REGION_SCOPE',
    );
    expect(outside.detail).toBe(
      '行政区 德兴市（361181）不在您的地区权限范围（婺源县（361130））内',
    );
  });
});
