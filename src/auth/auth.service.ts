import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLogService } from '../audit-log/audit-log.service';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { UsersService } from '../users/users.service';
import { Actor, AuthUser } from './auth-user';
import { LoginResponse, MeResponse } from './auth.dto';
import { ROLE_ZH } from './roles';
import { TokenClaims } from './jwt.strategy';
import { hashPassword, verifyPassword } from './passwords';
import { zhEn } from '../common/i18n/text';
import { RegionsRepository } from '../regions/regions.repository';
import { labelReasons } from '../audit-log/action-labels';

/** Why a login failed: the code its audit entry records, and what the auditor reads for it. */
const LOGIN_FAILURE = {
  unknownUser: 'unknown user',
  wrongPassword: 'wrong password',
  disabled: 'account disabled',
} as const;
labelReasons('auth.login_failed', {
  [LOGIN_FAILURE.unknownUser]: '用户名不存在',
  [LOGIN_FAILURE.wrongPassword]: '密码错误',
  [LOGIN_FAILURE.disabled]: '账户已停用',
});

@Injectable()
export class AuthService {
  /** Verified against when the user does not exist, so both failures take the same time. */
  private readonly dummyHash = hashPassword('not-a-real-password');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly auditLog: AuditLogService,
    private readonly config: AppConfig,
  ) {}

  /** The signed-in user as a person reads it: roles and scope by name. */
  async describe(user: AuthUser): Promise<MeResponse> {
    const names = user.regionCode
      ? await RegionsRepository.names(this.dataSource.manager, [user.regionCode])
      : new Map<string, string>();
    return {
      ...user,
      roleNames: user.roles.map((r) => zhEn(ROLE_ZH[r] ?? r, r)),
      regionName: user.regionCode
        ? (names.get(user.regionCode) ?? user.regionCode)
        : zhEn('全国', 'all regions'),
    };
  }

  async login(actor: Actor, username: string, password: string): Promise<LoginResponse> {
    const user = await this.users.findForLogin(username);
    const ok = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !ok || user.disabled) {
      await this.dataSource.transaction((manager) =>
        this.auditLog.record(
          manager,
          { ...actor, username },
          {
            action: 'auth.login_failed',
            entityType: 'auth',
            entityId: user?.id ?? null,
            after: {
              username,
              reason: !user
                ? LOGIN_FAILURE.unknownUser
                : !ok
                  ? LOGIN_FAILURE.wrongPassword
                  : LOGIN_FAILURE.disabled,
            },
          },
        ),
      );
      throw new DomainError(
        'INVALID_CREDENTIALS',
        zhEn(
          '用户名或密码错误，或账户已停用',
          'wrong username or password, or the account is disabled',
        ),
      );
    }
    const me: AuthUser = {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      regionCode: user.regionCode,
    };
    const claims: TokenClaims = { sub: user.id, tv: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims);
    await this.dataSource.transaction((manager) =>
      this.auditLog.record(
        manager,
        { ...actor, user: me },
        {
          action: 'auth.login',
          entityType: 'auth',
          entityId: user.id,
        },
      ),
    );
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.JWT_TTL_SECONDS,
      user: await this.describe(me),
    };
  }

  async changePassword(
    actor: Actor & { user: AuthUser },
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const user = await this.users.findForLogin(actor.user.username);
    if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn('当前密码错误', 'the current password is wrong'),
        [{ path: 'currentPassword', message: zhEn('密码错误', 'wrong password') }],
      );
    }
    await this.users.changeOwnPassword(actor, newPassword);
  }
}
