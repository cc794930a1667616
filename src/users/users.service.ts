import { zhEn } from '../common/i18n/text';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../audit-log/audit-log.service';
import { AuthUser, SignedIn } from '../auth/auth-user';
import { hashPassword } from '../auth/passwords';
import { Role } from '../auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../common/pagination';
import { RegionsService } from '../regions/regions.service';
import { User } from './user.entity';
import { lockRow } from '../database/lock-row';
import { RegionSql } from '../regions/regions.repository';
import { scopeCondition } from '../auth/region-scope';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  regionCode?: string | null;
}

export interface UserChanges {
  displayName?: string;
  roles?: Role[];
  regionCode?: string | null;
  disabled?: boolean;
}

export interface UserFilter {
  role?: Role;
  within?: string;
  q?: string;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly auditLog: AuditLogService,
  ) {}

  /** username → display name, for the usernames that exist. */
  async displayNames(usernames: string[]): Promise<Record<string, string>> {
    const rows = await this.dataSource.query<{ username: string; display_name: string }[]>(
      'SELECT username, display_name FROM users WHERE username = ANY($1::text[]) ORDER BY username',
      [usernames],
    );
    return Object.fromEntries(rows.map((r) => [r.username, r.display_name]));
  }

  /** Users an administrator may see: those whose scope lies inside the administrator's. */
  async list(admin: AuthUser, filter: UserFilter, page: PageQuery): Promise<Page<User>> {
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u');
    if (admin.regionCode !== null) {
      qb.andWhere(scopeCondition('user', 'u', ':scope::varchar', false), {
        scope: admin.regionCode,
      });
    }
    if (filter.within) {
      qb.andWhere(RegionSql.codeWithin('u.region_code', ':within::varchar'), {
        within: filter.within,
      });
    }
    if (filter.role) qb.andWhere(':role = ANY(u.roles)', { role: filter.role });
    if (filter.q) {
      qb.andWhere("(u.username ILIKE '%' || :q || '%' OR u.displayName ILIKE '%' || :q || '%')", {
        q: filter.q,
      });
    }
    const [items, total] = await qb
      .orderBy('u.username')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  async get(admin: AuthUser, id: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw DomainError.notFound('user', id);
    await this.assertManages(admin, user.regionCode);
    return user;
  }

  /**
   * The enabled user `id` as a request acts (with the token version its tokens must carry), or
   * null. Read on every authenticated request, so one plain statement: through the ORM's
   * `findOneBy` it took 0.16–0.26 ms of CPU, as SQL 0.06–0.07 ms.
   */
  async findActive(id: string): Promise<(AuthUser & { tokenVersion: number }) | null> {
    const rows = await this.dataSource.query<
      (Omit<AuthUser, 'displayName' | 'regionCode'> & {
        display_name: string;
        region_code: string | null;
        token_version: number;
      })[]
    >(
      `SELECT id, username, display_name, roles, region_code, token_version
         FROM users WHERE id = $1 AND NOT disabled`,
      [id],
    );
    if (!rows.length) return null;
    const u = rows[0];
    return {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      roles: u.roles,
      regionCode: u.region_code,
      tokenVersion: u.token_version,
    };
  }

  /** The user with the password hash, for checking a login. */
  async findForLogin(username: string): Promise<User | null> {
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
  }

  async create(actor: SignedIn, input: NewUser): Promise<User> {
    const regionCode = input.regionCode ?? null;
    await this.assertManages(actor.user, regionCode, 'regionCode');
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (manager) => {
      const { identifiers } = await manager.insert(User, {
        username: input.username,
        displayName: input.displayName.trim(),
        passwordHash,
        roles: input.roles,
        regionCode,
      });
      const created = await manager.findOneByOrFail(User, { id: identifiers[0].id as string });
      await this.auditLog.record(manager, actor, {
        action: 'user.create',
        entityType: 'user',
        entityId: created.id,
        after: created,
      });
      return created;
    });
  }

  async update(actor: SignedIn, id: string, changes: UserChanges): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.lockUser(manager, id);
      await this.assertManages(actor.user, before.regionCode);
      if (changes.regionCode !== undefined)
        await this.assertManages(actor.user, changes.regionCode, 'regionCode');
      if (id === actor.user.id) {
        if (changes.disabled === true) {
          const message = zhEn('不能停用自己的账号', 'you cannot disable your own account');
          throw new DomainError('SELF_CHANGE_REFUSED', message, [{ path: 'disabled', message }]);
        }
        if (changes.roles && !changes.roles.includes('admin')) {
          const message = zhEn(
            '不能取消自己的系统管理员角色',
            'you cannot remove your own admin role',
          );
          throw new DomainError('SELF_CHANGE_REFUSED', message, [{ path: 'roles', message }]);
        }
      }
      const revokesTokens =
        (changes.roles !== undefined && changes.roles.join() !== before.roles.join()) ||
        (changes.regionCode !== undefined && changes.regionCode !== before.regionCode) ||
        (changes.disabled !== undefined && changes.disabled !== before.disabled);
      await manager.update(
        User,
        { id },
        {
          ...(changes.displayName !== undefined && { displayName: changes.displayName.trim() }),
          ...(changes.roles !== undefined && { roles: changes.roles }),
          ...(changes.regionCode !== undefined && { regionCode: changes.regionCode }),
          ...(changes.disabled !== undefined && { disabled: changes.disabled }),
          ...(revokesTokens && { tokenVersion: before.tokenVersion + 1 }),
        },
      );
      const after = await manager.findOneByOrFail(User, { id });
      await this.auditLog.record(manager, actor, {
        action: 'user.update',
        entityType: 'user',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  async resetPassword(actor: SignedIn, id: string, newPassword: string): Promise<void> {
    const passwordHash = await hashPassword(newPassword);
    await this.dataSource.transaction(async (manager) => {
      const before = await this.lockUser(manager, id);
      await this.assertManages(actor.user, before.regionCode);
      await this.setPassword(manager, before, passwordHash);
      await this.auditLog.record(manager, actor, {
        action: 'user.reset_password',
        entityType: 'user',
        entityId: id,
        after: { tokenVersion: before.tokenVersion + 1 },
      });
    });
  }

  async changeOwnPassword(actor: SignedIn, newPassword: string): Promise<void> {
    const passwordHash = await hashPassword(newPassword);
    await this.dataSource.transaction(async (manager) => {
      const user = await this.lockUser(manager, actor.user.id);
      await this.setPassword(manager, user, passwordHash);
      await this.auditLog.record(manager, actor, {
        action: 'user.change_password',
        entityType: 'user',
        entityId: user.id,
        after: { tokenVersion: user.tokenVersion + 1 },
      });
    });
  }

  /** Sets a new hash and revokes tokens issued before. */
  private async setPassword(
    manager: EntityManager,
    user: User,
    passwordHash: string,
  ): Promise<void> {
    await manager.update(
      User,
      { id: user.id },
      { passwordHash, tokenVersion: user.tokenVersion + 1 },
    );
  }

  /** An admin manages users whose scope lies inside their own; national scope needs a national admin. */
  private async assertManages(
    admin: AuthUser,
    regionCode: string | null,
    field = 'regionCode',
  ): Promise<void> {
    if (admin.regionCode === null) {
      if (regionCode !== null && (await this.regions.isWithin(null, regionCode)) === undefined) {
        const message = zhEn(`行政区 ${regionCode} 不存在`, `region ${regionCode} does not exist`);
        throw new DomainError('CONSTRAINT_VIOLATED', message, [{ path: field, message }]);
      }
      return;
    }
    if (regionCode === null) {
      throw new DomainError(
        'OUT_OF_REGION_SCOPE',
        zhEn(
          '只有全国范围的系统管理员才能管理全国范围的用户',
          'only a national administrator manages national users',
        ),
        [{ path: field, message: zhEn('超出您的地区权限范围', 'outside your region scope') }],
      );
    }
    await this.regions.assertInScope(admin, regionCode, field);
  }

  private async lockUser(manager: EntityManager, id: string): Promise<User> {
    return lockRow(manager, User, id, 'user');
  }
}
