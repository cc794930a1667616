import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { AuthUser, SignedIn } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { Job } from '../../jobs/job.entity';
import { JobsService } from '../../jobs/jobs.service';
import { NO_PROGRESS, Progress } from '../../jobs/progress';
import { RegionsService } from '../../regions/regions.service';
import { D, Dec } from '../../common/decimal';
import { MethodologiesService } from '../methodology/methodologies.service';
import { resolveParameters } from '../methodology/methodology-model';
import { ParcelAggregate } from './parcel-aggregate.entity';
import {
  evaluateParcel,
  PARCEL_STORED_DECIMALS,
  ParcelModel,
  parcelSelectSql,
  ParcelSqlSource,
  ResolvedParameters,
} from './parcel-model';
import { ParcelRun, ParcelRunIndicatorSummary } from './parcel-run.entity';
import { AppConfig } from '../../config/app-config';
import { ParcelSet } from './parcel-set.entity';
import type { ParcelDerived } from '../runs/run-computation';
import { isDataError } from './parcel-load';
import { sqlText } from '../../formula/sql';
import { inScope, parcelModelOf, ParcelSetsService } from './parcel-sets.service';
import { zhEn } from '../../common/i18n/text';

/**
 * The SQL source of a stored parcel set: its parcels, inputs by the set's positions; $3, when not
 * NULL, names the parcels (text[]) to compute, else all. `inPart`: only the parcels of part $5
 * (from 0) of $4, split by a hash of the parcel's id. A run stores this statement (in parts): the
 * parcels' results are not stored but computed again from it when asked for.
 */
export function storedParcels(set: ParcelSet, inPart = false): ParcelSqlSource {
  return {
    carry: ['p.region_code', 'p.parcel_id', 'p.township_code'],
    ecosystem: 'p.ecosystem',
    area: 'p.area_ha',
    input: (code) => {
      const i = set.inputCodes.indexOf(code);
      return i < 0 ? 'NULL::numeric' : `p.inputs[${i + 1}]`;
    },
    from: `FROM parcels p WHERE p.region_code = $1 AND ${SET_CONDITION}${PARCELS_CONDITION}${inPart ? PART_CONDITION : ''}`,
  };
}

/** Whether `key` falls in part `part` (from 0) of `parts`: a hash, never negative. */
const partOf = (key: string, parts: string, part: string) =>
  `(hashtext(${key}) & 2147483647) % ${parts}::int = ${part}::int`;

const SET_CONDITION = 'p.set_id = $2';
const PARCELS_CONDITION = ' AND ($3::text[] IS NULL OR p.parcel_id = ANY($3::text[]))';
const PART_CONDITION = ` AND ${partOf('p.parcel_id', '$4', '$5')}`;

/**
 * The results of a run's parcels ($3: their ids, NULL: all) from the run's stored statement: one
 * row per parcel, `quantities`, `values` and `failed` as in {@link parcelSelectSql}. Parameters:
 * $1 county, $2 set, $3 parcel ids, $4 parts, $5 part. OFFSET 0 keeps PostgreSQL from
 * recomputing the arrays for every reference to them. A statement stored before runs took $3
 * (or, earlier still, $4 and $5) gets those conditions here, where it is run; what was stored,
 * and its hash, stay as they were.
 */
export function runParcelsSql(compiledSql: string): string {
  let sql = compiledSql;
  if (!sql.includes('$3::text[]')) {
    const added = sql.includes('$4::int') ? PARCELS_CONDITION : PARCELS_CONDITION + PART_CONDITION;
    sql = sql.replace(SET_CONDITION, SET_CONDITION + added);
  }
  return `(${sql} OFFSET 0)`;
}

/** Parameter values as stored with a run: value, unit and source (not the full candidate). */
const storable = (params: ReturnType<typeof resolveParameters>): ResolvedParameters =>
  Object.fromEntries(
    Object.entries(params).map(([code, p]) => [
      code,
      { value: p.value, unit: p.unit, ...(p.source ? { source: p.source } : {}) },
    ]),
  );

/**
 * A part's township × type sums: the run's statement over part $5 (from 0) of $4 of the set's
 * parcels ($1 county, $2 set, $3 NULL), grouped; per indicator k the sums `qk`, `vk` and the
 * parcels not computed, `mk` (an input or parameter not reported) and `fk` (a data error).
 * Nothing is written: the parts only read, so a run is stored in one transaction, at the end.
 */
export function partSumsSql(select: string, indicators: string[]): string {
  const sums = indicators.flatMap((_, i) => {
    const k = i + 1;
    return [
      `sum(r.quantities[${k}])::text AS q${k}`,
      `sum(r.values[${k}])::text AS v${k}`,
      `count(*) FILTER (WHERE r.values[${k}] IS NULL AND NOT ${k}::smallint = ANY(coalesce(r.failed, '{}')))::int AS m${k}`,
      `count(*) FILTER (WHERE ${k}::smallint = ANY(coalesce(r.failed, '{}')))::int AS f${k}`,
    ];
  });
  return `SELECT r.township_code, r.ecosystem, count(*)::int AS parcels, sum(r.area_ha)::text AS area_ha,
                 ${sums.join(', ')}
            FROM ${runParcelsSql(select)} r
           GROUP BY r.township_code, r.ecosystem`;
}

type PartSums = Record<string, string | number | null>;

const AGGREGATE_COLUMNS =
  'region_code, run_id, area_code, ecosystem, indicator_code, parcels, area_ha, quantity, value, missing, failed';

/**
 * Township × type sums of a run ($1 county, $2 run) from its parts' sums ($3, a JSON array of
 * {@link partSumsSql} rows): exact sums of exact sums. A group with any parcel not computed has
 * no total (NULL) and says how many are missing or failed.
 */
export function townshipAggregatesInsertSql(indicators: string[]): string {
  const columns = indicators.flatMap((_, i) => [
    `q${i + 1} numeric`,
    `v${i + 1} numeric`,
    `m${i + 1} int`,
    `f${i + 1} int`,
  ]);
  const sums = indicators.flatMap((_, i) =>
    ['q', 'v', 'm', 'f'].map((c) => `sum(p.${c}${i + 1}) AS ${c}${i + 1}`),
  );
  const unpivot = indicators
    .map((code, i) => `(${sqlText(code)}, g.q${i + 1}, g.v${i + 1}, g.m${i + 1}, g.f${i + 1})`)
    .join(', ');
  return `INSERT INTO parcel_aggregates (${AGGREGATE_COLUMNS})
          SELECT $1, $2, g.township_code, g.ecosystem, x.code, g.parcels, g.area_ha,
                 CASE WHEN x.m + x.f = 0 THEN x.q END, CASE WHEN x.m + x.f = 0 THEN x.v END, x.m, x.f
            FROM (SELECT p.township_code, p.ecosystem, sum(p.parcels)::int AS parcels,
                         sum(p.area_ha) AS area_ha, ${sums.join(', ')}
                    FROM jsonb_to_recordset($3::jsonb)
                         AS p(township_code varchar, ecosystem varchar, parcels int, area_ha numeric, ${columns.join(', ')})
                   GROUP BY p.township_code, p.ecosystem) g
           CROSS JOIN LATERAL (VALUES ${unpivot}) x(code, q, v, m, f)`;
}

/**
 * County × type sums of a run ($1 county, $2 run) from its township sums: exact sums, so the
 * same digits as summing the parcels. The county has a total only when every township has one
 * (none misses a parcel), and then each township's total is the sum of all its parcels.
 */
export const COUNTY_AGGREGATES_INSERT_SQL = `INSERT INTO parcel_aggregates (${AGGREGATE_COLUMNS})
          SELECT a.region_code, a.run_id, a.region_code, a.ecosystem, a.indicator_code, sum(a.parcels),
                 sum(a.area_ha),
                 CASE WHEN sum(a.missing) + sum(a.failed) = 0 THEN sum(a.quantity) END,
                 CASE WHEN sum(a.missing) + sum(a.failed) = 0 THEN sum(a.value) END,
                 sum(a.missing), sum(a.failed)
            FROM parcel_aggregates a
           WHERE a.region_code = $1 AND a.run_id = $2 AND a.area_code <> $1
           GROUP BY a.region_code, a.run_id, a.ecosystem, a.indicator_code`;

/**
 * Parcel-level accounting runs: every parcel-capable indicator for every parcel of a set, inside
 * PostgreSQL and keyed by the county code (see README on Citus). The parcels are computed and
 * summed by township and type in parts, each a SELECT on its own connection (PostgreSQL runs one
 * statement on one core; `PARCEL_RUN_CONNECTIONS`); the parts' sums, the county's and the run's
 * row are then stored in one transaction. A parcel's own results are not stored: the run keeps
 * the statement it ran and its parameter values, and a parcel set never changes, so they are
 * computed again, to the same digits, when asked for (explained, or summed for a project).
 */
@Injectable()
export class ParcelRunsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly methodologies: MethodologiesService,
    private readonly sets: ParcelSetsService,
    private readonly jobs: JobsService,
    private readonly auditLog: AuditLogService,
    private readonly config: AppConfig,
  ) {
    // a run needs nothing but its set: another instance can do it if this one stops
    jobs.handle('parcel_run', async (actor, input, progress) => {
      const set = await this.sets.get(actor.user, (input as { setId: string }).setId);
      const run = await this.run(actor, set, progress);
      return { runId: run.id, parcels: run.parcelCount, summary: run.summary };
    });
  }

  async startAsync(actor: SignedIn, setId: string): Promise<Job> {
    const set = await this.sets.get(actor.user, setId);
    parcelModelOf(await this.methodologies.get(set.methodologyId), 'setId');
    return this.jobs.start(actor, 'parcel_run', { setId });
  }

  /** Computes, stores and aggregates a run of a set; it is stored whole or not at all. */
  async run(actor: SignedIn, set: ParcelSet, progress: Progress = NO_PROGRESS): Promise<ParcelRun> {
    const methodology = await this.methodologies.get(set.methodologyId);
    const model = parcelModelOf(methodology, 'setId');
    const lineage = (await this.regions.lineage(set.regionCode)).map((r) => r.code);
    const parameters = storable(resolveParameters(methodology.content, lineage, set.year));
    // stored with the run: the statement each part ran, its part of the parcels given as $4, $5
    const select = parcelSelectSql(model, parameters, storedParcels(set, true));
    const parts = this.config.PARCEL_RUN_CONNECTIONS;
    const id = randomUUID();
    progress.report('computing', 5, { parcels: set.parcelCount });
    try {
      let computed = 0;
      const sums = await this.inParts(parts, async (manager, part) => {
        const rows = await manager.query<PartSums[]>(partSumsSql(select, model.indicators), [
          set.regionCode,
          set.id,
          null,
          parts,
          part,
        ]);
        computed++;
        progress.report('computing', 5 + (85 * computed) / parts, { parcels: set.parcelCount });
        return rows;
      });
      progress.report('summarising', 90);
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(ParcelRun, {
          regionCode: set.regionCode,
          id,
          setId: set.id,
          methodologyId: methodology.id,
          standardId: methodology.standardId,
          methodologyVersion: methodology.version,
          year: set.year,
          indicatorCodes: model.indicators,
          parameters,
          compiledSql: select,
          compiledSqlSha256: createHash('sha256').update(select).digest('hex'),
          parcelCount: set.parcelCount,
          summary: [],
          createdBy: actor.user.username,
        });
        await manager.query(townshipAggregatesInsertSql(model.indicators), [
          set.regionCode,
          id,
          JSON.stringify(sums.flat()),
        ]);
        await manager.query(COUNTY_AGGREGATES_INSERT_SQL, [set.regionCode, id]);
        const summary = await this.summarise(manager, set.regionCode, id, model);
        await manager.update(ParcelRun, { regionCode: set.regionCode, id }, { summary });
        await this.auditLog.record(manager, actor, {
          action: 'parcel_run.create',
          entityType: 'parcel_run',
          entityId: id,
          after: {
            setId: set.id,
            regionCode: set.regionCode,
            year: set.year,
            methodology: `${methodology.standardId} v${methodology.version}`,
            parcels: set.parcelCount,
          },
        });
      });
    } catch (e) {
      if (isDataError(e))
        throw DomainError.invalid(
          'setId',
          zhEn(
            `某个图斑的公式计算超出数值范围（${(e as Error).message}）；请检查图斑的输入`,
            `a formula went out of the numeric range for some parcel (${(e as Error).message}); check the parcels' inputs`,
          ),
        );
      throw e;
    }
    return this.dataSource
      .getRepository(ParcelRun)
      .findOneByOrFail({ regionCode: set.regionCode, id });
  }

  /**
   * Runs `work` for parts 0 … n−1 at once, each on its own connection, and waits for all of them;
   * the first failure is thrown, else their results in part order.
   */
  private async inParts<T>(
    n: number,
    work: (manager: EntityManager, part: number) => Promise<T>,
  ): Promise<T[]> {
    const outcomes = await Promise.allSettled(
      Array.from({ length: n }, (_, part) =>
        this.dataSource.transaction((manager) => work(manager, part)),
      ),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
  }

  private async summarise(
    manager: EntityManager,
    regionCode: string,
    runId: string,
    model: ParcelModel,
  ): Promise<ParcelRunIndicatorSummary[]> {
    const rows = await manager.query<
      { code: string; parcels: number; missing: number; failed: number }[]
    >(
      `SELECT indicator_code AS code, sum(parcels)::int AS parcels, sum(missing)::int AS missing, sum(failed)::int AS failed
         FROM parcel_aggregates WHERE region_code = $1 AND run_id = $2 AND area_code = $1
        GROUP BY indicator_code`,
      [regionCode, runId],
    );
    const byCode = new Map(rows.map((r) => [r.code, r]));
    return model.indicators.map((code) => {
      const r = byCode.get(code) ?? { parcels: 0, missing: 0, failed: 0 };
      return {
        code,
        quantityUnit: model.compiled.indicators.get(code)!.quantity?.unit.text ?? null,
        computed: r.parcels - r.missing - r.failed,
        missing: r.missing,
        failed: r.failed,
      };
    });
  }

  async list(
    user: AuthUser,
    filter: { setId?: string; regionCode?: string; year?: number },
    page: PageQuery,
  ): Promise<Page<ParcelRun>> {
    const qb = this.dataSource
      .getRepository(ParcelRun)
      .createQueryBuilder('r')
      .select([
        'r.regionCode',
        'r.id',
        'r.setId',
        'r.methodologyId',
        'r.standardId',
        'r.methodologyVersion',
        'r.year',
        'r.indicatorCodes',
        'r.compiledSqlSha256',
        'r.parcelCount',
        'r.summary',
        'r.createdBy',
        'r.createdAt',
      ])
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id')
      .skip(page.offset)
      .take(page.pageSize);
    if (user.regionCode) qb.andWhere(inScope('r.region_code'), { scope: user.regionCode });
    if (filter.setId) qb.andWhere('r.set_id = :set', { set: filter.setId });
    if (filter.regionCode) qb.andWhere('r.region_code = :region', { region: filter.regionCode });
    if (filter.year) qb.andWhere('r.year = :year', { year: filter.year });
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, page);
  }

  /** A run the user may read (404 unknown, 403 outside the user's scope). */
  async get(user: AuthUser, id: string): Promise<ParcelRun> {
    const run = await this.dataSource.getRepository(ParcelRun).findOneBy({ id });
    if (!run) throw DomainError.notFound('parcel run', id);
    await this.regions.assertInScope(user, run.regionCode);
    return run;
  }

  /**
   * The run's township and county sums as input to a region run of the same methodology version
   * and year whose subtree contains the county. Areas where some parcel has no result for an
   * indicator are left out (the region run evaluates them itself).
   */
  async derivedFor(
    user: AuthUser,
    id: string,
    regionRun: { methodologyId: string; year: number; rootRegion: string },
  ): Promise<ParcelDerived> {
    const run = await this.get(user, id);
    const path = 'parcelRunId';
    if (run.methodologyId !== regionRun.methodologyId)
      throw DomainError.invalid(
        path,
        zhEn(
          `图斑核算使用 ${run.standardId} 第 ${run.methodologyVersion} 版；区域核算应使用同一版本`,
          `the parcel run was computed with ${run.standardId} v${run.methodologyVersion}; the region run must use the same version`,
        ),
      );
    if (run.year !== regionRun.year)
      throw DomainError.invalid(
        path,
        zhEn(
          `图斑核算是 ${run.year} 年的，不是 ${regionRun.year} 年`,
          `the parcel run is for ${run.year}, not ${regionRun.year}`,
        ),
      );
    if (!(await this.regions.isWithin(regionRun.rootRegion, run.regionCode)))
      throw DomainError.invalid(
        path,
        zhEn(
          `图斑核算所属县 ${run.regionCode} 不在 ${regionRun.rootRegion} 之下`,
          `the parcel run's county ${run.regionCode} is not in the subtree of ${regionRun.rootRegion}`,
        ),
      );
    const rows = await this.dataSource.query<
      {
        area: string;
        code: string;
        quantity: string | null;
        value: string | null;
        parcels: number;
        incomplete: number;
        by_type: Record<string, string>;
      }[]
    >(
      `SELECT area_code AS area, indicator_code AS code, sum(quantity)::text AS quantity,
              sum(value)::text AS value, sum(parcels)::int AS parcels,
              sum(missing + failed)::int AS incomplete,
              jsonb_object_agg(ecosystem, value::text) AS by_type
         FROM parcel_aggregates WHERE region_code = $1 AND run_id = $2
        GROUP BY area_code, indicator_code ORDER BY 1, 2`,
      [run.regionCode, id],
    );
    const results: ParcelDerived['results'] = {};
    for (const r of rows) {
      if (r.incomplete > 0 || r.value === null) continue;
      (results[r.area] ??= {})[r.code] = {
        quantity: r.quantity,
        value: r.value,
        byIndex: r.by_type,
        parcels: r.parcels,
      };
    }
    return {
      id,
      regionCode: run.regionCode,
      compiledSqlSha256: run.compiledSqlSha256,
      results,
    };
  }

  /** Township and county sums by type, optionally for one township or indicator. */
  async aggregates(
    user: AuthUser,
    id: string,
    filter: { areaCode?: string; indicatorCode?: string },
  ): Promise<ParcelAggregate[]> {
    const run = await this.get(user, id);
    return this.dataSource.getRepository(ParcelAggregate).find({
      where: {
        regionCode: run.regionCode,
        runId: id,
        ...(filter.areaCode ? { areaCode: filter.areaCode } : {}),
        ...(filter.indicatorCode ? { indicatorCode: filter.indicatorCode } : {}),
      },
      order: { areaCode: 'ASC', indicatorCode: 'ASC', ecosystem: 'ASC' },
    });
  }

  /**
   * One parcel's results in a run, explained: its inputs, the parameter values for its type, the
   * run's figures (its stored statement, computed again for this parcel) and the decimal reference
   * evaluator's at the stored precision, with a flag per indicator saying whether they agree.
   */
  async explainParcel(user: AuthUser, id: string, parcelId: string) {
    const run = await this.get(user, id);
    const rows = await this.dataSource.query<
      {
        township_code: string;
        ecosystem: string;
        area_ha: string;
        inputs: (string | null)[];
        quantities: (string | null)[];
        values: (string | null)[];
        failed: number[] | null;
        input_codes: string[];
        input_units: string[];
      }[]
    >(
      `SELECT r.township_code, r.ecosystem, r.area_ha::text, p.inputs::text[] AS inputs,
              r.quantities::text[] AS quantities, r.values::text[] AS values, r.failed,
              s.input_codes, s.input_units
         FROM ${runParcelsSql(run.compiledSql)} r
         JOIN parcels p ON p.region_code = r.region_code AND p.set_id = $2 AND p.parcel_id = r.parcel_id
         JOIN parcel_sets s ON s.region_code = r.region_code AND s.id = $2`,
      [run.regionCode, run.setId, [parcelId], 1, 0],
    );
    if (!rows.length) throw DomainError.notFound(`parcel of run ${id}`, parcelId);
    const row = rows[0];
    const model = parcelModelOf(await this.methodologies.get(run.methodologyId), 'id');
    const inputs = Object.fromEntries(row.input_codes.map((c, i) => [c, row.inputs[i]]));
    const reference = evaluateParcel(model, run.parameters, {
      ecosystem: row.ecosystem,
      areaHa: row.area_ha,
      inputs,
    });
    const stored = (x: Dec | undefined) =>
      x === undefined ? null : x.toDecimalPlaces(PARCEL_STORED_DECIMALS, D.ROUND_HALF_UP).toFixed();
    const same = (a: string | null, b: string | null) =>
      a === null || b === null ? a === b : new D(a).eq(b);
    return {
      runId: id,
      parcelId,
      townshipCode: row.township_code,
      ecosystem: row.ecosystem,
      areaHa: new D(row.area_ha).toString(),
      inputs: row.input_codes.map((code, i) => ({
        code,
        value: row.inputs[i] === null ? null : new D(row.inputs[i]).toString(),
        unit: row.input_units[i],
      })),
      indicators: run.indicatorCodes.map((code, i) => {
        const ref = reference.get(code)!;
        const q = ref.quantity ? stored(ref.quantity.total) : null;
        const v = ref.value
          ? stored(ref.value.total.times(model.compiled.indicators.get(code)!.value.unit.factor))
          : null;
        const status =
          row.values[i] !== null ? 'computed' : row.failed?.includes(i + 1) ? 'failed' : 'missing';
        return {
          code,
          status,
          quantity: row.quantities[i],
          quantityUnit: model.compiled.indicators.get(code)!.quantity?.unit.text ?? null,
          value: row.values[i],
          valueUnit: '元',
          missing: ref.missing ?? null,
          error: ref.error ?? null,
          trace: ref.trace,
          recomputed: { quantity: q, value: v },
          agrees: same(row.quantities[i], q) && same(row.values[i], v),
        };
      }),
    };
  }
}
