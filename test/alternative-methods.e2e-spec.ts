import { approvedForm } from './support/survey-fill';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

/**
 * An indicator with alternative methods through the API, on a hand-computed example:
 * 固定二氧化碳 by biomass increment (600 t × 0.5 tC/t × 44/12 = 1100 tCO₂) or by fixation rate
 * (100 hm² × 1.5 tC/hm² × 44/12 = 550 tCO₂), at 100 元/tCO₂. A rule requires the rate method up
 * to 2020; from 2021 the data decide.
 */
const PACKAGE = {
  format: 'gep-methodology/1',
  standardId: 'test-carbon',
  version: 1,
  name: '测试：固定二氧化碳（备选方法）',
  sourceDocument: 'hand-computed test case',
  indexSets: [],
  services: [
    { code: 'co2', category: 'regulating', nameZh: '固定二氧化碳', nameEn: 'CO2 fixation' },
  ],
  variables: [
    { code: 'forest_area', nameZh: '森林面积', unit: 'hm²', department: '林业局' },
    { code: 'biomass_increment', nameZh: '生物量增量', unit: 't', department: '林业局' },
  ],
  parameters: [
    {
      code: 'carbon_fraction',
      nameZh: '含碳率',
      unit: 'tC/t',
      values: [{ value: '0.5', source: 'test', evidence: 'verified' }],
    },
    {
      code: 'fixation_rate',
      nameZh: '固碳速率',
      unit: 'tC/hm²',
      values: [{ value: '1.5', source: 'test', evidence: 'verified' }],
    },
    {
      code: 'carbon_price',
      nameZh: '碳价',
      unit: '元/tCO2',
      values: [{ value: '100', source: 'test', evidence: 'verified' }],
    },
  ],
  indicators: [
    {
      code: 'co2_fixation',
      service: 'co2',
      nameZh: '固定二氧化碳',
      nameEn: 'CO2 fixation',
      method: { code: 'biomass', nameZh: '生物量法' },
      quantity: { formula: 'biomass_increment * carbon_fraction * CO2_PER_C', unit: 'tCO2' },
      value: { formula: 'Q * carbon_price', unit: '元' },
      alternatives: [
        {
          code: 'rate',
          nameZh: '固碳速率法',
          quantity: { formula: 'forest_area * fixation_rate * CO2_PER_C', unit: 'tCO2' },
          value: { formula: 'Q * carbon_price', unit: '元' },
          citation: 'test',
          evidence: 'verified',
        },
      ],
      methodRules: [{ method: 'rate', validTo: 2020, note: '2020 年前没有连续清查数据' }],
      valuationMethod: 'market_value',
      citation: 'test',
      evidence: 'verified',
      counted: true,
    },
  ],
};
const TOWN = '361130100';

describe('alternative methods through the API', () => {
  let t: TestApp;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  let accountant: string;
  const runs: Record<number, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    accountant = await t.token('wuyuan.accountant');
    const m = await t.http
      .post('/methodologies/import')
      .set(as(accountant))
      .send(PACKAGE)
      .expect(201);
    await t.http
      .post(`/methodologies/${m.body.id}/publish`)
      .set(as(await t.token('admin')))
      .expect(200);
    for (const [year, biomass] of [
      [2020, '480'],
      [2021, '600'],
    ] as const) {
      await approvedForm(
        t,
        { standardId: 'test-carbon', department: '林业局', regionCode: TOWN, year },
        [
          { variable: 'forest_area', value: '100' },
          { variable: 'biomass_increment', value: biomass },
        ],
      );
      runs[year] = (
        await t.http
          .post('/accounting/runs')
          .set(as(accountant))
          .send({ standardId: 'test-carbon', regionCode: TOWN, year })
          .expect(201)
      ).body.id;
    }
  }, 60_000);
  afterAll(() => t.close());

  it('refuses a rule naming a method the indicator does not have, saying which it has', async () => {
    const bad = structuredClone(PACKAGE);
    bad.version = 9;
    bad.indicators[0].methodRules = [{ method: 'nep', validTo: 2020, note: '' }];
    const res = await t.http
      .post('/methodologies/import')
      .set(as(accountant))
      .set('accept-language', 'zh-CN')
      .send(bad);
    const problem = expectProblem(res, 422);
    const found = (problem.errors as { path: string; message: string }[]).find((e) =>
      e.path.endsWith('indicators[0].methodRules[0].method'),
    );
    expect(found?.message).toBe('co2_fixation 没有方法 nep（可用：biomass、rate）');
  });

  it('uses the method the rule requires (2020) and the one the data allow (2021), and says which', async () => {
    const s2020 = await t.http.get(`/accounting/runs/${runs[2020]}/summary`).set(as(accountant));
    expect(s2020.body.gep).toBe('55000'); // rate method, although biomass was reported
    const s2021 = await t.http.get(`/accounting/runs/${runs[2021]}/summary`).set(as(accountant));
    expect(s2021.body.gep).toBe('110000');
    const explain = async (run: string) =>
      (
        await t.http
          .get(`/accounting/runs/${run}/results/${TOWN}/co2_fixation`)
          .set(as(accountant))
          .expect(200)
      ).body;
    const e2020 = await explain(runs[2020]);
    expect(JSON.stringify(e2020)).toContain('"method":"rate"');
    expect(e2020.methodNameZh).toBe('固碳速率法'); // people read the method's name
    expect(e2020.methodNames).toEqual({ biomass: '生物量法', rate: '固碳速率法' });
    const e2021 = await explain(runs[2021]);
    expect(JSON.stringify(e2021)).toContain('"method":"biomass"');
    expect(JSON.stringify(e2021)).toContain('biomass_increment * carbon_fraction * CO2_PER_C');
  });

  it('counts a change of method as the method effect of the decomposition', async () => {
    const c = await t.http
      .get(`/accounting/runs/${runs[2020]}/compare/${runs[2021]}`)
      .set(as(accountant))
      .expect(200);
    expect(c.body).toMatchObject({
      from: { total: '55000' },
      fromUnderToMethod: { total: '88000' }, // 2020's biomass (480 t) by the 2021 method
      toAtFromPrices: { total: '110000' },
      to: { total: '110000' },
      effects: { method: '33000', quantity: '22000', price: '0', total: '55000' },
    });
    // and says which indicator changed method, where, by name
    expect(c.body.methodChanges).toEqual([
      {
        indicator: 'co2_fixation',
        nameZh: expect.any(String),
        from: { code: 'rate', nameZh: '固碳速率法' },
        to: { code: 'biomass', nameZh: '生物量法' },
        regions: [TOWN],
      },
    ]);
  });
});
