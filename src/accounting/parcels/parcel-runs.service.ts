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
import { ParcelRunPending, pendingRunLockKey } from './parcel-run-pending.entity';
import { AppConfig } from '../../config/app-config';
import { ParcelSet } from './parcel-set.entity';
import type { ParcelDerived } from '../runs/run-computation';
import { isDataError } from './parcel-load';
import { sqlText } from '../../formula/sql';
import { inScope, parcelModelOf, ParcelSetsService } from './parcel-sets.service';
import { zhEn } from '../../common/i18n/text';

/**
 * The SQL source of a stored parcel set: every parcel, inputs by the set's positions. `inPart`:
 * only the parcels of part $5 (from 0) of $4, split by a hash of the parcel's id.
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
    from: `FROM parcels p WHERE p.region_code = $1 AND p.set_id = $2${inPart ? ` AND ${partOf('p.parcel_id', '$4', '$5')}` : ''}`,
  };
}

/** Whether `key` falls in part `part` (from 0) of `parts`: a hash, never negative. */
const partOf = (key: string, parts: string, part: string) =>
  `(hashtext(${key}) & 2147483647) % ${parts}::int = ${part}::int`;

/** Parameter values as stored with a run: value, unit and source (not the full candidate). */
const storable = (params: ReturnType<typeof resolveParameters>): ResolvedParameters =>
  Object.fromEntries(
    Object.entries(params).map(([code, p]) => [
      code,
      { value: p.value, unit: p.unit, ...(p.source ? { source: p.source } : {}) },
    ]),
  );

/**
 * The run's results: the compiled SELECT over a part of the set's parcels ($1 county, $2 set,
 * $4 parts, $5 part; see {@link storedParcels}) stored under the run $3. The county code is taken
 * from the parcel rows, not from $1, so on Citus the statement is co-located: it runs on the
 * worker holding the county's shards, not through the coordinator (test/citus checks the plan).
 */
export function resultsInsertSql(select: string): string {
  return `INSERT INTO parcel_results (region_code, run_id, parcel_id, township_code, ecosystem, area_ha, quantities, values, failed)
          SELECT r.region_code, $3, r.parcel_id, r.township_code, r.ecosystem, r.area_ha, r.quantities, r.values, r.failed
            FROM (${select}) r`;
}

const AGGREGATE_COLUMNS =
  'region_code, run_id, area_code, ecosystem, indicator_code, parcels, area_ha, quantity, value, missing, failed';

/**
 * Township × type sums of a run's stored results ($1 county, $2 run) for the townships of part
 * $4 (from 0) of $3, split by a hash of the township's code; a group with any parcel not
 * computed has no total (NULL) and says how many are missing. Grouped by the county code of the
 * rows, so on Citus it stays on the county's worker.
 */
export function townshipAggregatesInsertSql(indicators: string[]): string {
  const sums = indicators.flatMap((_, i) => {
    const k = i + 1;
    return [
      `sum(r.quantities[${k}]) AS q${k}`,
      `sum(r.values[${k}]) AS v${k}`,
      `count(*) FILTER (WHERE r.values[${k}] IS NULL AND NOT ${k}::smallint = ANY(coalesce(r.failed, '{}'))) AS m${k}`,
      `count(*) FILTER (WHERE ${k}::smallint = ANY(coalesce(r.failed, '{}'))) AS f${k}`,
    ];
  });
  const unpivot = indicators
    .map((code, i) => `(${sqlText(code)}, g.q${i + 1}, g.v${i + 1}, g.m${i + 1}, g.f${i + 1})`)
    .join(', ');
  return `INSERT INTO parcel_aggregates (${AGGREGATE_COLUMNS})
          SELECT g.region_code, $2, g.township_code, g.ecosystem, x.code, g.parcels, g.area_ha,
                 CASE WHEN x.m + x.f = 0 THEN x.q END, CASE WHEN x.m + x.f = 0 THEN x.v END, x.m, x.f
            FROM (SELECT r.region_code, r.township_code, r.ecosystem, count(*)::int AS parcels,
                         sum(r.area_ha) AS area_ha, ${sums.join(', ')}
                    FROM parcel_results r
                   WHERE r.region_code = $1 AND r.run_id = $2 AND ${partOf('r.township_code', '$3', '$4')}
                   GROUP BY r.region_code, r.township_code, r.ecosystem) g
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

/** Deletes what a run that was not stored wrote, and its pending entry. */
async function deletePendingRun(
  manager: EntityManager,
  regionCode: string,
  runId: string,
): Promise<void> {
  for (const table of ['parcel_results', 'parcel_aggregates'])
    await manager.query(`DELETE FROM ${table} WHERE region_code = $1 AND run_id = $2`, [
      regionCode,
      runId,
    ]);
  await manager.delete(ParcelRunPending, { regionCode, runId });
}

/**
 * Parcel-level accounting runs: every parcel-capable indicator for every parcel of a set, inside
 * PostgreSQL and keyed by the county code (see README on Citus). The parcels are computed in
 * parts, each an INSERT … SELECT in its own transaction on its own connection (PostgreSQL runs
 * one such statement on one core; `PARCEL_RUN_CONNECTIONS`), then summed to townships the same
 * way; the run becomes visible at once, when its row and the county's sums are stored in a last
 * transaction. Until then its rows are listed as pending ({@link ParcelRunPending}) and deleted
 * if the run fails.
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
    await this.deleteAbandoned();
    const owner = this.dataSource.createQueryRunner();
    await owner.connect();
    try {
      await owner.query(`SELECT pg_advisory_lock(${pendingRunLockKey('$1::text')})`, [id]);
      await owner.manager.insert(ParcelRunPending, { regionCode: set.regionCode, runId: id });
      try {
        let computed = 0;
        await this.inParts(parts, async (manager, part) => {
          await manager.query(resultsInsertSql(select), [set.regionCode, set.id, id, parts, part]);
          computed++;
          progress.report('computing', 5 + (65 * computed) / parts, { parcels: set.parcelCount });
        });
        progress.report('aggregating', 70, { parcels: set.parcelCount });
        await this.inParts(parts, (manager, part) =>
          manager.query(townshipAggregatesInsertSql(model.indicators), [
            set.regionCode,
            id,
            parts,
            part,
          ]),
        );
        progress.report('summarising', 95);
        await owner.manager.transaction(async (manager) => {
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
          await manager.query(COUNTY_AGGREGATES_INSERT_SQL, [set.regionCode, id]);
          const summary = await this.summarise(manager, set.regionCode, id, model);
          await manager.update(ParcelRun, { regionCode: set.regionCode, id }, { summary });
          await manager.delete(ParcelRunPending, { regionCode: set.regionCode, runId: id });
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
        // if this fails too, the entry stays pending and the next run deletes the rows
        await owner.manager
          .transaction((manager) => deletePendingRun(manager, set.regionCode, id))
          .catch(() => undefined);
        throw e;
      }
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
    } finally {
      await owner
        .query(`SELECT pg_advisory_unlock(${pendingRunLockKey('$1::text')})`, [id])
        .catch(() => undefined); // a lost connection has released it
      await owner.release();
    }
    return this.dataSource
      .getRepository(ParcelRun)
      .findOneByOrFail({ regionCode: set.regionCode, id });
  }

  /**
   * Runs `work` for parts 0 … n−1 at once, each in its own transaction, and waits for all of
   * them (so that none is still writing when a failure is cleaned up); the first failure is
   * thrown.
   */
  private async inParts(
    n: number,
    work: (manager: EntityManager, part: number) => Promise<unknown>,
  ): Promise<void> {
    const outcomes = await Promise.allSettled(
      Array.from({ length: n }, (_, part) =>
        this.dataSource.transaction((manager) => work(manager, part)),
      ),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Deletes the rows of runs left pending by a process that stopped (their advisory lock is
   * free; a run being computed holds its own).
   */
  private async deleteAbandoned(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const abandoned = await manager.query<{ region_code: string; run_id: string }[]>(
        `SELECT region_code, run_id FROM parcel_runs_pending
          WHERE pg_try_advisory_xact_lock(${pendingRunLockKey('run_id::text')})`,
      );
      for (const r of abandoned) await deletePendingRun(manager, r.region_code, r.run_id);
    });
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
   * One parcel's stored results, explained: its inputs, the parameter values for its type, and
   * the decimal reference evaluator's figures at the stored precision, with a flag per indicator
   * saying whether they agree with what is stored.
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
         FROM parcel_results r
         JOIN parcels p ON p.region_code = r.region_code AND p.set_id = $3 AND p.parcel_id = r.parcel_id
         JOIN parcel_sets s ON s.region_code = r.region_code AND s.id = $3
        WHERE r.region_code = $1 AND r.run_id = $2 AND r.parcel_id = $4`,
      [run.regionCode, id, run.setId, parcelId],
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
