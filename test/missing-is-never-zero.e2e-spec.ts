import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { binary } from './support/download';
import { fillApprovedForms } from './support/survey-fill';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

/**
 * Missing is never zero across modules (issue 18), through the API and the real database, on the
 * demo data (approved forms for every township 2019–2022, a published county run per year):
 *   - 2024: only 紫阳镇 reports — an incomplete run;
 *   - a new township 新建镇 appears without any 2022 form — a re-run of 2022 is incomplete and
 *     would replace the complete published 2022 run, which the demo tenure of 乙某 ends on and
 *     the demo allocation reads.
 * Each observation of the issue is a test here: nothing is published, ranked, paid or graded as
 * if the gap were 0.
 */
const STD = 'ndrc-nbs-2022-trial';
const COUNTY = '361130';
const ZIYANG = '361130100';
const NEW_TOWNSHIP = '361130990';

describe('missing is never zero: publication, summary, compensation, evaluation, report', () => {
  let t: TestApp;
  let accountant: string;
  let finance: string;
  let auditor: string;
  let admin: string;
  let run2024: string;
  let complete2022: string;
  let incomplete2022: string;
  let approvedOnIncomplete: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp();
    accountant = await t.token('wuyuan.accountant');
    finance = await t.token('wuyuan.finance');
    auditor = await t.token('shangrao.auditor');
    admin = await t.token('admin');
    await fillApprovedForms(
      t,
      await t.token('wuyuan.stat'),
      await t.token('wuyuan.reviewer'),
      ZIYANG,
      2024,
      0.2,
    );
    const draft = await t.http
      .post('/accounting/runs')
      .set(as(accountant))
      .send({ standardId: STD, regionCode: COUNTY, year: 2024 })
      .expect(201);
    run2024 = draft.body.id;
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id FROM accounting_runs WHERE year = 2022 AND root_region_code = $1 AND status = 'published'`,
      [COUNTY],
    );
    complete2022 = rows[0].id;
  }, 180_000);
  afterAll(() => t.close());

  const auditEntries = async (id: string, action: string) =>
    (
      await t.db.query<{ after: Record<string, unknown> }>(
        `SELECT after FROM audit_log WHERE entity_id = $1 AND action = $2`,
        [id, action],
      )
    ).rows;

  it('records the gaps of a run: 16 townships without forms, the county with them', async () => {
    const run = await t.http.get(`/accounting/runs/${run2024}`).set(as(accountant));
    expect(run.body.completeness.complete).toBe(false);
    const regions = new Set(
      (run.body.completeness.gaps as { regionCode: string }[]).map((g) => g.regionCode),
    );
    expect(regions.has(ZIYANG)).toBe(false);
    expect(regions.has(COUNTY)).toBe(true);
    expect(regions.size).toBe(17); // 16 townships + the county
  });

  it('refuses to publish an incomplete run without a reason, naming each township where a gap arises; nothing is published', async () => {
    const res = await t.http
      .post(`/accounting/runs/${run2024}/publish`)
      .set(as(accountant))
      .set('accept-language', 'zh-CN');
    const p = expectProblem(res, 409, 'DATA_INCOMPLETE');
    expect(p.detail).toContain('不完整');
    // in English on request, the township still by name
    const en = expectProblem(
      await t.http.post(`/accounting/runs/${run2024}/publish`).set(as(accountant)),
      409,
      'DATA_INCOMPLETE',
    );
    expect(en.detail).toMatch(/^this run is incomplete: \d+ result\(s\) counted in GEP/);
    expect(en.errors.find((e) => e.path === 'gaps.361130101')!.message).toMatch(
      /^清华镇 \(361130101\): all \d+ indicators counted in GEP have no result; missing: the region has no approved form$/,
    );
    const paths = p.errors.map((e) => e.path);
    expect(paths).toContain('incompleteReason');
    expect(paths).toContain('gaps.361130101');
    expect(paths).not.toContain(`gaps.${COUNTY}`); // the county only sums its townships' gaps
    expect(paths).not.toContain(`gaps.${ZIYANG}`);
    expect(p.errors.find((e) => e.path === 'gaps.361130101')!.message).toMatch(/^清华镇/);
    const still = await t.http.get(`/accounting/runs/${run2024}`).set(as(accountant));
    expect(still.body.status).toBe('draft');
    expect(await auditEntries(run2024, 'accounting_run.publish')).toHaveLength(0);
    // a reason that says nothing is refused too
    expectProblem(
      await t.http
        .post(`/accounting/runs/${run2024}/publish`)
        .set(as(accountant))
        .send({ incompleteReason: '  ' }),
      409,
      'DATA_INCOMPLETE',
    );
  });

  it('publishes it as incomplete with a written reason, audited and shown with the run', async () => {
    const res = await t.http
      .post(`/accounting/runs/${run2024}/publish`)
      .set(as(accountant))
      .send({ incompleteReason: '2024 年仅紫阳镇报送，先行发布供内部测算' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'published',
      incompleteReason: '2024 年仅紫阳镇报送，先行发布供内部测算',
      completeness: { complete: false },
    });
    const [entry] = await auditEntries(run2024, 'accounting_run.publish');
    expect(entry.after).toMatchObject({
      complete: false,
      incompleteReason: '2024 年仅紫阳镇报送，先行发布供内部测算',
    });
  });

  it('summary: no partial sum is presented as a total — GEP and every category with a gap are null', async () => {
    const county = await t.http.get(`/accounting/runs/${run2024}/summary`).set(as(accountant));
    expect(county.status).toBe(200);
    expect(county.body.gep).toBeNull();
    expect(county.body.byCategory).toEqual({
      provisioning: null,
      regulating: null,
      cultural: null,
    });
    expect(Object.values(county.body.byService).every((v) => v === null)).toBe(true);
    expect(county.body.incomplete.length).toBeGreaterThan(0);
    expect(county.body.gaps.map((g: { path: string }) => g.path)).toContain('gaps.361130101');
    expect(county.body.run).toMatchObject({ status: 'published', complete: false });
    expect(county.body.derived.gepPerKm2).toBeNull();
    // 紫阳镇 itself is complete: its figures are exact, and the run's mark goes with them
    const zy = await t.http
      .get(`/accounting/runs/${run2024}/summary?regionCode=${ZIYANG}`)
      .set(as(accountant));
    expect(zy.body.gep).toMatch(/^\d+(\.\d+)?$/);
    expect(zy.body.incomplete).toEqual([]);
    expect(zy.body.run.complete).toBe(false);
  });

  it('ranking: a township without figures has no rank and says why', async () => {
    const res = await t.http.get(`/accounting/runs/${run2024}/ranking`).set(as(accountant));
    const ranked = res.body as { regionCode: string; rank: number | null; incomplete: string[] }[];
    expect(ranked[0]).toMatchObject({ regionCode: ZIYANG, rank: 1, incomplete: [] });
    for (const r of ranked.slice(1)) {
      expect(r.rank).toBeNull();
      expect(r.incomplete.length).toBeGreaterThan(0);
    }
  });

  it('comparison: a change over an incomplete year is refused, not computed against 0', async () => {
    const res = await t.http
      .get(`/accounting/runs/${complete2022}/compare/${run2024}`)
      .set(as(accountant));
    expectProblem(res, 409, 'DATA_INCOMPLETE');
  });

  it('the export says the run is incomplete', async () => {
    const res = await binary(
      t.http.get(`/accounting/runs/${run2024}/export?format=xlsx`).set(as(accountant)),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    const notes = wb.getWorksheet('说明')!;
    const values = notes.getSheetValues().flat().map(String);
    expect(values.some((v) => v.startsWith('不完整：'))).toBe(true);
    expect(values).toContain('2024 年仅紫阳镇报送，先行发布供内部测算');
  });

  describe('an incomplete re-run of 2022 (a new township without forms)', () => {
    beforeAll(async () => {
      await t.http
        .post('/regions')
        .set(as(admin))
        .send({ code: NEW_TOWNSHIP, name: '新建镇', level: 'township', parentCode: COUNTY })
        .expect(201);
      const draft = await t.http
        .post('/accounting/runs')
        .set(as(accountant))
        .send({ standardId: STD, regionCode: COUNTY, year: 2022 })
        .expect(201);
      incomplete2022 = draft.body.id;
    });

    it('cannot replace the complete published 2022 run without naming it', async () => {
      const withReason = await t.http
        .post(`/accounting/runs/${incomplete2022}/publish`)
        .set(as(accountant))
        .send({ incompleteReason: '新建镇尚未报送' });
      const p = expectProblem(withReason, 409, 'DATA_INCOMPLETE');
      expect(p.detail).toContain(complete2022);
      expect(p.errors.map((e) => e.path)).toEqual(
        expect.arrayContaining(['supersedes', `gaps.${NEW_TOWNSHIP}`]),
      );
      expect(p.errors.find((e) => e.path === `gaps.${NEW_TOWNSHIP}`)!.message).toMatch(/^新建镇/);
      const wrong = await t.http
        .post(`/accounting/runs/${incomplete2022}/publish`)
        .set(as(accountant))
        .send({ incompleteReason: '新建镇尚未报送', supersedes: run2024 });
      expectProblem(wrong, 409, 'DATA_INCOMPLETE');
      const old = await t.http.get(`/accounting/runs/${complete2022}`).set(as(accountant));
      expect(old.body.status).toBe('published');
    });

    it('replaces it when the accountant names the run it supersedes', async () => {
      const res = await t.http
        .post(`/accounting/runs/${incomplete2022}/publish`)
        .set(as(accountant))
        .send({ incompleteReason: '新建镇尚未报送，按上级要求先行发布', supersedes: complete2022 });
      expect(res.status).toBe(200);
      const old = await t.http.get(`/accounting/runs/${complete2022}`).set(as(accountant));
      expect(old.body).toMatchObject({ status: 'superseded', supersededBy: incomplete2022 });
    });

    const schemeOf = async (code: string, type: string, content: object) => {
      const created = await t.http
        .post('/assessment/compensation/schemes')
        .set(as(finance))
        .send({ code, name: `测试 ${code}`, type, content: { standardId: STD, ...content } });
      expect(created.status).toBe(201);
      await t.http
        .post(`/assessment/compensation/schemes/${created.body.id}/publish`)
        .set(as(finance))
        .expect(200);
      return created.body.id as string;
    };
    const compensate = async (schemeId: string, budget?: string) => {
      const res = await t.http
        .post('/assessment/compensation/runs')
        .set(as(finance))
        .send({ schemeId, regionCode: COUNTY, budgetYear: 2023, gepYear: 2022, budget });
      expect(res.status).toBe(201);
      return (
        await t.http
          .get(`/assessment/compensation/runs/${res.body.id}`)
          .set(as(finance))
          .set('accept-language', 'zh-CN')
      ).body as {
        id: string;
        budget: string | null;
        notComputable: string[];
        amounts: { regionCode: string; amount: string | null; explanation: { reason?: string } }[];
      };
    };

    it('allocation: one recipient without GEP leaves every share unknown; the run cannot be approved', async () => {
      const id = await schemeOf('test-alloc-refuse', 'budget_allocation', {
        weight: 'gep',
        source: '测试办法',
      });
      const run = await compensate(id, '5000000.00');
      expect(run.amounts).toHaveLength(18);
      expect(run.amounts.every((a) => a.amount === null)).toBe(true);
      expect(run.notComputable).toHaveLength(18);
      const mine = run.amounts.find((a) => a.regionCode === NEW_TOWNSHIP)!;
      expect(mine.explanation.reason).toMatch(/^缺少数据：GEP（无结果的指标：[^a-z]*水源涵养/);
      // in English on request: the figure by its code, the indicators by name
      const inEnglish = await t.http
        .get(`/assessment/compensation/runs/${run.id}`)
        .set(as(finance));
      const reasonEn = (
        inEnglish.body.amounts as { regionCode: string; explanation: { reason?: string } }[]
      ).find((a) => a.regionCode === NEW_TOWNSHIP)!.explanation.reason;
      expect(reasonEn).toMatch(
        /^missing figures: gep \(indicators without a result: [^a-z]*水源涵养.*\); no amount can be computed$/,
      );
      const approve = await t.http
        .post(`/assessment/compensation/runs/${run.id}/approve`)
        .set(as(finance))
        .set('accept-language', 'zh-CN');
      const p = expectProblem(approve, 409, 'DATA_INCOMPLETE');
      expect(p.errors.map((e) => e.path)).toEqual([`amounts.${NEW_TOWNSHIP}`]);
      expect(p.errors[0].message).toMatch(/^新建镇：缺少数据/);
      expect(p.detail).toMatch(/^18 个地区的补偿金额无法计算，不能批准/);
      const approveEn = expectProblem(
        await t.http.post(`/assessment/compensation/runs/${run.id}/approve`).set(as(finance)),
        409,
        'DATA_INCOMPLETE',
      );
      expect(approveEn.detail).toMatch(/^the amounts of 18 region\(s\) cannot be computed/);
      expect(approveEn.errors[0].message).toMatch(/^新建镇: missing figures: gep/);
      const after = await t.http.get(`/assessment/compensation/runs/${run.id}`).set(as(finance));
      expect(after.body.status).toBe('draft');
      // the database refuses it too
      await expect(
        t.db.query(`UPDATE compensation_runs SET status = 'approved' WHERE id = $1`, [run.id]),
      ).rejects.toThrow(/not computable/);
    });

    it('allocation: a scheme that declares its rule excludes the recipient, cites the rule, and can be approved', async () => {
      const id = await schemeOf('test-alloc-exclude', 'budget_allocation', {
        weight: 'gep',
        source: '测试办法',
        missingFigures: { rule: 'exclude', basis: '测试办法第五条：数据不全的乡镇不参与当年分配' },
      });
      const run = await compensate(id, '5000000.00');
      const mine = run.amounts.find((a) => a.regionCode === NEW_TOWNSHIP)!;
      expect(mine.amount).toBe('0.00');
      expect(mine.explanation.reason).toContain('依据方案规定：测试办法第五条');
      const total = run.amounts.reduce((s, a) => s + Math.round(Number(a.amount) * 100), 0);
      expect(total).toBe(500000000);
      await t.http
        .post(`/assessment/compensation/runs/${run.id}/approve`)
        .set(as(finance))
        .expect(200);
      approvedOnIncomplete = run.id;
      // a rule that does not fit the scheme type is refused
      const wrong = await t.http
        .post('/assessment/compensation/schemes')
        .set(as(finance))
        .send({
          code: 'test-alloc-wrong-rule',
          name: '错误规则',
          type: 'budget_allocation',
          content: {
            standardId: STD,
            weight: 'gep',
            source: '测试',
            missingFigures: { rule: 'keep_base', basis: '某条' },
          },
        });
      const p = expectProblem(wrong, 422, 'VALIDATION_FAILED');
      expect(p.errors.map((e) => e.path)).toContain('content.missingFigures.rule');
    });

    it('reward/deduction: no base is paid on a missing measure unless the scheme says so', async () => {
      const classes = [
        { label: '下降', upTo: '0', effect: 'deduction', percent: '10' },
        { label: '稳定或变好', above: '0', effect: 'none' },
      ];
      const plain = await schemeOf('test-rd-refuse', 'reward_deduction', {
        measure: 'gep_real_change',
        base: '1000000.00',
        classes,
        source: '测试办法',
      });
      const run = await compensate(plain);
      expect(run.budget).toBeNull();
      expect(run.notComputable).toEqual([NEW_TOWNSHIP]);
      expect(run.amounts.find((a) => a.regionCode === NEW_TOWNSHIP)!.amount).toBeNull();
      expectProblem(
        await t.http.post(`/assessment/compensation/runs/${run.id}/approve`).set(as(finance)),
        409,
        'DATA_INCOMPLETE',
      );
      const keep = await schemeOf('test-rd-keep', 'reward_deduction', {
        measure: 'gep_real_change',
        base: '1000000.00',
        classes,
        source: '测试办法',
        missingFigures: { rule: 'keep_base', basis: '测试办法第八条：无法考核的按基数拨付' },
      });
      const kept = await compensate(keep);
      const mine = kept.amounts.find((a) => a.regionCode === NEW_TOWNSHIP)!;
      expect(mine.amount).toBe('1000000.00');
      expect(mine.explanation.reason).toContain('依据方案规定：测试办法第八条');
      expect(kept.budget).not.toBeNull();
    });

    it('tenure evaluation over an incomplete end year: 无法评价, no score, no grade, no finding', async () => {
      const officials = await t.http
        .get(`/assessment/officials?q=${encodeURIComponent('乙某')}`)
        .set(as(auditor));
      const detail = await t.http
        .get(`/assessment/officials/${officials.body.items[0].id}`)
        .set(as(auditor));
      const tenureId = detail.body.tenures[0].id as string;
      const res = await t.http
        .post(`/assessment/officials/tenures/${tenureId}/evaluation`)
        .set(as(auditor))
        .send({});
      expect(res.status).toBe(200);
      // in office: the end is the latest published year, 2024, where only 紫阳镇 reported
      expect(res.body).toMatchObject({
        endYear: 2024,
        evaluable: false,
        conclusion: '无法评价',
        score: null,
        grade: null,
        findings: [],
      });
      expect(res.body.gep.end).toBeNull();
      expect(res.body.gep.realChange).toBeNull();
      expect(res.body.gep.effects).toBeNull();
      const gap = (res.body.gaps as { code: string; messageZh: string }[]).find(
        (g) => g.code === 'incomplete_gep',
      );
      expect(gap?.messageZh).toMatch(/^2024 年 GEP 不完整/);
      expect(gap?.messageZh).toContain('清华镇');
      // the incomplete 2022 run in between is shown as missing, not as 0
      const y2022 = (res.body.series as { year: number; gep: string | null }[]).find(
        (s) => s.year === 2022,
      );
      expect(y2022).toMatchObject({ gep: null });
      // even a ruleset that would grade anything refuses to on partial totals
      const lenient = await t.http
        .post(`/assessment/officials/tenures/${tenureId}/evaluation`)
        .set(as(auditor))
        .send({
          ruleset: {
            standardId: STD,
            score: '100',
            grades: [{ grade: '好', min: 0 }],
            triggers: [{ code: 'always', label: '总是', condition: 'years >= 0' }],
          },
        });
      expect(lenient.body).toMatchObject({ evaluable: false, grade: null, findings: [] });

      // the departure-audit report says so in place of the grade
      const report = await t.http.post('/assessment/reports').set(as(auditor)).send({ tenureId });
      expect(report.status).toBe(201);
      expect(report.body).toMatchObject({ grade: null, conclusion: '无法评价' });
      const pdf = await binary(
        t.http.get(`/assessment/reports/${report.body.id}/pdf`).set(as(auditor)),
      );
      const doc = await getDocumentProxy(new Uint8Array(pdf.body as Buffer));
      const { text } = await extractText(doc, { mergePages: true });
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain('无法评价');
      expect(flat).not.toContain('评价等级为');
      expect(flat).not.toContain('-100.00%');
      expect(flat).toContain('缺失（核算不完整）');

      // withdrawing the run the report read: the stored report shows it, unchanged
      expectProblem(
        await t.http
          .post(`/accounting/runs/${incomplete2022}/withdraw`)
          .set(as(accountant))
          .send({ reason: '新建镇数据有误' }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await t.http
          .post(`/accounting/runs/${incomplete2022}/withdraw`)
          .set(as(admin))
          .send({ reason: ' ' }),
        422,
        'VALIDATION_FAILED',
      );
      const withdrawn = await t.http
        .post(`/accounting/runs/${incomplete2022}/withdraw`)
        .set(as(admin))
        .send({ reason: '新建镇区划尚未批准，撤回重算' });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({
        status: 'withdrawn',
        withdrawnBy: 'admin',
        withdrawalReason: '新建镇区划尚未批准，撤回重算',
      });
      expect(await auditEntries(incomplete2022, 'accounting_run.withdraw')).toHaveLength(1);
      const stored = await t.http.get(`/assessment/reports/${report.body.id}`).set(as(auditor));
      expect(stored.body.sourceWithdrawn).toEqual([
        { runId: incomplete2022, year: 2022, reason: '新建镇区划尚未批准，撤回重算' },
      ]);
      expect(stored.body.contentSha256).toBe(report.body.contentSha256);
      // so does the approved compensation run that read it, its amounts unchanged
      const paid = await t.http
        .get(`/assessment/compensation/runs/${approvedOnIncomplete}`)
        .set(as(finance));
      expect(paid.body).toMatchObject({
        status: 'approved',
        sourceWithdrawn: { runId: incomplete2022, reason: '新建镇区划尚未批准，撤回重算' },
      });
      const again = await binary(
        t.http.get(`/assessment/reports/${report.body.id}/pdf`).set(as(auditor)),
      );
      const againText = (
        await extractText(await getDocumentProxy(new Uint8Array(again.body as Buffer)), {
          mergePages: true,
        })
      ).text.replace(/\s+/g, '');
      expect(againText).toContain('已被撤回');
      // a withdrawn run cannot be withdrawn again, nor published
      expectProblem(
        await t.http
          .post(`/accounting/runs/${incomplete2022}/withdraw`)
          .set(as(admin))
          .send({ reason: '再次撤回' }),
        409,
        'RUN_NOT_PUBLISHED',
      );
    });
  });
});
