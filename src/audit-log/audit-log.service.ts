import { actionLabel, entityTypeLabel, reasonLabel } from './action-labels';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuthUser } from '../auth/auth-user';
import { auditEntryInScope } from '../auth/region-scope';
import { maskIdNumbers, seesIdNumbers } from '../common/personal-data';
import { Page, pageOf, PageQuery } from '../common/pagination';
import { AuditLogEntry } from './audit-log.entity';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: object | null;
  after?: object | null;
}

export interface AuditLogFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  actorUsername?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

/** Fields never copied into the log. */
const SECRET_FIELDS = new Set(['passwordHash', 'password', 'password_hash']);

function snapshot(value: object | null | undefined): Record<string, unknown> | null {
  if (value == null) return null;
  const plain = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  for (const key of Object.keys(plain)) if (SECRET_FIELDS.has(key)) delete plain[key];
  return plain;
}

@Injectable()
export class AuditLogService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends an entry using the caller's transaction, so it commits or rolls back with the write. */
  async record(manager: EntityManager, actor: Actor, entry: AuditRecord): Promise<void> {
    await manager.insert(AuditLogEntry, {
      actorId: actor.user?.id ?? null,
      actorUsername: actor.user?.username ?? actor.username ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: snapshot(entry.before),
      after: snapshot(entry.after),
      requestId: actor.requestId ?? null,
      clientIp: actor.ip ?? null,
    });
  }

  /**
   * Entries whose object lies in the reader's region scope (national reference data to every
   * reader), newest first, identity numbers masked for those who do not keep the register.
   */
  async find(
    user: AuthUser,
    filter: AuditLogFilter,
    page: PageQuery,
  ): Promise<Page<AuditLogEntry>> {
    const qb = this.dataSource.getRepository(AuditLogEntry).createQueryBuilder('e');
    if (user.regionCode)
      qb.andWhere(auditEntryInScope(':scope::varchar'), { scope: user.regionCode });
    if (filter.entityType)
      qb.andWhere('e.entityType = :entityType', { entityType: filter.entityType });
    if (filter.entityId) qb.andWhere('e.entityId = :entityId', { entityId: filter.entityId });
    if (filter.actorId) qb.andWhere('e.actorId = :actorId', { actorId: filter.actorId });
    if (filter.actorUsername)
      qb.andWhere('e.actorUsername = :actorUsername', { actorUsername: filter.actorUsername });
    if (filter.action) qb.andWhere('e.action = :action', { action: filter.action });
    if (filter.from) qb.andWhere('e.at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('e.at < :to', { to: filter.to });
    const [items, total] = await qb
      .orderBy('e.at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    const shown = items.map((e) => ({
      ...e,
      actionZh: actionLabel(e.action),
      entityTypeZh: entityTypeLabel(e.entityType),
      reasonZh: reasonLabel(e.action, e.after),
      ...(seesIdNumbers(user.roles)
        ? {}
        : { before: maskIdNumbers(e.before), after: maskIdNumbers(e.after) }),
    }));
    return pageOf(shown, total, page);
  }

  /**
   * The actions the log holds among the entries the reader may see, each with its Chinese name,
   * in the order a Chinese reader looks names up (what the log's action filter offers).
   */
  async actions(user: AuthUser): Promise<AuditAction[]> {
    const qb = this.dataSource
      .getRepository(AuditLogEntry)
      .createQueryBuilder('e')
      .select('DISTINCT e.action', 'action');
    if (user.regionCode)
      qb.andWhere(auditEntryInScope(':scope::varchar'), { scope: user.regionCode });
    const rows = await qb.getRawMany<{ action: string }>();
    const collator = new Intl.Collator('zh-CN');
    return rows
      .map(({ action }) => ({ action, actionZh: actionLabel(action) }))
      .sort((a, b) => collator.compare(a.actionZh ?? a.action, b.actionZh ?? b.action));
  }
}

/** An action the audit log records, with its Chinese name (null for one no table names). */
export interface AuditAction {
  action: string;
  actionZh: string | null;
}
