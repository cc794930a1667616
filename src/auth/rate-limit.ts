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
import { AuthUser } from './auth-user';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { zhEn } from '../common/i18n/text';

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows counting hits per key. In-memory: with several instances behind a
 * balancer each counts its own.
 */
export class FixedWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  /** Counts a hit of `key`; throws RATE_LIMITED (429, Retry-After) once `limit` is used up. */
  hit(key: string, limit: number, what: string, now = Date.now()): void {
    if (this.windows.size > 10_000) this.prune(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + WINDOW_MS };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count > limit) {
      const seconds = Math.ceil((window.resetAt - now) / 1000);
      throw new DomainError(
        'RATE_LIMITED',
        zhEn(`${what}过于频繁，请 ${seconds} 秒后重试`, `too many ${what}; retry in ${seconds} s`),
        [],
        seconds,
      );
    }
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
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
  private readonly windows = new FixedWindows();

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.reflector.get<boolean>(EXPENSIVE_KEY, context.getHandler())) return true;
    const user = context.switchToHttp().getRequest<Request>().user as AuthUser | undefined;
    this.windows.hit(
      user?.id ?? 'anonymous',
      this.config.EXPENSIVE_RATE_LIMIT,
      zhEn('您本分钟内的导入、核算和导出', 'imports, runs and exports from you this minute'),
    );
    return true;
  }
}
