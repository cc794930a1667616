import { expectProblem, startTestApp, TestApp } from './support/test-app';

const STD = 'ndrc-nbs-2022-trial';

describe('validation rules on submission', () => {
  let t: TestApp;
  let stat: string;
  let reviewer: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await startTestApp();
    stat = await t.token('wuyuan.stat');
    reviewer = await t.token('wuyuan.reviewer');
  });
  afterAll(() => t.close());

  const open = async (department: string, year: number) =>
    (
      await t.http
        .post('/survey/forms')
        .set(as(stat))
        .send({ standardId: STD, department, regionCode: '361130', year })
        .expect(201)
    ).body.id as string;
  const save = (id: string, revision: number, values: object[]) =>
    t.http.put(`/survey/forms/${id}/values`).set(as(stat)).send({ revision, values }).expect(200);

  it('blocks submission on errors, naming region, year, variable and rule; passes once fixed', async () => {
    const id = await open('气象局', 2024);
    await save(id, 1, [
      { variable: 'precipitation', item: 'forest', value: '9000' },
      { variable: 'actual_wind_erosion', item: 'farmland', value: '500' },
      { variable: 'potential_wind_erosion', item: 'farmland', value: '100' },
    ]);
    const checks = await t.http.get(`/survey/forms/${id}/checks`).set(as(reviewer));
    expect(checks.body.map((c: { rule: string }) => c.rule).sort()).toEqual([
      'precipitation_range',
    ]);
    const p = expectProblem(
      await t.http.post(`/survey/forms/${id}/submit`).set(as(stat)).send({ revision: 2 }),
      422,
      'VALIDATION_FAILED',
    );
    expect(p.errors).toEqual([
      {
        path: 'rules.precipitation_range',
        message:
          '361130 2024 precipitation[forest] = 9000 mm is outside 0…5000 mm (rule precipitation_range: 年降水量应在 0–5000 mm 之间)',
      },
    ]);
    // once every item of both wind-erosion variables is reported, the comparison applies
    const items = [
      'forest',
      'shrub',
      'grassland',
      'wetland',
      'farmland',
      'urban',
      'glacier_snow',
      'bare_land',
      'water',
    ];
    await save(id, 2, [
      { variable: 'precipitation', item: 'forest', value: '1850' },
      ...items.map((item) => ({
        variable: 'actual_wind_erosion',
        item,
        value: item === 'farmland' ? '500' : '0',
      })),
      ...items.map((item) => ({
        variable: 'potential_wind_erosion',
        item,
        value: item === 'farmland' ? '100' : '0',
      })),
    ]);
    const p2 = expectProblem(
      await t.http.post(`/survey/forms/${id}/submit`).set(as(stat)).send({ revision: 3 }),
      422,
      'VALIDATION_FAILED',
    );
    expect(p2.errors).toEqual([
      {
        path: 'rules.wind_erosion_order',
        message: expect.stringContaining(
          'actual_wind_erosion = 500 must be <= potential_wind_erosion = 100 t',
        ),
      },
    ]);
    await save(id, 3, [{ variable: 'potential_wind_erosion', item: 'farmland', value: '800' }]);
    await t.http.post(`/survey/forms/${id}/submit`).set(as(stat)).send({ revision: 4 }).expect(200);
  });

  it('asks for an explanation of a warning (year-on-year change) and records it', async () => {
    const y2023 = await open('文旅局', 2023);
    await save(y2023, 1, [
      { variable: 'tourist_visits', value: '100' },
      { variable: 'spending_per_visit', value: '800' },
    ]);
    await t.http
      .post(`/survey/forms/${y2023}/submit`)
      .set(as(stat))
      .send({ revision: 2 })
      .expect(200);
    await t.http
      .post(`/survey/forms/${y2023}/approve`)
      .set(as(reviewer))
      .send({ revision: 3 })
      .expect(200);

    const y2024 = await open('文旅局', 2024);
    await save(y2024, 1, [
      { variable: 'tourist_visits', value: '1.5', unit: '百万人次' },
      { variable: 'spending_per_visit', value: '820' },
    ]);
    const p = expectProblem(
      await t.http.post(`/survey/forms/${y2024}/submit`).set(as(stat)).send({ revision: 2 }),
      422,
      'VALIDATION_FAILED',
    );
    expect(p.errors).toEqual([
      {
        path: 'explanations.visits_yoy',
        message: expect.stringContaining(
          'tourist_visits changed by 50 % from 2023 (100 → 150 万人次); at most 30 % expected',
        ),
      },
    ]);
    expectProblem(
      await t.http
        .post(`/survey/forms/${y2024}/submit`)
        .set(as(stat))
        .send({ revision: 2, explanations: { visits_yoy: 42 } }),
      422,
      'VALIDATION_FAILED',
    );
    await t.http
      .post(`/survey/forms/${y2024}/submit`)
      .set(as(stat))
      .send({ revision: 2, explanations: { visits_yoy: '2024 年新开放景区三处' } })
      .expect(200);
    const history = await t.http.get(`/survey/forms/${y2024}/history`).set(as(reviewer));
    const submit = history.body.find((h: { action: string }) => h.action === 'survey_form.submit');
    expect(submit.after.warnings).toEqual([
      { rule: 'visits_yoy', message: expect.any(String), explanation: '2024 年新开放景区三处' },
    ]);
  });
});
