import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { D } from '../../common/decimal';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { AuthUser, SignedIn } from '../../auth/auth-user';
import { DomainError, FieldProblem } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { RegionsService } from '../../regions/regions.service';
import { ForestAreaRow } from './forest-area.entity';
import { ForestAreaDto } from './forest-areas.dto';
import { zhEn } from '../../common/i18n/text';
import { RegionSql } from '../../regions/regions.repository';

/** Public-welfare forest areas (公益林面积) by region, year, level, ownership and zone. */
@Injectable()
export class ForestAreasService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly auditLog: AuditLogService,
  ) {}

  async list(
    user: AuthUser,
    q: { regionCode?: string; year?: number },
    page: PageQuery,
  ): Promise<Page<ForestAreaRow>> {
    const qb = this.dataSource.getRepository(ForestAreaRow).createQueryBuilder('f');
    if (user.regionCode)
      qb.andWhere(RegionSql.codeWithin('f.region_code', ':scope::varchar'), {
        scope: user.regionCode,
      });
    if (q.regionCode) qb.andWhere('f.regionCode = :rc', { rc: q.regionCode });
    if (q.year) qb.andWhere('f.year = :y', { y: q.year });
    const [items, total] = await qb
      .orderBy('f.regionCode')
      .addOrderBy('f.year')
      .addOrderBy('f.forestLevel')
      .addOrderBy('f.ownership')
      .addOrderBy('f.zone')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /** Enters or corrects areas, all or none, each region within the caller's scope; audited. */
  async put(
    actor: SignedIn,
    values: ForestAreaDto[],
  ): Promise<{ inserted: number; updated: number; unchanged: number }> {
    const problems: FieldProblem[] = [];
    const seen = new Map<string, number>();
    values.forEach((v, i) => {
      if (new D(v.areaMu).lte(0))
        problems.push({
          path: `values[${i}].areaMu`,
          message: zhEn('面积应大于 0 亩', 'the area must be above 0 亩'),
        });
      const key = [v.regionCode, v.year, v.forestLevel, v.ownership, v.zone ?? 'general'].join('|');
      if (seen.has(key))
        problems.push({
          path: `values[${i}]`,
          message: zhEn(
            `与 values[${seen.get(key)}] 是同一面积`,
            `the same area as values[${seen.get(key)}]`,
          ),
        });
      else seen.set(key, i);
    });
    if (problems.length)
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn(`面积数据有 ${problems.length} 处问题`, `${problems.length} problem(s) in the areas`),
        problems,
      );
    for (const code of new Set(values.map((v) => v.regionCode)))
      await this.regions.assertInScope(
        actor.user,
        code,
        `values[${values.findIndex((v) => v.regionCode === code)}].regionCode`,
      );
    return this.dataSource.transaction(async (manager) => {
      let inserted = 0;
      let updated = 0;
      let unchanged = 0;
      const changes: object[] = [];
      for (const v of values) {
        const key = {
          regionCode: v.regionCode,
          year: v.year,
          forestLevel: v.forestLevel,
          ownership: v.ownership,
          zone: v.zone ?? 'general',
        };
        const before = await manager.findOne(ForestAreaRow, {
          where: key,
          lock: { mode: 'pessimistic_write' },
        });
        if (before && before.areaMu.eq(v.areaMu) && before.source === v.source) {
          unchanged++;
          continue;
        }
        await manager.upsert(
          ForestAreaRow,
          { ...key, areaMu: new D(v.areaMu), source: v.source, enteredBy: actor.user.username },
          ['regionCode', 'year', 'forestLevel', 'ownership', 'zone'],
        );
        if (before) updated++;
        else inserted++;
        changes.push({ ...key, before: before?.areaMu ?? null, after: v.areaMu });
      }
      if (changes.length)
        await this.auditLog.record(manager, actor, {
          action: 'forest_areas.put',
          entityType: 'forest_area',
          entityId: values[0].regionCode,
          after: { changes },
        });
      return { inserted, updated, unchanged };
    });
  }
}
