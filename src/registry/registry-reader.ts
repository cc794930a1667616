import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { RegionsService } from '../regions/regions.service';
import { RegistrationUnit } from './registration-unit.entity';
import { RIGHT_RULES, UnitStatus } from './registry-types';
import { todayInChina } from './registry-rules';
import {
  decimalOrNull,
  parsePeriod,
  ResourceView,
  RightView,
  UnitVersionView,
  UnitView,
} from './registry-views';
import { pinyinOrder } from '../database/pinyin-order';

/**
 * Reads the registry as of a date from the versions and rights the ledger wrote: one indexed
 * lookup per table (`valid @> date`), so a unit reads in a few milliseconds however long its
 * history.
 */
@Injectable()
export class RegistryReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
  ) {}

  /** A unit visible to the user (404 unknown, 403 outside the user's scope). */
  async visibleUnit(
    user: AuthUser,
    id: string,
    q: EntityManager = this.dataSource.manager,
  ): Promise<RegistrationUnit> {
    const unit = await q.getRepository(RegistrationUnit).findOneBy({ id });
    if (!unit) throw DomainError.notFound('registration unit', id);
    await this.regions.assertInScope(user, unit.regionCode, 'id', q);
    return unit;
  }

  async unitAsOf(
    user: AuthUser,
    id: string,
    asOf?: string,
    q: EntityManager = this.dataSource.manager,
  ): Promise<UnitView> {
    const unit = await this.visibleUnit(user, id, q);
    return this.read(unit, asOf ?? todayInChina(), q);
  }

  async read(
    unit: RegistrationUnit,
    date: string,
    q: EntityManager = this.dataSource.manager,
  ): Promise<UnitView> {
    // One after the other: inside a transaction they share one connection (pg refuses overlapping queries).
    const version = await this.unitVersion(unit.id, date, q);
    const resources = await this.resources([unit.id], date, q);
    const statusAsOf = await this.statusAsOf(unit.id, date, q);
    const rights = await this.rights(
      resources.map((r) => r.id),
      date,
      q,
    );
    return {
      id: unit.id,
      code: unit.code,
      regionCode: unit.regionCode,
      unitType: unit.unitType,
      status: unit.status,
      objectionDeadline: unit.objectionDeadline,
      registeredOn: unit.registeredOn,
      cancelledOn: unit.cancelledOn,
      asOf: date,
      statusAsOf,
      version,
      resources,
      rights,
    };
  }

  /** The workflow state on `date`: set by the latest entry that moved it (`payload.statusAfter`). */
  async statusAsOf(
    unitId: string,
    date: string,
    q: EntityManager = this.dataSource.manager,
  ): Promise<UnitStatus | null> {
    const rows = await q.query<{ status: UnitStatus }[]>(
      `SELECT payload->>'statusAfter' AS status FROM registry_entries
        WHERE unit_id = $1 AND effective_date <= $2 AND payload ? 'statusAfter'
        ORDER BY seq DESC LIMIT 1`,
      [unitId, date],
    );
    return rows[0]?.status ?? null;
  }

  async unitVersion(
    unitId: string,
    date: string,
    q: EntityManager = this.dataSource.manager,
  ): Promise<UnitVersionView | null> {
    const rows = await q.query<Record<string, unknown>[]>(
      `SELECT v.*, v.valid::text AS period, p.name AS collective_name
         FROM registration_unit_versions v LEFT JOIN registry_parties p ON p.id = v.collective_party_id
        WHERE v.unit_id = $1 AND v.valid @> $2::date`,
      [unitId, date],
    );
    if (!rows.length) return null;
    const v = rows[0];
    const s = (k: string) => (v[k] as string | null) ?? null;
    return {
      period: parsePeriod(v.period as string),
      name: v.name as string,
      boundary: v.boundary as UnitVersionView['boundary'],
      areaHa: v.area_ha as string,
      fourBounds: (v.four_bounds as UnitVersionView['fourBounds']) ?? null,
      ownership: {
        model: v.owner_model as UnitVersionView['ownership']['model'],
        collectivePartyId: s('collective_party_id'),
        collectiveName: s('collective_name'),
        representative: s('representative'),
        proxy: s('proxy'),
        manager: s('manager'),
        exerciseMode: s('exercise_mode'),
        exerciseContent: s('exercise_content'),
      },
      stateAreaHa: s('state_area_ha'),
      collectiveAreaHa: s('collective_area_ha'),
      disputedAreaHa: s('disputed_area_ha'),
      controls: v.controls as UnitVersionView['controls'],
      links: v.links as UnitVersionView['links'],
      remarks: s('remarks'),
      entryId: v.entry_id as string,
    };
  }

  /** Resources of the units that exist on `date`, with their attributes then. */
  async resources(
    unitIds: string[],
    date: string,
    q: EntityManager = this.dataSource.manager,
    resourceIds?: string[],
  ): Promise<ResourceView[]> {
    const rows = await q.query<Record<string, unknown>[]>(
      `SELECT r.id, r.code, r.unit_id, r.resource_type, to_json(r.derived_from) AS derived_from, v.valid::text AS period, v.name,
              v.ecosystem_type, v.area_ha, v.state_area_ha, v.collective_area_ha, v.disputed_area_ha,
              v.patch_count, v.geometry, v.attributes, v.entry_id
         FROM registry_resources r JOIN registry_resource_versions v ON v.resource_id = r.id
        WHERE ${resourceIds ? 'r.id = ANY($1)' : 'r.unit_id = ANY($1)'} AND v.valid @> $2::date
        ORDER BY r.code`,
      [resourceIds ?? unitIds, date],
    );
    return rows.map((v) => ({
      id: v.id as string,
      code: v.code as string,
      unitId: v.unit_id as string,
      resourceType: v.resource_type as ResourceView['resourceType'],
      derivedFrom: v.derived_from as string[],
      period: parsePeriod(v.period as string),
      name: (v.name as string | null) ?? null,
      ecosystemType: v.ecosystem_type as ResourceView['ecosystemType'],
      areaHa: v.area_ha as string,
      stateAreaHa: decimalOrNull(v.state_area_ha as string | null),
      collectiveAreaHa: decimalOrNull(v.collective_area_ha as string | null),
      disputedAreaHa: decimalOrNull(v.disputed_area_ha as string | null),
      patchCount: (v.patch_count as number | null) ?? null,
      geometry: (v.geometry as ResourceView['geometry']) ?? null,
      attributes: v.attributes as Record<string, unknown>,
      entryId: v.entry_id as string,
    }));
  }

  /** Rights over the resources that are live on `date` (all of them with `date` null), with holders. */
  async rights(
    resourceIds: string[],
    date: string | null,
    q: EntityManager = this.dataSource.manager,
    rightIds?: string[],
  ): Promise<RightView[]> {
    if (!rightIds && resourceIds.length === 0) return [];
    const rows = await q.query<Record<string, unknown>[]>(
      `SELECT r.*, r.active::text AS period,
              coalesce((SELECT json_agg(json_build_object('partyId', h.party_id, 'name', p.name, 'kind', p.kind,
                                                          'share', h.share::text) ORDER BY h.share DESC, ${pinyinOrder('p.name')})
                          FROM registry_right_holders h JOIN registry_parties p ON p.id = h.party_id
                         WHERE h.right_id = r.id), '[]') AS holders
         FROM registry_rights r
        WHERE ${rightIds ? 'r.id = ANY($1)' : 'r.resource_id = ANY($1)'}
          AND ($2::date IS NULL OR r.active @> $2::date)
        ORDER BY r.resource_id, lower(r.active), r.right_type`,
      [rightIds ?? resourceIds, date],
    );
    return rows.map((r) => ({
      id: r.id as string,
      resourceId: r.resource_id as string,
      rightType: r.right_type as RightView['rightType'],
      rightTypeZh: RIGHT_RULES[r.right_type as RightView['rightType']].zh,
      exclusive: r.exclusive as boolean,
      period: parsePeriod(r.period as string),
      holders: r.holders as RightView['holders'],
      encumbersRightId: (r.encumbers_right_id as string | null) ?? null,
      derivedFromRightId: (r.derived_from_right_id as string | null) ?? null,
      areaHa: decimalOrNull(r.area_ha as string | null),
      priceYuan: decimalOrNull(r.price_yuan as string | null),
      document: r.document as RightView['document'],
      createdEntryId: r.created_entry_id as string,
      endedEntryId: (r.ended_entry_id as string | null) ?? null,
    }));
  }
}
