import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';

const WINDOW_MS = 60_000;

/**
 * Fixed-window limit on login attempts per client address (LOGIN_RATE_LIMIT a minute), to slow
 * password guessing. In-memory: with several instances behind a balancer each counts its own.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly config: AppConfig) {}

  /** Counts an attempt from `client`; throws 429 once the minute's allowance is used up. */
  hit(client: string, now = Date.now()): void {
    if (this.windows.size > 10_000) this.prune(now);
    let window = this.windows.get(client);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + WINDOW_MS };
      this.windows.set(client, window);
    }
    window.count++;
    if (window.count > this.config.LOGIN_RATE_LIMIT) {
      const seconds = Math.ceil((window.resetAt - now) / 1000);
      throw new DomainError(
        'RATE_LIMITED',
        `too many login attempts from your address; retry in ${seconds} s`,
        [],
        seconds,
      );
    }
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }
}
