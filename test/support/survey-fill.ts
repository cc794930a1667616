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
