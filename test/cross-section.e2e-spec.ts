import { firstSheet } from './support/download';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

const SECTION = 'leanhe-yutan-bridge';

interface Amount {
  regionCode: string;
  amount: string;
  explanation: {
    upstreamPays: string;
    downstreamPays: string;
    net: string;
    rewardMonths?: number[];
  };
}

describe('Cross-section agreements: monitoring sections, readings and settlements', () => {
  let t: TestApp;
  let finance: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const put = (values: object[], section = SECTION) =>
    t.http
      .put(`/assessment/compensation/sections/${section}/values`)
      .set(as(finance))
      .send({ values });
  const scheme = (content: object, code = 'test-cross-section') =>
    t.http
      .post('/assessment/compensation/schemes')
      .set(as(finance))
      .send({ code, name: '测试断面协议', type: 'cross_section', content });
  const count = async () =>
    (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring_values')).rows[0].n;

  beforeAll(async () => {
    t = await startTestApp();
    finance = await t.token('wuyuan.finance');
  });
  afterAll(() => t.close());

  it('the demo: 玉坦大桥 with a year of readings and its approved settlement (婺源 ↔ 德兴)', async () => {
    const sections = await t.http.get('/assessment/compensation/sections').set(as(finance));
    expect(sections.body.items.map((s: { code: string }) => s.code)).toContain(SECTION);
    const values = await t.http
      .get(`/assessment/compensation/sections/${SECTION}/values?year=2023`)
      .set(as(finance));
    expect(values.body).toHaveLength(36);
    expect(
      values.body.find(
        (v: { month: number; pollutant: string }) => v.month === 8 && v.pollutant === 'NH3N',
      ),
    ).toMatchObject({ concentration: '1.32', state: 'normal' });

    const runs = await t.http
      .get(
        '/assessment/compensation/runs?schemeCode=wuyuan-dexing-yutan-cross-section&status=approved',
      )
      .set(as(finance));
    expect(runs.body.items).toHaveLength(1);
    const run = await t.http
      .get(`/assessment/compensation/runs/${runs.body.items[0].id}`)
      .set(as(finance));
    expect(run.body).toMatchObject({ budgetYear: 2024, gepYear: 2023, budget: '800000.00' });
    const amounts = run.body.amounts as Amount[];
    // 婺源 pays 德兴 2 steps (Aug NH₃-N x = 0.32) + 1 step (Jul TP x = 0.15) = 30万;
    // 德兴 pays 婺源 10 compliant months × 5万 = 50万; net 德兴 → 婺源 20万
    expect(amounts.find((a) => a.regionCode === '361181')!.amount).toBe('300000.00');
    const wuyuan = amounts.find((a) => a.regionCode === '361130')!;
    expect(wuyuan.amount).toBe('500000.00');
    expect(wuyuan.explanation.rewardMonths).toEqual([1, 2, 3, 4, 5, 6, 9, 10, 11, 12]);
    expect(wuyuan.explanation.net).toBe('361181 pays 361130 200000.00');
    const ws = await firstSheet(
      t.http.get(`/assessment/compensation/runs/${runs.body.items[0].id}/export`).set(as(finance)),
    );
    expect(ws.getRow(2).getCell(4).value).toBe('角色');
    expect(ws.getRow(3).getCell(5).text).toBe(
      '德兴市（361181）向婺源县（361130）支付 200000.00 元',
    );
    expect(ws.getRow(ws.rowCount).getCell(6).value).toBe(800000);
  });

  it('refuses impossible readings, unknown sections and duplicates, writing nothing', async () => {
    const before = await count();
    const p = expectProblem(
      await put([
        { year: 2024, month: 1, pollutant: 'TP', concentration: '0.1', source: 'x' },
        { year: 2024, month: 2, pollutant: 'TP', concentration: '250', source: 'x' },
        { year: 2024, month: 3, pollutant: 'TP', source: 'x' },
        { year: 2024, month: 4, pollutant: 'TP', state: 'dry', concentration: '0.1', source: 'x' },
        { year: 2024, month: 1, pollutant: 'TP', concentration: '0.2', source: 'x' },
      ]),
      422,
      'VALIDATION_FAILED',
    );
    expect(p.errors.map((e) => e.path)).toEqual([
      'values[1].concentration',
      'values[2].concentration',
      'values[3].concentration',
      'values[4]',
    ]);
    expect(p.errors[0].message).toContain('not a plausible');
    const neg = expectProblem(
      await put([{ year: 2024, month: 1, pollutant: 'TP', concentration: '-0.1', source: 'x' }]),
      422,
    );
    expect(neg.errors[0].path).toBe('values[0].concentration');
    const unknown = expectProblem(
      await put([{ year: 2024, month: 1, pollutant: 'XX', concentration: '1', source: 'x' }]),
      422,
    );
    expect(unknown.errors[0].path).toBe('values[0].pollutant');
    expectProblem(
      await put(
        [{ year: 2024, month: 1, pollutant: 'TP', concentration: '0.1', source: 'x' }],
        'no-such-section',
      ),
      404,
      'NOT_FOUND',
    );
    expect(await count()).toBe(before);
  });

  it('refuses agreements with unknown sections, unordered bands or an unknown tier', async () => {
    const p = expectProblem(
      await scheme({
        section: 'no-such-section',
        pollutants: [{ code: 'TP', limit: '0.2' }],
        tier: {
          kind: 'steps',
          steps: [
            { above: '0', upTo: '0.5', amount: '100000' },
            { above: '0.4', amount: '500000' },
          ],
        },
        source: 'test',
      }),
      422,
    );
    expect(p.errors.map((e) => e.path)).toEqual(['content.tier.steps[1].above', 'content.section']);
    const tier = expectProblem(
      await scheme({
        section: SECTION,
        pollutants: [{ code: 'TP', limit: '0.2' }],
        tier: { kind: 'linear' },
        source: 'test',
      }),
      422,
    );
    expect(tier.errors[0].path).toBe('content.tier.kind');
    const missing = expectProblem(
      await scheme({
        section: SECTION,
        pollutants: [{ code: 'TP', limit: '0.2' }],
        tier: { kind: 'per_step' },
        source: 'test',
      }),
      422,
    );
    expect(missing.errors.map((e) => e.path)).toEqual([
      'content.tier.stepSize',
      'content.tier.amountPerStep',
    ]);
  });

  it('settles a P-index agreement as a what-if; approval is refused once the readings changed', async () => {
    const created = await scheme(
      {
        section: SECTION,
        pollutants: [
          { code: 'CODMn', limit: '3.0', weight: '0.5' },
          { code: 'TP', limit: '0.15', weight: '0.5' },
        ],
        tier: { kind: 'p_index', k0: '0.9', amount: '2000000.00' },
        source: 'test: Xin’an-style P index',
      },
      'test-p-index',
    );
    expect(created.status).toBe(201);
    await t.http
      .post(`/assessment/compensation/schemes/${created.body.id}/publish`)
      .set(as(finance))
      .expect(200);
    const withBudget = expectProblem(
      await t.http
        .post('/assessment/compensation/runs')
        .set(as(finance))
        .send({ schemeId: created.body.id, budgetYear: 2024, budget: '1.00' }),
      422,
    );
    expect(withBudget.errors[0].path).toBe('budget');
    const noData = expectProblem(
      await t.http
        .post('/assessment/compensation/runs')
        .set(as(finance))
        .send({ schemeId: created.body.id, budgetYear: 2020 }),
      422,
    );
    expect(noData.errors[0].path).toBe('gepYear');

    const run = await t.http
      .post('/assessment/compensation/runs')
      .set(as(finance))
      .send({ schemeId: created.body.id, budgetYear: 2024 });
    expect(run.status).toBe(201);
    const detail = await t.http
      .get(`/assessment/compensation/runs/${run.body.id}`)
      .set(as(finance));
    // CODMn mean 33.9/12 = 2.825 over 3.0, TP mean 1.45/12 over 0.15, each × 0.5, × 0.9 → P = 0.78625 ≤ 1: 德兴 pays 婺源
    const amounts = detail.body.amounts as (Amount & { explanation: { pIndex: { p: string } } })[];
    expect(amounts.find((a) => a.regionCode === '361130')!.amount).toBe('2000000.00');
    expect(amounts.find((a) => a.regionCode === '361181')!.amount).toBe('0.00');
    expect(Number(amounts[0].explanation.pIndex.p)).toBeCloseTo(0.78625, 10);

    const changed = await put([
      { year: 2023, month: 12, pollutant: 'TP', concentration: '0.09', source: 'corrected report' },
    ]);
    expect(changed.body).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expectProblem(
      await t.http.post(`/assessment/compensation/runs/${run.body.id}/approve`).set(as(finance)),
      409,
      'INPUTS_CHANGED',
    );
    // put it back: the same readings, the same inputs — approval goes through
    await put([
      {
        year: 2023,
        month: 12,
        pollutant: 'TP',
        concentration: '0.08',
        source: '演示数据：虚构的月度读数（不是监测结果）',
      },
    ]);
    const approved = await t.http
      .post(`/assessment/compensation/runs/${run.body.id}/approve`)
      .set(as(finance));
    expect(approved.status).toBe(200);
  });
});
