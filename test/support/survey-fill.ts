import { demoNationalInputs } from '../../seeds/demo/national-inputs';
import { NDRC_NBS_2022_TRIAL } from '../../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { TestApp } from './test-app';

/**
 * Enters the demo national inputs for a region and year through the API, one form per
 * department, and has them submitted and approved — as a statistician and a reviewer would.
 */
export async function fillApprovedForms(
  t: TestApp,
  statToken: string,
  reviewerToken: string,
  regionCode: string,
  year: number,
  k: number,
): Promise<void> {
  const inputs = demoNationalInputs(k);
  const departments = [...new Set(NDRC_NBS_2022_TRIAL.variables.map((v) => v.department!))];
  const as = (tok: string) => ({ authorization: `Bearer ${tok}` });
  for (const department of departments) {
    const vars = NDRC_NBS_2022_TRIAL.variables.filter((v) => v.department === department);
    const values = vars.flatMap((v) => {
      const x = inputs[v.code].value;
      return typeof x === 'object' && x !== null
        ? Object.entries(x as Record<string, string>).map(([item, value]) => ({
            variable: v.code,
            item,
            value,
          }))
        : [{ variable: v.code, value: x as string }];
    });
    const form = await t.http
      .post('/survey/forms')
      .set(as(statToken))
      .send({ standardId: 'ndrc-nbs-2022-trial', department, regionCode, year });
    if (form.status !== 201)
      throw new Error(`form ${department}: ${form.status} ${JSON.stringify(form.body)}`);
    const saved = await t.http
      .put(`/survey/forms/${form.body.id}/values`)
      .set(as(statToken))
      .send({ revision: 1, values });
    if (saved.status !== 200)
      throw new Error(`values ${department}: ${saved.status} ${JSON.stringify(saved.body)}`);
    await t.http
      .post(`/survey/forms/${form.body.id}/submit`)
      .set(as(statToken))
      .send({ revision: 2 })
      .expect(200);
    await t.http
      .post(`/survey/forms/${form.body.id}/approve`)
      .set(as(reviewerToken))
      .send({ revision: 3 })
      .expect(200);
  }
}

/**
 * One form entered, submitted and approved through the API (a statistician of 紫阳镇's county and
 * its reviewer), with the given values: what the accounting tests start from.
 */
export async function approvedForm(
  t: TestApp,
  form: { standardId: string; department: string; regionCode: string; year: number },
  values: readonly { variable: string; value: string; item?: string }[],
): Promise<string> {
  const as = async (username: string) => ({
    authorization: `Bearer ${await t.token(username)}`,
  });
  const stat = await as('ziyang.stat');
  const reviewer = await as('wuyuan.reviewer');
  const f = await t.http.post('/survey/forms').set(stat).send(form).expect(201);
  await t.http
    .put(`/survey/forms/${f.body.id}/values`)
    .set(stat)
    .send({ revision: 1, values })
    .expect(200);
  await t.http
    .post(`/survey/forms/${f.body.id}/submit`)
    .set(stat)
    .send({ revision: 2 })
    .expect(200);
  await t.http
    .post(`/survey/forms/${f.body.id}/approve`)
    .set(reviewer)
    .send({ revision: 3 })
    .expect(200);
  return f.body.id as string;
}
