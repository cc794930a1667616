import { removalAfterOpenWrite } from './support/reference-check';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

const STD = 'ndrc-nbs-2022-trial';

describe('survey forms and review', () => {
  let t: TestApp;
  let stat: string;
  let township: string;
  let reviewer: string;
  beforeAll(async () => {
    t = await startTestApp();
    stat = await t.token('wuyuan.stat');
    township = await t.token('ziyang.stat');
    reviewer = await t.token('wuyuan.reviewer');
  });
  afterAll(() => t.close());
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const valueRows = async (formId: string) =>
    Number(
      (await t.db.query('SELECT count(*) FROM survey_values WHERE form_id = $1', [formId])).rows[0]
        .count,
    );

  let formId: string;

  it('opens a 林业局 form for 婺源县 2021 listing the department’s variables with their units and items', async () => {
    const res = await t.http
      .post('/survey/forms')
      .set(as(stat))
      .send({ standardId: STD, department: '林业局', regionCode: '361130', year: 2024 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'draft', revision: 1, createdBy: 'wuyuan.stat' });
    formId = res.body.id;
    const form = await t.http.get(`/survey/forms/${formId}`).set(as(stat));
    const carbon = form.body.variables.find((v: { code: string }) => v.code === 'carbon_fixed');
    expect(carbon).toMatchObject({ unit: 'tC', index: 'ecosystem' });
    expect(carbon.items.map((i: { code: string }) => i.code)).toContain('forest');
    expect(
      form.body.variables.every((v: { department: string }) => v.department === '林业局'),
    ).toBe(true);
    expectProblem(
      await t.http
        .post('/survey/forms')
        .set(as(stat))
        .send({ standardId: STD, department: '林业局', regionCode: '361130', year: 2024 }),
      409,
      'DUPLICATE',
    );
  });

  it('keeps a township statistician to the township, and names the departments a standard has', async () => {
    expectProblem(
      await t.http
        .post('/survey/forms')
        .set(as(township))
        .send({ standardId: STD, department: '林业局', regionCode: '361130101', year: 2024 }),
      403,
      'OUT_OF_REGION_SCOPE',
    );
    // the refusal names what was asked for and the caller's scope, as people know them
    const county = expectProblem(
      await t.http.get(`/survey/forms/${formId}`).set(as(township)),
      403,
      'OUT_OF_REGION_SCOPE',
    );
    expect(county.detail).toBe(
      'the form belongs to 婺源县 (361130), outside your scope (紫阳镇 (361130100))',
    );
    expect(county.errors).toEqual([
      { path: 'id', message: 'outside your region scope (紫阳镇 (361130100))' },
    ]);
    const zh = await t.http
      .get(`/survey/forms/${formId}`)
      .set(as(township))
      .set('accept-language', 'zh-CN');
    expect(expectProblem(zh, 403, 'OUT_OF_REGION_SCOPE').detail).toBe(
      '该报表属于婺源县（361130），不在您的地区权限范围（紫阳镇（361130100））内',
    );
    const p = expectProblem(
      await t.http
        .post('/survey/forms')
        .set(as(stat))
        .send({ standardId: STD, department: '宣传部', regionCode: '361130', year: 2024 }),
      422,
      'VALIDATION_FAILED',
    );
    expect(p.errors[0]).toMatchObject({
      path: 'department',
      message: expect.stringContaining('林业局'),
    });
    expectProblem(
      await t.http.post('/survey/forms').set(as(stat)).send({
        standardId: 'no-such-standard',
        department: '林业局',
        regionCode: '361130',
        year: 2024,
      }),
      422,
      'VALIDATION_FAILED',
    );
  });

  it('refuses a batch with any bad entry, listing every problem, and stores nothing', async () => {
    const res = await t.http
      .put(`/survey/forms/${formId}/values`)
      .set(as(stat))
      .send({
        revision: 1,
        values: [
          { variable: 'stand_height', value: '12.5' },
          { variable: 'precipitation', item: 'forest', value: '1800' },
          { variable: 'carbon_fixed', item: 'moon', value: '1' },
          { variable: 'ion_lifetime', value: '10', unit: 'm' },
          { variable: 'stand_height', value: 'twelve' },
          { variable: 'carbon_fixed', value: '5' },
        ],
      });
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(p.errors).toEqual([
      { path: 'values[1].variable', message: `precipitation is not on the 林业局 form of ${STD}` },
      {
        path: 'values[2].item',
        message: expect.stringMatching(
          /^carbon_fixed is given per ecosystem: item must be one of forest, shrub/,
        ),
      },
      { path: 'values[3].unit', message: 'ion_lifetime is in min (s); m (m) is not compatible' },
      {
        path: 'values[4].value',
        message: '"twelve" is not a number; leave it empty if not reported',
      },
      { path: 'values[4].variable', message: 'stand_height is given twice' },
      {
        path: 'values[5].item',
        message: expect.stringMatching(/carbon_fixed is given per ecosystem/),
      },
    ]);
    expect(await valueRows(formId)).toBe(0);
  });

  it('stores values as entered (compatible units, explicit zero, null = not reported) and refuses a stale revision', async () => {
    const res = await t.http
      .put(`/survey/forms/${formId}/values`)
      .set(as(stat))
      .send({
        revision: 1,
        values: [
          {
            variable: 'carbon_fixed',
            item: 'forest',
            value: '52',
            unit: '万tC',
            source: '2021 森林资源二类调查',
          },
          { variable: 'carbon_fixed', item: 'urban', value: '0' },
          { variable: 'stand_height', value: null, note: '未监测' },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(2);
    const form = await t.http.get(`/survey/forms/${formId}`).set(as(stat));
    expect(form.body.values).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          variable: 'carbon_fixed',
          item: 'forest',
          value: '52',
          unit: '万tC',
          source: '2021 森林资源二类调查',
        }),
        expect.objectContaining({
          variable: 'carbon_fixed',
          item: 'urban',
          value: '0',
          unit: 'tC',
        }),
        expect.objectContaining({ variable: 'stand_height', item: '', value: null }),
      ]),
    );
    expectProblem(
      await t.http
        .put(`/survey/forms/${formId}/values`)
        .set(as(stat))
        .send({ revision: 1, values: [{ variable: 'stand_height', value: '1' }] }),
      409,
      'STALE_REVISION',
    );
  });

  it('lets exactly one of two concurrent edits of the same revision win', async () => {
    const edit = (v: string) =>
      t.http
        .put(`/survey/forms/${formId}/values`)
        .set(as(stat))
        .send({ revision: 2, values: [{ variable: 'ion_lifetime', value: v }] });
    const statuses = (await Promise.all([edit('1'), edit('2')])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
  });

  it('runs submit → return → fix → submit → approve; approved values are locked; a correction reopens with a reason', async () => {
    const rev = async () =>
      (await t.http.get(`/survey/forms/${formId}`).set(as(stat))).body.form.revision as number;
    let r = await t.http
      .post(`/survey/forms/${formId}/submit`)
      .set(as(stat))
      .send({ revision: await rev() });
    expect(r.body).toMatchObject({ status: 'submitted', submittedBy: 'wuyuan.stat' });
    expectProblem(
      await t.http
        .put(`/survey/forms/${formId}/values`)
        .set(as(stat))
        .send({ revision: await rev(), values: [] }),
      409,
      'FORM_LOCKED',
    );
    await expect(
      t.db.query(
        "UPDATE survey_values SET value = 1 WHERE form_id = $1 AND variable = 'carbon_fixed'",
        [formId],
      ),
    ).rejects.toThrow(/values are locked/);
    expectProblem(
      await t.http
        .post(`/survey/forms/${formId}/approve`)
        .set(as(stat))
        .send({ revision: await rev() }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await t.http
        .post(`/survey/forms/${formId}/return`)
        .set(as(reviewer))
        .send({ revision: await rev(), comment: '' }),
      422,
      'VALIDATION_FAILED',
    );

    r = await t.http
      .post(`/survey/forms/${formId}/return`)
      .set(as(reviewer))
      .send({ revision: await rev(), comment: '林分高度缺失，请补报' });
    expect(r.body).toMatchObject({
      status: 'returned',
      comment: '林分高度缺失，请补报',
      reviewedBy: 'wuyuan.reviewer',
    });
    await t.http
      .put(`/survey/forms/${formId}/values`)
      .set(as(stat))
      .send({ revision: await rev(), values: [{ variable: 'stand_height', value: '12.5' }] })
      .expect(200);
    await t.http
      .post(`/survey/forms/${formId}/submit`)
      .set(as(stat))
      .send({ revision: await rev() })
      .expect(200);
    r = await t.http
      .post(`/survey/forms/${formId}/approve`)
      .set(as(reviewer))
      .send({ revision: await rev() });
    expect(r.body).toMatchObject({ status: 'approved', comment: null });

    expectProblem(
      await t.http
        .put(`/survey/forms/${formId}/values`)
        .set(as(stat))
        .send({ revision: await rev(), values: [] }),
      409,
      'FORM_LOCKED',
    );
    expectProblem(
      await t.http
        .post(`/survey/forms/${formId}/approve`)
        .set(as(reviewer))
        .send({ revision: await rev() }),
      409,
      'STATE_NOT_ALLOWED',
    );
    r = await t.http
      .post(`/survey/forms/${formId}/correct`)
      .set(as(stat))
      .send({ revision: await rev(), reason: '二类调查数据更新' });
    expect(r.body).toMatchObject({ status: 'draft', corrections: 1, comment: '二类调查数据更新' });

    const history = await t.http.get(`/survey/forms/${formId}/history`).set(as(reviewer));
    expect(history.body.map((h: { action: string }) => h.action)).toEqual([
      'survey_form.create',
      'survey_form.save_values',
      'survey_form.save_values',
      'survey_form.submit',
      'survey_form.return',
      'survey_form.save_values',
      'survey_form.submit',
      'survey_form.approve',
      'survey_form.correct',
    ]);
    const firstSave = history.body[1].after.changes;
    expect(firstSave).toEqual(
      expect.arrayContaining([
        {
          variable: 'carbon_fixed',
          item: 'forest',
          from: null,
          to: { value: '52', unit: '万tC' },
          source: '2021 森林资源二类调查',
        },
      ]),
    );
  });

  it("opens a year's forms for every township and department in one step, once", async () => {
    const count = async (year: number) =>
      Number(
        (
          await t.db.query(
            `SELECT count(*) FROM survey_forms f JOIN regions r ON r.code = f.region_code
              WHERE f.year = $1 AND r.level = 'township' AND r.code LIKE '361130%'`,
            [year],
          )
        ).rows[0].count,
      );
    const audits = async () =>
      Number(
        (await t.db.query(`SELECT count(*) FROM audit_log WHERE action = 'survey_form.create'`))
          .rows[0].count,
      );
    const before = await audits();
    const open = (body: object, token = stat) =>
      t.http.post('/survey/forms/open-year').set(as(token)).send(body);
    const res = await open({ standardId: STD, regionCode: '361130', year: 2031 });
    expect(res.status).toBe(201);
    const townships = res.body.regions.length;
    const departments = res.body.departments.length;
    expect(townships).toBe(17);
    expect(res.body.departments).toEqual(expect.arrayContaining(['林业局', '统计局', '水利局']));
    expect(res.body).toMatchObject({ created: townships * departments, existing: 0 });
    expect(await count(2031)).toBe(townships * departments);
    expect(await audits()).toBe(before + townships * departments);
    // again: nothing new, nothing changed
    const again = await open({ standardId: STD, regionCode: '361130', year: 2031 });
    expect(again.body).toMatchObject({ created: 0, existing: townships * departments });
    expect(await count(2031)).toBe(townships * departments);
    // one department, one township (the township statistician's own)
    const one = await open(
      { standardId: STD, regionCode: '361130100', year: 2032, departments: ['林业局'] },
      township,
    );
    expect(one.body).toMatchObject({ created: 1, existing: 0, departments: ['林业局'] });
    // a department that reports nothing: named, nothing written
    const bad = expectProblem(
      await open({ standardId: STD, regionCode: '361130', year: 2033, departments: ['气象局x'] }),
      422,
      'VALIDATION_FAILED',
    );
    expect(bad.errors[0].path).toBe('departments[0]');
    expect(await count(2033)).toBe(0);
    // outside the township statistician's scope
    expectProblem(
      await open({ standardId: STD, regionCode: '361130', year: 2034 }, township),
      403,
      'OUT_OF_REGION_SCOPE',
    );
  });

  it('keeps every value on an existing form, checked once per statement: no value names a missing form, and a form with values is not deleted, even by a deletion that waited for them', async () => {
    const newForm = async (year: number) =>
      (
        await t.db.query<{ id: string }>(
          `INSERT INTO survey_forms (standard_id, department, region_code, year, status, created_by)
           VALUES ($1, '统计局', '361130', $2, 'draft', 'test') RETURNING id`,
          [STD, year],
        )
      ).rows[0].id;
    const valueFor = (form: string, variable = 'carbon_fixed') =>
      `INSERT INTO survey_values (form_id, variable, item, value, unit, updated_by)
       VALUES ('${form}', '${variable}', '', 1, 't', 'test')`;
    const refusal = (e: { code?: string; constraint?: string; detail?: string }) => ({
      code: e.code,
      constraint: e.constraint,
      detail: e.detail,
    });
    const first = await newForm(1990);
    const missing = '00000000-0000-4000-8000-00000000abcd';

    // one row of a statement names no form: the whole statement is refused, under the FK's name
    const mixed = await t.db
      .query(`${valueFor(first, 'a')}, ('${missing}', 'b', '', 1, 't', 'test')`)
      .then(() => null, refusal);
    expect(mixed).toEqual({
      code: '23503',
      constraint: 'survey_values_form_fk',
      detail: `Key (form_id)=(${missing}) is not present in table "survey_forms".`,
    });
    expect(
      (await t.db.query('SELECT 1 FROM survey_values WHERE form_id = $1', [first])).rowCount,
    ).toBe(0);
    // nor can a value move to a missing form
    await t.db.query(valueFor(first));
    const moved = await t.db
      .query(`UPDATE survey_values SET form_id = '${missing}' WHERE form_id = $1`, [first])
      .then(() => null, refusal);
    expect(moved).toMatchObject({ code: '23503', constraint: 'survey_values_form_fk' });

    // a form with values is not deleted (the problem filter reads the detail as "still in use")
    const deleted = await t.db
      .query('DELETE FROM survey_forms WHERE id = $1', [first])
      .then(() => null, refusal);
    expect(deleted).toEqual({
      code: '23503',
      constraint: 'survey_values_form_fk',
      detail: `Key (id)=(${first}) is still referenced from table "survey_values".`,
    });

    // a value written in an open transaction holds its form: the deletion waits, then is refused
    const second = await newForm(1991);
    expect(
      await removalAfterOpenWrite(t.dbUrl, valueFor(second), {
        sql: 'DELETE FROM survey_forms WHERE id = $1',
        params: [second],
      }),
    ).toEqual({ waited: true, outcome: '23503' });

    // a form without values is deleted, and a value for it is then refused
    const third = await newForm(1992);
    await t.db.query('DELETE FROM survey_forms WHERE id = $1', [third]);
    const late = await t.db.query(valueFor(third)).then(() => null, refusal);
    expect(late).toMatchObject({ code: '23503', constraint: 'survey_values_form_fk' });
    await t.db.query('DELETE FROM survey_values WHERE form_id IN ($1, $2)', [first, second]);
    await t.db.query('DELETE FROM survey_forms WHERE id IN ($1, $2)', [first, second]);
  });

  it('lists forms in scope, filtered and paginated', async () => {
    const list = await t.http
      .get(`/survey/forms?standardId=${STD}&year=2024&status=draft`)
      .set(as(reviewer));
    expect(list.body.total).toBe(1);
    expect(list.body.items[0].id).toBe(formId);
    const none = await t.http.get('/survey/forms?year=2024').set(as(township));
    expect(none.body.total).toBe(0);
  });
});
