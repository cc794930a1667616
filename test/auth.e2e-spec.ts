import { JwtService } from '@nestjs/jwt';
import { expectProblem, startTestApp, TestApp } from './support/test-app';
import { TEST_JWT_SECRET } from './support/test-env';

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const auditCount = async (action: string) =>
    Number(
      (await t.db.query('SELECT count(*) FROM audit_log WHERE action = $1', [action])).rows[0]
        .count,
    );

  it('signs in a demo user and returns a bearer token that /auth/me accepts', async () => {
    const before = await auditCount('auth.login');
    const login = await t.http
      .post('/auth/login')
      .send({ username: 'ziyang.stat', password: 'gep-demo-2026' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 28800,
      user: {
        regionCode: '361130100',
        regionName: '紫阳镇',
        roles: ['statistician'],
        roleNames: ['statistician'], // the test agent asks for English
      },
    });
    const me = await t.http
      .get('/auth/me')
      .set('authorization', `Bearer ${login.body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('ziyang.stat');
    const zh = await t.http
      .get('/auth/me')
      .set('authorization', `Bearer ${login.body.accessToken}`)
      .set('accept-language', 'zh-CN');
    expect(zh.body).toMatchObject({ regionName: '紫阳镇', roleNames: ['统计填报员'] });
    expect(await auditCount('auth.login')).toBe(before + 1);
  });

  it('refuses a wrong password with 401, and logs the failed attempt', async () => {
    const before = await auditCount('auth.login_failed');
    const res = await t.http.post('/auth/login').send({ username: 'admin', password: 'guess' });
    expectProblem(res, 401, 'INVALID_CREDENTIALS');
    expect(await auditCount('auth.login_failed')).toBe(before + 1);
    const row = (
      await t.db.query(
        "SELECT * FROM audit_log WHERE action = 'auth.login_failed' ORDER BY id DESC LIMIT 1",
      )
    ).rows[0];
    expect(row.actor_username).toBe('admin');
    expect(row.after).toEqual({ username: 'admin', reason: 'wrong password' });
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const res = await t.http.post('/auth/login').send({ username: 'nobody', password: 'guess' });
    const p = expectProblem(res, 401, 'INVALID_CREDENTIALS');
    expect(p.detail).toBe('wrong username or password, or the account is disabled');
  });

  it('rejects requests without a token, with a forged token and with an expired token', async () => {
    expectProblem(await t.http.get('/auth/me'), 401, 'UNAUTHENTICATED');
    const userId = (await t.db.query("SELECT id FROM users WHERE username = 'admin'")).rows[0]
      .id as string;
    const forged = await new JwtService({
      secret: 'some-other-secret-some-other-secret-123',
    }).signAsync({ sub: userId, tv: 0 });
    const p1 = expectProblem(
      await t.http.get('/auth/me').set('authorization', `Bearer ${forged}`),
      401,
      'UNAUTHENTICATED',
    );
    expect(p1.detail).toMatch(/not valid/);
    const expired = await new JwtService({ secret: TEST_JWT_SECRET }).signAsync({
      sub: userId,
      tv: 0,
      exp: Math.floor(Date.now() / 1000) - 10,
    });
    const p2 = expectProblem(
      await t.http.get('/auth/me').set('authorization', `Bearer ${expired}`),
      401,
      'UNAUTHENTICATED',
    );
    expect(p2.detail).toMatch(/expired/);
    const valid = await new JwtService({ secret: TEST_JWT_SECRET }).signAsync(
      { sub: userId, tv: 0 },
      { expiresIn: 60 },
    );
    expect((await t.http.get('/auth/me').set('authorization', `Bearer ${valid}`)).status).toBe(200);
    // signed with the right secret but without an expiry: it would never expire, so it is refused
    const forever = await new JwtService({ secret: TEST_JWT_SECRET }).signAsync({
      sub: userId,
      tv: 0,
    });
    expect(
      JSON.parse(Buffer.from(forever.split('.')[1], 'base64url').toString()),
    ).not.toHaveProperty('exp');
    expectProblem(
      await t.http.get('/auth/me').set('authorization', `Bearer ${forever}`),
      401,
      'UNAUTHENTICATED',
    );
    const noneAlg = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: userId, tv: 0 })).toString('base64url')}.`;
    expectProblem(
      await t.http.get('/auth/me').set('authorization', `Bearer ${noneAlg}`),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('changing the own password revokes older tokens', async () => {
    const old = await t.token('viewer');
    const res = await t.http
      .post('/auth/password')
      .set('authorization', `Bearer ${old}`)
      .send({ currentPassword: 'gep-demo-2026', newPassword: 'a-new-password-1' });
    expect(res.status).toBe(204);
    expectProblem(
      await t.http.get('/auth/me').set('authorization', `Bearer ${old}`),
      401,
      'UNAUTHENTICATED',
    );
    const fresh = await t.token('viewer', 'a-new-password-1');
    expect((await t.http.get('/auth/me').set('authorization', `Bearer ${fresh}`)).status).toBe(200);
  });

  it('refuses a password change with the wrong current password, naming the field', async () => {
    const token = await t.token('wuyuan.finance');
    const res = await t.http
      .post('/auth/password')
      .set('authorization', `Bearer ${token}`)
      .send({ currentPassword: 'nope', newPassword: 'another-password-2' });
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(p.errors).toEqual([{ path: 'currentPassword', message: 'wrong password' }]);
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once the per-minute allowance is used', async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await t.http.post('/auth/login').send({ username: 'admin', password: 'wrong' })).status,
      ).toBe(401);
    }
    const res = await t.http
      .post('/auth/login')
      .send({ username: 'admin', password: 'gep-demo-2026' });
    const p = expectProblem(res, 429, 'RATE_LIMITED');
    expect(p.detail).toMatch(/retry in \d+ s/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
