import { labelActions } from '../audit-log/action-labels';
import { zhEn } from '../common/i18n/text';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditLogService } from '../audit-log/audit-log.service';
import { AuthUser, SignedIn } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { RegionsService } from '../regions/regions.service';
import { EntryDocument, LedgerEntry } from './ledger-entry.entity';
import { ENTRY_KINDS, ENTRY_ZH, EntryKind, UnitStatus } from './registry-types';
import { RegistrationUnit } from './registration-unit.entity';
import { todayInChina } from './registry-rules';

export interface NewEntry {
  kind: EntryKind;
  effectiveDate: string;
  document?: EntryDocument | null;
  reason?: string | null;
  subjects: string[];
  payload: object;
  /** The workflow state the entry leaves the unit in, if it moves it (kept in the payload). */
  statusAfter?: UnitStatus;
}

/**
 * Writes the registry's ledger. Every registry write runs in one transaction that first locks the
 * unit ({@link lockUnit}) — so two transactions on one unit (two transfers of the same right) are
 * serialised and the second sees what the first did — then appends the entry and writes the
 * versions and rights it describes.
 */
// the log shows ledger entries in the register's own words (首次登记（登簿）, 设立权利…)
labelActions(Object.fromEntries(ENTRY_KINDS.map((k) => [`registry.${k}`, ENTRY_ZH[k]])));

@Injectable()
export class LedgerService {
  constructor(
    private readonly regions: RegionsService,
    private readonly auditLog: AuditLogService,
  ) {}

  /**
   * Locks a unit for a write effective on `date` (default today in China): 404 unknown, 403
   * outside the user's scope, 409 cancelled, 409 if the unit already has an entry effective after
   * `date` (entries of a unit are in date order, so its versions reconstruct any date; a wrong
   * past record is fixed by a correction effective now).
   */
  async lockUnit(
    manager: EntityManager,
    user: AuthUser,
    unitId: string,
    date: string | undefined,
    field = 'unitId',
  ): Promise<{ unit: RegistrationUnit; date: string }> {
    const unit = await manager.findOne(RegistrationUnit, {
      where: { id: unitId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!unit) throw DomainError.notFound('registration unit', unitId);
    await this.regions.assertInScope(user, unit.regionCode, field, manager);
    if (unit.status === 'cancelled')
      throw new DomainError(
        'UNIT_CANCELLED',
        zhEn(
          `登记单元 ${unit.code} 已于 ${unit.cancelledOn} 注销，不能再登记`,
          `unit ${unit.code} was cancelled (注销) on ${unit.cancelledOn}; it accepts no new entries`,
        ),
      );
    const effective = checkDate(date);
    const [{ last }] = await manager.query<{ last: string | null }[]>(
      `SELECT max(effective_date)::text AS last FROM registry_entries WHERE unit_id = $1`,
      [unit.id],
    );
    if (last && effective < last)
      throw new DomainError(
        'ENTRY_BEFORE_LAST',
        zhEn(
          `登记单元 ${unit.code} 已有 ${last} 生效的登记，新登记不能早于它（${effective}）——如需更正请以今天为生效日期登记`,
          `unit ${unit.code} already has an entry effective ${last}; a new entry cannot take effect earlier (${effective}) — record a correction effective today instead`,
        ),
        [{ path: 'date', message: zhEn(`应为 ${last} 或之后`, `must be ${last} or later`) }],
      );
    return { unit, date: effective };
  }

  /** Throws 403 unless every one of the units lies in the user's scope (before anything about them is said). */
  async assertUnitsInScope(
    manager: EntityManager,
    user: AuthUser,
    unitIds: Iterable<string>,
    field: string,
  ): Promise<void> {
    const units = await manager.findBy(RegistrationUnit, { id: In([...unitIds]) });
    for (const unit of units)
      await this.regions.assertInScope(user, unit.regionCode, field, manager);
  }

  /** Appends an entry, and one audit-log record for it unless `audit` is false (bulk import). */
  async append(
    manager: EntityManager,
    actor: SignedIn,
    unit: RegistrationUnit,
    e: NewEntry,
    audit = true,
  ): Promise<LedgerEntry> {
    const entry = manager.create(LedgerEntry, {
      unitId: unit.id,
      kind: e.kind,
      effectiveDate: e.effectiveDate,
      document: e.document ?? null,
      reason: e.reason ?? null,
      subjects: [...new Set([unit.id, ...e.subjects])],
      payload: e.statusAfter ? { ...e.payload, statusAfter: e.statusAfter } : e.payload,
      recordedBy: actor.user.username,
    });
    await manager.insert(LedgerEntry, entry);
    if (audit)
      await this.auditLog.record(manager, actor, {
        action: `registry.${e.kind}`,
        entityType: 'registration_unit',
        entityId: unit.id,
        after: {
          entryId: entry.id,
          code: unit.code,
          effectiveDate: e.effectiveDate,
          subjects: entry.subjects,
        },
      });
    return entry;
  }

  /** Ends the current version of a unit or resource on `date` (exclusive). */
  async closeVersion(
    manager: EntityManager,
    table: 'registration_unit_versions' | 'registry_resource_versions',
    ownerId: string,
    date: string,
  ): Promise<void> {
    const column = table === 'registration_unit_versions' ? 'unit_id' : 'resource_id';
    await manager.query(
      `UPDATE ${table} SET valid = daterange(lower(valid), $2::date) WHERE ${column} = $1 AND upper_inf(valid)`,
      [ownerId, date],
    );
  }
}

/** An effective date: today by default, never in the future. */
export function checkDate(date: string | undefined, path = 'date'): string {
  const today = todayInChina();
  if (date && date > today)
    throw DomainError.invalid(
      path,
      zhEn(
        `${date} 是将来的日期；登记簿只记载已生效的事项（今天是 ${today}）`,
        `${date} is in the future; the register records what has taken effect (today is ${today})`,
      ),
    );
  return date ?? today;
}
