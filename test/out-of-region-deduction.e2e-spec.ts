import { workbook } from './support/download';
import { approvedForm } from './support/survey-fill';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

/**
 * GB/T 46869—2025: GEP is the region's ecological products minus those coming from outside it.
 * Hand-computed: local water supply 100 万m³, of which 30 万m³ flowed in from upstream, at 6 元/m³:
 * GEP = 600 万元 − 180 万元 = 420 万元.
 */
const PACKAGE = {
  format: 'gep-methodology/1',
  standardId: 'test-deduction',
  version: 1,
  name: '测试：区域外生态产品扣减',
  sourceDocument: 'hand-computed test case',
  requireOutOfRegionDeduction: true,
  indexSets: [],
  services: [
    { code: 'water_supply', category: 'provisioning', nameZh: '水资源', nameEn: 'water' },
    {
      code: 'inflow',
      category: 'out_of_region',
      nameZh: '区域外来水',
      nameEn: 'water from upstream',
    },
  ],
  variables: [
    { code: 'water', nameZh: '供水量', unit: '万m³', department: '水利局' },
    { code: 'inflow_water', nameZh: '上游入境水量', unit: '万m³', department: '水利局' },
  ],
  parameters: [
    {
      code: 'price',
      nameZh: '水价',
      unit: '元/m³',
      values: [{ value: '6', source: 'test tariff', evidence: 'verified' }],
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
    {
      code: 'w_inflow',
      service: 'inflow',
      nameZh: '入境水资源价值',
      nameEn: 'value of water from upstream',
      quantity: { formula: 'inflow_water', unit: '万m³' },
      value: { formula: 'Q * price', unit: '万元' },
      valuationMethod: 'market_value',
      citation: 'test',
      evidence: 'verified',
      counted: true,
    },
  ],
};
const TOWN = '361130100';

describe('out-of-region deduction (GB/T 46869—2025)', () => {
  let t: TestApp;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  let accountant: string;
  let admin: string;
  const runs: Record<number, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    accountant = await t.token('wuyuan.accountant');
    admin = await t.token('admin');
    const m = await t.http
      .post('/methodologies/import')
      .set(as(accountant))
      .send(PACKAGE)
      .expect(201);
    await t.http.post(`/methodologies/${m.body.id}/publish`).set(as(admin)).expect(200);
    for (const [year, values] of [
      [
        2020,
        [
          { variable: 'water', value: '100' },
          { variable: 'inflow_water', value: '30' },
        ],
      ],
      [2021, [{ variable: 'water', value: '120' }]], // the inflow was not reported
    ] as const) {
      await approvedForm(
        t,
        { standardId: 'test-deduction', department: '水利局', regionCode: TOWN, year },
        values,
      );
      runs[year] = (
        await t.http
          .post('/accounting/runs')
          .set(as(accountant))
          .send({ standardId: 'test-deduction', regionCode: TOWN, year })
          .expect(201)
      ).body.id;
    }
  }, 60_000);
  afterAll(() => t.close());

  it('subtracts the value from outside the region from GEP and shows it as its own line', async () => {
    const s = await t.http
      .get(`/accounting/runs/${runs[2020]}/summary`)
      .set(as(accountant))
      .expect(200);
    expect(s.body.gep).toBe('4200000');
    expect(s.body.byCategory).toEqual({
      provisioning: '6000000',
      regulating: '0',
      cultural: '0',
      out_of_region: '1800000',
    });
    expect(s.body.table.map((c: { nameZh: string; value: string }) => [c.nameZh, c.value])).toEqual(
      [
        ['物质产品', '6000000'],
        ['减：区域外生态产品价值', '1800000'],
      ],
    );
    const wb = await workbook(
      t.http.get(`/accounting/runs/${runs[2020]}/export?format=xlsx`).set(as(accountant)),
    );
    const rows: string[] = [];
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1).join('|')));
    expect(rows.some((r) => r.startsWith('减：区域外生态产品价值'))).toBe(true);
    await t.http.post(`/accounting/runs/${runs[2020]}/publish`).set(as(accountant)).expect(200);
  });

  it('keeps the deduction out of methodologies that do not have one', async () => {
    const other = await t.http
      .get('/accounting/runs?standardId=ndrc-nbs-2022-trial&pageSize=1')
      .set(as(accountant));
    const s = await t.http
      .get(`/accounting/runs/${other.body.items[0].id}/summary`)
      .set(as(accountant))
      .expect(200);
    expect(Object.keys(s.body.byCategory)).toEqual(['provisioning', 'regulating', 'cultural']);
  });

  it('refuses to publish GEP without the deduction when the methodology requires it, even with a reason', async () => {
    const s = await t.http.get(`/accounting/runs/${runs[2021]}/summary`).set(as(accountant));
    expect(s.body.gep).toBeNull(); // a missing deduction is not a zero deduction
    expect(s.body.byCategory.out_of_region).toBeNull();
    const refused = expectProblem(
      await t.http
        .post(`/accounting/runs/${runs[2021]}/publish`)
        .set(as(accountant))
        .set('accept-language', 'zh-CN')
        .send({ incompleteReason: '上游来水数据未到' }),
      409,
      'DATA_INCOMPLETE',
    );
    expect(refused.detail).toContain('要求先扣减区域外生态产品价值');
    // the region by name, its code beside
    expect(refused.detail).toMatch(/；[^；（]+（\d{6,12}）的扣减项没有结果/);
    expect(refused.detail).toContain('入境水资源价值（缺：inflow_water）');
    const run = await t.db.query('SELECT status FROM accounting_runs WHERE id = $1', [runs[2021]]);
    expect(run.rows[0].status).toBe('draft');
  });

  it('refuses a methodology that requires the deduction but has no deduction line', async () => {
    const bad = structuredClone(PACKAGE) as Record<string, unknown> & typeof PACKAGE;
    bad.version = 5;
    bad.indicators = bad.indicators.filter((i) => i.code !== 'w_inflow');
    const res = expectProblem(
      await t.http.post('/methodologies/import').set(as(accountant)).send(bad),
      422,
    );
    expect(
      (res.errors as { path: string }[]).some((e) =>
        e.path.endsWith('requireOutOfRegionDeduction'),
      ),
    ).toBe(true);
  });
});
