import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PublishedGep } from '../../accounting/runs/published-gep';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { AuthUser, SignedIn } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { RegionsService } from '../../regions/regions.service';
import { Official } from './official.entity';
import { Tenure } from './tenure.entity';
import {
  DEFAULT_RULESET,
  evaluateTenure,
  EvaluationRuleset,
  TenureEvaluation,
} from './tenure-evaluation';
import { zhEn } from '../../common/i18n/text';
import { scopeCondition } from '../../auth/region-scope';
import { pinyinOrder } from '../../database/pinyin-order';

@Injectable()
export class OfficialsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly auditLog: AuditLogService,
    private readonly gep: PublishedGep,
  ) {}

  async list(q: string | undefined, page: PageQuery): Promise<Page<Official>> {
    const qb = this.dataSource.getRepository(Official).createQueryBuilder('o');
    if (q) qb.where('o.name LIKE :q', { q: `%${q.replace(/[%_\\]/g, '\\$&')}%` });
    const [items, total] = await qb
      .orderBy(pinyinOrder('o.name'))
      .addOrderBy('o.id')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /** An official with the tenures the caller's scope covers. */
  async get(user: AuthUser, id: string): Promise<{ official: Official; tenures: Tenure[] }> {
    const official = await this.dataSource.getRepository(Official).findOneBy({ id });
    if (!official) throw DomainError.notFound('official', id);
    const all = await this.dataSource
      .getRepository(Tenure)
      .find({ where: { officialId: id }, order: { startDate: 'ASC' } });
    const tenures: Tenure[] = [];
    for (const t of all)
      if (await this.regions.isWithin(user.regionCode, t.regionCode)) tenures.push(t);
    return { official, tenures };
  }

  async create(actor: SignedIn, input: { name: string; note?: string }): Promise<Official> {
    return this.dataSource.transaction(async (manager) => {
      const { identifiers } = await manager.insert(Official, {
        name: input.name.trim(),
        note: input.note ?? null,
        createdBy: actor.user.username,
      });
      const official = await manager.findOneByOrFail(Official, { id: identifiers[0].id as string });
      await this.auditLog.record(manager, actor, {
        action: 'official.create',
        entityType: 'official',
        entityId: official.id,
        after: official,
      });
      return official;
    });
  }

  /** Adds a tenure; the database refuses one that ends before it starts or overlaps the same post. */
  async addTenure(
    actor: SignedIn,
    officialId: string,
    input: {
      regionCode: string;
      post: string;
      startDate: string;
      endDate?: string;
      acting?: boolean;
      note?: string;
    },
  ): Promise<Tenure> {
    if (input.endDate && input.endDate < input.startDate)
      throw DomainError.invalid(
        'endDate',
        zhEn(
          `任期结束日期（${input.endDate}）早于开始日期（${input.startDate}）`,
          `the tenure ends (${input.endDate}) before it starts (${input.startDate})`,
        ),
      );
    await this.regions.assertInScope(actor.user, input.regionCode);
    return this.dataSource.transaction(async (manager) => {
      if (!(await manager.existsBy(Official, { id: officialId })))
        throw DomainError.notFound('official', officialId);
      const { identifiers } = await manager.insert(Tenure, {
        officialId,
        regionCode: input.regionCode,
        post: input.post.trim(),
        startDate: input.startDate,
        endDate: input.endDate ?? null,
        acting: input.acting ?? false,
        note: input.note ?? null,
        createdBy: actor.user.username,
      });
      const tenure = await manager.findOneByOrFail(Tenure, { id: identifiers[0].id as string });
      await this.auditLog.record(manager, actor, {
        action: 'tenure.create',
        entityType: 'tenure',
        entityId: tenure.id,
        after: tenure,
      });
      return tenure;
    });
  }

  async tenures(
    user: AuthUser,
    regionCode: string | undefined,
    page: PageQuery,
  ): Promise<Page<Tenure>> {
    const qb = this.dataSource.getRepository(Tenure).createQueryBuilder('t');
    if (user.regionCode)
      qb.andWhere(scopeCondition('tenure', 't', ':scope::varchar', false), {
        scope: user.regionCode,
      });
    if (regionCode) qb.andWhere('t.regionCode = :rc', { rc: regionCode });
    const [items, total] = await qb
      .orderBy('t.regionCode')
      .addOrderBy('t.startDate')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /** The tenure's evaluation from published GEP runs under a ruleset (nothing is stored). */
  async evaluate(
    user: AuthUser,
    tenureId: string,
    ruleset: EvaluationRuleset = DEFAULT_RULESET,
  ): Promise<TenureEvaluation> {
    const tenure = await this.dataSource.getRepository(Tenure).findOneBy({ id: tenureId });
    if (!tenure) throw DomainError.notFound('tenure', tenureId);
    await this.regions.assertInScope(user, tenure.regionCode);
    return evaluateTenure(this.dataSource.manager, this.gep, tenure, ruleset);
  }
}
