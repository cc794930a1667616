import { D } from '../src/common/decimal';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

interface Interval {
  value: string | null;
  mean: string | null;
  p05: string | null;
  p50: string | null;
  p95: string | null;
  min: string | null;
  max: string | null;
}

/** GEP with its uncertainty, on the demo's published county run (ndrc-nbs-2022-trial, 婺源县). */
describe('uncertainty of a run (Monte Carlo over parameter ranges, sensitivity)', () => {
  let t: TestApp;
  let token: string;
  let runId: string;
  const as = (x: string) => ({ authorization: `Bearer ${x}` });

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token('wuyuan.accountant');
    const runs = await t.http
      .get('/accounting/runs?standardId=ndrc-nbs-2022-trial&regionCode=361130&pageSize=100')
      .set(as(token))
      .expect(200);
    runId = (runs.body.items as { id: string; rootRegionCode: string; status: string }[]).find(
      (r) => r.rootRegionCode === '361130' && r.status === 'published',
    )!.id;
  });
  afterAll(() => t.close());

  async function result(body: object, who = token): Promise<Record<string, unknown>> {
    const res = await t.http
      .post(`/accounting/runs/${runId}/uncertainty`)
      .set(as(who))
      .send(body)
      .expect(202);
    expect(res.headers.location).toBe(`/jobs/${res.body.id}`);
    for (let i = 0; i < 600; i++) {
      const job = await t.http.get(`/jobs/${res.body.id}`).set(as(who)).expect(200);
      if (job.body.status === 'succeeded') return job.body.result;
      if (job.body.status === 'failed') throw new Error(JSON.stringify(job.body.problem));
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the job did not finish');
  }

  it('gives GEP an interval from the parameters’ ranges and ranks what moves it most', async () => {
    const r = await result({ draws: 200, seed: 7 });
    expect(r).toMatchObject({
      method: 'monte_carlo',
      distribution: 'triangular(low, value, high)',
      draws: 200,
      seed: 7,
      regionCode: '361130',
    });
    const params = (r.parameters as { code: string }[]).map((p) => p.code);
    expect(params).toEqual(expect.arrayContaining(['carbon_price', 'latent_heat']));
    const summary = await t.http.get(`/accounting/runs/${runId}/summary`).set(as(token));
    const gep = r.gep as Interval;
    // the run's own figure, rounded once to 分
    expect(gep.value).toBe(new D(summary.body.gep).toDecimalPlaces(2).toFixed(2));
    const n = (x: string | null) => Number(x);
    expect(n(gep.min)).toBeLessThanOrEqual(n(gep.p05));
    expect(n(gep.p05)).toBeLessThanOrEqual(n(gep.p50));
    expect(n(gep.p50)).toBeLessThanOrEqual(n(gep.p95));
    expect(n(gep.p95)).toBeLessThanOrEqual(n(gep.max));
    expect(n(gep.max)).toBeGreaterThan(n(gep.min)); // the ranges do move it
    // every township has its interval, and the regulating services carry the uncertainty
    expect(Object.keys(r.byRegion as object)).toContain('361130100');
    expect((r.byCategory as Record<string, Interval>).regulating.p95).not.toBeNull();
    const tornado = r.sensitivity as { parameter: string; swing: string | null }[];
    const swings = tornado.map((s) => Number(s.swing));
    expect(swings).toEqual([...swings].sort((a, b) => b - a));
    // the price of carbon moves county GEP; the oxygen price moves nothing counted (释氧 is not)
    expect(Number(tornado.find((s) => s.parameter === 'carbon_price')!.swing)).toBeGreaterThan(0);
    const oxygen = tornado.find((s) => s.parameter === 'oxygen_price');
    if (oxygen) expect(oxygen.swing).toBe('0.00');
  });

  it('is reproducible to the digit: same run, draws and seed give the same figures', async () => {
    const [a, b] = [await result({ draws: 100, seed: 42 }), await result({ draws: 100, seed: 42 })];
    expect(b).toEqual(a);
    const c = await result({ draws: 100, seed: 43 });
    expect((c.gep as Interval).p50).not.toBe((a.gep as Interval).p50);
  });

  it('refuses bad requests at the field, in Chinese', async () => {
    const bad = expectProblem(
      await t.http
        .post(`/accounting/runs/${runId}/uncertainty`)
        .set(as(token))
        .set('accept-language', 'zh-CN')
        .send({ draws: 5, seed: -1 }),
      422,
      'VALIDATION_FAILED',
    );
    expect((bad.errors as { path: string; message: string }[]).map((e) => e.path).sort()).toEqual([
      'draws',
      'seed',
    ]);
    expect((bad.errors as { message: string }[])[0].message).toMatch(
      /draws 至少为 100|seed 不能为负数/,
    );
  });
});
