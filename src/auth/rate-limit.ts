import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AuthUser } from './auth-user';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { zhEn } from '../common/i18n/text';

const WINDOW_MS = 60_000;
/** Every this many hits an instance deletes the windows that ended over a minute ago. */
const PRUNE_EVERY = 500;

/**
 * Fixed one-minute windows counting hits per key, in PostgreSQL (`rate_windows`): every instance
 * sharing the database counts into the same window, atomically (one upsert per hit).
 */
export class FixedWindows {
  private hits = 0;

  constructor(
    private readonly dataSource: DataSource,
    /** Keeps one limit's keys apart from another's (`login`, `expensive`). */
    private readonly scope: string,
  ) {}

  /** Counts a hit of `key`; throws RATE_LIMITED (429, Retry-After) once `limit` is used up. */
  async hit(key: string, limit: number, what: string, now = Date.now()): Promise<void> {
    const at = new Date(now);
    if (++this.hits % PRUNE_EVERY === 0)
      await this.dataSource.query(`DELETE FROM rate_windows WHERE resets_at < $1`, [
        new Date(now - WINDOW_MS),
      ]);
    const [{ hits, seconds }] = await this.dataSource.query<{ hits: number; seconds: number }[]>(
      `INSERT INTO rate_windows AS w (key, resets_at, hits)
       VALUES ($1, $2::timestamptz + $3 * interval '1 millisecond', 1)
       ON CONFLICT (key) DO UPDATE
          SET hits = CASE WHEN w.resets_at <= $2 THEN 1 ELSE w.hits + 1 END,
              resets_at = CASE WHEN w.resets_at <= $2 THEN $2::timestamptz + $3 * interval '1 millisecond'
                               ELSE w.resets_at END
       RETURNING hits, ceil(extract(epoch FROM resets_at - $2::timestamptz))::int AS seconds`,
      [`${this.scope}:${key}`.slice(0, 200), at, WINDOW_MS],
    );
    if (hits > limit)
      throw new DomainError(
        'RATE_LIMITED',
        zhEn(`${what}过于频繁，请 ${seconds} 秒后重试`, `too many ${what}; retry in ${seconds} s`),
        [],
        seconds,
      );
  }
}

export const EXPENSIVE_KEY = 'gep:expensive';

/**
 * Marks a route whose request costs far more than a read (an import, a run, a generated file):
 * each user may send EXPENSIVE_RATE_LIMIT of them a minute, across all such routes.
 */
export const Expensive = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(EXPENSIVE_KEY, true),
    ApiTooManyRequestsResponse({
      description: 'too many expensive requests this minute; retry after the Retry-After seconds',
    }),
  );

/** Counts expensive requests per signed-in user (runs after the access guard has found the user). */
@Injectable()
export class ExpensiveRequestGuard implements CanActivate {
  private readonly windows: FixedWindows;

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    dataSource: DataSource,
  ) {
    this.windows = new FixedWindows(dataSource, 'expensive');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.reflector.get<boolean>(EXPENSIVE_KEY, context.getHandler())) return true;
    const user = context.switchToHttp().getRequest<Request>().user as AuthUser | undefined;
    await this.windows.hit(
      user?.id ?? 'anonymous',
      this.config.EXPENSIVE_RATE_LIMIT,
      zhEn('您本分钟内的导入、核算和导出', 'imports, runs and exports from you this minute'),
    );
    return true;
  }
}
