import { zhEn } from '../common/i18n/text';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../audit-log/audit-log.service';
import { Actor, AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../common/pagination';
import { Region, RegionLevel } from './region.entity';
import { RegionBoundary } from './region-boundary.entity';
import { Boundary, checkBoundary } from '../common/geometry/geometry';
import { RegionsRepository } from './regions.repository';
import { checkRegionPlacement } from './region-rules';
import { lockRow } from '../database/lock-row';

export interface RegionFilter {
  level?: RegionLevel;
  parentCode?: string;
  within?: string;
  nameContains?: string;
}

export interface RegionBoundaryView {
  regionCode: string;
  name: string;
  boundary: Boundary;
  source: string;
  updatedAt: Date;
}

const positions = (g: Boundary): number =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat(2).length;

export interface NewRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode?: string | null;
}

@Injectable()
export class RegionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  async list(filter: RegionFilter, page: PageQuery): Promise<Page<Region>> {
    const qb = this.dataSource.getRepository(Region).createQueryBuilder('r');
    if (filter.level) qb.andWhere('r.level = :level', { level: filter.level });
    if (filter.parentCode)
      qb.andWhere('r.parentCode = :parentCode', { parentCode: filter.parentCode });
    if (filter.within) {
      qb.andWhere('r.path <@ (SELECT s.path FROM regions s WHERE s.code = :within)', {
        within: filter.within,
      });
    }
    if (filter.nameContains) {
      qb.andWhere("r.name LIKE '%' || :q || '%'", { q: filter.nameContains });
    }
    const [items, total] = await qb
      .orderBy('r.code')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  async get(code: string): Promise<Region> {
    const region = await this.dataSource.getRepository(Region).findOneBy({ code });
    if (!region) throw DomainError.notFound('region', code);
    return region;
  }

  /** The region and its ancestors, top first. */
  async lineage(code: string): Promise<Region[]> {
    const region = await this.get(code);
    return this.dataSource
      .getRepository(Region)
      .createQueryBuilder('r')
      .where('r.path @> :path', { path: region.path })
      .orderBy('nlevel(r.path)')
      .getMany();
  }

  /**
   * Whether `code` lies in the subtree rooted at `scopeCode` (null scope = everything).
   * Undefined when `code` is not a known region.
   */
  isWithin(
    scopeCode: string | null,
    code: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<boolean | undefined> {
    return RegionsRepository.isWithin(m, scopeCode, code);
  }

  /** Throws 403 unless the user's region scope covers `code` (404 for an unknown region). */
  async assertInScope(
    user: AuthUser,
    code: string,
    field = 'regionCode',
    m: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const inside = await this.isWithin(user.regionCode, code, m);
    if (inside === undefined) {
      const message = zhEn(`行政区 ${code} 不存在`, `region ${code} does not exist`);
      throw new DomainError('NOT_FOUND', message, [{ path: field, message }]);
    }
    if (!inside) {
      // named as people know them (清华镇（361130101）), not by code alone
      const [region, scope] = await RegionsRepository.labels(m, [code, user.regionCode!]);
      throw new DomainError(
        'OUT_OF_REGION_SCOPE',
        zhEn(
          `行政区 ${region.zh}不在您的地区权限范围（${scope.zh}）内`,
          `region ${region.en} is outside your scope (${scope.en})`,
        ),
        [
          {
            path: field,
            message: zhEn(
              `不在您的地区权限范围（${scope.zh}）内`,
              `outside your region scope (${scope.en})`,
            ),
          },
        ],
      );
    }
  }

  async create(actor: Actor & { user: AuthUser }, input: NewRegion): Promise<Region> {
    return this.dataSource.transaction(async (manager) => {
      const parent = input.parentCode ? await this.lockParent(manager, input.parentCode) : null;
      const problems = checkRegionPlacement(input.code, input.level, parent);
      if (problems.length > 0) {
        const code = problems.some((p) => p.path === 'parentCode')
          ? 'REGION_INVALID_PARENT'
          : 'VALIDATION_FAILED';
        throw new DomainError(code, problems.map((p) => p.message).join('; '), problems);
      }
      // Creating a region is acting on its parent's subtree; a province needs national scope.
      if (actor.user.regionCode !== null && !parent) {
        throw new DomainError(
          'OUT_OF_REGION_SCOPE',
          zhEn(
            '只有全国管理员可以创建省级行政区',
            'only a national administrator can create a province',
          ),
          [{ path: 'parentCode', message: zhEn('超出您的管辖范围', 'outside your region scope') }],
        );
      }
      if (parent) await this.assertInScope(actor.user, parent.code, 'parentCode');
      const region = manager.create(Region, {
        code: input.code,
        name: input.name.trim(),
        level: input.level,
        parentCode: parent?.code ?? null,
        path: parent ? `${parent.path}.${input.code}` : input.code,
      });
      await manager.insert(Region, region);
      const saved = await manager.findOneByOrFail(Region, { code: input.code });
      await this.auditLog.record(manager, actor, {
        action: 'region.create',
        entityType: 'region',
        entityId: saved.code,
        after: saved,
      });
      return saved;
    });
  }

  async rename(actor: Actor & { user: AuthUser }, code: string, name: string): Promise<Region> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.lockRegion(manager, code);
      await this.assertInScope(actor.user, code, 'code');
      await manager.update(Region, { code }, { name: name.trim() });
      const after = await manager.findOneByOrFail(Region, { code });
      await this.auditLog.record(manager, actor, {
        action: 'region.update',
        entityType: 'region',
        entityId: code,
        before,
        after,
      });
      return after;
    });
  }

  async remove(actor: Actor & { user: AuthUser }, code: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.lockRegion(manager, code);
      await this.assertInScope(actor.user, code, 'code');
      const children = await manager.countBy(Region, { parentCode: code });
      if (children > 0) {
        throw new DomainError(
          'REGION_HAS_CHILDREN',
          zhEn(
            `行政区 ${code} ${before.name} 有 ${children} 个下级行政区；请先删除或移走`,
            `region ${code} ${before.name} has ${children} sub-region(s); delete or move them first`,
          ),
        );
      }
      await manager.delete(Region, { code });
      await this.auditLog.record(manager, actor, {
        action: 'region.delete',
        entityType: 'region',
        entityId: code,
        before,
      });
    });
  }

  /** The region's outline (404 in words when none has been entered). */
  async boundary(code: string): Promise<RegionBoundaryView> {
    const region = await this.get(code);
    const row = await this.dataSource.getRepository(RegionBoundary).findOneBy({ regionCode: code });
    if (!row) {
      throw new DomainError(
        'NOT_FOUND',
        zhEn(
          `行政区 ${code} ${region.name} 的界线尚未录入`,
          `no outline has been entered for region ${code} ${region.name}`,
        ),
      );
    }
    return {
      regionCode: code,
      name: region.name,
      boundary: row.boundary,
      source: row.source,
      updatedAt: row.updatedAt,
    };
  }

  /** Enters or replaces the region's outline, checked as registry boundaries are (closed rings, no self-intersection). */
  async setBoundary(
    actor: Actor & { user: AuthUser },
    code: string,
    input: { boundary: unknown; source: string },
  ): Promise<RegionBoundaryView> {
    const problems = checkBoundary(input.boundary, 'boundary');
    if (problems.length)
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn(`界线有 ${problems.length} 处问题`, `${problems.length} problem(s) in the outline`),
        problems,
      );
    return this.dataSource.transaction(async (manager) => {
      const region = await this.lockRegion(manager, code);
      await this.assertInScope(actor.user, code, 'code', manager);
      const before = await manager.findOneBy(RegionBoundary, { regionCode: code });
      await manager.upsert(
        RegionBoundary,
        { regionCode: code, boundary: input.boundary as Boundary, source: input.source.trim() },
        ['regionCode'],
      );
      const after = await manager.findOneByOrFail(RegionBoundary, { regionCode: code });
      await this.auditLog.record(manager, actor, {
        action: 'region.boundary',
        entityType: 'region',
        entityId: code,
        before: before ? { source: before.source } : null,
        after: { source: after.source, positions: positions(after.boundary) },
      });
      return {
        regionCode: code,
        name: region.name,
        boundary: after.boundary,
        source: after.source,
        updatedAt: after.updatedAt,
      };
    });
  }

  private async lockRegion(manager: EntityManager, code: string): Promise<Region> {
    return lockRow(manager, Region, code, 'region', 'code');
  }

  private async lockParent(manager: EntityManager, code: string): Promise<Region> {
    const parent = await manager
      .getRepository(Region)
      .createQueryBuilder('r')
      .setLock('pessimistic_read')
      .where('r.code = :code', { code })
      .getOne();
    if (!parent) {
      throw new DomainError(
        'REGION_INVALID_PARENT',
        zhEn(`上级行政区 ${code} 不存在`, `parent region ${code} does not exist`),
        [
          {
            path: 'parentCode',
            message: zhEn(`行政区 ${code} 不存在`, `region ${code} does not exist`),
          },
        ],
      );
    }
    return parent;
  }
}
