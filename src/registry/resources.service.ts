import { randomUUID } from 'node:crypto';
import { inTransaction } from '../database/transaction';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { D, Dec } from '../common/decimal';
import { AuthUser } from '../auth/auth-user';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { areaHa, Boundary } from '../common/geometry/geometry';
import { checkBoundaryAsync, overlapM2Async } from './geometry-offload';
import { LedgerService } from './ledger.service';
import { SignedIn } from '../auth/auth-user';
import { RegistrationUnit } from './registration-unit.entity';
import { RegistryReader } from './registry-reader';
import { resourceCode, todayInChina } from './registry-rules';
import { RESOURCE_TYPE_ZH, ResourceType, RIGHT_RULES } from './registry-types';
import { ResourceView } from './registry-views';
import { checkAttributes } from './resource-attributes';
import { ResourceVersion } from './resource-version.entity';
import {
  AddResourceDto,
  ChangeResourceDto,
  MergeResourcesDto,
  ResourceAttributesDto,
  SplitResourceDto,
} from './resource.dto';
import { RegistryResource } from './resource.entity';
import { RightsService } from './rights.service';
import { zhEn } from '../common/i18n/text';

type VersionRow = Omit<
  ResourceVersion,
  'id' | 'valid' | 'entryId' | 'resource' | 'entry' | 'resourceId'
>;

/** Resources can be recorded while the unit is being surveyed, and changed once it is registered. */
const OPEN_FOR_RESOURCES = new Set(['pre_delimited', 'notice_issued', 'surveyed', 'registered']);

/** Resources inside units: record, change or correct, split and merge (area conserved). */
@Injectable()
export class ResourcesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly reader: RegistryReader,
    private readonly rights: RightsService,
  ) {}

  async add(
    actor: SignedIn,
    unitId: string,
    dto: AddResourceDto,
    within?: EntityManager,
  ): Promise<ResourceView> {
    return inTransaction(this.dataSource, within, async (m) => {
      const { unit, date } = await this.ledger.lockUnit(m, actor.user, unitId, dto.date, 'id');
      this.assertOpen(unit);
      const row = await this.versionRow(m, unit, dto.resourceType, dto, '', date);
      await this.assertFitsUnit(m, unit, date, row.areaHa, [], 'areaHa');
      const resource = await this.insertResource(m, unit, dto.resourceType, []);
      const entry = await this.ledger.append(m, actor, unit, {
        kind: 'resource_added',
        effectiveDate: date,
        document: dto.document,
        subjects: [resource.id],
        payload: {
          resource: { id: resource.id, code: resource.code, resourceType: resource.resourceType },
          version: row,
        },
      });
      await this.insertVersion(m, resource.id, date, row, entry.id);
      return this.viewOf(m, resource.id, date);
    });
  }

  async change(
    actor: SignedIn,
    id: string,
    dto: ChangeResourceDto,
    within?: EntityManager,
  ): Promise<ResourceView> {
    return inTransaction(this.dataSource, within, async (m) => {
      const resource = await this.resourceOf(m, id);
      const { unit, date } = await this.ledger.lockUnit(
        m,
        actor.user,
        resource.unitId,
        dto.date,
        'id',
      );
      this.assertOpen(unit);
      const current = await this.viewOf(m, id, date);
      const merged = {
        ...currentAttributes(current),
        ...dropUndefined(dto),
      } as ResourceAttributesDto;
      const row = await this.versionRow(m, unit, resource.resourceType, merged, '', date);
      await this.assertFitsUnit(m, unit, date, row.areaHa, [resource.id], 'areaHa');
      const entry = await this.ledger.append(m, actor, unit, {
        kind: dto.kind,
        effectiveDate: date,
        document: dto.document,
        reason: dto.reason,
        subjects: [resource.id],
        payload: { resourceId: resource.id, version: row },
      });
      await this.ledger.closeVersion(m, 'registry_resource_versions', resource.id, date);
      await this.insertVersion(m, resource.id, date, row, entry.id);
      return this.viewOf(m, id, date);
    });
  }

  /**
   * 分割: the resource ends on the date and its parts begin; the parts' areas must add up to its
   * area exactly. Live rights carry over to every part with the same holders and term (the
   * encumbrances re-pointed to the parts' rights); a resource carrying area-bearing rights (offset
   * credits) cannot be split — say which part each credit belongs to by ending and re-granting it.
   */
  async split(
    actor: SignedIn,
    id: string,
    dto: SplitResourceDto,
    within?: EntityManager,
  ): Promise<ResourceView[]> {
    return inTransaction(this.dataSource, within, async (m) => {
      const resource = await this.resourceOf(m, id);
      const { unit, date } = await this.ledger.lockUnit(
        m,
        actor.user,
        resource.unitId,
        dto.date,
        'id',
      );
      this.assertOpen(unit);
      const current = await this.viewOf(m, id, date);
      const total = dto.parts.reduce((s, p) => s.plus(p.areaHa), new D(0));
      if (!total.eq(current.areaHa))
        throw new DomainError(
          'CONSTRAINT_VIOLATED',
          zhEn(
            `分割应保持面积不变：各部分合计 ${total.toString()} 公顷，原资源为 ${current.areaHa} 公顷`,
            `a split must conserve area: the parts add up to ${total.toString()} hm², the resource has ${current.areaHa} hm²`,
          ),
          [
            {
              path: 'parts',
              message: zhEn(
                `各部分面积之和应为 ${current.areaHa} 公顷`,
                `areas must add up to ${current.areaHa} hm²`,
              ),
            },
          ],
        );
      const rows: VersionRow[] = [];
      for (const [i, part] of dto.parts.entries())
        rows.push(
          await this.versionRow(
            m,
            unit,
            resource.resourceType,
            {
              ...currentAttributes(current),
              geometry: undefined,
              attributes: withoutQuantities(current.attributes),
              ...dropUndefined(part),
            } as ResourceAttributesDto,
            `parts[${i}]`,
            date,
          ),
        );
      const live = await this.reader.rights([resource.id], date, m);
      const withArea = live.filter((r) => RIGHT_RULES[r.rightType].hasArea);
      if (withArea.length)
        throw new DomainError(
          'RIGHTS_LIVE',
          zhEn(
            `该资源上有带面积的${withArea.map((r) => r.rightTypeZh).join('、')}；请先注销，分割后再在各部分上设立`,
            `the resource carries ${withArea.map((r) => r.rightTypeZh).join(', ')} with an area; end them and grant them on the parts after the split`,
          ),
        );
      const parts: RegistryResource[] = [];
      for (let i = 0; i < rows.length; i++)
        parts.push(await this.insertResource(m, unit, resource.resourceType, [resource.id]));
      const entry = await this.ledger.append(m, actor, unit, {
        kind: 'split',
        effectiveDate: date,
        document: dto.document,
        reason: dto.reason,
        subjects: [resource.id, ...parts.map((p) => p.id), ...live.map((r) => r.id)],
        payload: {
          resourceId: resource.id,
          areaHa: current.areaHa,
          parts: parts.map((p, i) => ({ id: p.id, code: p.code, version: rows[i] })),
          rightsCarried: live.map((r) => r.id),
        },
      });
      await this.rights.endRights(
        m,
        live.map((r) => r.id),
        date,
        entry.id,
      );
      await this.ledger.closeVersion(m, 'registry_resource_versions', resource.id, date);
      const bases = live.filter((r) => !r.encumbersRightId);
      const encumbrances = live.filter((r) => r.encumbersRightId);
      for (const [i, part] of parts.entries()) {
        await this.insertVersion(m, part.id, date, rows[i], entry.id);
        const copies = new Map<string, string>();
        for (const r of [...bases, ...encumbrances]) {
          const copyId = randomUUID();
          copies.set(r.id, copyId);
          await this.rights.insertRight(
            m,
            copyId,
            {
              resourceId: part.id,
              rightType: r.rightType,
              start: date,
              end: r.period.to,
              holders: r.holders.map((h) => ({ partyId: h.partyId, share: new D(h.share) })),
              encumbersRightId: r.encumbersRightId
                ? (copies.get(r.encumbersRightId) ?? null)
                : null,
              derivedFromRightId: r.id,
              areaHa: null,
              priceYuan: null,
              document: r.document,
            },
            entry.id,
          );
        }
      }
      return this.reader.resources(
        [],
        date,
        m,
        parts.map((p) => p.id),
      );
    });
  }

  /** 合并: live resources of one unit and type, without live rights, become one with their total area. */
  async merge(
    actor: SignedIn,
    dto: MergeResourcesDto,
    within?: EntityManager,
  ): Promise<ResourceView> {
    return inTransaction(this.dataSource, within, async (m) => {
      if (new Set(dto.resourceIds).size !== dto.resourceIds.length)
        throw DomainError.invalid(
          'resourceIds',
          zhEn('有资源重复列出', 'a resource is listed twice'),
        );
      const resources = await m.findBy(RegistryResource, { id: In(dto.resourceIds) });
      const missing = dto.resourceIds.findIndex((rid) => !resources.some((r) => r.id === rid));
      if (missing >= 0)
        throw new DomainError(
          'NOT_FOUND',
          zhEn(
            `找不到自然资源（${dto.resourceIds[missing]}）`,
            `resource ${dto.resourceIds[missing]} does not exist`,
          ),
          [
            {
              path: `resourceIds[${missing}]`,
              message: zhEn('没有此编号的自然资源', 'no resource has this id'),
            },
          ],
        );
      const unitIds = new Set(resources.map((r) => r.unitId));
      await this.ledger.assertUnitsInScope(m, actor.user, unitIds, 'resourceIds');
      const types = new Set(resources.map((r) => r.resourceType));
      if (unitIds.size > 1 || types.size > 1)
        throw DomainError.invalid(
          'resourceIds',
          zhEn(
            '只能合并同一登记单元、同一类型的自然资源',
            'only resources of one unit and one type can be merged',
          ),
        );
      const { unit, date } = await this.ledger.lockUnit(
        m,
        actor.user,
        resources[0].unitId,
        dto.date,
        'resourceIds',
      );
      this.assertOpen(unit);
      const current = await this.reader.resources([], date, m, dto.resourceIds);
      if (current.length !== dto.resourceIds.length)
        throw new DomainError(
          'RESOURCE_NOT_LIVE',
          zhEn(`部分资源在 ${date} 已不存在`, `some of the resources no longer exist on ${date}`),
        );
      const live = await this.reader.rights(dto.resourceIds, date, m);
      if (live.length)
        throw new DomainError(
          'RIGHTS_LIVE',
          zhEn(
            `这些资源上有 ${live.length} 项有效权利；不同地块上的权利不能合并，请先注销或转让`,
            `${live.length} right(s) are live over these resources; rights over different parcels do not merge — end or transfer them first`,
          ),
          live.map((r) => ({
            path: `rights.${r.id}`,
            message: zhEn(
              `${r.rightType}，权利人 ${r.holders.map((h) => h.name).join('、')}`,
              `${r.rightType} held by ${r.holders.map((h) => h.name).join(', ')}`,
            ),
          })),
        );
      const ecosystems = new Set(current.map((c) => c.ecosystemType));
      if (!dto.ecosystemType && ecosystems.size > 1)
        throw DomainError.invalid(
          'ecosystemType',
          zhEn(
            `这些资源的生态系统类型为 ${[...ecosystems].join('、')}：请指明合并后的类型`,
            `the resources are of ecosystem types ${[...ecosystems].join(', ')}: say which the merged one is`,
          ),
        );
      const sum = (pick: (c: ResourceView) => string | null): string | undefined =>
        current.every((c) => pick(c) !== null)
          ? current.reduce((s, c) => s.plus(pick(c)!), new D(0)).toString()
          : undefined;
      const attrs = {
        ...currentAttributes(current[0]),
        name: dto.name ?? current[0].name ?? undefined,
        ecosystemType: dto.ecosystemType ?? current[0].ecosystemType,
        areaHa: sum((c) => c.areaHa)!,
        stateAreaHa: sum((c) => c.stateAreaHa),
        collectiveAreaHa: sum((c) => c.collectiveAreaHa),
        disputedAreaHa: sum((c) => c.disputedAreaHa),
        patchCount: current.every((c) => c.patchCount !== null)
          ? current.reduce((s, c) => s + c.patchCount!, 0)
          : undefined,
        geometry: dto.geometry,
        attributes: dto.attributes ?? summedAttributes(current.map((c) => c.attributes)),
      } as ResourceAttributesDto;
      const row = await this.versionRow(m, unit, resources[0].resourceType, attrs, '', date);
      const merged = await this.insertResource(m, unit, resources[0].resourceType, dto.resourceIds);
      const entry = await this.ledger.append(m, actor, unit, {
        kind: 'merge',
        effectiveDate: date,
        document: dto.document,
        reason: dto.reason,
        subjects: [merged.id, ...dto.resourceIds],
        payload: {
          resourceIds: dto.resourceIds,
          merged: { id: merged.id, code: merged.code, version: row },
        },
      });
      for (const rid of dto.resourceIds)
        await this.ledger.closeVersion(m, 'registry_resource_versions', rid, date);
      await this.insertVersion(m, merged.id, date, row, entry.id);
      return this.viewOf(m, merged.id, date);
    });
  }

  async get(user: AuthUser, id: string, asOf?: string): Promise<ResourceView> {
    const resource = await this.resourceOf(this.dataSource.manager, id);
    await this.reader.visibleUnit(user, resource.unitId);
    return this.viewOf(this.dataSource.manager, id, asOf ?? todayInChina());
  }

  async insertResource(
    m: EntityManager,
    unit: RegistrationUnit,
    type: ResourceType,
    derivedFrom: string[],
  ): Promise<RegistryResource> {
    const [{ n }] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM registry_resources WHERE unit_id = $1`,
      [unit.id],
    );
    const resource = m.create(RegistryResource, {
      unitId: unit.id,
      code: resourceCode(unit.code, n + 1),
      resourceType: type,
      derivedFrom,
    });
    await m.insert(RegistryResource, resource);
    return resource;
  }

  async insertVersion(
    m: EntityManager,
    resourceId: string,
    date: string,
    row: VersionRow,
    entryId: string,
  ): Promise<void> {
    await m.insert(ResourceVersion, { ...row, resourceId, valid: `[${date},)`, entryId });
  }

  /**
   * Checks a resource's attributes — per-type fields, the parts of its area, its geometry inside
   * the unit's boundary — and builds its version row. Problems are named under `prefix`.
   */
  async versionRow(
    m: EntityManager,
    unit: RegistrationUnit,
    type: ResourceType,
    a: ResourceAttributesDto,
    prefix: string,
    date: string,
  ): Promise<VersionRow> {
    const p = (f: string) => (prefix ? `${prefix}.${f}` : f);
    const { problems, attributes } = checkAttributes(type, a.attributes, p('attributes'));
    const area = new D(a.areaHa);
    if (area.lte(0))
      problems.push({
        path: p('areaHa'),
        message: zhEn('面积应大于 0 公顷', 'the area must be above 0 hm²'),
      });
    const parts = [a.stateAreaHa, a.collectiveAreaHa, a.disputedAreaHa].filter(
      (x): x is string => x !== undefined,
    );
    const partsTotal = parts.reduce((s, x) => s.plus(x), new D(0));
    if (partsTotal.gt(area))
      problems.push({
        path: p('areaHa'),
        message: zhEn(
          `国有、集体和争议面积合计 ${partsTotal.toString()} 公顷，超过总面积 ${area.toString()} 公顷`,
          `state, collective and disputed areas add up to ${partsTotal.toString()} hm², more than the area ${area.toString()} hm²`,
        ),
      });
    if (a.geometry !== undefined && a.geometry !== null) {
      const geometryProblems = await checkBoundaryAsync(a.geometry, p('geometry'));
      problems.push(...geometryProblems);
      if (!geometryProblems.length)
        problems.push(
          ...(await this.outsideUnit(m, unit, a.geometry as Boundary, p('geometry'), date)),
        );
    }
    if (problems.length)
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn(
          `${RESOURCE_TYPE_ZH[type]}资源有 ${problems.length} 处问题`,
          `${problems.length} problem(s) in the ${RESOURCE_TYPE_ZH[type]} resource`,
        ),
        problems,
      );
    return {
      name: a.name ?? null,
      ecosystemType: a.ecosystemType,
      areaHa: area,
      stateAreaHa: decOrNull(a.stateAreaHa),
      collectiveAreaHa: decOrNull(a.collectiveAreaHa),
      disputedAreaHa: decOrNull(a.disputedAreaHa),
      patchCount: a.patchCount ?? null,
      geometry: (a.geometry as Boundary | undefined) ?? null,
      attributes,
    };
  }

  /**
   * The resources of a unit share its area: their areas may not add up to more than the unit's
   * computed area, with 1 % allowance because that area is spherical (from longitude/latitude)
   * and survey areas are projected (CGCS2000 Gauss–Krüger).
   */
  async assertFitsUnit(
    m: EntityManager,
    unit: RegistrationUnit,
    date: string,
    area: Dec,
    replacing: string[],
    path: string,
  ): Promise<void> {
    const version = await this.reader.unitVersion(unit.id, date, m);
    if (!version) return;
    const [{ used }] = await m.query<{ used: string }[]>(
      `SELECT coalesce(sum(v.area_ha), 0)::text AS used FROM registry_resources r
         JOIN registry_resource_versions v ON v.resource_id = r.id AND v.valid @> $2::date
        WHERE r.unit_id = $1 AND NOT r.id = ANY($3)`,
      [unit.id, date, replacing],
    );
    const total = area.plus(used);
    const limit = new D(version.areaHa).times('1.01');
    if (total.gt(limit))
      throw new DomainError(
        'CONSTRAINT_VIOLATED',
        zhEn(
          `登记单元 ${unit.code} 的资源将达 ${total.toString()} 公顷，超过单元面积 ${version.areaHa} 公顷（含 1 % 投影误差）`,
          `the resources of unit ${unit.code} would cover ${total.toString()} hm², more than the unit's ${version.areaHa} hm² (+1 % for projection)`,
        ),
        [
          {
            path,
            message: zhEn(
              `单元内最多还能容纳 ${limit.minus(used).toDecimalPlaces(4, D.ROUND_DOWN).toString()} 公顷`,
              `at most ${limit.minus(used).toDecimalPlaces(4, D.ROUND_DOWN).toString()} hm² fit in the unit`,
            ),
          },
        ],
      );
  }

  /** A resource's geometry must lie inside its unit (up to 1 m² and 0.01 % for clipping noise). */
  private async outsideUnit(
    m: EntityManager,
    unit: RegistrationUnit,
    g: Boundary,
    path: string,
    date: string,
  ): Promise<FieldProblem[]> {
    const version = await this.reader.unitVersion(unit.id, date, m);
    if (!version) return [];
    const own = areaHa(g).times(10_000).toNumber();
    const inside = await overlapM2Async(g, version.boundary);
    const outside = own - inside;
    return outside > Math.max(1, own * 1e-4)
      ? [
          {
            path,
            message: zhEn(
              `有 ${Math.round(outside).toLocaleString('en')} 平方米位于登记单元 ${unit.code} 边界之外`,
              `lies ${Math.round(outside).toLocaleString('en')} m² outside the boundary of unit ${unit.code}`,
            ),
          },
        ]
      : [];
  }

  private async viewOf(m: EntityManager, id: string, date: string): Promise<ResourceView> {
    const [view] = await this.reader.resources([], date, m, [id]);
    if (!view)
      throw new DomainError(
        'NOT_FOUND',
        zhEn(`${date} 不存在自然资源（${id}）`, `resource ${id} does not exist on ${date}`),
      );
    return view;
  }

  private async resourceOf(m: EntityManager, id: string): Promise<RegistryResource> {
    const r = await m.findOneBy(RegistryResource, { id });
    if (!r) throw DomainError.notFound('resource', id);
    return r;
  }

  private assertOpen(unit: RegistrationUnit): void {
    if (!OPEN_FOR_RESOURCES.has(unit.status))
      throw new DomainError(
        'RESOURCES_FIXED',
        zhEn(
          `登记单元 ${unit.code} 状态为 ${unit.status}：审核至登簿期间资源不能变动；如需修改，请退回调查（异议成立或审核退回）`,
          `unit ${unit.code} is ${unit.status}: its resources are fixed between review and registration; return it to the survey (an upheld objection or a returned review) to change them`,
        ),
      );
  }
}

const decOrNull = (x: string | undefined): Dec | null => (x === undefined ? null : new D(x));

const dropUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(o).filter(
      ([k, v]) => v !== undefined && !['kind', 'date', 'reason', 'document'].includes(k),
    ),
  ) as Partial<T>;

/** A resource's current attributes as the input of a new version. */
function currentAttributes(c: ResourceView): Partial<ResourceAttributesDto> {
  return {
    name: c.name ?? undefined,
    ecosystemType: c.ecosystemType,
    areaHa: c.areaHa,
    stateAreaHa: c.stateAreaHa ?? undefined,
    collectiveAreaHa: c.collectiveAreaHa ?? undefined,
    disputedAreaHa: c.disputedAreaHa ?? undefined,
    patchCount: c.patchCount ?? undefined,
    geometry: c.geometry ?? undefined,
    attributes: c.attributes,
  };
}

/** Per-type fields that are quantities of the whole resource (stock, areas, lengths, reserves). */
const isQuantityField = (k: string) => /(Ha|M3|Km|Resources)$/.test(k);

/** A part of a split keeps the descriptive fields; quantities are the part's own to report. */
const withoutQuantities = (a: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(a).filter(([k]) => !isQuantityField(k)));

/** A merged resource: the first part's descriptive fields, quantities summed where every part has them. */
function summedAttributes(all: Record<string, unknown>[]): Record<string, unknown> {
  const out = withoutQuantities(all[0]);
  for (const k of Object.keys(all[0]).filter(isQuantityField))
    if (all.every((a) => typeof a[k] === 'string'))
      out[k] = all.reduce((s, a) => s.plus(a[k] as string), new D(0)).toString();
  return out;
}
