import { checkBoundaryAsync, overlapM2Async } from './geometry-offload';
import { inTransaction } from '../database/transaction';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { D } from '../common/decimal';
import { AuthUser } from '../auth/auth-user';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../common/pagination';
import { RegionsService } from '../regions/regions.service';
import {
  areaHa,
  bboxOf,
  Boundary,
  boxLiteral,
  OVERLAP_TOLERANCE_M2,
} from '../common/geometry/geometry';
import { LedgerEntry } from './ledger-entry.entity';
import { checkDate, LedgerService } from './ledger.service';
import { SignedIn } from '../auth/auth-user';
import { RegistryParty } from './party.entity';
import { RegistrationUnitVersion } from './registration-unit-version.entity';
import { RegistrationUnit } from './registration-unit.entity';
import { RegistryReader } from './registry-reader';
import { RightsService } from './rights.service';
import { todayInChina, unitCode } from './registry-rules';
import { containing, SqlFilter } from './sql-filter';
import {
  ENTRY_ZH,
  layerOf,
  RIGHT_RULES,
  RightType,
  UNIT_TYPE_CODES,
  UnitStatus,
  UnitType,
} from './registry-types';
import { EntryView, UnitView } from './registry-views';
import {
  CancelUnitDto,
  ChangeUnitDto,
  CreateUnitDto,
  UnitAttributesDto,
  UnitListQuery,
} from './unit.dto';
import { zhEn } from '../common/i18n/text';
import { pinyinOrder } from '../database/pinyin-order';

/** Every write that adds or moves a boundary holds this lock, so overlap checks cannot race. */
const BOUNDARY_LOCK = 7_358_201;

export interface UnitSummary {
  id: string;
  code: string;
  name: string | null;
  regionCode: string;
  unitType: UnitType;
  status: UnitStatus;
  areaHa: string | null;
  registeredOn: string | null;
  /** With `include=boundary`: the boundary on the list's date (null before the unit existed). */
  boundary?: Boundary | null;
}

type VersionRow = Omit<
  RegistrationUnitVersion,
  'id' | 'unitId' | 'valid' | 'entryId' | 'unit' | 'entry' | 'collectiveParty'
>;

/** Registration units: pre-delimitation, change and correction, cancellation, reads and the ledger. */
@Injectable()
export class UnitsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly ledger: LedgerService,
    private readonly reader: RegistryReader,
    private readonly rights: RightsService,
  ) {}

  /** 预划登记单元: a new unit in state `pre_delimited`, with its code, boundary and owners. */
  async create(actor: SignedIn, dto: CreateUnitDto, within?: EntityManager): Promise<UnitView> {
    const date = checkDate(dto.date);
    return inTransaction(this.dataSource, within, async (m) => {
      await this.regions.assertInScope(actor.user, dto.regionCode, 'regionCode', m);
      const row = await this.versionRow(m, dto, '');
      await this.lockBoundaries(m);
      await this.assertNoOverlap(m, null, dto.unitType, row.boundary, 'boundary');
      const unit = await this.insertUnit(m, actor, dto.regionCode, dto.unitType);
      const entry = await this.ledger.append(m, actor, unit, {
        kind: 'pre_delimitation',
        effectiveDate: date,
        subjects: [],
        payload: {
          unit: { code: unit.code, regionCode: unit.regionCode, unitType: unit.unitType },
          version: row,
        },
        statusAfter: 'pre_delimited',
      });
      await this.insertVersion(m, unit.id, date, row, entry.id);
      return this.reader.read(unit, date, m);
    });
  }

  /** A new unit row with the next code of its county and type (caller holds the boundary lock). */
  async insertUnit(
    m: EntityManager,
    actor: SignedIn,
    regionCode: string,
    unitType: UnitType,
  ): Promise<RegistrationUnit> {
    const next = (await lastUnitSequence(m, regionCode, unitType)) + 1;
    const unit = m.create(RegistrationUnit, {
      code: unitCode(regionCode, unitType, next),
      regionCode,
      unitType,
      status: 'pre_delimited',
      createdBy: actor.user.username,
    });
    await m.insert(RegistrationUnit, unit);
    return unit;
  }

  async insertVersion(
    m: EntityManager,
    unitId: string,
    date: string,
    row: VersionRow,
    entryId: string,
  ): Promise<void> {
    await m.insert(RegistrationUnitVersion, {
      ...row,
      unitId,
      valid: `[${date},)`,
      entryId,
    });
  }

  /** 变更登记 / 更正登记: a new version from the current one and the fields given. */
  async change(
    actor: SignedIn,
    id: string,
    dto: ChangeUnitDto,
    within?: EntityManager,
  ): Promise<UnitView> {
    return inTransaction(this.dataSource, within, async (m) => {
      const { unit, date } = await this.ledger.lockUnit(m, actor.user, id, dto.date, 'id');
      const current = await m.findOne(RegistrationUnitVersion, {
        where: { unitId: unit.id },
        order: { valid: 'DESC' },
      });
      if (!current)
        throw new DomainError(
          'CONFLICT',
          zhEn(`登记单元 ${unit.code} 没有现行版本`, `unit ${unit.code} has no current version`),
        );
      const merged: UnitAttributesDto = {
        name: dto.name ?? current.name,
        boundary: dto.boundary ?? current.boundary,
        ownership: dto.ownership ?? {
          model: current.ownerModel,
          collectivePartyId: current.collectivePartyId ?? undefined,
          representative: current.representative ?? undefined,
          proxy: current.proxy ?? undefined,
          manager: current.manager ?? undefined,
          exerciseMode: current.exerciseMode ?? undefined,
          exerciseContent: current.exerciseContent ?? undefined,
        },
        stateAreaHa: dto.stateAreaHa ?? current.stateAreaHa?.toString(),
        collectiveAreaHa: dto.collectiveAreaHa ?? current.collectiveAreaHa?.toString(),
        disputedAreaHa: dto.disputedAreaHa ?? current.disputedAreaHa?.toString(),
        fourBounds: dto.fourBounds ?? current.fourBounds ?? undefined,
        controls: dto.controls ?? current.controls,
        links: dto.links ?? current.links,
        remarks: dto.remarks ?? current.remarks ?? undefined,
      };
      const row = await this.versionRow(m, merged, '');
      if (dto.boundary) {
        await this.lockBoundaries(m);
        await this.assertNoOverlap(m, unit.id, unit.unitType, row.boundary, 'boundary');
      }
      const entry = await this.ledger.append(m, actor, unit, {
        kind: dto.kind,
        effectiveDate: date,
        document: dto.document,
        reason: dto.reason,
        subjects: [],
        payload: {
          changed: Object.keys(dto).filter(
            (k) => !['kind', 'date', 'reason', 'document'].includes(k),
          ),
          version: row,
        },
      });
      await this.ledger.closeVersion(m, 'registration_unit_versions', unit.id, date);
      await this.insertVersion(m, unit.id, date, row, entry.id);
      return this.reader.read(unit, date, m);
    });
  }

  /**
   * 注销登记: the unit, its resources and every right over them end on `date`; the database then
   * refuses any further entry or right on it.
   */
  async cancel(
    actor: SignedIn,
    id: string,
    dto: CancelUnitDto,
    within?: EntityManager,
  ): Promise<UnitView> {
    return inTransaction(this.dataSource, within, async (m) => {
      const { unit, date } = await this.ledger.lockUnit(m, actor.user, id, dto.date, 'id');
      const entry = await this.ledger.append(m, actor, unit, {
        kind: 'cancellation',
        effectiveDate: date,
        document: dto.document,
        reason: dto.reason,
        subjects: [],
        payload: { previousStatus: unit.status },
        statusAfter: 'cancelled',
      });
      const resources = `SELECT id FROM registry_resources WHERE unit_id = $1`;
      const live = await m.query<{ id: string }[]>(
        `SELECT id FROM registry_rights WHERE resource_id IN (${resources}) AND active @> $2::date`,
        [unit.id, date],
      );
      await this.rights.endRights(
        m,
        live.map((r) => r.id),
        date,
        entry.id,
      );
      await m.query(
        `UPDATE registry_resource_versions SET valid = daterange(lower(valid), $2::date)
          WHERE resource_id IN (${resources}) AND upper_inf(valid)`,
        [unit.id, date],
      );
      await this.ledger.closeVersion(m, 'registration_unit_versions', unit.id, date);
      await m.update(RegistrationUnit, { id: unit.id }, { status: 'cancelled', cancelledOn: date });
      return this.reader.read({ ...unit, status: 'cancelled', cancelledOn: date }, date, m);
    });
  }

  get(user: AuthUser, id: string, asOf?: string): Promise<UnitView> {
    return this.reader.unitAsOf(user, id, asOf);
  }

  async list(user: AuthUser, q: UnitListQuery, page: PageQuery): Promise<Page<UnitSummary>> {
    const date = q.asOf ?? todayInChina();
    const f = new SqlFilter([date])
      .within('u.region_code', user.regionCode)
      .within('u.region_code', q.regionCode);
    if (q.unitType) f.add('u.unit_type = ?', q.unitType);
    if (q.status) f.add('u.status = ?', q.status);
    if (q.q) f.add(`(u.code ILIKE ? OR v.name ILIKE ?)`, containing(q.q));
    const params = f.params;
    const sql = `FROM registration_units u
      LEFT JOIN registration_unit_versions v ON v.unit_id = u.id AND v.valid @> $1::date
      ${f.where}`;
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total ${sql}`,
      params,
    );
    const rows = await this.dataSource.query<
      (Record<string, string | null> & { boundary?: Boundary })[]
    >(
      `SELECT u.id, u.code, v.name, u.region_code, u.unit_type, u.status, v.area_ha::text, u.registered_on::text
              ${q.include === 'boundary' ? ', v.boundary' : ''}
         ${sql} ORDER BY u.code LIMIT ${page.pageSize} OFFSET ${page.offset}`,
      params,
    );
    return pageOf(
      rows.map((r) => ({
        id: r.id!,
        code: r.code!,
        name: r.name,
        regionCode: r.region_code!,
        unitType: r.unit_type as UnitType,
        status: r.status as UnitStatus,
        areaHa: r.area_ha,
        registeredOn: r.registered_on,
        ...(q.include === 'boundary' ? { boundary: r.boundary ?? null } : {}),
      })),
      total,
      page,
    );
  }

  /** The unit's ledger, oldest first; `subject` narrows it to entries touching one resource or right. */
  async entries(
    user: AuthUser,
    id: string,
    page: PageQuery,
    subject?: string,
  ): Promise<Page<EntryView>> {
    await this.reader.visibleUnit(user, id);
    const qb = this.dataSource
      .getRepository(LedgerEntry)
      .createQueryBuilder('e')
      .where('e.unitId = :id', { id });
    if (subject) qb.andWhere(':subject = ANY(e.subjects)', { subject });
    const [items, total] = await qb
      .orderBy('e.seq')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(await withSummaries(this.dataSource.manager, items.map(entryView)), total, page);
  }

  /** Checks a unit's attributes (boundary, collective owner) and builds its version row. */
  async versionRow(m: EntityManager, a: UnitAttributesDto, prefix: string): Promise<VersionRow> {
    const p = (f: string) => (prefix ? `${prefix}.${f}` : f);
    const problems: FieldProblem[] = await checkBoundaryAsync(a.boundary, p('boundary'));
    if (a.ownership.model === 'collective' && a.ownership.collectivePartyId) {
      const party = await m.findOneBy(RegistryParty, { id: a.ownership.collectivePartyId });
      if (!party || party.kind !== 'collective')
        problems.push({
          path: p('ownership.collectivePartyId'),
          message: party
            ? zhEn(
                `${party.name} 是${party.kind}，不是集体经济组织`,
                `${party.name} is a ${party.kind}, not a collective`,
              )
            : zhEn('没有此编号的权利人', 'no party has this id'),
        });
    }
    if (problems.length)
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn(`登记单元有 ${problems.length} 处问题`, `${problems.length} problem(s) in the unit`),
        problems,
      );
    const boundary = a.boundary as Boundary;
    const collective = a.ownership.model === 'collective';
    return {
      name: a.name,
      boundary,
      bbox: boxLiteral(bboxOf(boundary)),
      areaHa: areaHa(boundary),
      fourBounds: a.fourBounds ?? null,
      ownerModel: a.ownership.model,
      collectivePartyId: collective ? (a.ownership.collectivePartyId ?? null) : null,
      representative: a.ownership.representative ?? null,
      proxy: a.ownership.proxy ?? null,
      manager: a.ownership.manager ?? null,
      exerciseMode: a.ownership.exerciseMode ?? null,
      exerciseContent: a.ownership.exerciseContent ?? null,
      stateAreaHa: a.stateAreaHa === undefined ? null : new D(a.stateAreaHa),
      collectiveAreaHa: a.collectiveAreaHa === undefined ? null : new D(a.collectiveAreaHa),
      disputedAreaHa: a.disputedAreaHa === undefined ? null : new D(a.disputedAreaHa),
      controls: a.controls ?? {},
      links: a.links ?? [],
      remarks: a.remarks ?? null,
    };
  }

  async lockBoundaries(m: EntityManager): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [BOUNDARY_LOCK]);
  }

  /**
   * Refuses a boundary whose interior overlaps a live unit of the same layer (surface units with
   * each other; mineral areas with each other). Bounding boxes prefilter in SQL (GiST index on
   * `bbox`); exact intersection in @turf/intersect for the few candidates.
   */
  async assertNoOverlap(
    m: EntityManager,
    unitId: string | null,
    type: UnitType,
    boundary: Boundary,
    path: string,
  ): Promise<void> {
    const candidates = await m.query<{ code: string; name: string; boundary: Boundary }[]>(
      `SELECT u.code, v.name, v.boundary FROM registration_unit_versions v JOIN registration_units u ON u.id = v.unit_id
        WHERE upper_inf(v.valid) AND v.bbox && $1::box AND u.status <> 'cancelled'
          AND u.id IS DISTINCT FROM $2::uuid AND (u.unit_type = 'mineral_area') = $3`,
      [boxLiteral(bboxOf(boundary)), unitId, layerOf(type) === 'subsurface'],
    );
    const problems: FieldProblem[] = [];
    for (const c of candidates) {
      const m2 = await overlapM2Async(boundary, c.boundary);
      if (m2 > OVERLAP_TOLERANCE_M2)
        problems.push({
          path,
          message: zhEn(
            `与登记单元 ${c.code} ${c.name} 重叠 ${Math.round(m2).toLocaleString('en')} 平方米；单元边界不能重叠（共用边线可以）`,
            `overlaps unit ${c.code} ${c.name} by ${Math.round(m2).toLocaleString('en')} m²; unit boundaries must not overlap (sharing an edge is fine)`,
          ),
        });
    }
    if (problems.length)
      throw new DomainError(
        'CONSTRAINT_VIOLATED',
        problems.map((p) => p.message).join('; '),
        problems,
      );
  }
}

/** The highest sequence number used in the unit codes of a county and type (0 when none). */
export async function lastUnitSequence(
  m: EntityManager,
  regionCode: string,
  unitType: UnitType,
): Promise<number> {
  const [{ last }] = await m.query<{ last: number }[]>(
    `SELECT coalesce(max(substring(code from 9 for 5)::int), 0) AS last FROM registration_units WHERE code LIKE $1`,
    [`${regionCode.slice(0, 6)}${UNIT_TYPE_CODES[unitType]}%`],
  );
  return last;
}

export function entryView(e: LedgerEntry): EntryView {
  return {
    id: e.id,
    seq: e.seq,
    unitId: e.unitId,
    kind: e.kind,
    kindZh: ENTRY_ZH[e.kind],
    effectiveDate: e.effectiveDate,
    document: e.document,
    reason: e.reason,
    subjects: e.subjects,
    payload: e.payload,
    recordedBy: e.recordedBy,
    recordedAt: e.recordedAt,
  };
}

/**
 * Says who → whom on the entries that create, transfer or end rights: the holders of the rights
 * an entry replaces or ends, the holders of the right it creates, the right type and its area.
 */
export async function withSummaries(m: EntityManager, entries: EntryView[]): Promise<EntryView[]> {
  const people = new Map(
    (
      await m.query<{ username: string; display_name: string }[]>(
        'SELECT username, display_name FROM users WHERE username = ANY($1::text[])',
        [[...new Set(entries.map((e) => e.recordedBy))]],
      )
    ).map((u) => [u.username, u.display_name]),
  );
  return rightSummaries(
    m,
    entries.map((e) => ({ ...e, recordedByName: people.get(e.recordedBy) ?? e.recordedBy })),
  );
}

async function rightSummaries(m: EntityManager, entries: EntryView[]): Promise<EntryView[]> {
  type Payload = {
    right?: { rightType: RightType; holders?: { partyId: string }[]; areaHa?: string | null };
    replaces?: string[];
    rightId?: string;
    rightType?: RightType;
  };
  const payloads = entries.map((e) => e.payload as Payload);
  const partyIds = [
    ...new Set(payloads.flatMap((p) => (p.right?.holders ?? []).map((h) => h.partyId))),
  ];
  const oldRights = [
    ...new Set(payloads.flatMap((p) => [...(p.replaces ?? []), ...(p.rightId ? [p.rightId] : [])])),
  ];
  if (!partyIds.length && !oldRights.length) return entries;
  const parties = new Map(
    (
      await m.query<{ id: string; name: string }[]>(
        'SELECT id, name FROM registry_parties WHERE id = ANY($1::uuid[])',
        [partyIds],
      )
    ).map((p) => [p.id, p.name]),
  );
  const holdersOf = new Map<string, string[]>();
  for (const h of await m.query<{ right_id: string; name: string }[]>(
    `SELECT h.right_id, p.name FROM registry_right_holders h
       JOIN registry_parties p ON p.id = h.party_id
      WHERE h.right_id = ANY($1::uuid[]) ORDER BY ${pinyinOrder('p.name')}`,
    [oldRights],
  ))
    holdersOf.set(h.right_id, [...(holdersOf.get(h.right_id) ?? []), h.name]);
  const names = (xs: string[]) => [...new Set(xs)].join('、') || '—';
  return entries.map((e, i) => {
    const p = payloads[i];
    const before = names(
      [...(p.replaces ?? []), ...(p.rightId ? [p.rightId] : [])].flatMap(
        (id) => holdersOf.get(id) ?? [],
      ),
    );
    const type = p.right?.rightType ?? p.rightType;
    const what = type ? (RIGHT_RULES[type]?.zh ?? type) : '';
    const area = p.right?.areaHa ? `，${p.right.areaHa} 公顷` : '';
    let summary: string | null = null;
    if (p.right && p.replaces?.length)
      summary = `${before} → ${names((p.right.holders ?? []).map((h) => parties.get(h.partyId) ?? h.partyId))}：${what}${area}`;
    else if (p.right)
      summary = `${what}，权利人 ${names((p.right.holders ?? []).map((h) => parties.get(h.partyId) ?? h.partyId))}${area}`;
    else if (p.rightId) summary = `${what}（${before}）`;
    return summary ? { ...e, summary } : e;
  });
}
