import { startTestApp, TestApp } from './support/test-app';
describe('dbg', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());
  for (const body of ['\u0000']) {
    it(`imports NUL`, async () => {
      const token = await t.token('admin');
      const res = await t.http.post('/registry/imports').set('authorization', `Bearer ${token}`).set('content-type', 'application/geo+json').send(body);
      process.stdout.write(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}\n`);
      if (res.status !== 202) return;
      for (let i = 0; i < 60; i++) {
        const job = (await t.http.get(`/jobs/${res.body.id}`).set('authorization', `Bearer ${token}`)).body;
        if (job.status === 'failed' || job.status === 'succeeded') { process.stdout.write(`${job.status} ${JSON.stringify(job.problem).slice(0, 300)}\n`); return; }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('stuck');
    });
  }
});
