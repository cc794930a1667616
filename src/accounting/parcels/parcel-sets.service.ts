import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { AuthUser, SignedIn } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { ReceivedFile } from '../../common/streamed-upload';
import { Job } from '../../jobs/job.entity';
import { JobsService } from '../../jobs/jobs.service';
import { Progress } from '../../jobs/progress';
import { RegionsService } from '../../regions/regions.service';
import { D } from '../../common/decimal';
import { ModelError } from '../../formula/model';
import { Methodology } from '../methodology/methodology.entity';
import { MethodologiesService } from '../methodology/methodologies.service';
import { loadParcels } from './parcel-load';
import { compileParcelModel, ParcelModel } from './parcel-model';
import { ParcelSet } from './parcel-set.entity';
import { zhEn } from '../../common/i18n/text';
import { RegionSql, RegionsRepository } from '../../regions/regions.repository';

/** A parcel as listed: decimals as strings, inputs in the set's `inputCodes` order (null = not reported). */
export interface ParcelView {
  parcelId: string;
  townshipCode: string;
  ecosystem: string;
  areaHa: string;
  lon: string | null;
  lat: string | null;
  inputs: (string | null)[];
}

export interface ParcelImportRequest {
  regionCode: string;
  year: number;
  standardId: string;
  version?: number;
  name: string;
  filename?: string;
}

/** SQL condition: `column` (a county code) lies in the subtree of the `:scope` region. */
export const inScope = (column: string): string => RegionSql.codeWithin(column, ':scope::varchar');

/** The parcel model of a methodology, or a 422 naming what is wrong with it. */
export function parcelModelOf(methodology: Methodology, path = 'standardId'): ParcelModel {
  try {
    return compileParcelModel(methodology.content);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    const message = zhEn(
      `${methodology.standardId} 第 ${methodology.version} 版不能用于图斑核算：${e.problems.map((p) => p.message).join('；')}`,
      `${methodology.standardId} v${methodology.version} cannot be used per parcel: ${e.problems.map((p) => p.message).join('; ')}`,
    );
    throw new DomainError('VALIDATION_FAILED', message, [{ path, message }]);
  }
}

/** Parcel sets: loading land-survey parcels of a county and year, and reading them back. */
@Injectable()
export class ParcelSetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly methodologies: MethodologiesService,
    private readonly jobs: JobsService,
    private readonly auditLog: AuditLogService,
  ) {}

  /**
   * Checks the request now (county in scope, published methodology with a parcel model) and
   * loads the file as a job: all or nothing, progress reported, every problem listed.
   */
  async startImport(
    actor: SignedIn,
    request: ParcelImportRequest,
    file: ReceivedFile & { format: 'csv' | 'geojson' },
    cleanup: () => Promise<void>,
  ): Promise<Job> {
    const { methodology } = await this.prepare(actor, request);
    return this.jobs.enqueue(
      actor,
      'parcel_import',
      { ...request, sizeBytes: file.sizeBytes, sha256: file.sha256, format: file.format },
      async (progress) => {
        const set = await this.load(actor, request, methodology, file, progress);
        return { setId: set.id, regionCode: set.regionCode, parcels: set.parcelCount };
      },
      cleanup,
    );
  }

  private async prepare(actor: SignedIn, request: ParcelImportRequest) {
    await this.regions.assertInScope(actor.user, request.regionCode);
    const county = await this.regions.get(request.regionCode);
    if (county.level !== 'county')
      throw DomainError.invalid(
        'regionCode',
        zhEn(
          `图斑按县加载；${county.code} ${county.name} 不是县级行政区`,
          `parcels are loaded per county; ${county.code} ${county.name} is a ${county.level}`,
        ),
      );
    const methodology = await this.methodologies.findPublished(request.standardId, request.version);
    if (!methodology) {
      const message = zhEn(
        `没有已发布的核算方法 ${request.standardId}${request.version ? ` 第 ${request.version} 版` : ''}`,
        `no published methodology ${request.standardId}${request.version ? ` version ${request.version}` : ''}`,
      );
      throw new DomainError('VALIDATION_FAILED', message, [
        { path: request.version ? 'version' : 'standardId', message },
      ]);
    }
    parcelModelOf(methodology);
    return { methodology };
  }

  /** Loads a parcel file in one transaction (also used by the benchmark and tests). */
  async load(
    actor: SignedIn,
    request: ParcelImportRequest,
    methodology: Methodology,
    file: ReceivedFile & { format: 'csv' | 'geojson' },
    progress: Progress,
  ): Promise<ParcelSet> {
    const model = parcelModelOf(methodology);
    const townships = await RegionsRepository.below(this.dataSource.manager, request.regionCode);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const setId = randomUUID();
      await runner.manager.insert(ParcelSet, {
        regionCode: request.regionCode,
        id: setId,
        year: request.year,
        name: request.name,
        methodologyId: methodology.id,
        inputCodes: model.parcel.variables,
        inputUnits: model.variableUnits.map((u) => u.text),
        inputsGiven: [],
        parcelCount: 0,
        totalArea: '0',
        sourceFormat: file.format,
        sourceFilename: request.filename ?? null,
        sourceSha256: file.sha256,
        createdBy: actor.user.username,
      });
      const outcome = await loadParcels(
        runner,
        { setId, regionCode: request.regionCode, townships, model },
        { path: file.path, sizeBytes: file.sizeBytes, format: file.format },
        progress,
      );
      await runner.manager.update(
        ParcelSet,
        { regionCode: request.regionCode, id: setId },
        {
          parcelCount: outcome.parcels,
          totalArea: outcome.totalAreaHa,
          inputsGiven: outcome.inputsGiven,
        },
      );
      await this.auditLog.record(runner.manager, actor, {
        action: 'parcel_set.load',
        entityType: 'parcel_set',
        entityId: setId,
        after: {
          regionCode: request.regionCode,
          year: request.year,
          name: request.name,
          methodology: `${methodology.standardId} v${methodology.version}`,
          parcels: outcome.parcels,
          totalAreaHa: outcome.totalAreaHa,
          sha256: file.sha256,
        },
      });
      await runner.commitTransaction();
      return await this.dataSource
        .getRepository(ParcelSet)
        .findOneByOrFail({ regionCode: request.regionCode, id: setId });
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw e;
    } finally {
      await runner.release();
    }
  }

  async list(
    user: AuthUser,
    filter: { regionCode?: string; year?: number },
    page: PageQuery,
  ): Promise<Page<ParcelSet>> {
    const qb = this.dataSource
      .getRepository(ParcelSet)
      .createQueryBuilder('s')
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id')
      .skip(page.offset)
      .take(page.pageSize);
    if (user.regionCode) qb.andWhere(inScope('s.region_code'), { scope: user.regionCode });
    if (filter.regionCode) qb.andWhere('s.region_code = :region', { region: filter.regionCode });
    if (filter.year) qb.andWhere('s.year = :year', { year: filter.year });
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, page);
  }

  /** A set the user may read (404 for an unknown id, 403 outside the user's scope). */
  async get(user: AuthUser, id: string): Promise<ParcelSet> {
    const set = await this.dataSource.getRepository(ParcelSet).findOneBy({ id });
    if (!set) throw DomainError.notFound('parcel set', id);
    await this.regions.assertInScope(user, set.regionCode);
    return set;
  }

  /**
   * A set's parcels, inputs in the set's order and units. Read with raw SQL: node-postgres parses
   * numeric[] into floats by default, so arrays are selected as text[] to stay exact.
   */
  async parcels(
    user: AuthUser,
    id: string,
    filter: { townshipCode?: string; ecosystem?: string },
    page: PageQuery,
  ): Promise<Page<ParcelView> & { inputCodes: string[]; inputUnits: string[] }> {
    const set = await this.get(user, id);
    const where = `region_code = $1 AND set_id = $2 AND ($3::varchar IS NULL OR township_code = $3)
       AND ($4::varchar IS NULL OR ecosystem = $4)`;
    const params = [set.regionCode, id, filter.townshipCode ?? null, filter.ecosystem ?? null];
    const rows = await this.dataSource.query<
      {
        parcel_id: string;
        township_code: string;
        ecosystem: string;
        area_ha: string;
        lon: string | null;
        lat: string | null;
        inputs: (string | null)[];
      }[]
    >(
      `SELECT parcel_id, township_code, ecosystem, area_ha::text, lon::text, lat::text, inputs::text[] AS inputs
         FROM parcels WHERE ${where} ORDER BY parcel_id LIMIT $5 OFFSET $6`,
      [...params, page.pageSize, page.offset],
    );
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM parcels WHERE ${where}`,
      params,
    );
    const items = rows.map((r) => ({
      parcelId: r.parcel_id,
      townshipCode: r.township_code,
      ecosystem: r.ecosystem,
      areaHa: new D(r.area_ha).toString(),
      lon: r.lon,
      lat: r.lat,
      inputs: r.inputs.map((x) => (x === null ? null : new D(x).toString())),
    }));
    return {
      ...pageOf(items, total, page),
      inputCodes: set.inputCodes,
      inputUnits: set.inputUnits,
    };
  }

  /**
   * The set's parcel centroids for a map, compactly: `[parcelId, lon, lat, ecosystem]`, at most
   * `limit` of them — an even sample in parcel-id order when there are more (`sampled`), so the
   * map shows the pattern without shipping a million points. Parcels without a centroid are
   * counted, not drawn.
   */
  async points(
    user: AuthUser,
    id: string,
    filter: { townshipCode?: string; limit: number },
  ): Promise<ParcelPoints> {
    const set = await this.get(user, id);
    const params = [set.regionCode, id, filter.townshipCode ?? null];
    const where = `region_code = $1 AND set_id = $2 AND ($3::varchar IS NULL OR township_code = $3)`;
    const [stats] = await this.dataSource.query<
      {
        total: number;
        placed: number;
        lon0: string | null;
        lon1: string | null;
        lat0: string | null;
        lat1: string | null;
      }[]
    >(
      `SELECT count(*)::int AS total, count(lon)::int AS placed,
              min(lon)::text AS lon0, max(lon)::text AS lon1, min(lat)::text AS lat0, max(lat)::text AS lat1
         FROM parcels WHERE ${where}`,
      params,
    );
    const step = Math.max(1, Math.ceil(stats.placed / filter.limit));
    const rows = await this.dataSource.query<
      { parcel_id: string; lon: string; lat: string; ecosystem: string; township_code: string }[]
    >(
      `SELECT parcel_id, lon::text, lat::text, ecosystem, township_code FROM (
         SELECT parcel_id, lon, lat, ecosystem, township_code,
                row_number() OVER (ORDER BY parcel_id) AS n
           FROM parcels WHERE ${where} AND lon IS NOT NULL) p
        WHERE (n - 1) % $4 = 0 ORDER BY parcel_id`,
      [...params, step],
    );
    return {
      total: stats.total,
      withoutCentroid: stats.total - stats.placed,
      sampled: step > 1,
      bounds:
        stats.lon0 === null
          ? null
          : [Number(stats.lon0), Number(stats.lat0), Number(stats.lon1), Number(stats.lat1)],
      points: rows.map((r) => [
        r.parcel_id,
        Number(r.lon),
        Number(r.lat),
        r.ecosystem,
        r.township_code,
      ]),
    };
  }
}

/** Parcel centroids for a map (see {@link ParcelSetsService.points}). */
export interface ParcelPoints {
  /** Parcels in the set (or township). */
  total: number;
  withoutCentroid: number;
  /** True when `points` is an even sample of the parcels with a centroid. */
  sampled: boolean;
  /** [west, south, east, north] of all centroids, degrees; null when none has one. */
  bounds: [number, number, number, number] | null;
  /** [parcelId, lon, lat, ecosystem type code, township code] — coordinates for drawing only. */
  points: [string, number, number, string, string][];
}
