import type { Response } from 'supertest';
import type { TestApp } from './test-app';

/**
 * Publishes the draft compensation scheme `schemeId` as `token`, runs it (`run`: regionCode,
 * budgetYear, budget…) and reads the run back in `language` — how finance tries a new scheme.
 */
export async function publishAndRun(
  t: TestApp,
  token: string,
  schemeId: string,
  run: object,
  language = 'en',
): Promise<Response> {
  const auth = { authorization: `Bearer ${token}` };
  await t.http.post(`/assessment/compensation/schemes/${schemeId}/publish`).set(auth).expect(200);
  const created = await t.http
    .post('/assessment/compensation/runs')
    .set(auth)
    .send({ schemeId, ...run });
  if (created.status !== 201)
    throw new Error(`the run was refused: ${created.status} ${JSON.stringify(created.body)}`);
  return t.http
    .get(`/assessment/compensation/runs/${created.body.id as string}`)
    .set(auth)
    .set('accept-language', language);
}
