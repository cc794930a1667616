import { startTestApp, TestApp, expectProblem } from './support/test-app';

/**
 * Constant prices and the decomposition of a GEP change, on a hand-computed example:
 * water 100 万m³ in 2020 at 6 元/m³, 120 万m³ in 2021 at 7 元/m³.
 */
const PACKAGE = {
  format: 'gep-methodology/1',
  standardId: 'test-water',
  version: 1,
  name: '测试：水资源',
  sourceDocument: 'hand-computed test case',
  indexSets: [],
  services: [
    { code: 'water_supply', category: 'provisioning', nameZh: '水资源', nameEn: 'water supply' },
  ],
  variables: [{ code: 'water', nameZh: '供水量', unit: '万m³', department: '水利局' }],
  parameters: [
    {
      code: 'price',
      nameZh: '水价',
      unit: '元/m³',
      values: [
        {
          value: '6',
          validTo: 2020,
          source: 'test tariff 2020',
          evidence: 'verified',
          priceYear: 2020,
        },
        {
          value: '7',
          validFrom: 2021,
          source: 'test tariff 2021',
          evidence: 'verified',
          priceYear: 2021,
        },
      ],
    },
  ],
  indicators: [
    {
      code: 'w',
      service: 'water_supply',
      nameZh: '水资源供给',
      nameEn: 'water supply',
      quantity: { formula: 'water', unit: '万m³' },
      value: { formula: 'Q * price', unit: '万元' },
      valuationMethod: 'market_value',
      citation: 'test',
      evidence: 'verified',
      counted: true,
    },
  ],
};
const TOWN = '361130100';

describe('constant prices and decomposition of GEP change', () => {
  let t: TestApp;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  let accountant: string;
  let run2020: string;
  let run2021: string;

  beforeAll(async () => {
    t = await startTestApp();
    accountant = await t.token('wuyuan.accountant');
    const admin = await t.token('admin');
    const stat = await t.token('ziyang.stat');
    const reviewer = await t.token('wuyuan.reviewer');
    const m = await t.http
      .post('/methodologies/import')
      .set(as(accountant))
      .send(PACKAGE)
      .expect(201);
    await t.http.post(`/methodologies/${m.body.id}/publish`).set(as(admin)).expect(200);
    for (const [year, water] of [
      [2020, '100'],
      [2021, '120'],
    ] as const) {
      const f = await t.http
        .post('/survey/forms')
        .set(as(stat))
        .send({ standardId: 'test-water', department: '水利局', regionCode: TOWN, year })
        .expect(201);
      await t.http
        .put(`/survey/forms/${f.body.id}/values`)
        .set(as(stat))
        .send({ revision: 1, values: [{ variable: 'water', value: water }] })
        .expect(200);
      await t.http
        .post(`/survey/forms/${f.body.id}/submit`)
        .set(as(stat))
        .send({ revision: 2 })
        .expect(200);
      await t.http
        .post(`/survey/forms/${f.body.id}/approve`)
        .set(as(reviewer))
        .send({ revision: 3 })
        .expect(200);
    }
    const start = async (year: number, version?: number) =>
      (
        await t.http
          .post('/accounting/runs')
          .set(as(accountant))
          .send({ standardId: 'test-water', version, regionCode: TOWN, year })
          .expect(201)
      ).body.id as string;
    run2020 = await start(2020);
    run2021 = await start(2021);
  }, 60_000);
  afterAll(() => t.close());

  it('values each year at its own prices, and at constant (2020) prices on request', async () => {
    const s2020 = await t.http.get(`/accounting/runs/${run2020}/summary`).set(as(accountant));
    expect(s2020.body).toMatchObject({ priceYear: 2020, gep: '6000000' });
    const s2021 = await t.http.get(`/accounting/runs/${run2021}/summary`).set(as(accountant));
    expect(s2021.body).toMatchObject({ priceYear: 2021, gep: '8400000' });
    const constant = await t.http
      .get(`/accounting/runs/${run2021}/summary?priceYear=2020`)
      .set(as(accountant));
    expect(constant.body).toMatchObject({
      priceYear: 2020,
      gep: '7200000',
      byCategory: { provisioning: '7200000' },
    });
  });

  it('decomposes the change into quantity and price effects that add up exactly', async () => {
    const c = await t.http
      .get(`/accounting/runs/${run2020}/compare/${run2021}`)
      .set(as(accountant));
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({
      regionCode: TOWN,
      fromYear: 2020,
      toYear: 2021,
      from: { total: '6000000' },
      to: { total: '8400000' },
      toAtFromPrices: { total: '7200000' },
      effects: { method: '0', quantity: '1200000', price: '1200000', total: '2400000' },
      growth: { current: '0.4', constant: '0.2' },
    });
  });

  it('separates a method effect when the later year uses a new methodology version', async () => {
    const list = await t.http.get('/methodologies?standardId=test-water').set(as(accountant));
    const v2 = await t.http
      .post(`/methodologies/${list.body.items[0].id}/clone`)
      .set(as(accountant))
      .expect(201);
    const content = v2.body.content;
    content.parameters.push({
      code: 'factor',
      nameZh: '修正系数',
      unit: '1',
      values: [{ value: '1.1', source: 'test', evidence: 'verified' }],
    });
    content.indicators[0].value.formula = 'Q * price * factor';
    await t.http
      .patch(`/methodologies/${v2.body.id}`)
      .set(as(accountant))
      .send({ content, revision: 1 })
      .expect(200);
    await t.http
      .post(`/methodologies/${v2.body.id}/publish`)
      .set(as(await t.token('admin')))
      .expect(200);
    const run2021v2 = (
      await t.http
        .post('/accounting/runs')
        .set(as(accountant))
        .send({ standardId: 'test-water', regionCode: TOWN, year: 2021 })
        .expect(201)
    ).body.id;
    const c = await t.http
      .get(`/accounting/runs/${run2020}/compare/${run2021v2}`)
      .set(as(accountant));
    expect(c.body).toMatchObject({
      from: { total: '6000000' },
      fromUnderToMethod: { total: '6600000' },
      toAtFromPrices: { total: '7920000' },
      to: { total: '9240000' },
      effects: { method: '600000', quantity: '1320000', price: '1320000', total: '3240000' },
    });
  });

  it('compares a region inside larger runs with the figures of runs rooted at it (only its subtree is computed)', async () => {
    const county = async (year: number) =>
      (
        await t.http
          .post('/accounting/runs')
          .set(as(accountant))
          .send({ standardId: 'test-water', version: 1, regionCode: '361130', year })
          .expect(201)
      ).body.id as string;
    const [c2020, c2021] = [await county(2020), await county(2021)];
    const inside = await t.http
      .get(`/accounting/runs/${c2020}/compare/${c2021}?regionCode=${TOWN}`)
      .set(as(accountant));
    expect(inside.status).toBe(200);
    const rooted = await t.http
      .get(`/accounting/runs/${run2020}/compare/${run2021}`)
      .set(as(accountant));
    const { from, to, toAtFromPrices, fromUnderToMethod, effects, growth } = rooted.body;
    expect(inside.body).toMatchObject({
      regionCode: TOWN,
      from,
      to,
      toAtFromPrices,
      fromUnderToMethod,
      effects,
      growth,
    });
    expect(effects).toMatchObject({ total: '2400000' });
  });

  it('refuses to compare runs of different standards', async () => {
    const other = await t.http
      .get('/accounting/runs?standardId=ndrc-nbs-2022-trial')
      .set(as(accountant));
    expectProblem(
      await t.http
        .get(`/accounting/runs/${run2020}/compare/${other.body.items[0].id}`)
        .set(as(accountant)),
      422,
      'VALIDATION_FAILED',
    );
  });
});
