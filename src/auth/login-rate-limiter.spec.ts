import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { LoginRateLimiter } from './login-rate-limiter';

describe('LoginRateLimiter', () => {
  const limiter = () =>
    new LoginRateLimiter(Object.assign(new AppConfig(), { LOGIN_RATE_LIMIT: 2 }));

  it('allows the limit per minute and client, then refuses with RATE_LIMITED', () => {
    const l = limiter();
    l.hit('a', 0);
    l.hit('a', 1000);
    l.hit('b', 1000);
    expect(() => l.hit('a', 2000)).toThrow(DomainError);
    expect(() => l.hit('a', 2000)).toThrow(/retry in 58 s/);
  });

  it('opens a new window after a minute', () => {
    const l = limiter();
    l.hit('a', 0);
    l.hit('a', 0);
    expect(() => l.hit('a', 59_999)).toThrow();
    expect(() => l.hit('a', 60_000)).not.toThrow();
  });
});
