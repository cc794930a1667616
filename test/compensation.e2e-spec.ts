import ExcelJS from 'exceljs';
import { D, Dec } from '../src/common/decimal';
import { firstSheet } from './support/download';
import { publishAndRun } from './support/compensation';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

interface Amount {
  regionCode: string;
  name: string;
  eligible: boolean;
  weight: string | null;
  amount: string;
  fundState: string;
  explanation: {
    figures: Record<string, string | null>;
    bound: string | null;
    reason?: string;
    lambda: string;
  };
}

const STD = 'ndrc-nbs-2022-trial';
const sum = (xs: Amount[]) => xs.reduce((s, a) => s.plus(a.amount), new D(0));

describe('Compensation: schemes as data, allocation runs over published GEP runs, fund states', () => {
  let t: TestApp;
  let finance: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp();
    finance = await t.token('wuyuan.finance');
  });
  afterAll(() => t.close());

  const newScheme = (content: object, code = 'test-allocation') =>
    t.http
      .post('/assessment/compensation/schemes')
      .set(as(finance))
      .send({
        code,
        name: '测试分配办法',
        type: 'budget_allocation',
        content: { standardId: STD, source: 'test', ...content },
      });

  it('the demo: an approved 2023 allocation over 17 townships that adds up to the budget to the fen', async () => {
    const list = await t.http
      .get('/assessment/compensation/runs?regionCode=361130&budgetYear=2023&status=approved')
      .set(as(finance));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const run = await t.http
      .get(`/assessment/compensation/runs/${list.body.items[0].id}`)
      .set(as(await t.token('shangrao.auditor')));
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ budget: '50000000.00', gepYear: 2022, status: 'approved' });
    const amounts = run.body.amounts as Amount[];
    expect(amounts).toHaveLength(17);
    expect(sum(amounts).toFixed(2)).toBe('50000000.00');
    for (const a of amounts) {
      expect(a.amount).toMatch(/^\d+\.\d{2}$/);
      if (a.eligible) {
        expect(new D(a.amount).gte('1000000')).toBe(true);
        expect(new D(a.amount).lte('6000000')).toBe(true);
        expect(a.explanation.figures.gep).not.toBeNull();
        expect(a.explanation.figures.gep_real_change).not.toBeNull();
      } else {
        expect(a.amount).toBe('0.00');
        expect(a.explanation.reason).toMatch(/eligibility|missing/);
      }
    }
  });

  it('refuses schemes with wrong formulas or amounts, naming the field', async () => {
    const units = expectProblem(
      await newScheme({ weight: 'gep + area' }),
      422,
      'VALIDATION_FAILED',
    );
    expect(units.errors[0].path).toBe('content.weight');
    expect(units.errors[0].message).toMatch(/元.*m²|m².*元/);
    const unknown = expectProblem(await newScheme({ weight: 'gdp_growth * 2' }), 422);
    expect(unknown.errors[0].message).toMatch(/gdp_growth/);
    expect(unknown.errors[0].message).toMatch(/figures: gep, gep_prev/);
    const notCondition = expectProblem(
      await newScheme({ weight: 'gep', eligibility: 'gep_real_change + 1' }),
      422,
    );
    expect(notCondition.errors[0].path).toBe('content.eligibility');
    const bounds = expectProblem(
      await newScheme({ weight: 'gep', floor: '500.00', cap: '100.00' }),
      422,
    );
    expect(bounds.errors[0]).toEqual({
      path: 'content.floor',
      message: 'floor 500.00 is above cap 100.00',
    });
    const fen = expectProblem(await newScheme({ weight: 'gep', floor: '1.005' }), 422);
    expect(fen.errors[0].path).toBe('content.floor');
  });

  it('runs a published scheme as a what-if, approves it once, and refuses impossible budgets', async () => {
    const created = await newScheme({ weight: 'area', floor: '100.00' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, status: 'draft' });
    const start = (body: object) =>
      t.http
        .post('/assessment/compensation/runs')
        .set(as(finance))
        .send({ schemeId: created.body.id, regionCode: '361130', budgetYear: 2022, ...body });
    expectProblem(await start({ budget: '1000.00' }), 422, 'VALIDATION_FAILED'); // draft scheme
    const published = await t.http
      .post(`/assessment/compensation/schemes/${created.body.id}/publish`)
      .set(as(finance));
    expect(published.body.status).toBe('published');
    // a published scheme cannot change, not even with raw SQL
    await expect(
      t.db.query(`UPDATE compensation_schemes SET name = 'x' WHERE id = $1`, [created.body.id]),
    ).rejects.toThrow(/published and cannot be changed/);

    const whatIf = await start({ budget: '1234567.89' });
    expect(whatIf.status).toBe(201);
    expect(whatIf.body).toMatchObject({ status: 'draft', gepYear: 2021, budget: '1234567.89' });
    const detail = await t.http
      .get(`/assessment/compensation/runs/${whatIf.body.id}`)
      .set(as(finance));
    const amounts = detail.body.amounts as Amount[];
    expect(sum(amounts).toFixed(2)).toBe('1234567.89');
    // in proportion to area: the largest area gets the most
    const eligible = amounts.filter((a) => a.eligible);
    const byArea = [...eligible].sort((a, b) =>
      new D(b.explanation.figures.area!).comparedTo(a.explanation.figures.area!),
    );
    expect(new D(byArea[0].amount).gte(byArea[byArea.length - 1].amount)).toBe(true);

    const tooSmall = expectProblem(await start({ budget: '100.00' }), 422, 'VALIDATION_FAILED');
    expect(tooSmall.errors[0]).toMatchObject({ path: 'budget' });
    expect(tooSmall.detail).toMatch(/floors of the eligible recipients add up to/);
    expectProblem(await start({ budget: '-5' }), 422, 'VALIDATION_FAILED');
    const noRun = expectProblem(await start({ budget: '1000.00', gepYear: 2030 }), 422);
    expect(noRun.errors[0]).toMatchObject({ path: 'gepYear' });
    expect(noRun.detail).toMatch(/^no published GEP run of \S+ for 婺源县 \(361130\) 2030:/);
    expectProblem(
      await t.http.post('/assessment/compensation/runs').set(as(finance)).send({
        schemeId: created.body.id,
        regionCode: '361181',
        budgetYear: 2022,
        budget: '1.00',
      }),
      403,
      'OUT_OF_REGION_SCOPE',
    );

    const approved = await t.http
      .post(`/assessment/compensation/runs/${whatIf.body.id}/approve`)
      .set(as(finance));
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    // an approved run is final: no second approval for the year, no deletion, no raw edits
    const second = await start({ budget: '1000000.00' });
    expectProblem(
      await t.http.post(`/assessment/compensation/runs/${second.body.id}/approve`).set(as(finance)),
      409,
      'DUPLICATE',
    );
    expectProblem(
      await t.http.delete(`/assessment/compensation/runs/${whatIf.body.id}`).set(as(finance)),
      409,
    );
    await expect(
      t.db.query(`UPDATE compensation_amounts SET amount = 0 WHERE run_id = $1`, [whatIf.body.id]),
    ).rejects.toThrow(/approved compensation run cannot be changed/);
    // what-ifs are free to delete
    expect(
      (await t.http.delete(`/assessment/compensation/runs/${second.body.id}`).set(as(finance)))
        .status,
    ).toBe(204);

    // the export carries every amount and the total
    const ws = await firstSheet(
      t.http.get(`/assessment/compensation/runs/${whatIf.body.id}/export`).set(as(finance)),
    );
    expect(ws.name).toBe('补偿分配');
    const last = ws.getRow(ws.rowCount);
    expect(last.getCell(1).value).toBe('合计');
    expect(last.getCell(8).value).toBe(1234567.89);
    expect(last.getCell(8).type).toBe(ExcelJS.ValueType.Number);
    // every amount a number to the fen, GEP in 万元, fund states in Chinese
    for (let r = 3; r < ws.rowCount; r++) {
      const row = ws.getRow(r);
      expect([r, row.getCell(8).type]).toEqual([r, ExcelJS.ValueType.Number]);
      expect(['待拨付', '已拨付', '暂缓', '核减', '停止', '追回']).toContain(row.getCell(9).text);
    }
    expect(ws.getRow(2).getCell(4).text).toBe('GEP（万元）');
    // the exact values, digit for digit, on the second sheet
    const wb = ws.workbook;
    const exact = wb.getWorksheet('精确值')!;
    expect(exact.getRow(2 + amounts.length - 1).getCell(7).text).toBe(
      amounts[amounts.length - 1].amount,
    );
    expect(ws.rowCount).toBe(2 + amounts.length + 1);
  });

  it('a weight of GEP change: a township whose GEP fell takes nothing and is told why, the others share the budget', async () => {
    const created = await newScheme({ weight: 'gep_real_change' }, 'reward-growth');
    expect(created.status).toBe(201);
    const detail = await publishAndRun(
      t,
      finance,
      created.body.id,
      { regionCode: '361130', budgetYear: 2022, budget: '1000000.00' },
      'zh-CN',
    );
    const amounts = detail.body.amounts as Amount[];
    const fell = amounts.filter((a) => a.weight !== null && new D(a.weight).isNegative());
    expect(fell.length).toBeGreaterThan(0);
    for (const a of fell) {
      expect(a).toMatchObject({ eligible: false, amount: '0.00' });
      expect(a.explanation.reason).toMatch(/^权重公式得出负值（-/);
    }
    expect(amounts.filter((a) => a.eligible).length).toBeGreaterThan(0);
    expect(sum(amounts).toFixed(2)).toBe('1000000.00');
  });

  it('edits a draft scheme based on its revision; a published one needs a new version', async () => {
    const draft = await newScheme({ weight: 'gep' }, 'edit-me');
    const edit = (revision: number, content: object) =>
      t.http
        .put(`/assessment/compensation/schemes/${draft.body.id}`)
        .set(as(finance))
        .send({ revision, content: { standardId: STD, source: 'test', ...content } });
    const edited = await edit(draft.body.revision, { weight: 'gep * 2' });
    expect(edited.status).toBe(200);
    expect(edited.body.content.weight).toBe('gep * 2');
    expect(edited.body.revision).toBe(draft.body.revision + 1);
    expectProblem(await edit(draft.body.revision, { weight: 'gep * 3' }), 409, 'STALE_REVISION');
    expectProblem(await edit(edited.body.revision, { weight: 'gep + gdp_per_capita' }), 422);
    await t.http
      .post(`/assessment/compensation/schemes/${draft.body.id}/publish`)
      .set(as(finance))
      .expect(200);
    expectProblem(
      await edit(edited.body.revision, { weight: 'gep * 4' }),
      409,
      'STATE_NOT_ALLOWED',
    );
    const v2 = await newScheme({ weight: 'gep * 4' }, 'edit-me');
    expect(v2.body.version).toBe(2);
    const versions = await t.http
      .get('/assessment/compensation/schemes?code=edit-me')
      .set(as(await t.token('shangrao.auditor')));
    expect(versions.body.items.map((x: { version: number }) => x.version)).toEqual([2, 1]);
  });

  it('moves funds only in the allowed order: reduce, pay the reduced amount, recover part of it', async () => {
    const list = await t.http
      .get('/assessment/compensation/runs?regionCode=361130&budgetYear=2023&status=approved')
      .set(as(finance));
    const runId = list.body.items[0].id as string;
    const run = await t.http.get(`/assessment/compensation/runs/${runId}`).set(as(finance));
    const target = (run.body.amounts as Amount[]).find((a) => a.eligible)!;
    const event = (body: object) =>
      t.http
        .post(`/assessment/compensation/runs/${runId}/fund-events`)
        .set(as(finance))
        .send({ regionCode: target.regionCode, document: '婺财〔2023〕1号', ...body });
    const reduced = new D(target.amount).minus(1000).toFixed(2);
    expectProblem(await event({ state: 'reduced', amount: target.amount }), 422);
    expect((await event({ state: 'reduced', amount: reduced })).status).toBe(201);
    expectProblem(await event({ state: 'paid', amount: target.amount }), 422);
    const paid = await event({ state: 'paid' });
    expect(paid.body).toMatchObject({ state: 'paid', amount: reduced });
    expectProblem(await event({ state: 'withheld' }), 409, 'STATE_NOT_ALLOWED');
    // in the bureau's words, the region by name
    const refused = expectProblem(
      await event({ state: 'withheld' }).set('accept-language', 'zh-CN'),
      409,
      'STATE_NOT_ALLOWED',
    );
    const name = (
      await t.db.query<{ name: string }>('SELECT name FROM regions WHERE code = $1', [
        target.regionCode,
      ])
    ).rows[0].name;
    expect(refused.detail).toBe(
      `${name}（${target.regionCode}）的金额状态为「已拨付」；只能变为「追回」`,
    );
    expect(refused.errors).toEqual([{ path: 'state', message: '「已拨付」之后不能「暂缓」' }]);
    expectProblem(await event({ state: 'recovered', amount: target.amount }), 422);
    expect((await event({ state: 'recovered', amount: '500.00' })).status).toBe(201);
    const after = await t.http.get(`/assessment/compensation/runs/${runId}`).set(as(finance));
    expect(
      (after.body.amounts as Amount[]).find((a) => a.regionCode === target.regionCode)!.fundState,
    ).toBe('recovered');
    const events = await t.http
      .get(`/assessment/compensation/runs/${runId}/fund-events`)
      .set(as(await t.token('shangrao.auditor')));
    expect(events.body.map((e: { state: string }) => e.state)).toEqual([
      'reduced',
      'paid',
      'recovered',
    ]);
    await expect(
      t.db.query(`DELETE FROM compensation_fund_events WHERE run_id = $1`, [runId]),
    ).rejects.toThrow(/append-only/);
  });

  describe('reward / deduction by change class', () => {
    const classes = [
      { label: '严重下降', upTo: '-0.05', effect: 'suspend' },
      { label: '下降', above: '-0.05', upTo: '0', effect: 'deduction', percent: '10' },
      { label: '基本稳定', above: '0', upTo: '0.05', effect: 'none' },
      { label: '明显变好', above: '0.05', effect: 'reward', amount: '200000.00' },
    ];
    const rd = (content: object, code = 'test-reward-deduction') =>
      t.http
        .post('/assessment/compensation/schemes')
        .set(as(finance))
        .send({
          code,
          name: '测试奖惩办法',
          type: 'reward_deduction',
          content: {
            standardId: STD,
            source: 'test',
            measure: 'gep_real_change',
            base: '1000000.00',
            classes,
            ...content,
          },
        });

    it('adjusts each township’s base transfer by the class of its real GEP change', async () => {
      const created = await rd({});
      expect(created.status).toBe(201);
      const detail = await publishAndRun(t, finance, created.body.id, {
        regionCode: '361130',
        budgetYear: 2023,
      });
      const amounts = detail.body.amounts as (Amount & {
        explanation: { measure: string; class: string; effect: string };
      })[];
      expect(amounts).toHaveLength(17);
      const expected = (m: Dec) =>
        m.lte(-0.05) ? '0.00' : m.lte(0) ? '900000.00' : m.lte(0.05) ? '1000000.00' : '1200000.00';
      for (const a of amounts) {
        const m = new D(a.explanation.measure);
        expect([a.regionCode, a.amount]).toEqual([a.regionCode, expected(m)]);
      }
      // the demo data has serious declines (suspended) as well as rises
      expect(amounts.some((a) => a.explanation.effect === 'suspend')).toBe(true);
      expect(amounts.some((a) => a.explanation.effect !== 'suspend')).toBe(true);
      expect(detail.body.budget).toBe(sum(amounts).toFixed(2));
      const ws = await firstSheet(
        t.http.get(`/assessment/compensation/runs/${detail.body.id}/export`).set(as(finance)),
      );
      expect(ws.getRow(2).getCell(7).value).toBe('类别');
      expect(ws.getRow(ws.rowCount).getCell(8).value).toBe(Number(detail.body.budget));
      const withBudget = expectProblem(
        await t.http.post('/assessment/compensation/runs').set(as(finance)).send({
          schemeId: created.body.id,
          regionCode: '361130',
          budgetYear: 2023,
          budget: '1.00',
        }),
        422,
      );
      expect(withBudget.errors[0].path).toBe('budget');
    });

    it('refuses a measure with units, gaps between classes, and money effects without an amount', async () => {
      const p = expectProblem(
        await rd({
          measure: 'gep',
          classes: [
            { label: 'a', upTo: '0', effect: 'reward' },
            { label: 'b', above: '0.1', effect: 'none' },
          ],
        }),
        422,
        'VALIDATION_FAILED',
      );
      expect(p.errors.map((e) => e.path)).toEqual([
        'content.measure',
        'content.classes[0]',
        'content.classes[1].above',
      ]);
      const open = expectProblem(
        await rd({ classes: [{ label: 'a', above: '0', effect: 'none' }] }),
        422,
      );
      expect(open.errors[0].path).toBe('content.classes[0].above');
    });
  });
});
