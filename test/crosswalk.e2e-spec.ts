import { approvedForm } from './support/survey-fill';
import { startTestApp, TestApp } from './support/test-app';

interface Item {
  code: string;
  presence: string;
  sides?: { services: { nameZh: string }[]; counted: { code: string }[] }[];
  first?: { value: string | null; missing: string[]; services: { nameZh: string }[] };
  second?: { value: string | null; missing: string[]; services: { nameZh: string }[] };
  difference?: string | null;
}

/** Two standards that name the same services differently, compared item by item. */
const pkg = (
  standardId: string,
  services: [string, string, string][],
  indicators: [string, string, string, string][],
  variables: [string, string][],
) => ({
  format: 'gep-methodology/1',
  standardId,
  version: 1,
  name: `测试：${standardId}`,
  sourceDocument: 'hand-computed test case',
  indexSets: [],
  services: services.map(([code, category, nameZh]) => ({ code, category, nameZh, nameEn: code })),
  variables: variables.map(([code, nameZh]) => ({
    code,
    nameZh,
    unit: '万m³',
    department: '水利局',
  })),
  parameters: [
    {
      code: 'price',
      nameZh: '单价',
      unit: '元/m³',
      values: [
        { value: standardId.endsWith('b') ? '7' : '6', source: 'test', evidence: 'verified' },
      ],
    },
  ],
  indicators: indicators.map(([code, service, nameZh, variable]) => ({
    code,
    service,
    nameZh,
    nameEn: code,
    quantity: { formula: variable, unit: '万m³' },
    value: { formula: 'Q * price', unit: '万元' },
    valuationMethod: 'replacement_cost',
    citation: 'test',
    evidence: 'verified',
    counted: true,
  })),
});

// the RCEES school
const A = pkg(
  'test-cw-a',
  [
    ['wc', 'regulating', '水源涵养'],
    ['soil', 'regulating', '土壤保持'],
  ],
  [
    ['water_conservation', 'wc', '水源涵养', 'water_kept'],
    ['soil_retention', 'soil', '土壤保持', 'soil_kept'],
  ],
  [
    ['water_kept', '水源涵养量'],
    ['soil_kept', '土壤保持量（折算）'],
  ],
);
// the forestry school of GB/T 38582: other names, and 保肥 as an item of its own
const B = pkg(
  'test-cw-b',
  [
    ['hanyang', 'regulating', '涵养水源'],
    ['baoyu', 'regulating', '保育土壤'],
    ['baofei', 'regulating', '保肥'],
  ],
  [
    ['hanyang_shuiyuan', 'hanyang', '涵养水源', 'water_kept'],
    ['gutu', 'baoyu', '固土', 'soil_kept'],
    ['baofei_liang', 'baofei', '保肥', 'fertility_kept'],
  ],
  [
    ['water_kept', '水源涵养量'],
    ['soil_kept', '土壤保持量（折算）'],
    ['fertility_kept', '保肥量（折算）'],
  ],
);
const TOWN = '361130100';

describe('crosswalk between standards (a common service catalogue)', () => {
  let t: TestApp;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  let accountant: string;
  const ids: Record<string, string> = {};
  const runs: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    accountant = await t.token('wuyuan.accountant');
    const admin = await t.token('admin');
    for (const [p, values] of [
      [
        A,
        [
          { variable: 'water_kept', value: '100' },
          { variable: 'soil_kept', value: '10' },
        ],
      ],
      [
        B,
        [
          { variable: 'water_kept', value: '100' },
          { variable: 'soil_kept', value: '10' },
        ], // 保肥 not reported
      ],
    ] as const) {
      const m = await t.http.post('/methodologies/import').set(as(accountant)).send(p);
      if (m.status !== 201) throw new Error(JSON.stringify(m.body));
      ids[p.standardId] = m.body.id;
      await t.http.post(`/methodologies/${m.body.id}/publish`).set(as(admin)).expect(200);
      await approvedForm(
        t,
        { standardId: p.standardId, department: '水利局', regionCode: TOWN, year: 2024 },
        values,
      );
      runs[p.standardId] = (
        await t.http
          .post('/accounting/runs')
          .set(as(accountant))
          .send({ standardId: p.standardId, regionCode: TOWN, year: 2024 })
          .expect(201)
      ).body.id;
    }
  }, 60_000);
  afterAll(() => t.close());

  it('maps the two schools’ names onto one catalogue and says what only one of them has', async () => {
    const c = await t.http
      .get(`/methodologies/${ids['test-cw-a']}/crosswalk/${ids['test-cw-b']}`)
      .set(as(accountant))
      .expect(200);
    const items = c.body.items as Item[];
    const item = (code: string) => items.find((i) => i.code === code)!;
    expect(item('water_conservation').presence).toBe('both');
    expect(item('water_conservation').sides!.map((s) => s.services[0].nameZh)).toEqual([
      '水源涵养',
      '涵养水源',
    ]);
    expect(item('soil_retention').presence).toBe('both');
    expect(item('fertility_retention').presence).toBe('only_second');
    expect(c.body.unplaced).toEqual([]);
  });

  it('compares a region’s results item by item; a missing figure is not compared', async () => {
    const c = await t.http
      .get(`/accounting/runs/${runs['test-cw-a']}/crosswalk/${runs['test-cw-b']}`)
      .set(as(accountant))
      .expect(200);
    expect(c.body.first).toMatchObject({ standardId: 'test-cw-a', gep: '6600000' });
    expect(c.body.second).toMatchObject({ standardId: 'test-cw-b', gep: null }); // 保肥 missing
    const item = (code: string) => (c.body.items as Item[]).find((i) => i.code === code)!;
    expect(item('water_conservation')).toMatchObject({
      presence: 'both',
      first: { value: '6000000' },
      second: { value: '7000000' },
      difference: '1000000',
    });
    expect(item('fertility_retention')).toMatchObject({
      presence: 'only_second',
      first: { value: null },
      second: { value: null, missing: ['baofei_liang'] },
      difference: null,
    });
  });

  it('places the seeded standards: 2022 trial and GB/T 46869—2025', async () => {
    const list = async (standardId: string) =>
      (await t.http.get(`/methodologies?standardId=${standardId}`).set(as(accountant))).body
        .items[0].id as string;
    const c = await t.http
      .get(
        `/methodologies/${await list('ndrc-nbs-2022-trial')}/crosswalk/${await list('gbt-46869-2025')}`,
      )
      .set(as(accountant))
      .expect(200);
    const item = (code: string) => (c.body.items as Item[]).find((i) => i.code === code)!;
    expect(item('carbon').sides!.map((s) => s.services.map((x) => x.nameZh))).toEqual([
      ['固碳'],
      ['固定二氧化碳'],
    ]);
    expect(item('climate_regulation').presence).toBe('both');
    expect(item('out_of_region').presence).toBe('only_second');
    expect(c.body.unplaced).toEqual([]);
  });
});
