import { D } from '../src/common/decimal';
import { firstSheet } from './support/download';
import { publishAndRun } from './support/compensation';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

interface Amount {
  regionCode: string;
  amount: string;
  eligible: boolean;
  explanation: { toManagement: string; toOwners: string; lines: { rates: unknown[] }[] };
}

describe('Public-welfare forest compensation: areas × stacked rates', () => {
  let t: TestApp;
  let finance: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const put = (values: object[]) =>
    t.http.put('/assessment/compensation/forest-areas').set(as(finance)).send({ values });

  beforeAll(async () => {
    t = await startTestApp();
    finance = await t.token('wuyuan.finance');
  });
  afterAll(() => t.close());

  const forestScheme = (rates: object[]) =>
    t.http
      .post('/assessment/compensation/schemes')
      .set(as(finance))
      .send({
        code: 'test-forest',
        name: '测试',
        type: 'forest',
        content: { rates, source: 'test' },
      });

  const demoScheme = async () => {
    const list = await t.http
      .get('/assessment/compensation/schemes?code=wuyuan-public-welfare-forest')
      .set(as(finance));
    return list.body.items[0] as { id: string; status: string };
  };

  it('pays the demo areas: central + county top-up on national forest, provincial rate, management kept', async () => {
    const scheme = await demoScheme();
    expect(scheme.status).toBe('published');
    const run = await t.http
      .post('/assessment/compensation/runs')
      .set(as(finance))
      .send({ schemeId: scheme.id, regionCode: '361130', budgetYear: 2023 });
    expect(run.status).toBe(201);
    const detail = await t.http
      .get(`/assessment/compensation/runs/${run.body.id}`)
      .set(as(finance));
    const byRegion = Object.fromEntries(
      (detail.body.amounts as Amount[]).map((a) => [a.regionCode, a]),
    );
    // 清华镇: 52,000 亩 × (16 + 5) + 8,000 亩 state-owned × 10; management 52,000 × 16 × 6.25 %
    expect(byRegion['361130101']).toMatchObject({ amount: '1172000.00', eligible: true });
    expect(byRegion['361130101'].explanation).toMatchObject({
      toManagement: '52000.00',
      toOwners: '1120000.00',
    });
    expect(byRegion['361130101'].explanation.lines.map((l) => l.rates.length)).toEqual([1, 2]); // state: central; collective: central + county
    // 许村镇: 41,000.5 × 21 = 861,010.5
    expect(byRegion['361130109'].amount).toBe('861010.50');
    // 段莘乡, 沱川乡: provincial 21.5 元/亩, 5 % kept
    expect(byRegion['361130201'].amount).toBe('494500.00');
    expect(byRegion['361130203'].amount).toBe('204250.00');
    expect(byRegion['361130203'].explanation.toManagement).toBe('10212.50');
    expect(detail.body.budget).toBe('2731760.50');
    const ws = await firstSheet(
      t.http.get(`/assessment/compensation/runs/${run.body.id}/export`).set(as(finance)),
    );
    expect(ws.getRow(2).getCell(4).value).toBe('公益林面积（亩）');
    expect(ws.getRow(ws.rowCount).getCell(7).value).toBe(2731760.5);

    // the areas change: the draft can no longer be approved
    const changed = await put([
      {
        regionCode: '361130203',
        year: 2022,
        forestLevel: 'provincial',
        ownership: 'individual',
        areaMu: '9600',
        source: 'corrected register',
      },
    ]);
    expect(changed.body).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expectProblem(
      await t.http.post(`/assessment/compensation/runs/${run.body.id}/approve`).set(as(finance)),
      409,
      'INPUTS_CHANGED',
    );
    const again = await t.http
      .post('/assessment/compensation/runs')
      .set(as(finance))
      .send({ schemeId: scheme.id, regionCode: '361130', budgetYear: 2023 });
    const total = await t.http
      .get(`/assessment/compensation/runs/${again.body.id}`)
      .set(as(finance));
    expect(new D(total.body.budget).minus('2731760.50').toFixed(2)).toBe('2150.00'); // 100 亩 × 21.5
  });

  it('an area no rate applies to leaves its township without an amount, said in the bureau’s words', async () => {
    const created = await forestScheme([{ fundedBy: '中央', forestLevel: 'national', rate: '16' }]);
    expect(created.status).toBe(201);
    const detail = await publishAndRun(
      t,
      finance,
      created.body.id,
      { regionCode: '361130', budgetYear: 2023 },
      'zh-CN',
    );
    // 沱川乡 has provincial forest only
    const tuochuan = (detail.body.amounts as (Amount & { amount: string | null })[]).find(
      (a) => a.regionCode === '361130203',
    )!;
    expect(tuochuan.amount).toBeNull();
    expect((tuochuan.explanation as unknown as { reason: string }).reason).toMatch(
      /^省级(国有|集体|个人)公益林（.+）2022 年没有适用的补偿标准；金额无法计算$/,
    );
  });

  it('refuses bad areas and rates with their paths; nothing is written', async () => {
    const count = async () =>
      (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM forest_areas')).rows[0].n;
    const before = await count();
    const base = {
      regionCode: '361130102',
      year: 2022,
      forestLevel: 'national',
      ownership: 'collective',
      source: 'x',
    };
    const p = expectProblem(
      await put([
        { ...base, areaMu: '100' },
        { ...base, areaMu: '0' },
        { ...base, areaMu: '100' },
      ]),
      422,
    );
    // values[1] has no area and repeats values[0]; values[2] repeats it too
    expect(p.errors.map((e) => e.path)).toEqual(['values[1].areaMu', 'values[1]', 'values[2]']);
    const level = expectProblem(await put([{ ...base, forestLevel: 'city', areaMu: '1' }]), 422);
    expect(level.errors[0].path).toBe('values[0].forestLevel');
    // both regions named as people know them, codes beside
    const outside = expectProblem(
      await put([{ ...base, regionCode: '361181', areaMu: '1' }]),
      403,
      'OUT_OF_REGION_SCOPE',
    );
    expect(outside.detail).toBe('region 德兴市 (361181) is outside your scope (婺源县 (361130))');
    expect(await count()).toBe(before);

    // field formats first (class-validator); only a well-formed content reaches the rule checks
    const backwards = {
      fundedBy: '中央',
      forestLevel: 'national',
      rate: '16',
      fromYear: 2022,
      toYear: 2020,
    };
    const tooMuchKept = {
      fundedBy: '县',
      forestLevel: 'local',
      rate: '5',
      managementPercent: '120',
    };
    const scheme = expectProblem(
      await forestScheme([
        backwards,
        { fundedBy: '省', forestLevel: 'provincial', rate: '-1' },
        tooMuchKept,
      ]),
      422,
    );
    expect(scheme.errors.map((e) => e.path)).toEqual(['content.rates[1].rate']);
    const order = expectProblem(await forestScheme([backwards, tooMuchKept]), 422);
    expect(order.errors.map((e) => e.path)).toEqual([
      'content.rates[0].toYear',
      'content.rates[1].managementPercent',
    ]);
  });
});
