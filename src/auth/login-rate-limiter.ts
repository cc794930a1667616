import { zhEn } from '../common/i18n/text';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { FixedWindows } from './rate-limit';

/**
 * Limit on login attempts per client address (LOGIN_RATE_LIMIT a minute, counted across every
 * instance on the database), to slow password guessing.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly windows: FixedWindows;

  constructor(
    private readonly config: AppConfig,
    dataSource: DataSource,
  ) {
    this.windows = new FixedWindows(dataSource, 'login');
  }

  /** Counts an attempt from `client`; throws 429 once the minute's allowance is used up. */
  hit(client: string, now = Date.now()): Promise<void> {
    return this.windows.hit(
      client,
      this.config.LOGIN_RATE_LIMIT,
      zhEn('您所在地址的登录尝试', 'login attempts from your address'),
      now,
    );
  }
}
