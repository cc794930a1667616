import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { DomainError } from '../common/errors/domain-error';
import { ACCESS_KEY, AccessRule } from './access.decorator';
import { AuthUser } from './auth-user';
import { zhEn } from '../common/i18n/text';
import { ROLE_ZH } from './roles';

/** A role as the bureaus name it (「核算员」, not `accountant`). */
const roleZh = (role: string): string => ROLE_ZH[role as keyof typeof ROLE_ZH] ?? role;

/**
 * The global guard: authenticates the bearer token (passport-jwt) and checks the route's
 * declared roles. A route without an access declaration is refused (fail closed).
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) {
      this.logger.error(
        `route ${context.getClass().name}.${context.getHandler().name} declares no access rule`,
      );
      throw new DomainError(
        'FORBIDDEN',
        zhEn('此接口未声明访问规则，已关闭', 'this route declares no access rule and is closed'),
      );
    }
    if (rule.kind === 'public') return true;
    await super.canActivate(context);
    if (rule.kind === 'authenticated') return true;
    const user = context.switchToHttp().getRequest<Request>().user as AuthUser;
    if (!user.roles.some((r) => rule.roles.includes(r))) {
      throw new DomainError(
        'FORBIDDEN',
        zhEn(
          `此操作需要以下角色之一：${rule.roles.map(roleZh).join('、')}；您的角色：${user.roles.map(roleZh).join('、')}`,
          `this needs one of the roles ${rule.roles.join(', ')}; you have ${user.roles.join(', ')}`,
        ),
      );
    }
    return true;
  }

  override handleRequest<TUser = AuthUser>(
    err: unknown,
    user: TUser | false,
    info: unknown,
  ): TUser {
    if (err) throw err instanceof Error ? err : new Error('authentication failed');
    if (user) return user;
    const name = (info as { name?: string } | undefined)?.name;
    const message =
      name === 'TokenExpiredError'
        ? zhEn('登录已过期，请重新登录', 'the token has expired; sign in again')
        : info instanceof Error && /No auth token/i.test(info.message)
          ? zhEn(
              '未登录：请先登录（POST /auth/login），并在请求中携带 Authorization: Bearer <令牌>',
              'no bearer token; sign in at POST /auth/login and send Authorization: Bearer <token>',
            )
          : name === 'JsonWebTokenError' || name === 'NotBeforeError'
            ? zhEn('登录令牌无效', 'the token is not valid')
            : zhEn(
                '登录令牌已失效（用户已停用或密码已更改），请重新登录',
                'the token is no longer valid (user disabled or credentials changed); sign in again',
              );
    throw new DomainError('UNAUTHENTICATED', message);
  }
}
