import { zhEn } from '../common/i18n/text';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { FixedWindows } from './rate-limit';

/**
 * Limit on login attempts per client address (LOGIN_RATE_LIMIT a minute), to slow password
 * guessing.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly windows = new FixedWindows();

  constructor(private readonly config: AppConfig) {}

  /** Counts an attempt from `client`; throws 429 once the minute's allowance is used up. */
  hit(client: string, now = Date.now()): void {
    this.windows.hit(
      client,
      this.config.LOGIN_RATE_LIMIT,
      zhEn('您所在地址的登录尝试', 'login attempts from your address'),
      now,
    );
  }
}
