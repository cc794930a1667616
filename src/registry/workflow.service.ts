import { zhEn } from '../common/i18n/text';
import { inTransaction } from '../database/transaction';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { LedgerService } from './ledger.service';
import { SignedIn } from '../auth/auth-user';
import { RegistryObjection } from './objection.entity';
import { RegistrationUnit } from './registration-unit.entity';
import { RegistryReader } from './registry-reader';
import { addWorkingDays } from './registry-rules';
import { UNIT_STATUS_ZH, UnitStatus } from './registry-types';
import { UnitView } from './registry-views';

import {
  NoticeDto,
  ObjectionDto,
  PublicNoticeDto,
  RegisterDto,
  ResolveObjectionDto,
  ReviewDto,
  SurveyDoneDto,
} from './unit.dto';

/** Default objection period of a public notice (公告), working days (registry.md §6.1). */
export const DEFAULT_OBJECTION_WORKING_DAYS = 15;

export interface ObjectionView {
  id: string;
  unitId: string;
  raisedOn: string;
  objector: string;
  content: string;
  status: RegistryObjection['status'];
  resolution: string | null;
  resolvedOn: string | null;
  resolvedBy: string | null;
}

/**
 * First registration (首次登记), step by step: 预划 → 通告 → 调查 → 审核 → 公告 (objection period)
 * → 登簿. Each step checks the state it starts from and writes a ledger entry; objections are
 * recorded at any time and an open one blocks registration.
 */
@Injectable()
export class WorkflowService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly reader: RegistryReader,
  ) {}

  /** 发布通告: the county government's notice of first registration. */
  notice(actor: SignedIn, id: string, dto: NoticeDto, within?: EntityManager): Promise<UnitView> {
    if (!dto.document)
      throw DomainError.invalid(
        'document',
        zhEn(
          '首次登记通告须附文件：类型、文号、发布机关',
          'the notice (首次登记通告) needs its document: type, number, issuer',
        ),
      );
    return this.step(actor, id, dto, within, ['pre_delimited'], 'notice_issued', 'notice', {});
  }

  /** 地籍调查 done: natural status and ownership surveyed; at least one resource recorded. */
  surveyDone(
    actor: SignedIn,
    id: string,
    dto: SurveyDoneDto,
    within?: EntityManager,
  ): Promise<UnitView> {
    return this.step(
      actor,
      id,
      dto,
      within,
      ['notice_issued', 'surveyed'],
      'surveyed',
      'survey',
      {},
      async (m, unit, date) => {
        const [{ n }] = await m.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM registry_resources r JOIN registry_resource_versions v ON v.resource_id = r.id
          WHERE r.unit_id = $1 AND v.valid @> $2::date`,
          [unit.id, date],
        );
        if (n === 0)
          throw new DomainError(
            'UNIT_HAS_NO_RESOURCES',
            zhEn(
              `登记单元 ${unit.code} 尚未记录自然资源；请先录入调查结果（POST /registry/units/${unit.id}/resources）`,
              `unit ${unit.code} has no resources recorded; add what the survey found (POST /registry/units/${unit.id}/resources) first`,
            ),
          );
      },
    );
  }

  /** 审核 by a reviewer: approve, or return to the survey with a comment. */
  review(actor: SignedIn, id: string, dto: ReviewDto, within?: EntityManager): Promise<UnitView> {
    const approve = dto.decision === 'approve';
    return this.step(
      actor,
      id,
      dto,
      within,
      ['surveyed'],
      approve ? 'reviewed' : 'surveyed',
      'review',
      {
        decision: dto.decision,
        comment: dto.comment ?? null,
      },
    );
  }

  /** 公告: starts the objection period (default 15 working days). */
  publicNotice(
    actor: SignedIn,
    id: string,
    dto: PublicNoticeDto,
    within?: EntityManager,
  ): Promise<UnitView> {
    const days = dto.workingDays ?? DEFAULT_OBJECTION_WORKING_DAYS;
    return this.step(
      actor,
      id,
      dto,
      within,
      ['reviewed'],
      'public_notice',
      'public_notice',
      { workingDays: days },
      async (m, unit, date) => {
        const deadline = addWorkingDays(date, days);
        await m.update(RegistrationUnit, { id: unit.id }, { objectionDeadline: deadline });
        return { objectionDeadline: deadline };
      },
    );
  }

  /**
   * 登簿 by a reviewer: only after the objection period has ended and with no open objection. The
   * entry keeps the unit as registered (version and resources).
   */
  register(
    actor: SignedIn,
    id: string,
    dto: RegisterDto,
    within?: EntityManager,
  ): Promise<UnitView> {
    return this.step(
      actor,
      id,
      dto,
      within,
      ['public_notice'],
      'registered',
      'first_registration',
      { certificateNumber: dto.certificateNumber ?? null },
      async (m, unit, date) => {
        if (unit.objectionDeadline && date <= unit.objectionDeadline)
          throw new DomainError(
            'OBJECTIONS_OPEN',
            zhEn(
              `登记单元 ${unit.code} 的异议期至 ${unit.objectionDeadline}；请在异议期满后登簿`,
              `the objection period of unit ${unit.code} runs until ${unit.objectionDeadline}; register on a later date`,
            ),
            [
              {
                path: 'date',
                message: zhEn(
                  `应晚于 ${unit.objectionDeadline}`,
                  `must be after ${unit.objectionDeadline}`,
                ),
              },
            ],
          );
        const open = await m.find(RegistryObjection, {
          where: { unitId: unit.id, status: 'open' },
        });
        if (open.length)
          throw new DomainError(
            'OBJECTIONS_OPEN',
            zhEn(
              `登记单元 ${unit.code} 有 ${open.length} 项未处理的异议，登簿前须先处理：${open.map((o) => `${o.objector}（${o.raisedOn}）`).join('、')}`,
              `unit ${unit.code} has ${open.length} unresolved objection(s); resolve them before registration: ${open.map((o) => `${o.objector} (${o.raisedOn})`).join(', ')}`,
            ),
            open.map((o) => ({
              path: `objections.${o.id}`,
              message: zhEn(
                `由 ${o.objector} 于 ${o.raisedOn} 提出，尚未处理`,
                `raised by ${o.objector} on ${o.raisedOn}, unresolved`,
              ),
            })),
          );
        await m.update(RegistrationUnit, { id: unit.id }, { registeredOn: date });
        const snapshot = await this.reader.read(unit, date, m);
        return { version: snapshot.version, resources: snapshot.resources };
      },
    );
  }

  /** 异议: recorded at any stage; during first registration an open one blocks 登簿. */
  async object(
    actor: SignedIn,
    id: string,
    dto: ObjectionDto,
    within?: EntityManager,
  ): Promise<ObjectionView> {
    return inTransaction(this.dataSource, within, async (m) => {
      const { unit, date } = await this.ledger.lockUnit(m, actor.user, id, dto.date, 'id');
      const entry = await this.ledger.append(m, actor, unit, {
        kind: 'objection',
        effectiveDate: date,
        document: dto.document,
        reason: dto.reason,
        subjects: [],
        payload: { objector: dto.objector, content: dto.content, stage: unit.status },
      });
      const { identifiers } = await m.insert(RegistryObjection, {
        unitId: unit.id,
        raisedOn: date,
        objector: dto.objector,
        content: dto.content,
        status: 'open',
        entryId: entry.id,
      });
      return objectionView(
        await m.findOneByOrFail(RegistryObjection, { id: identifiers[0].id as string }),
      );
    });
  }

  /**
   * 异议处理: upheld or dismissed, once. Upheld during first registration sends the unit back to
   * the survey (调查), to be reviewed and noticed again.
   */
  async resolve(
    actor: SignedIn,
    id: string,
    objectionId: string,
    dto: ResolveObjectionDto,
    within?: EntityManager,
  ): Promise<ObjectionView> {
    return inTransaction(this.dataSource, within, async (m) => {
      const { unit, date } = await this.ledger.lockUnit(m, actor.user, id, dto.date, 'id');
      const objection = await m.findOneBy(RegistryObjection, { id: objectionId, unitId: unit.id });
      if (!objection) throw DomainError.notFound(`objection of unit ${unit.code}`, objectionId);
      if (objection.status !== 'open')
        throw new DomainError(
          'STATE_NOT_ALLOWED',
          zhEn(
            `该异议已于 ${objection.resolvedOn} 处理（${objection.status === 'upheld' ? '成立' : '不成立'}）`,
            `the objection was already ${objection.status} on ${objection.resolvedOn}`,
          ),
        );
      const reopens = dto.decision === 'upheld' && unit.status !== 'registered';
      const entry = await this.ledger.append(m, actor, unit, {
        kind: 'objection_resolution',
        effectiveDate: date,
        document: dto.document,
        reason: dto.reason,
        subjects: [objection.id],
        payload: { objectionId: objection.id, decision: dto.decision, resolution: dto.resolution },
        statusAfter: reopens ? 'surveyed' : undefined,
      });
      await m.update(
        RegistryObjection,
        { id: objection.id },
        {
          status: dto.decision,
          resolution: dto.resolution,
          resolvedOn: date,
          resolvedBy: actor.user.username,
          resolutionEntryId: entry.id,
        },
      );
      if (reopens)
        await m.update(
          RegistrationUnit,
          { id: unit.id },
          { status: 'surveyed', objectionDeadline: null },
        );
      return objectionView(await m.findOneByOrFail(RegistryObjection, { id: objection.id }));
    });
  }

  async objections(actor: SignedIn, id: string): Promise<ObjectionView[]> {
    const unit = await this.reader.visibleUnit(actor.user, id);
    const rows = await this.dataSource.getRepository(RegistryObjection).find({
      where: { unitId: unit.id },
      order: { raisedOn: 'ASC' },
    });
    return rows.map(objectionView);
  }

  private step(
    actor: SignedIn,
    id: string,
    dto: { date?: string; document?: { type: string }; reason?: string },
    within: EntityManager | undefined,
    from: UnitStatus[],
    to: UnitStatus,
    kind: 'notice' | 'survey' | 'review' | 'public_notice' | 'first_registration',
    payload: object,
    check?: (m: EntityManager, unit: RegistrationUnit, date: string) => Promise<object | void>,
  ): Promise<UnitView> {
    return inTransaction(this.dataSource, within, async (m) => {
      const { unit, date } = await this.ledger.lockUnit(m, actor.user, id, dto.date, 'id');
      if (!from.includes(unit.status))
        throw new DomainError(
          'STATE_NOT_ALLOWED',
          zhEn(
            `登记单元 ${unit.code} 当前为“${UNIT_STATUS_ZH[unit.status]}”，此步骤要求其为${from.map((s) => `“${UNIT_STATUS_ZH[s]}”`).join('或')}`,
            `unit ${unit.code} is ${unit.status} (${UNIT_STATUS_ZH[unit.status]}); this step needs it ${from.map((s) => `${s} (${UNIT_STATUS_ZH[s]})`).join(' or ')}`,
          ),
        );
      const extra = (await check?.(m, unit, date)) ?? {};
      await this.ledger.append(m, actor, unit, {
        kind,
        effectiveDate: date,
        document: dto.document,
        reason: dto.reason,
        subjects: [],
        payload: { ...payload, ...extra },
        statusAfter: to,
      });
      await m.update(RegistrationUnit, { id: unit.id }, { status: to });
      const fresh = await m.findOneByOrFail(RegistrationUnit, { id: unit.id });
      return this.reader.read(fresh, date, m);
    });
  }
}

const objectionView = (o: RegistryObjection): ObjectionView => ({
  id: o.id,
  unitId: o.unitId,
  raisedOn: o.raisedOn,
  objector: o.objector,
  content: o.content,
  status: o.status,
  resolution: o.resolution ?? null,
  resolvedOn: o.resolvedOn ?? null,
  resolvedBy: o.resolvedBy ?? null,
});
