import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { D } from '../../common/decimal';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { SignedIn } from '../../auth/auth-user';
import { DomainError, FieldProblem } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { RegionsService } from '../../regions/regions.service';
import { PLAUSIBLE_MAX } from './cross-section';
import { CreateSectionDto, MonitoringValueDto } from './monitoring.dto';
import { MonitoringSection, MonitoringValue } from './monitoring.entity';
import { zhEn } from '../../common/i18n/text';

/** Problems of a batch of readings that its fields alone do not show, each with its path. */
export function checkReadings(values: MonitoringValueDto[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  values.forEach((v, i) => {
    const at = `values[${i}]`;
    const state = v.state ?? 'normal';
    if (state === 'normal' && v.concentration == null)
      problems.push({
        path: `${at}.concentration`,
        message: zhEn(
          '正常月份应填写浓度（断流或冰封月份请在状态中注明）',
          'a normal month needs the concentration (a dry or frozen month says so in state)',
        ),
      });
    if (state !== 'normal' && v.concentration != null)
      problems.push({
        path: `${at}.concentration`,
        message: zhEn(
          `${state === 'dry' ? '断流' : state === 'frozen' ? '冰封' : state} 月份没有浓度；请不填，或将状态改为正常`,
          `a ${state} month has no concentration; leave it out or set state to normal`,
        ),
      });
    for (const field of ['concentration', 'inflow'] as const) {
      const x = v[field];
      if (x != null && new D(x).gt(PLAUSIBLE_MAX[v.pollutant]))
        problems.push({
          path: `${at}.${field}`,
          message: zhEn(
            `${v.pollutant} ${x} mg/L 不是合理的地表水监测值（最多 ${PLAUSIBLE_MAX[v.pollutant]} mg/L）；请核对数值和单位`,
            `${x} mg/L of ${v.pollutant} is not a plausible surface-water reading (at most ${PLAUSIBLE_MAX[v.pollutant]} mg/L); check the value and its unit`,
          ),
        });
    }
    const key = `${v.year}-${v.month}-${v.pollutant}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({
        path: at,
        message: zhEn(
          `${v.pollutant} ${v.year}-${String(v.month).padStart(2, '0')} 已在 values[${first}] 中给出`,
          `${v.pollutant} for ${v.year}-${String(v.month).padStart(2, '0')} is already given in values[${first}]`,
        ),
      });
    else seen.set(key, i);
  });
  return problems;
}

/** Cross-boundary monitoring sections and their monthly water-quality readings. */
@Injectable()
export class MonitoringService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly auditLog: AuditLogService,
  ) {}

  async list(page: PageQuery): Promise<Page<MonitoringSection>> {
    const [items, total] = await this.dataSource
      .getRepository(MonitoringSection)
      .findAndCount({ order: { code: 'ASC' }, skip: page.offset, take: page.pageSize });
    return pageOf(items, total, page);
  }

  private async section(code: string): Promise<MonitoringSection> {
    const s = await this.dataSource.getRepository(MonitoringSection).findOneBy({ code });
    if (!s) throw DomainError.notFound('monitoring section', code);
    return s;
  }

  async create(actor: SignedIn, input: CreateSectionDto): Promise<MonitoringSection> {
    if (input.upstreamRegionCode === input.downstreamRegionCode)
      throw DomainError.invalid(
        'downstreamRegionCode',
        zhEn('下游行政区不能与上游相同', 'the downstream region must differ from the upstream one'),
      );
    // the section belongs to the upstream region's scope; the downstream one need only exist
    await this.regions.assertInScope(actor.user, input.upstreamRegionCode, 'upstreamRegionCode');
    if ((await this.regions.isWithin(null, input.downstreamRegionCode)) === undefined)
      throw DomainError.invalid(
        'downstreamRegionCode',
        zhEn(
          `没有代码为 ${input.downstreamRegionCode} 的行政区`,
          `no region has the code ${input.downstreamRegionCode}`,
        ),
      );
    return this.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(MonitoringSection, { code: input.code }))
        throw new DomainError(
          'DUPLICATE',
          zhEn(
            `监测断面 ${input.code} 已存在`,
            `a monitoring section ${input.code} exists already`,
          ),
          [{ path: 'code', message: zhEn('已被使用', 'already used') }],
        );
      await manager.insert(MonitoringSection, {
        ...input,
        note: input.note ?? null,
        createdBy: actor.user.username,
      });
      const section = await manager.findOneByOrFail(MonitoringSection, { code: input.code });
      await this.auditLog.record(manager, actor, {
        action: 'monitoring_section.create',
        entityType: 'monitoring_section',
        entityId: section.code,
        after: section,
      });
      return section;
    });
  }

  async values(code: string, year?: number): Promise<MonitoringValue[]> {
    await this.section(code);
    return this.dataSource.getRepository(MonitoringValue).find({
      where: { sectionCode: code, ...(year ? { year } : {}) },
      order: { year: 'ASC', month: 'ASC', pollutant: 'ASC' },
    });
  }

  /**
   * Enters or corrects readings of a section, all or none: every problem of the batch is listed
   * with its path. Corrections are audited with the values they replace.
   */
  async put(
    actor: SignedIn,
    code: string,
    values: MonitoringValueDto[],
  ): Promise<{ inserted: number; updated: number; unchanged: number }> {
    const section = await this.section(code);
    await this.regions.assertInScope(actor.user, section.upstreamRegionCode);
    const problems = checkReadings(values);
    if (problems.length)
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn(
          `监测数据有 ${problems.length} 处问题`,
          `${problems.length} problem(s) in the readings`,
        ),
        problems,
      );
    return this.dataSource.transaction(async (manager) => {
      let inserted = 0;
      let updated = 0;
      let unchanged = 0;
      const changes: object[] = [];
      for (const v of values) {
        const key = { sectionCode: code, year: v.year, month: v.month, pollutant: v.pollutant };
        const before = await manager.findOne(MonitoringValue, {
          where: key,
          lock: { mode: 'pessimistic_write' },
        });
        const row = {
          ...key,
          state: v.state ?? 'normal',
          concentration: v.concentration == null ? null : new D(v.concentration),
          inflow: v.inflow == null ? null : new D(v.inflow),
          source: v.source,
          enteredBy: actor.user.username,
        };
        const same =
          before &&
          before.state === row.state &&
          String(before.concentration) === String(row.concentration) &&
          String(before.inflow) === String(row.inflow) &&
          before.source === row.source;
        if (same) {
          unchanged++;
          continue;
        }
        await manager.upsert(MonitoringValue, row, ['sectionCode', 'year', 'month', 'pollutant']);
        if (before) updated++;
        else inserted++;
        changes.push({
          year: v.year,
          month: v.month,
          pollutant: v.pollutant,
          before: before
            ? { state: before.state, concentration: before.concentration, inflow: before.inflow }
            : null,
          after: { state: row.state, concentration: row.concentration, inflow: row.inflow },
        });
      }
      if (changes.length)
        await this.auditLog.record(manager, actor, {
          action: 'monitoring_values.put',
          entityType: 'monitoring_section',
          entityId: code,
          after: { changes },
        });
      return { inserted, updated, unchanged };
    });
  }
}
