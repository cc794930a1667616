import { expectProblem, startTestApp, TestApp } from './support/test-app';

describe('user administration', () => {
  let t: TestApp;
  let admin: string;
  let countyAdmin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('admin');
    countyAdmin = await t.token('wuyuan.admin');
  });
  afterAll(() => t.close());

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  it('creates a township statistician who can sign in; the hash never leaves the server', async () => {
    const res = await t.http
      .post('/users')
      .set(auth(countyAdmin))
      .send({
        username: 'qinghua.stat',
        displayName: '清华镇统计员',
        password: 'qinghua-pass-1',
        roles: ['statistician'],
        regionCode: '361130101',
      });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('passwordHash');
    expect(res.body.version).toBe(1);
    const login = await t.http
      .post('/auth/login')
      .send({ username: 'qinghua.stat', password: 'qinghua-pass-1' });
    expect(login.status).toBe(200);
    const log = await t.db.query(
      "SELECT after FROM audit_log WHERE action = 'user.create' AND entity_id = $1",
      [res.body.id],
    );
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0].after).not.toHaveProperty('passwordHash');
    const stored = await t.db.query('SELECT password_hash FROM users WHERE id = $1', [res.body.id]);
    expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('validates every field at once', async () => {
    const res = await t.http
      .post('/users')
      .set(auth(admin))
      .send({
        username: 'x',
        displayName: '',
        password: 'short',
        roles: ['mayor'],
        regionCode: 'abc',
      });
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect([...new Set(p.errors.map((e) => e.path))].sort()).toEqual([
      'displayName',
      'password',
      'regionCode',
      'roles',
      'username',
    ]);
  });

  it('names the roles it accepts by code and name when one is unknown', async () => {
    const res = await t.http
      .post('/users')
      .set(auth(admin))
      .set('accept-language', 'zh-CN')
      .send({
        username: 'boss1',
        displayName: '老板',
        password: 'long-enough-pw',
        roles: ['boss'],
      });
    const problem = expectProblem(res, 422, 'VALIDATION_FAILED').errors.find((e) =>
      e.path.startsWith('roles'),
    );
    expect(problem?.message).toContain('accountant（核算员）、finance（财政）');
  });

  it('refuses a duplicate username (409) and an unknown region (422)', async () => {
    const dup = await t.http
      .post('/users')
      .set(auth(admin))
      .send({ username: 'admin', displayName: 'x', password: 'long-enough-pw', roles: ['viewer'] });
    expect(expectProblem(dup, 409, 'DUPLICATE').errors[0].path).toBe('username');
    const unknown = await t.http
      .post('/users')
      .set(auth(admin))
      .send({
        username: 'nowhere',
        displayName: 'x',
        password: 'long-enough-pw',
        roles: ['viewer'],
        regionCode: '999999',
      });
    expect(expectProblem(unknown, 422, 'CONSTRAINT_VIOLATED').errors[0].path).toBe('regionCode');
  });

  it('keeps a county administrator to users inside the county', async () => {
    const outside = await t.http
      .post('/users')
      .set(auth(countyAdmin))
      .send({
        username: 'dexing.stat',
        displayName: '德兴',
        password: 'long-enough-pw',
        roles: ['statistician'],
        regionCode: '361181',
      });
    expectProblem(outside, 403, 'OUT_OF_REGION_SCOPE');
    const national = await t.http
      .post('/users')
      .set(auth(countyAdmin))
      .send({
        username: 'national.viewer',
        displayName: '全国',
        password: 'long-enough-pw',
        roles: ['viewer'],
      });
    expectProblem(national, 403, 'OUT_OF_REGION_SCOPE');
    const list = await t.http.get('/users?pageSize=100').set(auth(countyAdmin));
    const names = list.body.items.map((u: { username: string }) => u.username);
    expect(names).toContain('ziyang.stat');
    expect(names).not.toContain('shangrao.auditor');
    expect(names).not.toContain('admin');
    const auditorId = (await t.db.query("SELECT id FROM users WHERE username = 'shangrao.auditor'"))
      .rows[0].id as string;
    expectProblem(
      await t.http.get(`/users/${auditorId}`).set(auth(countyAdmin)),
      403,
      'OUT_OF_REGION_SCOPE',
    );
  });

  it('disabling a user and changing roles revoke their tokens at once', async () => {
    const token = await t.token('wuyuan.reviewer');
    const id = (await t.db.query("SELECT id FROM users WHERE username = 'wuyuan.reviewer'")).rows[0]
      .id as string;
    expect((await t.http.get('/auth/me').set(auth(token))).status).toBe(200);
    const res = await t.http.patch(`/users/${id}`).set(auth(admin)).send({ disabled: true });
    expect(res.body.disabled).toBe(true);
    expectProblem(await t.http.get('/auth/me').set(auth(token)), 401, 'UNAUTHENTICATED');
    expectProblem(
      await t.http
        .post('/auth/login')
        .send({ username: 'wuyuan.reviewer', password: 'gep-demo-2026' }),
      401,
      'INVALID_CREDENTIALS',
    );
    await t.http
      .patch(`/users/${id}`)
      .set(auth(admin))
      .send({ disabled: false, roles: ['reviewer', 'viewer'] })
      .expect(200);
    const relogin = await t.http
      .post('/auth/login')
      .send({ username: 'wuyuan.reviewer', password: 'gep-demo-2026' });
    expect(relogin.body.user.roles).toEqual(['reviewer', 'viewer']);
  });

  it('resets a password: the old one and old tokens stop working', async () => {
    const token = await t.token('wuyuan.accountant');
    const id = (await t.db.query("SELECT id FROM users WHERE username = 'wuyuan.accountant'"))
      .rows[0].id as string;
    await t.http
      .post(`/users/${id}/reset-password`)
      .set(auth(countyAdmin))
      .send({ newPassword: 'fresh-password-9' })
      .expect(204);
    expectProblem(await t.http.get('/auth/me').set(auth(token)), 401, 'UNAUTHENTICATED');
    expect(
      (
        await t.http
          .post('/auth/login')
          .send({ username: 'wuyuan.accountant', password: 'fresh-password-9' })
      ).status,
    ).toBe(200);
    const log = await t.db.query(
      "SELECT actor_username FROM audit_log WHERE action = 'user.reset_password' AND entity_id = $1",
      [id],
    );
    expect(log.rows).toEqual([{ actor_username: 'wuyuan.admin' }]);
  });

  it('an administrator cannot lock themselves out', async () => {
    const id = (await t.db.query("SELECT id FROM users WHERE username = 'admin'")).rows[0]
      .id as string;
    expectProblem(
      await t.http.patch(`/users/${id}`).set(auth(admin)).send({ disabled: true }),
      409,
      'SELF_CHANGE_REFUSED',
    );
    expectProblem(
      await t.http
        .patch(`/users/${id}`)
        .set(auth(admin))
        .send({ roles: ['viewer'] }),
      409,
      'SELF_CHANGE_REFUSED',
    );
  });

  it('names the users who signed records for every signed-in reader (GET /users/names)', async () => {
    const viewer = await t.token('viewer');
    const res = await t.http
      .get('/users/names?username=wuyuan.registrar,wuyuan.stat,nobody.here')
      .set(auth(viewer))
      .expect(200);
    expect(res.body).toEqual({
      'wuyuan.registrar': '婺源县自然资源局 登记员',
      'wuyuan.stat': expect.any(String),
    });
    const repeated = await t.http
      .get('/users/names?username=wuyuan.stat&username=admin')
      .set(auth(viewer))
      .expect(200);
    expect(Object.keys(repeated.body)).toEqual(['admin', 'wuyuan.stat']);
    const none = expectProblem(
      await t.http.get('/users/names').set(auth(viewer)),
      422,
      'VALIDATION_FAILED',
    );
    expect(none.errors[0].path).toBe('username');
    const many = Array.from({ length: 201 }, (_, i) => `u${i}`).join(',');
    expectProblem(
      await t.http.get(`/users/names?username=${many}`).set(auth(viewer)),
      422,
      'VALIDATION_FAILED',
    );
    expectProblem(await t.http.get('/users/names?username=admin'), 401, 'UNAUTHENTICATED');
  });
});
