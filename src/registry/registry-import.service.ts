import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditLogService } from '../audit-log/audit-log.service';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { flattenValidationErrors } from '../common/validation';
import { Progress, NO_PROGRESS } from '../jobs/progress';
import { RegionsService } from '../regions/regions.service';
import {
  bboxOf,
  Boundary,
  boxLiteral,
  bboxPairs,
  OVERLAP_TOLERANCE_M2,
  BBox,
  bboxesMeet,
} from '../common/geometry/geometry';
import { boundaryProblemsOf } from './feature-collection';
import { overlapM2Async, readFeatureCollectionAsync } from './geometry-offload';
import { LedgerEntry } from './ledger-entry.entity';
import { checkDate } from './ledger.service';
import { SignedIn } from '../auth/auth-user';
import { RegistryParty } from './party.entity';
import { RegistrationUnitVersion } from './registration-unit-version.entity';
import { RegistrationUnit } from './registration-unit.entity';
import { unitCode } from './registry-rules';
import { layerOf } from './registry-types';
import { AddResourceDto } from './resource.dto';
import { ResourcesService } from './resources.service';
import { CreateUnitDto } from './unit.dto';
import { lastUnitSequence, UnitsService } from './units.service';
import { IsIn, IsOptional, IsString, MaxLength, Matches } from 'class-validator';
import { zhEn } from '../common/i18n/text';

/** At most this many features per file. */
export const MAX_FEATURES = 50_000;
const CHUNK = 500;

class UnitFeatureProps extends CreateUnitDto {
  @IsIn(['unit']) kind!: 'unit';
  /** A name for the unit within this file, for its resources' `unitRef`. */
  @IsOptional() @IsString() @MaxLength(100) ref?: string;
}

class ResourceFeatureProps extends AddResourceDto {
  @IsIn(['resource']) kind!: 'resource';
  /** The `ref` of a unit feature in this file… */
  @IsOptional() @IsString() @MaxLength(100) unitRef?: string;
  /** …or the code of a unit already registered or being registered. */
  @IsOptional()
  @Matches(/^\d{6}[A-Z]{2}\d{5}$/, {
    message: zhEn(
      'unitCode 应为登记单元代码，例如 361130ZB00001',
      'unitCode must be a unit code such as 361130ZB00001',
    ),
  })
  unitCode?: string;
}

export interface RegistryImportResult {
  units: number;
  resources: number;
  date: string;
  /** Each unit feature's index, ref and the code it received. */
  codes: { feature: number; ref: string | null; code: string }[];
}

/**
 * GeoJSON FeatureCollection import of units (pre-delimited, 预划) and the resources found in them:
 * every feature checked — properties as the API's own requests, geometry, scope, overlaps within
 * the file and with the register — and every problem reported with its feature index; then all
 * written in one transaction, or nothing.
 */
@Injectable()
export class RegistryImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly units: UnitsService,
    private readonly resources: ResourcesService,
    private readonly auditLog: AuditLogService,
  ) {}

  async import(
    actor: SignedIn,
    text: string,
    dateGiven: string | undefined,
    progress: Progress = NO_PROGRESS,
  ): Promise<RegistryImportResult> {
    const date = checkDate(dateGiven);
    progress.report('parsing', 1);
    // parsed in the worker, and handed back one small JSON text per feature and per geometry
    const read = await readFeatureCollectionAsync(text);
    if (read.kind === 'not-json')
      throw new DomainError(
        'MALFORMED_REQUEST',
        zhEn(`文件不是有效的 JSON：${read.message}`, `the file is not valid JSON: ${read.message}`),
        [{ path: '', message: zhEn('不是 JSON', 'not JSON') }],
      );
    // nesting no GeoJSON needs would overflow the recursive validation below: refused first
    if (read.kind === 'defect') {
      const { defect } = read;
      throw DomainError.invalid(
        defect.path || 'features',
        zhEn(
          `文件${defect.path ? `的 ${defect.path} ` : ''}${defect.unreadable ? '嵌套超过 32 层，不是有效的 GeoJSON' : '含有 NUL 字符'}`,
          `the file${defect.path ? `'s ${defect.path}` : ''} ${defect.unreadable ? 'is nested more than 32 levels deep: not valid GeoJSON' : 'contains a NUL character'}`,
        ),
      );
    }
    if (read.kind === 'not-a-collection')
      throw DomainError.invalid(
        'type',
        zhEn(
          '文件应为含 features 数组的 GeoJSON FeatureCollection',
          'the file must be a GeoJSON FeatureCollection with a features array',
        ),
      );
    const count = read.features.length;
    if (count === 0)
      throw DomainError.invalid(
        'features',
        zhEn('要素集合中没有要素', 'the collection has no features'),
      );
    if (count > MAX_FEATURES)
      throw DomainError.invalid(
        'features',
        zhEn(
          `${count} 个要素；每个文件最多 ${MAX_FEATURES} 个`,
          `${count} features; at most ${MAX_FEATURES} per file`,
        ),
      );

    const problems: FieldProblem[] = [];
    const units: { i: number; p: UnitFeatureProps; boundary: Boundary; bbox: BBox }[] = [];
    const resources: { i: number; p: ResourceFeatureProps }[] = [];
    let parsedSinceYield = 0;
    for (let i = 0; i < count; i++) {
      // one feature at a time, yielding to other requests every ~1 MB of geometry or 200 features
      if (parsedSinceYield > 1_000_000 || i % 200 === 199) {
        await new Promise((resolve) => setImmediate(resolve));
        parsedSinceYield = 0;
      }
      const at = `features[${i}]`;
      const f: unknown = JSON.parse(read.features[i]);
      const geometryText = read.geometries[i];
      parsedSinceYield += (geometryText?.length ?? 0) + read.features[i].length;
      const feature = f as { type?: unknown; properties?: unknown };
      if (typeof f !== 'object' || f === null || feature.type !== 'Feature') {
        problems.push({
          path: at,
          message: zhEn('应为 GeoJSON Feature', 'must be a GeoJSON Feature'),
        });
        continue;
      }
      const props = feature.properties as { kind?: unknown } | null;
      if (!props || typeof props !== 'object') {
        problems.push({
          path: `${at}.properties`,
          message: zhEn(
            '应为含 kind（unit 或 resource）的对象',
            'must be an object with kind unit or resource',
          ),
        });
        continue;
      }
      const geometry: unknown = geometryText === null ? undefined : JSON.parse(geometryText);
      if (props.kind === 'unit') {
        // the geometry is not deep-copied by class-transformer (150,000 values for a large
        // boundary, on the event loop); the reader has checked it in the worker
        const p = plainToInstance(UnitFeatureProps, { ...props, boundary: undefined });
        p.boundary = geometry as object;
        const errs = this.check(p, at);
        if (!errs.length) errs.push(...boundaryProblemsOf(read.boundaryProblems[i]));
        problems.push(...errs);
        if (!errs.length)
          units.push({
            i,
            p,
            boundary: p.boundary as Boundary,
            bbox: bboxOf(p.boundary as Boundary),
          });
      } else if (props.kind === 'resource') {
        const p = plainToInstance(ResourceFeatureProps, { ...props, geometry: undefined });
        p.geometry = geometry as object | undefined;
        const errs = this.check(p, at);
        if (!p.unitRef === !p.unitCode)
          errs.push({
            path: `${at}.properties.unitRef`,
            message: zhEn(
              '请给出 unitRef（本文件中的单元）或 unitCode 之一',
              'give either unitRef (a unit in this file) or unitCode',
            ),
          });
        problems.push(...errs);
        if (!errs.length) resources.push({ i, p });
      } else
        problems.push({
          path: `${at}.properties.kind`,
          message: zhEn('应为 unit 或 resource', 'must be unit or resource'),
        });
      if (i % 1000 === 0)
        progress.report('checking features', 2 + Math.round((i / count) * 30), {
          features: i,
        });
    }

    const refs = new Map<string, number>();
    for (const u of units)
      if (u.p.ref) {
        if (refs.has(u.p.ref))
          problems.push({
            path: `features[${u.i}].properties.ref`,
            message: zhEn(`ref ${u.p.ref} 被使用了两次`, `ref ${u.p.ref} is used twice`),
          });
        refs.set(u.p.ref, u.i);
      }
    for (const r of resources)
      if (r.p.unitRef && !refs.has(r.p.unitRef))
        problems.push({
          path: `features[${r.i}].properties.unitRef`,
          message: zhEn(
            `没有 ref 为 ${r.p.unitRef} 的单元要素`,
            `no unit feature has ref ${r.p.unitRef}`,
          ),
        });

    for (const code of new Set(units.map((u) => u.p.regionCode))) {
      const inside = await this.regions.isWithin(actor.user.regionCode, code);
      const first = units.find((u) => u.p.regionCode === code)!;
      if (inside !== true)
        problems.push({
          path: `features[${first.i}].properties.regionCode`,
          message:
            inside === undefined
              ? zhEn(`行政区 ${code} 不存在`, `region ${code} does not exist`)
              : zhEn(`行政区 ${code} 不在您的管辖范围内`, `region ${code} is outside your scope`),
        });
    }
    const collectiveIds = [
      ...new Set(units.map((u) => u.p.ownership.collectivePartyId).filter((x): x is string => !!x)),
    ];
    const collectives = new Set(
      (
        await this.dataSource
          .getRepository(RegistryParty)
          .findBy({ id: In(collectiveIds), kind: 'collective' })
      ).map((p) => p.id),
    );
    for (const u of units)
      if (
        u.p.ownership.model === 'collective' &&
        !collectives.has(u.p.ownership.collectivePartyId!)
      )
        problems.push({
          path: `features[${u.i}].properties.ownership.collectivePartyId`,
          message: zhEn('没有此编号的集体权利人', 'no collective party has this id'),
        });

    progress.report('checking overlaps within the file', 35);
    for (const layer of ['surface', 'subsurface'] as const) {
      const inLayer = units.filter((u) => layerOf(u.p.unitType) === layer);
      for (const [a, b] of bboxPairs(inLayer)) {
        const m2 = await overlapM2Async(inLayer[a].boundary, inLayer[b].boundary);
        if (m2 > OVERLAP_TOLERANCE_M2)
          problems.push({
            path: `features[${inLayer[b].i}].geometry`,
            message: zhEn(
              `与 features[${inLayer[a].i}] 重叠 ${Math.round(m2).toLocaleString('en')} 平方米；登记单元边界不能重叠`,
              `overlaps features[${inLayer[a].i}] by ${Math.round(m2).toLocaleString('en')} m²; unit boundaries must not overlap`,
            ),
          });
      }
    }
    if (problems.length) throw failed(problems);

    return this.dataSource.transaction(async (m) => {
      await this.units.lockBoundaries(m);
      progress.report('checking overlaps with the register', 45);
      problems.push(...(await this.overlapsWithRegister(m, units)));
      const existing = await this.existingUnits(m, resources, actor, problems);
      if (problems.length) throw failed(problems);
      progress.report('writing units', 60);
      const codes = await this.writeUnits(m, actor, units, date);
      const unitOf = (r: ResourceFeatureProps): RegistrationUnit =>
        r.unitRef ? codes.get(refs.get(r.unitRef)!)!.unit : existing.get(r.unitCode!)!;
      progress.report('writing resources', 80);
      for (const [n, r] of resources.entries()) {
        const unit = unitOf(r.p);
        const at = `features[${r.i}]`;
        // Every resource is checked before anything is refused, so the answer lists them all.
        const row = await collectProblems(problems, async () => {
          const checked = await this.resources.versionRow(
            m,
            unit,
            r.p.resourceType,
            r.p,
            `${at}.properties`,
            date,
          );
          await this.resources.assertFitsUnit(
            m,
            unit,
            date,
            checked.areaHa,
            [],
            `${at}.properties.areaHa`,
          );
          return checked;
        });
        if (!row) continue;
        const resource = await this.resources.insertResource(m, unit, r.p.resourceType, []);
        const entry = m.create(LedgerEntry, {
          unitId: unit.id,
          kind: 'resource_added',
          effectiveDate: date,
          document: { type: 'GeoJSON 导入' },
          reason: null,
          subjects: [unit.id, resource.id],
          payload: {
            import: true,
            feature: r.i,
            resource: { id: resource.id, code: resource.code },
            version: row,
          },
          recordedBy: actor.user.username,
        });
        await m.insert(LedgerEntry, entry);
        await this.resources.insertVersion(m, resource.id, date, row, entry.id);
        if (n % 500 === 0)
          progress.report('writing resources', 80 + Math.round((n / resources.length) * 18), {
            resources: n,
          });
      }
      if (problems.length) throw failed(problems);
      await this.auditLog.record(m, actor, {
        action: 'registry.import',
        entityType: 'registration_unit',
        entityId: null,
        after: { date, units: units.length, resources: resources.length },
      });
      return {
        units: units.length,
        resources: resources.length,
        date,
        codes: [...codes].map(([i, c]) => ({ feature: i, ref: c.ref, code: c.unit.code })),
      };
    });
  }

  private check(p: object, at: string): FieldProblem[] {
    return flattenValidationErrors(
      validateSync(p, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true }),
    ).map((e) => ({
      path:
        e.path === 'boundary' || e.path.startsWith('boundary.') || e.path === 'geometry'
          ? `${at}.geometry`
          : `${at}.properties.${e.path}`,
      message: e.message,
    }));
  }

  /** Each new boundary against the live units it may touch (bounding boxes first, in SQL). */
  private async overlapsWithRegister(
    m: EntityManager,
    units: { i: number; p: UnitFeatureProps; boundary: Boundary; bbox: BBox }[],
  ): Promise<FieldProblem[]> {
    if (!units.length) return [];
    const all = units.reduce<BBox>(
      (b, u) => [
        Math.min(b[0], u.bbox[0]),
        Math.min(b[1], u.bbox[1]),
        Math.max(b[2], u.bbox[2]),
        Math.max(b[3], u.bbox[3]),
      ],
      [Infinity, Infinity, -Infinity, -Infinity],
    );
    const live = await m.query<
      {
        code: string;
        unit_type: string;
        boundary: Boundary;
      }[]
    >(
      `SELECT u.code, u.unit_type, v.boundary
         FROM registration_unit_versions v JOIN registration_units u ON u.id = v.unit_id
        WHERE upper_inf(v.valid) AND v.bbox && $1::box AND u.status <> 'cancelled'`,
      [boxLiteral(all)],
    );
    const problems: FieldProblem[] = [];
    for (const u of units)
      for (const l of live) {
        if ((l.unit_type === 'mineral_area') !== (u.p.unitType === 'mineral_area')) continue;
        if (!bboxesMeet(u.bbox, bboxOf(l.boundary))) continue;
        const m2 = await overlapM2Async(u.boundary, l.boundary);
        if (m2 > OVERLAP_TOLERANCE_M2)
          problems.push({
            path: `features[${u.i}].geometry`,
            message: zhEn(
              `与已登记单元 ${l.code} 重叠 ${Math.round(m2).toLocaleString('en')} 平方米`,
              `overlaps registered unit ${l.code} by ${Math.round(m2).toLocaleString('en')} m²`,
            ),
          });
      }
    return problems;
  }

  private async existingUnits(
    m: EntityManager,
    resources: { i: number; p: ResourceFeatureProps }[],
    actor: SignedIn,
    problems: FieldProblem[],
  ): Promise<Map<string, RegistrationUnit>> {
    const codes = [...new Set(resources.map((r) => r.p.unitCode).filter((c): c is string => !!c))];
    const found = new Map(
      (await m.findBy(RegistrationUnit, { code: In(codes) })).map((u) => [u.code, u]),
    );
    for (const r of resources) {
      if (!r.p.unitCode) continue;
      const unit = found.get(r.p.unitCode);
      const path = `features[${r.i}].properties.unitCode`;
      if (!unit)
        problems.push({
          path,
          message: zhEn(
            `没有代码为 ${r.p.unitCode} 的登记单元`,
            `no unit has the code ${r.p.unitCode}`,
          ),
        });
      else if (!['pre_delimited', 'notice_issued', 'surveyed', 'registered'].includes(unit.status))
        problems.push({
          path,
          message: zhEn(
            `登记单元 ${unit.code} 状态为 ${unit.status}；现在不能添加自然资源`,
            `unit ${unit.code} is ${unit.status}; resources cannot be added now`,
          ),
        });
      else if (!(await this.regions.isWithin(actor.user.regionCode, unit.regionCode)))
        problems.push({
          path,
          message: zhEn(
            `登记单元 ${unit.code} 不在您的管辖范围内`,
            `unit ${unit.code} is outside your scope`,
          ),
        });
    }
    for (const u of found.values())
      await m.query('SELECT 1 FROM registration_units WHERE id = $1 FOR UPDATE', [u.id]);
    return found;
  }

  /** Units, their pre-delimitation entries and versions, in chunks; codes continue each county's sequence. */
  private async writeUnits(
    m: EntityManager,
    actor: SignedIn,
    units: { i: number; p: UnitFeatureProps; boundary: Boundary; bbox: BBox }[],
    date: string,
  ): Promise<Map<number, { ref: string | null; unit: RegistrationUnit }>> {
    const next = new Map<string, number>();
    const out = new Map<number, { ref: string | null; unit: RegistrationUnit }>();
    for (let c = 0; c < units.length; c += CHUNK) {
      const chunk = units.slice(c, c + CHUNK);
      const rows: RegistrationUnit[] = [];
      for (const u of chunk) {
        const prefix = `${u.p.regionCode.slice(0, 6)}${u.p.unitType}`;
        if (!next.has(prefix))
          next.set(prefix, await lastUnitSequence(m, u.p.regionCode, u.p.unitType));
        const seq = next.get(prefix)! + 1;
        next.set(prefix, seq);
        rows.push(
          m.create(RegistrationUnit, {
            code: unitCode(u.p.regionCode, u.p.unitType, seq),
            regionCode: u.p.regionCode,
            unitType: u.p.unitType,
            status: 'pre_delimited',
            createdBy: actor.user.username,
          }),
        );
      }
      await m.insert(RegistrationUnit, rows);
      const versions: Awaited<ReturnType<UnitsService['versionRow']>>[] = [];
      for (const u of chunk)
        versions.push(await this.units.versionRow(m, u.p, `features[${u.i}].properties`));
      const entries = chunk.map((u, k) =>
        m.create(LedgerEntry, {
          unitId: rows[k].id,
          kind: 'pre_delimitation',
          effectiveDate: date,
          document: { type: 'GeoJSON 导入' },
          reason: null,
          subjects: [rows[k].id],
          payload: {
            import: true,
            feature: u.i,
            unit: { code: rows[k].code },
            version: versions[k],
            statusAfter: 'pre_delimited',
          },
          recordedBy: actor.user.username,
        }),
      );
      await m.insert(LedgerEntry, entries);
      await m.insert(
        RegistrationUnitVersion,
        chunk.map((_, k) => ({
          ...versions[k],
          unitId: rows[k].id,
          valid: `[${date},)`,
          entryId: entries[k].id,
        })),
      );
      chunk.forEach((u, k) => out.set(u.i, { ref: u.p.ref ?? null, unit: rows[k] }));
    }
    return out;
  }
}

/**
 * Runs a check that throws a DomainError with field problems; adds them to `problems` (a
 * resource's geometry is named on the feature, not in its properties) and answers undefined.
 */
async function collectProblems<T>(
  problems: FieldProblem[],
  check: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await check();
  } catch (e) {
    if (!(e instanceof DomainError) || e.errors.length === 0) throw e;
    problems.push(
      ...e.errors.map((p) => ({ ...p, path: p.path.replace('.properties.geometry', '.geometry') })),
    );
    return undefined;
  }
}

/**
 * A problem's message said where it is, as a clerk finds it in the file (「第 3 个要素 name：必须填写」;
 * features counted from 1), its path left as it was for programs.
 */
const located = (p: FieldProblem): FieldProblem => {
  const at = /^features\[(\d+)\](?:\.(?:properties\.)?(.+))?$/.exec(p.path);
  if (!at) return p;
  const n = Number(at[1]) + 1;
  const field = at[2] ? ` ${at[2]}` : '';
  return {
    ...p,
    message: zhEn(`第 ${n} 个要素${field}：${p.message}`, `feature ${n}${field}: ${p.message}`),
  };
};

const failed = (problems: FieldProblem[]) =>
  new DomainError(
    'VALIDATION_FAILED',
    zhEn(
      `GeoJSON 中有 ${problems.length} 处问题；未导入任何内容`,
      `${problems.length} problem(s) in the GeoJSON; nothing was imported`,
    ),
    problems.slice(0, 1000).map(located),
  );
