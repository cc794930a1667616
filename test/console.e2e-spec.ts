import { readFileSync } from 'node:fs';
import { CONSOLE_SECURITY_HEADERS } from '../src/console/console-assets';
import { ROLES } from '../src/auth/roles';
import { CATEGORIES } from '../src/accounting/methodology/methodology-content';
import { RUN_STATUSES } from '../src/accounting/runs/accounting-run.entity';
import { FORM_STATUSES } from '../src/accounting/survey/survey-form.entity';
import { JOB_KINDS, JOB_STATUSES } from '../src/jobs/job.entity';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

/** The web console's files are served by the service itself (the browser suite drives them). */
describe('web console assets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('sends / to the console', async () => {
    const res = await t.http.get('/').expect(302);
    expect(res.headers.location).toBe('/console/');
  });

  it('serves the page in Chinese with a same-origin-only content security policy', async () => {
    const res = await t.http.get('/console/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<html lang="zh-CN">');
    for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS))
      expect(res.headers[name.toLowerCase()]).toBe(value);
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });

  it('serves its modules as JavaScript, exactly the files in console/', async () => {
    const res = await t.http.get('/console/js/app.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.text).toBe(readFileSync('console/js/app.js', 'utf8'));
  });

  it('answers a missing file with problem+json, and no path leaves the folder', async () => {
    expectProblem(await t.http.get('/console/js/missing.js'), 404);
    const res = await t.http.get('/console/..%2f..%2fpackage.json');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.text).not.toContain('"name": "gep-service"');
  });

  it('needs no token for the files, but every figure behind them does', async () => {
    await t.http.get('/console/console.css').expect(200);
    expectProblem(await t.http.get('/accounting/runs'), 401, 'UNAUTHENTICATED');
  });

  it('serves Apache ECharts from the project itself, as JavaScript, under the same policy', async () => {
    const res = await t.http.get('/console/vendor/echarts.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['content-security-policy']).toBe(
      CONSOLE_SECURITY_HEADERS['Content-Security-Policy'],
    );
    expect(String(res.text ?? res.body).length).toBeGreaterThan(500_000);
  });

  it('names every role, category and status the console shows, from the service (GET /vocabulary)', async () => {
    expectProblem(await t.http.get('/vocabulary'), 401, 'UNAUTHENTICATED');
    const token = await t.token('viewer');
    const v = await t.http.get('/vocabulary').set('authorization', `Bearer ${token}`).expect(200);
    const named = (codes: readonly string[], names: Record<string, string>) =>
      expect(codes.filter((c) => !/[\u4e00-\u9fff]/.test(names[c] ?? ''))).toEqual([]);
    named(ROLES, v.body.roles);
    named(CATEGORIES, v.body.categories);
    named(RUN_STATUSES, v.body.runStatuses);
    named(FORM_STATUSES, v.body.formStatuses);
    named(JOB_KINDS, v.body.jobKinds);
    named(JOB_STATUSES, v.body.jobStatuses);
    expect(v.body.jobKinds.run_uncertainty).toBe('不确定性与敏感性分析');
  });
});
