import { zhEn, inLanguage } from '../../common/i18n/text';
import { columnsExcept } from '../../database/select-columns';
import { clock } from '../../common/clock';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { AuthUser, SignedIn } from '../../auth/auth-user';
import { DomainError, FieldProblem } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { scopeCondition } from '../../auth/region-scope';
import { RegionsService } from '../../regions/regions.service';
import { D, Dec } from '../../common/decimal';
import {
  CATEGORIES,
  Category,
  CATEGORY_ZH,
  DEDUCTION,
  MethodologyContent,
  methodNamesOf,
  tableOrder,
} from '../methodology/methodology-content';
import { MethodologiesService } from '../methodology/methodologies.service';
import { Methodology } from '../methodology/methodology.entity';
import { UncertaintyResult } from './run-uncertainty';
import { Job } from '../../jobs/job.entity';
import { JobsService } from '../../jobs/jobs.service';
import { NO_PROGRESS, Progress } from '../../jobs/progress';
import { AccountingResult } from './accounting-result.entity';
import { AccountingRun, RUN_STATUS_ZH, RunStatus } from './accounting-run.entity';
import { gapProblems, gapsWithin, originGaps } from './run-completeness';
import {
  CrosswalkRegionItem,
  DerivedFigures,
  derivedFigures,
  GepComparison,
  regionGep,
} from './comparison';
import { canonicalJson } from '../../common/canonical-json';
import { ComputedResult, snapshotHashYielding, subtreeSnapshot } from './run-computation';
import { RunsRepository } from './runs.repository';
import { exportRows, toCsv, toXlsx } from './run-export';
import { buildRunSnapshot, insertRun } from './run-snapshot';
import { RunEvaluationPool } from './run-evaluation-pool';
import { ParcelRunsService } from '../parcels/parcel-runs.service';

/** What a run is asked for. */
export interface RunInput {
  standardId: string;
  version?: number;
  regionCode: string;
  year: number;
  /** A parcel run whose sums replace the evaluation of its indicators. */
  parcelRunId?: string;
}
import { lockRow } from '../../database/lock-row';
import { FrozenFigures } from './frozen-figures';
import { RegionsRepository } from '../../regions/regions.repository';

export type RankBy = 'gep' | 'gepPerKm2' | 'gepPerCapita';

export interface RankedRegion {
  rank: number | null;
  regionCode: string;
  name: string;
  gep: string | null;
  gepPerKm2: string | null;
  gepPerCapita: string | null;
  incomplete: string[];
}

/** A trace input as the explanation shows it (see {@link RunsService#describeInputs}). */
interface DescribedInput {
  name: string;
  kind: string;
  value: string | Record<string, string> | null;
  unit: string;
  source?: string;
  nameZh?: string | null;
  itemNames?: Record<string, string>;
  formId?: string;
  sourceText?: string;
  notes?: { item: string | null; source: string | null; note: string | null }[];
}

/** One line of a summary's table: a category or a service, with the name a person reads. */
export interface SummaryLine {
  code: string;
  nameZh: string;
  /** 元; null when a counted indicator under it has no result (never a partial sum). */
  value: string | null;
}

export interface RunSummary {
  regionCode: string;
  regionName: string;
  /** Year of the parameter values (prices) used. */
  priceYear: number;
  /** 元, unrounded, counted indicators only; null when one has no result. */
  gep: string | null;
  /** Null for a category with a gap: never a partial sum. */
  byCategory: Record<Category, string | null>;
  byService: Record<string, string | null>;
  /**
   * The same figures as a published table reads them: categories in order, each with its services
   * (counted ones only) by name.
   */
  table: (SummaryLine & { services: SummaryLine[] })[];
  /** Counted indicators without a result for this region. */
  incomplete: string[];
  /** The same, by name. */
  incompleteNames: string[];
  /** Where the region's gaps arise, in Chinese. */
  gaps: FieldProblem[];
  run: RunStanding;
  derived: DerivedFigures;
}

/** How far a run's figures can be trusted, carried with every figure read from it. */
export interface RunStanding {
  status: RunStatus;
  complete: boolean;
  incompleteReason: string | null;
  withdrawalReason: string | null;
}

export const standing = (
  run: Pick<AccountingRun, 'status' | 'completeness' | 'incompleteReason' | 'withdrawalReason'>,
): RunStanding => ({
  status: run.status,
  complete: run.completeness.complete,
  incompleteReason: run.incompleteReason,
  withdrawalReason: run.withdrawalReason,
});

const seesDrafts = (user: AuthUser) => user.roles.some((r) => r !== 'viewer');

/** What a person reads beside a result's codes. */
export interface ResultNames {
  regionName: string | null;
  indicatorNameZh: string | null;
  service: string | null;
  serviceNameZh: string | null;
  category: string | null;
  categoryNameZh: string | null;
  /** For an indicator with alternative methods: the name of the method that gave the result. */
  methodNameZh: string | null;
  /** …and the names of all its methods, by code (to read the trace's `methods`). */
  methodNames: Record<string, string> | null;
}

/**
 * The most regions one run may cover. A run holds every region's results and traces in memory
 * until they are stored, and keeps all its inputs in one snapshot (one json value): a generated
 * tree of 44,000 regions took 6.7 GB (~150 KB a region) and passed the 256 MB limit of jsonb, the
 * snapshot's type then (`BENCH_ONLY=national npm run bench`); at that rate 10,000 regions take about
 * 1.5 GB, within Node's default heap beside other work. A province of townships is a few thousand regions; one
 * with its villages loaded can be ten times that and is run city by city (docs/national-scale.md).
 */
export const MAX_RUN_REGIONS = 10_000;

@Injectable()
export class RunsService {
  /** Summaries and rankings of runs that are no longer drafts (see {@link FrozenFigures}). */
  private readonly frozen = new FrozenFigures();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly methodologies: MethodologiesService,
    private readonly regions: RegionsService,
    private readonly auditLog: AuditLogService,
    private readonly jobs: JobsService,
    private readonly parcelRuns: ParcelRunsService,
    /** Threads large runs, comparisons and uncertainty are computed on (`RUN_EVALUATION_THREADS`). */
    private readonly pool: RunEvaluationPool,
  ) {
    // a run needs nothing but its input: another instance can do it if this one stops
    jobs.handle('accounting_run', async (actor, input, progress) => {
      const run = await this.start(actor, input as RunInput, progress);
      return { runId: run.id, status: run.status, coverage: run.coverage };
    });
    jobs.handle('run_uncertainty', (actor, input, progress) =>
      this.uncertainty(actor, input as UncertaintyInput, progress),
    );
  }

  /**
   * GEP of the run with its uncertainty (run-uncertainty.ts): Monte Carlo over the parameters'
   * ranges, with a fixed seed, and the sensitivity ranking. Recomputed from the run's snapshot,
   * so the same run, draws and seed give the same figures.
   */
  async uncertainty(
    actor: SignedIn,
    input: UncertaintyInput,
    progress?: Progress,
  ): Promise<UncertaintyResult> {
    const run = await this.get(actor.user, input.runId);
    const code = input.regionCode ?? run.rootRegionCode;
    if (!run.snapshot.regions.some((x) => x.code === code))
      throw DomainError.notFound(`region in run ${run.id}`, code);
    const { content } = await this.methodologies.get(run.methodologyId);
    const regionLabel = await RegionsRepository.label(this.dataSource.manager, code);
    progress?.report('computing', 0);
    return this.pool.uncertainty(
      content,
      subtreeSnapshot(run.snapshot, code), // all that is drawn: the thread is sent no more
      code,
      { draws: input.draws, seed: input.seed, regionLabel },
      (done, total) => progress?.report('computing', (100 * done) / total, { draws: done }),
    );
  }

  /** Checks the request now (the run is readable), then draws in the background. */
  async startUncertainty(actor: SignedIn, input: UncertaintyInput): Promise<Job> {
    const run = await this.get(actor.user, input.runId);
    const code = input.regionCode ?? run.rootRegionCode;
    if (!run.snapshot.regions.some((x) => x.code === code))
      throw DomainError.notFound(`region in run ${run.id}`, code);
    return this.jobs.start(actor, 'run_uncertainty', input);
  }

  /** Computes and stores a draft run (see {@link startAsync} for large subtrees). */
  async start(
    actor: SignedIn,
    input: RunInput,
    progress: Progress = NO_PROGRESS,
  ): Promise<AccountingRun> {
    const methodology = await this.runnable(actor, input);
    progress.report('loading inputs', 2);
    const snapshot = await buildRunSnapshot(
      this.dataSource.manager,
      methodology,
      input.regionCode,
      input.year,
    );
    if (input.parcelRunId)
      snapshot.parcelRun = await this.parcelRuns.derivedFor(actor.user, input.parcelRunId, {
        methodologyId: methodology.id,
        year: input.year,
        rootRegion: input.regionCode,
      });
    return this.dataSource.transaction(async (manager) => {
      const runId = await insertRun(
        manager,
        methodology,
        snapshot,
        actor.user.username,
        progress,
        this.pool,
      );
      const run = await manager.findOneByOrFail(AccountingRun, { id: runId });
      await this.auditLog.record(manager, actor, {
        action: 'accounting_run.create',
        entityType: 'accounting_run',
        entityId: runId,
        after: {
          coverage: run.coverage,
          standardId: run.standardId,
          version: run.methodologyVersion,
          region: run.rootRegionCode,
          year: run.year,
          snapshotSha256: run.snapshotSha256,
        },
      });
      return run;
    });
  }

  /**
   * The same run as a background job reporting its progress (loading inputs, computing, storing):
   * the request is checked now (published methodology, region scope), the work is queued.
   */
  async startAsync(actor: SignedIn, input: RunInput): Promise<Job> {
    const methodology = await this.runnable(actor, input);
    if (input.parcelRunId)
      await this.parcelRuns.derivedFor(actor.user, input.parcelRunId, {
        methodologyId: methodology.id,
        year: input.year,
        rootRegion: input.regionCode,
      });
    return this.jobs.start(actor, 'accounting_run', input);
  }

  /** The published methodology a run asks for, once the caller may run it for the region. */
  private async runnable(
    actor: SignedIn,
    input: { standardId: string; version?: number; regionCode: string },
  ): Promise<Methodology> {
    const methodology = await this.methodologies.findPublished(input.standardId, input.version);
    if (!methodology) {
      const message = zhEn(
        `没有已发布的核算方法 ${input.standardId}${input.version ? ` 第 ${input.version} 版` : ''}；核算须使用已发布的方法`,
        `no published methodology ${input.standardId}${input.version ? ` version ${input.version}` : ''}; a run needs a published one`,
      );
      throw new DomainError('VALIDATION_FAILED', message, [
        { path: input.version ? 'version' : 'standardId', message },
      ]);
    }
    await this.regions.assertInScope(actor.user, input.regionCode);
    const size = await RegionsRepository.subtreeSize(this.dataSource.manager, input.regionCode);
    if (size > MAX_RUN_REGIONS) {
      const message = zhEn(
        `该地区及其下级共 ${size} 个地区，超过一次核算的上限 ${MAX_RUN_REGIONS} 个；请对其下级地区分别核算`,
        `the region and the regions below it are ${size}, more than the ${MAX_RUN_REGIONS} one run can hold; run the regions below it one by one`,
      );
      throw new DomainError('VALIDATION_FAILED', message, [{ path: 'regionCode', message }]);
    }
    return methodology;
  }

  /**
   * Publishes a draft run; an earlier published run of the same standard, region and year becomes
   * superseded. An incomplete run (a counted indicator of a region without a result) is refused,
   * naming every gap where it arises, unless the accountant publishes it as incomplete with a
   * written reason; superseding a complete published run with an incomplete one must also name
   * the run it supersedes. Both are audited, and the run carries the mark wherever it is read.
   */
  /**
   * GB/T 46869—2025: a GEP total is published only after the value of ecological products from
   * outside the region is deducted. A methodology that requires it refuses publication — even as
   * an incomplete run with a reason — while the run's region has no deduction figure.
   */
  private async assertDeductionIfRequired(run: AccountingRun): Promise<void> {
    const { content } = await this.methodologies.get(run.methodologyId);
    if (!content.requireOutOfRegionDeduction) return;
    const deductionServices = new Set(
      content.services.filter((s) => s.category === DEDUCTION).map((s) => s.code),
    );
    const names = new Map(content.indicators.map((i) => [i.code, i.nameZh]));
    const lacking = run.completeness.gaps.filter(
      (g) =>
        g.regionCode === run.rootRegionCode &&
        deductionServices.has(
          content.indicators.find((i) => i.code === g.indicatorCode)?.service ?? '',
        ),
    );
    if (!lacking.length) return;
    const what = lacking
      .map((g) => `${names.get(g.indicatorCode) ?? g.indicatorCode}（缺：${g.missing.join('、')}）`)
      .join('；');
    const whatEn = lacking
      .map((g) => `${g.indicatorCode} (missing: ${g.missing.join(', ')})`)
      .join('; ');
    const region = await RegionsRepository.label(this.dataSource.manager, run.rootRegionCode);
    throw new DomainError(
      'DATA_INCOMPLETE',
      zhEn(
        `该核算方法要求先扣减区域外生态产品价值才能发布 GEP；${region.zh}的扣减项没有结果：${what}`,
        `this methodology publishes GEP only after the out-of-region deduction; ${region.en} has no result for ${whatEn}`,
      ),
    );
  }

  async publish(
    actor: SignedIn,
    id: string,
    ack: { incompleteReason?: string; supersedes?: string } = {},
  ): Promise<AccountingRun> {
    return this.dataSource.transaction(async (manager) => {
      const run = await lockRow(manager, AccountingRun, id, 'run');
      await this.regions.assertInScope(actor.user, run.rootRegionCode);
      if (run.status !== 'draft')
        throw new DomainError(
          'RUN_NOT_DRAFT',
          zhEn(
            `该核算为“${RUN_STATUS_ZH[run.status]}”，只有草稿可以发布`,
            `the run is ${run.status}; only a draft can be published`,
          ),
        );
      // at most one (a unique index): the run this one supersedes
      const published = await RunsRepository.publishedRootedAt(
        manager,
        run.standardId,
        run.rootRegionCode,
        run.year,
      );
      const older = published ? [published] : [];
      // A draft supersedes only what its accountant could have seen: a run published after this
      // draft was computed means two people published the same year at once — one of them wins.
      const newer = older.find((o) => o.publishedAt && o.publishedAt > run.createdAt);
      if (newer)
        throw new DomainError(
          'RUN_PUBLISHED_MEANWHILE',
          zhEn(
            `本草稿计算之后，${newer.publishedBy ?? ''} 发布了同年度的核算 ${newer.id}；请重新核算后再发布以取代它`,
            `run ${newer.id} of the same year was published by ${newer.publishedBy} after this draft was computed; compute the run again to supersede it`,
          ),
        );
      await this.assertDeductionIfRequired(run);
      const incomplete = !run.completeness.complete;
      if (!incomplete && (ack.incompleteReason !== undefined || ack.supersedes !== undefined))
        throw DomainError.invalid(
          ack.incompleteReason !== undefined ? 'incompleteReason' : 'supersedes',
          zhEn(
            '该核算完整，无需说明不完整理由或确认取代',
            'the run is complete: it needs no reason for being incomplete and replaces nothing',
          ),
        );
      if (incomplete) await this.assertIncompleteAcknowledged(manager, run, older, ack);
      for (const o of older) {
        await manager.update(
          AccountingRun,
          { id: o.id },
          { status: 'superseded', supersededBy: id },
        );
        await this.auditLog.record(manager, actor, {
          action: 'accounting_run.supersede',
          entityType: 'accounting_run',
          entityId: o.id,
          after: { supersededBy: id, byIncompleteRun: incomplete },
        });
      }
      await manager.update(
        AccountingRun,
        { id },
        {
          status: 'published',
          publishedAt: clock.now(),
          publishedBy: actor.user.username,
          incompleteReason: incomplete ? ack.incompleteReason!.trim() : null,
        },
      );
      const after = await manager.findOneByOrFail(AccountingRun, { id });
      await this.auditLog.record(manager, actor, {
        action: 'accounting_run.publish',
        entityType: 'accounting_run',
        entityId: id,
        after: {
          status: 'published',
          snapshotSha256: after.snapshotSha256,
          complete: !incomplete,
          ...(incomplete
            ? {
                incompleteReason: after.incompleteReason,
                gaps: run.completeness.gaps.length,
                supersedes: older.map((o) => o.id),
              }
            : {}),
        },
      });
      return after;
    });
  }

  /** 409 naming every gap (and a complete run it would replace) unless the accountant said why. */
  private async assertIncompleteAcknowledged(
    manager: EntityManager,
    run: AccountingRun,
    older: AccountingRun[],
    ack: { incompleteReason?: string; supersedes?: string },
  ): Promise<void> {
    const { content } = await this.methodologies.get(run.methodologyId);
    const origin = originGaps(run.completeness, run.snapshot.regions);
    const names = await RegionsRepository.names(
      manager,
      origin.map((g) => g.regionCode),
    );
    const gaps = gapProblems(origin, content, names, { inputs: run.snapshot.inputs });
    const regions = new Set(origin.map((g) => g.regionCode)).size;
    const summary = {
      zh: `本次核算不完整：${run.completeness.gaps.length} 项应计入 GEP 的结果无法核算，缺口出自 ${regions} 个地区`,
      en: `this run is incomplete: ${run.completeness.gaps.length} result(s) counted in GEP cannot be computed, in ${regions} region(s)`,
    };
    const reason = ack.incompleteReason?.trim() ?? '';
    if (reason.length < 4)
      throw new DomainError(
        'DATA_INCOMPLETE',
        zhEn(
          `${summary.zh}。请补齐数据后重新核算；如确需发布不完整的核算，请在 incompleteReason 中写明理由（至少 4 个字）`,
          `${summary.en}. Complete the data and compute again; to publish it incomplete all the same, give the reason in incompleteReason (at least 4 characters)`,
        ),
        [
          {
            path: 'incompleteReason',
            message: reason
              ? zhEn('理由过短，至少 4 个字', 'the reason is too short: at least 4 characters')
              : zhEn(
                  '发布不完整的核算须写明理由，该理由将记入审计日志并随结果显示',
                  'publishing an incomplete run needs a reason, which is audited and shown with its figures',
                ),
          },
          ...gaps,
        ],
      );
    const complete = older.find((o) => o.completeness.complete);
    if (complete && ack.supersedes !== complete.id)
      throw new DomainError(
        'DATA_INCOMPLETE',
        zhEn(
          `${summary.zh}，而它将取代已发布的完整核算 ${complete.id}（${complete.year} 年，${complete.publishedBy ?? ''} 发布）。如确需以不完整的核算取代完整的核算，请在 supersedes 中填写该核算的编号`,
          `${summary.en}, and it would replace the complete published run ${complete.id} (${complete.year}, published by ${complete.publishedBy ?? ''}). To replace a complete run with an incomplete one all the same, give that run's id in supersedes`,
        ),
        [
          {
            path: 'supersedes',
            message: ack.supersedes
              ? zhEn(
                  `应为将被取代的已发布完整核算 ${complete.id}，不是 ${ack.supersedes}`,
                  `must be the complete published run it replaces, ${complete.id}, not ${ack.supersedes}`,
                )
              : zhEn(
                  `将取代已发布的完整核算 ${complete.id}；请填写该编号以确认`,
                  `replaces the complete published run ${complete.id}: give its id to confirm`,
                ),
          },
          ...gaps,
        ],
      );
    if (!complete && ack.supersedes !== undefined && !older.some((o) => o.id === ack.supersedes))
      throw DomainError.invalid(
        'supersedes',
        zhEn(
          `没有将被取代的已发布核算 ${ack.supersedes}`,
          `there is no published run ${ack.supersedes} to replace`,
        ),
      );
  }

  /**
   * Withdraws (撤回) a published run: its figures stay readable, marked withdrawn with the reason;
   * nothing that read them changes, and what did shows that its source was withdrawn.
   */
  async withdraw(actor: SignedIn, id: string, reason: string): Promise<AccountingRun> {
    if (reason.trim().length < 4)
      throw DomainError.invalid(
        'reason',
        zhEn(
          '撤回须写明理由（至少 4 个字）',
          'a withdrawal needs a reason (at least 4 characters)',
        ),
      );
    return this.dataSource.transaction(async (manager) => {
      const run = await lockRow(manager, AccountingRun, id, 'run');
      await this.regions.assertInScope(actor.user, run.rootRegionCode);
      if (run.status !== 'published')
        throw new DomainError(
          'RUN_NOT_PUBLISHED',
          zhEn(
            `只有已发布的核算可以撤回；该核算状态为 ${RUN_STATUS_ZH[run.status]}`,
            `only a published run can be withdrawn; this one is ${run.status}`,
          ),
        );
      await manager.update(
        AccountingRun,
        { id },
        {
          status: 'withdrawn',
          withdrawnAt: clock.now(),
          withdrawnBy: actor.user.username,
          withdrawalReason: reason.trim(),
        },
      );
      const after = await manager.findOneByOrFail(AccountingRun, { id });
      await this.auditLog.record(manager, actor, {
        action: 'accounting_run.withdraw',
        entityType: 'accounting_run',
        entityId: id,
        before: { status: 'published' },
        after: { status: 'withdrawn', reason: after.withdrawalReason },
      });
      return after;
    });
  }

  async list(
    user: AuthUser,
    filter: { standardId?: string; regionCode?: string; year?: number },
    page: PageQuery,
  ): Promise<Page<AccountingRun>> {
    const qb = this.dataSource
      .getRepository(AccountingRun)
      .createQueryBuilder('r')
      .select([
        'r.id',
        'r.methodologyId',
        'r.standardId',
        'r.methodologyVersion',
        'r.rootRegionCode',
        'r.year',
        'r.status',
        'r.snapshotSha256',
        'r.coverage',
        'r.completeness',
        'r.incompleteReason',
        'r.withdrawnBy',
        'r.withdrawnAt',
        'r.withdrawalReason',
        'r.createdBy',
        'r.publishedBy',
        'r.publishedAt',
        'r.supersededBy',
        'r.createdAt',
      ]);
    if (!seesDrafts(user)) qb.andWhere("r.status <> 'draft'");
    // published figures are public; a draft only to those whose scope covers its region
    else if (user.regionCode)
      qb.andWhere(scopeCondition('accounting_run', 'r', ':scope::varchar', true), {
        scope: user.regionCode,
      });
    if (filter.standardId) qb.andWhere('r.standardId = :s', { s: filter.standardId });
    if (filter.regionCode) qb.andWhere('r.rootRegionCode = :c', { c: filter.regionCode });
    if (filter.year) qb.andWhere('r.year = :y', { y: filter.year });
    // newest first: runs created together (a seed, one transaction) by year, latest first
    const [items, total] = await qb
      .orderBy('r.createdAt', 'DESC')
      .addOrderBy('r.year', 'DESC')
      .addOrderBy('r.id')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  async get(user: AuthUser, id: string): Promise<AccountingRun> {
    const run = await this.dataSource.getRepository(AccountingRun).findOneBy({ id });
    if (!run || (run.status === 'draft' && !seesDrafts(user)))
      throw DomainError.notFound('run', id);
    if (run.status === 'draft') await this.regions.assertInScope(user, run.rootRegionCode, 'id');
    return run;
  }

  /**
   * The run without its snapshot (the large part), under the same access rules as {@link get}:
   * enough to answer from figures already computed, and what `GET /accounting/runs/{id}` shows.
   */
  async standingOf(user: AuthUser, id: string): Promise<Omit<AccountingRun, 'snapshot'>> {
    const select = columnsExcept<AccountingRun>(
      this.dataSource.getMetadata(AccountingRun),
      'snapshot',
    );
    const run = await this.dataSource
      .getRepository(AccountingRun)
      .findOne({ where: { id }, select });
    if (!run || (run.status === 'draft' && !seesDrafts(user)))
      throw DomainError.notFound('run', id);
    if (run.status === 'draft') await this.regions.assertInScope(user, run.rootRegionCode, 'id');
    return run;
  }

  /** A figure of the run: computed once per instance when the run is no longer a draft. */
  private frozenFigure<T>(
    run: Pick<AccountingRun, 'id' | 'status'>,
    key: string,
    compute: () => Promise<T>,
  ): Promise<T> {
    return run.status === 'draft' ? compute() : this.frozen.get(`${run.id}|${key}`, compute);
  }

  async results(
    user: AuthUser,
    id: string,
    filter: { regionCode?: string; indicator?: string; category?: Category },
    page: PageQuery,
  ): Promise<Page<AccountingResult & ResultNames>> {
    const run = await this.standingOf(user, id); // the snapshot is not needed here
    const { content } = await this.methodologies.get(run.methodologyId);
    const qb = this.dataSource
      .getRepository(AccountingResult)
      .createQueryBuilder('x')
      .select([
        'x.runId',
        'x.regionCode',
        'x.indicatorCode',
        'x.status',
        'x.quantity',
        'x.quantityUnit',
        'x.quantityByIndex',
        'x.value',
        'x.byIndex',
        'x.missing',
      ])
      .where('x.runId = :id', { id });
    if (filter.regionCode) qb.andWhere('x.regionCode = :c', { c: filter.regionCode });
    if (filter.indicator) qb.andWhere('x.indicatorCode = :i', { i: filter.indicator });
    if (filter.category) {
      const services = new Set(
        content.services.filter((x) => x.category === filter.category).map((x) => x.code),
      );
      const codes = content.indicators.filter((x) => services.has(x.service)).map((x) => x.code);
      qb.andWhere('x.indicatorCode IN (:...codes)', { codes: codes.length ? codes : [''] });
    }
    // by region, then as a published table lists its items: category → service → indicator
    const [items, total] = await qb
      .orderBy('x.regionCode')
      .addOrderBy('array_position(CAST(:order AS varchar[]), x.indicator_code)')
      .addOrderBy('x.indicatorCode')
      .setParameter('order', tableOrder(content))
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(await this.named(content, items), total, page);
  }

  /** Results with the names a person reads beside their codes. */
  private async named(
    content: MethodologyContent,
    items: AccountingResult[],
  ): Promise<(AccountingResult & ResultNames)[]> {
    const names = await RegionsRepository.names(
      this.dataSource.manager,
      items.map((r) => r.regionCode),
    );
    const indicators = new Map(content.indicators.map((i) => [i.code, i]));
    const services = new Map(content.services.map((s) => [s.code, s]));
    return items.map((r) => {
      const indicator = indicators.get(r.indicatorCode);
      const service = indicator ? services.get(indicator.service) : undefined;
      const methodNames = indicator ? methodNamesOf(indicator) : null;
      const used = (r.trace as { method?: string } | null)?.method;
      return Object.assign(r, {
        methodNameZh: used ? (methodNames?.[used] ?? used) : null,
        methodNames,
        regionName: names.get(r.regionCode) ?? null,
        indicatorNameZh: indicator?.nameZh ?? null,
        service: service?.code ?? null,
        serviceNameZh: service?.nameZh ?? null,
        category: service?.category ?? null,
        categoryNameZh: service ? (CATEGORY_ZH[service.category] ?? null) : null,
      });
    });
  }

  /** One number with its trace: formula, inputs with their survey records, parameters with their sources. */
  async explain(
    user: AuthUser,
    id: string,
    regionCode: string,
    indicator: string,
  ): Promise<AccountingResult & ResultNames> {
    const run = await this.get(user, id);
    const r = await this.dataSource
      .getRepository(AccountingResult)
      .findOneBy({ runId: id, regionCode, indicatorCode: indicator });
    if (!r) throw DomainError.notFound('result', `${regionCode}/${indicator}`);
    const { content } = await this.methodologies.get(run.methodologyId);
    await this.describeInputs(content, r);
    return (await this.named(content, [r]))[0];
  }

  /**
   * The trace's inputs as a person reads them: each with its name; a survey value with the form
   * it came from as 「自然资源局 2022 年报表（第 3 版）」, the form's id (to open it) and the
   * statistician's own source and note for each value; item codes with their names.
   */
  private async describeInputs(content: MethodologyContent, r: AccountingResult): Promise<void> {
    const inputs = (r.trace as { inputs?: DescribedInput[] } | null)?.inputs;
    if (!inputs?.length) return;
    const names = new Map<string, string>([
      ...content.variables.map((v): [string, string] => [v.code, v.nameZh]),
      ...content.parameters.map((p): [string, string] => [p.code, p.nameZh]),
      ...content.indicators.map((i): [string, string] => [i.code, i.nameZh]),
    ]);
    const items = new Map(content.indexSets.flatMap((x) => x.items.map((i) => [i.code, i.name])));
    const SURVEY = /^survey form ([0-9a-f-]{36}) \((.*), revision (\d+)\)$/;
    const formIds = [
      ...new Set(inputs.map((i) => SURVEY.exec(i.source ?? '')?.[1]).filter((x) => x)),
    ] as string[];
    const forms = formIds.length
      ? await this.dataSource.manager.query<
          { id: string; department: string; year: number; revision: number }[]
        >('SELECT id, department, year, revision FROM survey_forms WHERE id = ANY($1::uuid[])', [
          formIds,
        ])
      : [];
    const values = formIds.length
      ? await this.dataSource.manager.query<
          {
            form_id: string;
            variable: string;
            item: string;
            source: string | null;
            note: string | null;
          }[]
        >(
          `SELECT form_id, variable, item, source, note FROM survey_values
            WHERE form_id = ANY($1::uuid[]) AND (source IS NOT NULL OR note IS NOT NULL)
            ORDER BY variable, item`,
          [formIds],
        )
      : [];
    const formById = new Map(forms.map((f) => [f.id, f]));
    for (const input of inputs) {
      input.nameZh = names.get(input.name) ?? null;
      if (input.value && typeof input.value === 'object')
        input.itemNames = Object.fromEntries(
          Object.keys(input.value).map((k) => [k, items.get(k) ?? k]),
        );
      const m = SURVEY.exec(input.source ?? '');
      const form = m ? formById.get(m[1]) : undefined;
      if (!m || !form) continue;
      input.formId = form.id;
      const current = Number(m[3]) === form.revision;
      input.sourceText = zhEn(
        `${form.department} ${form.year} 年报表（第 ${m[3]} 版${current ? '' : `，现为第 ${form.revision} 版`}）`,
        `${form.department} form of ${form.year} (revision ${m[3]}${current ? '' : `, now ${form.revision}`})`,
      );
      input.notes = values
        .filter((v) => v.form_id === form.id && v.variable === input.name)
        .map((v) => ({ item: v.item || null, source: v.source, note: v.note }));
    }
  }

  /**
   * GEP of one region in a run: counted indicators summed by category (values in 元). With a
   * `priceYear` other than the run's year, the run is recomputed from its snapshot with the
   * parameter values (prices) of that year: constant-price GEP.
   */
  async summary(
    user: AuthUser,
    id: string,
    regionCode?: string,
    priceYear?: number,
  ): Promise<RunSummary> {
    const run = await this.standingOf(user, id);
    const code = regionCode ?? run.rootRegionCode;
    const figures = await this.frozenFigure(run, `summary|${code}|${priceYear ?? ''}`, () =>
      this.summaryFigures(user, id, code, priceYear),
    );
    const names = await RegionsRepository.names(this.dataSource.manager, [code]);
    return { ...figures, regionName: names.get(code) ?? code, run: standing(run) };
  }

  /** A summary's figures (what never changes once the run is published). */
  private async summaryFigures(
    user: AuthUser,
    id: string,
    code: string,
    priceYear?: number,
  ): Promise<Omit<RunSummary, 'regionName' | 'run'>> {
    const run = await this.get(user, id);
    if (!run.snapshot.regions.some((r) => r.code === code))
      throw DomainError.notFound('region in run', code);
    const { content } = await this.methodologies.get(run.methodologyId);
    const results =
      priceYear && priceYear !== run.year
        ? // the region's subtree is all its figure depends on (a county of a province run: ~20
          // regions recomputed, not 1,662)
          await this.pool.computeForStorage(content, subtreeSnapshot(run.snapshot, code), priceYear)
        : await this.dataSource
            .getRepository(AccountingResult)
            .findBy({ runId: id, regionCode: code });
    const g = regionGep(content, results, code);
    const str = (x: Dec | null) => x?.toString() ?? null;
    const gaps = gapsWithin(run.completeness, run.snapshot.regions, code);
    const counted = new Set(content.indicators.filter((i) => i.counted).map((i) => i.service));
    return {
      regionCode: code,
      priceYear: priceYear ?? run.year,
      gep: str(g.total),
      byCategory: Object.fromEntries(
        CATEGORIES.filter((c) => c in g.byCategory).map((c) => [c, str(g.byCategory[c])]),
      ) as Record<Category, string | null>,
      byService: Object.fromEntries(Object.entries(g.byService).map(([k, v]) => [k, str(v)])),
      table: CATEGORIES.filter((c) => content.services.some((s) => s.category === c)).map((c) => ({
        code: c,
        nameZh: CATEGORY_ZH[c],
        value: str(g.byCategory[c]),
        services: content.services
          .filter((s) => s.category === c && counted.has(s.code))
          .map((s) => ({ code: s.code, nameZh: s.nameZh, value: str(g.byService[s.code]) })),
      })),
      incomplete: g.incomplete,
      incompleteNames: g.incomplete.map(
        (i) => content.indicators.find((x) => x.code === i)?.nameZh ?? i,
      ),
      gaps: g.incomplete.length
        ? gapProblems(
            gaps,
            content,
            await RegionsRepository.names(
              this.dataSource.manager,
              gaps.map((x) => x.regionCode),
            ),
            { inputs: run.snapshot.inputs },
          )
        : [],
      derived: derivedFigures(content, run.snapshot, code, g.total),
    };
  }

  /** The sub-regions of a region ranked by GEP, GEP per km² or GEP per capita (those without a figure last). */
  async ranking(
    user: AuthUser,
    id: string,
    parentCode: string | undefined,
    by: RankBy,
  ): Promise<RankedRegion[]> {
    const light = await this.standingOf(user, id);
    const parent = parentCode ?? light.rootRegionCode;
    const ranked = await this.frozenFigure(light, `ranking|${parent}|${by}`, async () => {
      const run = await this.get(user, id);
      const children = run.snapshot.regions
        .filter((r) => r.parentCode === parent)
        .map((r) => r.code);
      if (!run.snapshot.regions.some((r) => r.code === parent))
        throw DomainError.notFound('region in run', parent);
      const { content } = await this.methodologies.get(run.methodologyId);
      const results = await this.dataSource
        .getRepository(AccountingResult)
        .find({ where: { runId: id, regionCode: In(children) } });
      const rows = children.map((code) => {
        const g = regionGep(content, results, code);
        const gep = g.total;
        const derived = derivedFigures(content, run.snapshot, code, gep);
        const metric =
          by === 'gep'
            ? (gep?.toString() ?? null)
            : by === 'gepPerKm2'
              ? derived.gepPerKm2
              : derived.gepPerCapita;
        return {
          regionCode: code,
          gep: gep?.toString() ?? null,
          gepPerKm2: derived.gepPerKm2,
          gepPerCapita: derived.gepPerCapita,
          incomplete: g.incomplete,
          metric,
        };
      });
      rows.sort((a, b) =>
        a.metric === null ? 1 : b.metric === null ? -1 : new D(b.metric).cmp(a.metric),
      );
      return rows.map(({ metric: _m, ...r }, i) => ({
        rank: rows[i].metric === null ? null : i + 1,
        ...r,
      }));
    });
    const nameOf = await RegionsRepository.names(
      this.dataSource.manager,
      ranked.map((r) => r.regionCode),
    );
    return ranked.map((r) => ({ ...r, name: nameOf.get(r.regionCode) ?? '' }));
  }

  /** A region's GEP change from one run to another, with growth and its method/quantity/price decomposition. */
  async compare(
    user: AuthUser,
    fromId: string,
    toId: string,
    regionCode?: string,
  ): Promise<
    Omit<GepComparison, 'effects' | 'methodChanges'> & {
      effects: NonNullable<GepComparison['effects']>;
      methodChanges: (GepComparison['methodChanges'][number] & {
        nameZh: string;
        fromMethod: { code: string; nameZh: string } | null;
        toMethod: { code: string; nameZh: string } | null;
      })[];
    }
  > {
    const [from, to] = await Promise.all([this.get(user, fromId), this.get(user, toId)]);
    if (from.standardId !== to.standardId) {
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn(
          `不同核算标准的核算（${from.standardId}、${to.standardId}）不能比较`,
          `runs of different standards (${from.standardId}, ${to.standardId}) cannot be compared`,
        ),
      );
    }
    const code = regionCode ?? to.rootRegionCode;
    for (const r of [from, to]) {
      if (!r.snapshot.regions.some((x) => x.code === code))
        throw DomainError.notFound(`region in run ${r.id}`, code);
    }
    const side = async (r: AccountingRun) => ({
      content: (await this.methodologies.get(r.methodologyId)).content,
      snapshot: subtreeSnapshot(r.snapshot, code),
    });
    const [earlier, later] = [await side(from), await side(to)];
    const c = await this.pool.call(
      'compareRuns',
      [earlier, later, code],
      // each side is computed twice at most (at the other end's prices or method)
      2 * (earlier.snapshot.regions.length + later.snapshot.regions.length),
    );
    const gaps = [c.from, c.to, c.toAtFromPrices, c.fromUnderToMethod].flatMap((g) => g.incomplete);
    const indicators = [...later.content.indicators, ...earlier.content.indicators];
    const nameOf = (code: string) => indicators.find((i) => i.code === code)?.nameZh ?? code;
    if (gaps.length || !c.effects) {
      const missing = [...new Set(gaps)];
      const region = await RegionsRepository.label(this.dataSource.manager, code);
      const message = zhEn(
        `${region.zh}在两次核算中的 GEP 不完整，不能比较（无结果的指标：${missing.map(nameOf).join('、')}）`,
        `GEP of ${region.en} is incomplete in the two runs and cannot be compared (indicators without a result: ${missing.join(', ')})`,
      );
      throw new DomainError('DATA_INCOMPLETE', message, [{ path: 'regionCode', message }]);
    }
    // people read names: each changed method named from the methodology that declares it
    const named = (indicator: string, method: string | null) => {
      if (method === null) return null;
      const nameZh = indicators
        .filter((i) => i.code === indicator)
        .map((i) => methodNamesOf(i)?.[method])
        .find((x) => x !== undefined);
      return { code: method, nameZh: nameZh ?? method };
    };
    return {
      ...c,
      effects: c.effects,
      methodChanges: c.methodChanges.map((x) => ({
        ...x,
        nameZh: nameOf(x.indicator),
        fromMethod: named(x.indicator, x.from),
        toMethod: named(x.indicator, x.to),
      })),
    };
  }

  /**
   * A region's results under two runs of (usually) different standards, item by item over the
   * common service catalogue: each side's value is the sum of its counted indicators in that
   * item (null when one has no result — never a partial sum), the difference when both have one,
   * and which items exist under one standard only.
   */
  async crosswalk(
    user: AuthUser,
    firstId: string,
    secondId: string,
    regionCode?: string,
  ): Promise<RunCrosswalk> {
    const runs = await Promise.all([this.get(user, firstId), this.get(user, secondId)]);
    const code = regionCode ?? runs[0].rootRegionCode;
    for (const r of runs) {
      if (!r.snapshot.regions.some((x) => x.code === code))
        throw DomainError.notFound(`region in run ${r.id}`, code);
    }
    const contents = await Promise.all(
      runs.map(async (r) => (await this.methodologies.get(r.methodologyId)).content),
    );
    const sides = runs.map((r, k) => ({
      content: contents[k],
      snapshot: subtreeSnapshot(r.snapshot, code),
    }));
    const walk = await this.pool.call(
      'crosswalkRuns',
      [[sides[0], sides[1]], code],
      sides[0].snapshot.regions.length + sides[1].snapshot.regions.length,
    );
    const ref = (r: AccountingRun) => ({
      id: r.id,
      standardId: r.standardId,
      methodologyVersion: r.methodologyVersion,
      year: r.year,
    });
    return {
      regionCode: code,
      first: { ...ref(runs[0]), gep: walk.gep[0] },
      second: { ...ref(runs[1]), gep: walk.gep[1] },
      items: walk.items,
      unplaced: walk.unplaced,
    };
  }

  /** The run's results as a csv or xlsx file. */
  async export(
    user: AuthUser,
    id: string,
    format: 'csv' | 'xlsx',
  ): Promise<{ filename: string; data: Buffer }> {
    const run = await this.get(user, id);
    const { content } = await this.methodologies.get(run.methodologyId);
    const results = await this.dataSource.getRepository(AccountingResult).find({
      where: { runId: id },
      order: { regionCode: 'ASC', indicatorCode: 'ASC' },
    });
    const names = await RegionsRepository.names(
      this.dataSource.manager,
      run.snapshot.regions.map((r) => r.code),
    );
    const rows = exportRows(run, content, results, names);
    const filename = `gep-${run.standardId}-${run.rootRegionCode}-${run.year}-${run.id.slice(0, 8)}.${format}`;
    return {
      filename,
      data:
        format === 'csv'
          ? toCsv(rows)
          : await toXlsx(run, rows, content, results, names.get(run.rootRegionCode) ?? ''),
    };
  }

  /**
   * Recomputes a run from its snapshot and compares every stored result with it: the figures
   * digit for digit (status, quantity, value, breakdown, what was missing), and the trace that
   * explains each one — the same figures explained differently (inputs in another order, a sum
   * over other children) are a difference too, named as such.
   */
  async verify(
    user: AuthUser,
    id: string,
  ): Promise<{
    identical: boolean;
    figuresIdentical: boolean;
    tracesIdentical: boolean;
    hashMatches: boolean;
    compared: number;
    differences: string[];
  }> {
    const run = await this.get(user, id);
    const methodology = await this.methodologies.get(run.methodologyId);
    const recomputed = await this.pool.computeForStorage(methodology.content, run.snapshot);
    const stored = await this.dataSource.getRepository(AccountingResult).find({
      where: { runId: id },
      select: {
        regionCode: true,
        indicatorCode: true,
        status: true,
        quantity: true,
        value: true,
        byIndex: true,
        missing: true,
      },
    });
    // traces as the text stored (a json column keeps it as written), compared as text first
    const storedTraces = new Map(
      (
        await this.dataSource.query<{ key: string; trace: string | null }[]>(
          `SELECT region_code || '/' || indicator_code AS key, trace::text AS trace
             FROM accounting_results WHERE run_id = $1`,
          [id],
        )
      ).map((r) => [r.key, r.trace]),
    );
    const key = (r: { regionCode: string; indicatorCode: string }) =>
      `${r.regionCode}/${r.indicatorCode}`;
    const storedBy = new Map(stored.map((s) => [key(s), s]));
    const norm = (
      r: Pick<ComputedResult<unknown>, 'status' | 'quantity' | 'value' | 'byIndex' | 'missing'>,
    ) =>
      canonicalJson({
        status: r.status,
        quantity: r.quantity?.toString() ?? null,
        value: r.value?.toString() ?? null,
        byIndex: r.byIndex,
        // stored before messages had two languages, or after: compared as their English
        missing: r.missing?.map((m) => inLanguage(m, 'en')) ?? null,
      });
    // the same trace whatever its spacing or key order (runs stored when traces were jsonb)
    const sameTrace = (a: string | null | undefined, b: string | null) =>
      a === b ||
      (a != null && b !== null && canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b)));
    const figures = recomputed
      .filter((r) => !storedBy.has(key(r)) || norm(storedBy.get(key(r))!) !== norm(r))
      .map(key);
    const differing = new Set(figures);
    const traces = recomputed
      .filter((r) => !differing.has(key(r)) && !sameTrace(storedTraces.get(key(r)), r.trace))
      .map((r) => zhEn(`${key(r)}（计算过程不同）`, `${key(r)} (explained differently)`));
    const differences = [...figures, ...traces];
    if (stored.length !== recomputed.length)
      differences.push(
        zhEn(
          `存储了 ${stored.length} 条结果，重新计算得 ${recomputed.length} 条`,
          `stored ${stored.length} results, recomputed ${recomputed.length}`,
        ),
      );
    const figuresIdentical = figures.length === 0 && stored.length === recomputed.length;
    return {
      identical: figuresIdentical && traces.length === 0,
      figuresIdentical,
      tracesIdentical: traces.length === 0,
      hashMatches: (await snapshotHashYielding(run.snapshot)) === run.snapshotSha256,
      compared: recomputed.length,
      differences: differences.slice(0, 20),
    };
  }
}

/** A region's results under two runs, item by item over the common service catalogue. */
export interface RunCrosswalk {
  regionCode: string;
  first: RunRef & { gep: string | null };
  second: RunRef & { gep: string | null };
  items: CrosswalkRegionItem[];
  unplaced: { side: 0 | 1; code: string; nameZh: string }[];
}

interface RunRef {
  id: string;
  standardId: string;
  methodologyVersion: number;
  year: number;
}

/** What an uncertainty job needs: the run, the region (default: the run's root), draws and seed. */
export interface UncertaintyInput {
  runId: string;
  regionCode?: string;
  draws: number;
  seed: number;
}
