import { expectProblem, startTestApp, TestApp } from '../support/test-app';

/**
 * Two people doing the same thing at the same moment: exactly one wins, the other gets 409, and
 * the database shows one change — no lost update, no duplicate. Each race is repeated so that a
 * window that only opens sometimes is still met.
 */
const ROUNDS = 5;
const STD = 'ndrc-nbs-2022-trial';
const PASSWORD = 'concurrency-test-2026';

describe('concurrent users', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const as = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.db.query<{ n: string }>(sql, params)).rows[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.token('admin');
    // a second statistician and a second reviewer of the same county
    for (const [username, role] of [
      ['wuyuan.stat2', 'statistician'],
      ['wuyuan.reviewer2', 'reviewer'],
    ]) {
      await t.http
        .post('/users')
        .set('authorization', `Bearer ${admin}`)
        .send({
          username,
          displayName: username,
          password: PASSWORD,
          roles: [role],
          regionCode: '361130',
        })
        .expect(201);
      tokens[username] = await t.token(username, PASSWORD);
    }
    for (const u of ['wuyuan.stat', 'wuyuan.reviewer', 'wuyuan.accountant', 'wuyuan.registrar'])
      tokens[u] = await t.token(u);
  });
  afterAll(() => t.close());

  /** The two responses of a race, the winner first; fails unless exactly one of them won. */
  function oneWins<R extends { status: number }>(responses: R[], ok: number): [R, R] {
    const sorted = [...responses].sort((a, b) => a.status - b.status);
    expect(sorted.map((r) => r.status)).toEqual([ok, 409]);
    expectProblem(sorted[1] as never, 409);
    return sorted as [R, R];
  }

  const openForm = async (year: number) => {
    const res = await t.http
      .post('/survey/forms')
      .set(as('wuyuan.stat'))
      .send({ standardId: STD, department: '林业局', regionCode: '361130', year });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('two statisticians save the same value of the same revision: one is stored, the other is told', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const formId = await openForm(2030 + round);
      const save = (user: string, value: string) =>
        t.http
          .put(`/survey/forms/${formId}/values`)
          .set(as(user))
          .send({ revision: 1, values: [{ variable: 'stand_height', value }] });
      const [won] = oneWins(
        await Promise.all([save('wuyuan.stat', '11'), save('wuyuan.stat2', '22')]),
        200,
      );
      const stored = await t.db.query<{ value: string; updated_by: string }>(
        `SELECT value::text, updated_by FROM survey_values WHERE form_id = $1 AND variable = 'stand_height'`,
        [formId],
      );
      expect(stored.rows).toHaveLength(1);
      const winner = won.body.form?.updatedBy ?? stored.rows[0].updated_by;
      expect(stored.rows[0]).toEqual({
        value: winner === 'wuyuan.stat' ? '11' : '22',
        updated_by: winner,
      });
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE entity_id = $1 AND action LIKE '%values%'`,
          [formId],
        ),
      ).toBe(1);
    }
  });

  it('two reviewers approve the same form: one approval, one 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const formId = await openForm(2040 + round);
      await t.http
        .put(`/survey/forms/${formId}/values`)
        .set(as('wuyuan.stat'))
        .send({ revision: 1, values: [{ variable: 'stand_height', value: '12' }] })
        .expect(200);
      await t.http
        .post(`/survey/forms/${formId}/submit`)
        .set(as('wuyuan.stat'))
        .send({ revision: 2 })
        .expect(200);
      const approve = (user: string) =>
        t.http.post(`/survey/forms/${formId}/approve`).set(as(user)).send({ revision: 3 });
      oneWins(await Promise.all([approve('wuyuan.reviewer'), approve('wuyuan.reviewer2')]), 200);
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE entity_id = $1 AND action LIKE '%approve%'`,
          [formId],
        ),
      ).toBe(1);
      const form = await t.db.query(`SELECT status, revision FROM survey_forms WHERE id = $1`, [
        formId,
      ]);
      expect(form.rows[0]).toEqual({ status: 'approved', revision: 4 });
    }
  });

  it('two runs of the same year published at once: one is published, the other gets 409', async () => {
    const draft = async (year: number) => {
      const res = await t.http
        .post('/accounting/runs')
        .set(as('wuyuan.accountant'))
        .send({ standardId: STD, regionCode: '361130', year });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    // 2025 has no demo forms: each run is published as incomplete, with the reason
    const publish = (id: string) =>
      t.http
        .post(`/accounting/runs/${id}/publish`)
        .set(as('wuyuan.accountant'))
        .send({ incompleteReason: '并发测试：2025 年无报表' });
    const published = (year: number) =>
      count(
        `SELECT count(*) AS n FROM accounting_runs WHERE standard_id = $1 AND root_region_code = '361130' AND year = $2 AND status = 'published'`,
        [STD, year],
      );
    for (let round = 0; round < ROUNDS; round++) {
      // the first round on a year with no published run yet, the later ones superseding it
      const year = 2025;
      const [a, b] = [await draft(year), await draft(year)];
      oneWins(await Promise.all([publish(a), publish(b)]), 200);
      expect(await published(year)).toBe(1);
    }
    const superseded = await t.db.query<{ superseded_by: string | null }>(
      `SELECT superseded_by FROM accounting_runs WHERE year = 2025 AND status = 'superseded'`,
    );
    expect(superseded.rows).toHaveLength(ROUNDS - 1);
    expect(superseded.rows.every((r) => r.superseded_by !== null)).toBe(true);
  });

  it('two transfers of the same right at once: one successor right, one 409', async () => {
    // the demo's 林地经营权 of 王 in 晓起村 (its mortgage ended 2025-03-01)
    const { rows } = await t.db.query<{ id: string; party_id: string }>(
      `SELECT r.id, h.party_id FROM registry_rights r JOIN registry_right_holders h ON h.right_id = r.id
        WHERE r.right_type = 'forest_land_management' AND r.ended_entry_id IS NULL LIMIT 1`,
    );
    expect(rows).toHaveLength(1);
    const [{ id: rightId, party_id: seller }] = rows;
    const buyers: string[] = [];
    for (const name of ['买受人甲', '买受人乙']) {
      const res = await t.http
        .post('/registry/parties')
        .set(as('wuyuan.registrar'))
        .send({ kind: 'individual', name });
      expect(res.status).toBe(201);
      buyers.push(res.body.id as string);
    }
    const transfer = (toPartyId: string) =>
      t.http
        .post(`/registry/rights/${rightId}/transfer`)
        .set(as('wuyuan.registrar'))
        .send({
          kind: 'transfer',
          fromPartyId: seller,
          toPartyId,
          date: '2025-06-01',
          document: { type: '转让合同' },
        });
    oneWins(await Promise.all(buyers.map(transfer)), 201);
    expect(
      await count(`SELECT count(*) AS n FROM registry_rights WHERE derived_from_right_id = $1`, [
        rightId,
      ]),
    ).toBe(1);
    expect(
      await count(
        `SELECT count(*) AS n FROM registry_right_holders h JOIN registry_rights r ON r.id = h.right_id
          WHERE r.derived_from_right_id = $1 AND h.party_id = ANY($2)`,
        [rightId, buyers],
      ),
    ).toBe(1);
  });
});
