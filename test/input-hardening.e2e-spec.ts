import { square } from './support/geo';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

/**
 * Inputs that used to end in a 500 or slip through (issue 19): a unit without ownership, a
 * GeoJSON nested 100,000 deep, names carrying bidi overrides, zero-width characters or lone
 * surrogates. Each is a 4xx naming the field, in Chinese; a clean name is stored in NFC.
 */
describe('bad input is a 4xx naming the field, never a 500', () => {
  let t: TestApp;
  let clerk: string;
  let admin: string;
  let auditor: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await t.token('wuyuan.registrar');
    admin = await t.token('admin');
    auditor = await t.token('shangrao.auditor');
  });
  afterAll(() => t.close());

  it('a unit without ownership is 422 naming ownership', async () => {
    const res = await t.http
      .post('/registry/units')
      .set(as(clerk))
      .send({
        regionCode: '361130',
        unitType: 'forest',
        name: '无权属单元',
        boundary: square(116.1, 29.1),
        date: '2024-01-02',
      });
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(p.errors.map((e) => e.path)).toContain('ownership');
  });

  it('a registry import nested 100,000 deep fails its job with 422, not INTERNAL', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const body = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"unit"},"geometry":{"type":"Polygon","coordinates":${deep}}}]}`;
    const res = await t.http
      .post('/registry/imports?date=2024-01-02')
      .set(as(clerk))
      .set('content-type', 'application/geo+json')
      .send(body);
    expect(res.status).toBe(202);
    let job: { status: string; problem: { status: number; code: string } | null } = {
      status: 'queued',
      problem: null,
    };
    for (let i = 0; i < 400 && !['succeeded', 'failed'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await t.http.get(`/jobs/${res.body.id}`).set(as(clerk))).body;
    }
    expect(job.status).toBe('failed');
    expect(job.problem).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
  });

  const HIDDEN: [string, string][] = [
    ['a bidi override', '张\u202e三'],
    ['a zero-width space', '张\u200b三'],
    ['a zero-width joiner', '张\u200d三'],
    ['a control character', '张\u0007三'],
    ['a lone surrogate', '张\ud800三'],
  ];

  it.each(HIDDEN)(
    'refuses a name with %s, for regions, officials, parties and users',
    async (_, name) => {
      const cases = [
        t.http
          .post('/regions')
          .set(as(admin))
          .send({ code: '361130991', name, level: 'township', parentCode: '361130' }),
        t.http.post('/assessment/officials').set(as(auditor)).send({ name }),
        t.http
          .post('/registry/parties')
          .set(as(clerk))
          .send({ kind: 'individual', name, regionCode: '361130' }),
        t.http
          .post('/users')
          .set(as(admin))
          .send({
            username: 'hidden.name',
            displayName: name,
            password: 'a-long-password-2026',
            roles: ['viewer'],
          }),
      ];
      for (const res of await Promise.all(cases)) {
        const p = expectProblem(res, 422, 'VALIDATION_FAILED');
        const e = p.errors.find((x) => x.path === 'name' || x.path === 'displayName');
        expect(e?.message).toMatch(/control, bidirectional-override or zero-width|lone surrogate/);
      }
      // and in Chinese, where the console asks for it
      const zh = await t.http
        .post('/assessment/officials')
        .set(as(auditor))
        .set('accept-language', 'zh-CN')
        .send({ name });
      expect(expectProblem(zh, 422, 'VALIDATION_FAILED').errors[0].message).toMatch(
        /^name 含有(控制字符|无效的字符（孤立的代理项）)/,
      );
      const { rows } = await t.db.query(
        `SELECT 1 FROM regions WHERE code = '361130991'
       UNION ALL SELECT 1 FROM users WHERE username = 'hidden.name'`,
      );
      expect(rows).toHaveLength(0);
    },
  );

  it('stores a clean name in NFC: the same name typed two ways is one name', async () => {
    const decomposed = 'Jose\u0301 张';
    const res = await t.http
      .post('/registry/parties')
      .set(as(clerk))
      .send({ kind: 'enterprise', name: decomposed, regionCode: '361130' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Jos\u00e9 张');
  });
});
