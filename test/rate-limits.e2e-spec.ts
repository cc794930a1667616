import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../src/config/app-config';
import { LoginRateLimiter } from '../src/auth/login-rate-limiter';
import { DomainError } from '../src/common/errors/domain-error';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The rate limits count in PostgreSQL, so every instance on the database shares a window (the
 * two-instance robustness suite drives logins through two processes).
 */
describe('Rate limits', () => {
  let t: TestApp;
  let limiter: LoginRateLimiter;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT: '2' });
    limiter = t.app.get(LoginRateLimiter);
  });
  afterAll(() => t.close());

  const client = () => `test-${randomUUID()}`;
  const t0 = Date.parse('2026-12-03T08:00:00Z');

  it('allows the limit per minute and client, then refuses with RATE_LIMITED and the seconds left', async () => {
    const [a, b] = [client(), client()];
    await limiter.hit(a, t0);
    await limiter.hit(a, t0 + 1000);
    await limiter.hit(b, t0 + 1000);
    await expect(limiter.hit(a, t0 + 2000)).rejects.toThrow(DomainError);
    await expect(limiter.hit(a, t0 + 2000)).rejects.toThrow(/58 秒后重试/);
  });

  it('opens a new window after a minute', async () => {
    const a = client();
    await limiter.hit(a, t0);
    await limiter.hit(a, t0);
    await expect(limiter.hit(a, t0 + 59_999)).rejects.toThrow();
    await expect(limiter.hit(a, t0 + 60_000)).resolves.toBeUndefined();
  });

  it('counts hits from several limiters (instances) in one window, each hit exactly once', async () => {
    const a = client();
    const other = new LoginRateLimiter(
      Object.assign(new AppConfig(), { LOGIN_RATE_LIMIT: 2 }),
      t.app.get(DataSource),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? limiter : other).hit(a, t0)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const rows = await t.db.query<{ hits: number }>(
      `SELECT hits FROM rate_windows WHERE key = $1`,
      [`login:${a}`],
    );
    expect(rows.rows[0].hits).toBe(10);
  });
});
