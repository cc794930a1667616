import { clock } from '../common/clock';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, AuthUser } from '../auth/auth-user';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { renderProblem, toDomainError } from '../common/errors/problem.filter';
import { Page, pageOf, PageQuery } from '../common/pagination';
import { Job, JobKind, JobStatus } from './job.entity';
import { Progress } from './progress';
import { zhEn } from '../common/i18n/text';

/** How often, at most, progress is written to the job row. */
const PROGRESS_INTERVAL_MS = 300;

/**
 * Runs long work one job at a time in this process, after the request that asked for it has been
 * answered, and keeps its row up to date: queued → running (phase, percent, counters) → succeeded
 * with a result, or failed with the problem+json a request would have got.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobsService');
  private tail: Promise<void> = Promise.resolve();
  private stopping = false;
  /** Jobs of this process queued or running. */
  private pending = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Refuses new work with 503 (and Retry-After) while JOB_QUEUE_LIMIT jobs are queued or running:
   * a burst of imports is told to come back rather than piling up files and waiting requests.
   * Upload routes call it before receiving the file.
   */
  assertCapacity(): void {
    if (this.pending >= this.config.JOB_QUEUE_LIMIT)
      throw new DomainError(
        'BUSY',
        zhEn(
          `${this.pending} 个导入和核算正在排队或进行中；请一分钟后重试`,
          `${this.pending} imports and runs are queued or running; retry in a minute`,
        ),
        [],
        60,
      );
  }

  /** A job cut short by a restart never finished: its work was one transaction, so nothing of it was stored. */
  async onApplicationBootstrap(): Promise<void> {
    const { affected } = await this.dataSource
      .createQueryBuilder()
      .update(Job)
      .set({
        status: 'failed',
        finishedAt: () => 'now()',
        problem: renderInterrupted(),
      })
      .where('status IN (:...open)', { open: ['queued', 'running'] })
      .execute();
    if (affected)
      this.logger.warn(`${affected} job(s) interrupted by the last shutdown marked failed`);
  }

  /**
   * Lets the running job finish before the database connection closes; queued jobs are not
   * started (the next start marks them failed, and nothing of them was stored).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.tail;
  }

  /**
   * Queues `work` and returns its job at once. `work` runs after every job queued before it;
   * `cleanup` runs when it has ended either way (e.g. deletes an uploaded file).
   */
  async enqueue(
    actor: Actor & { user: AuthUser },
    kind: JobKind,
    input: object,
    work: (progress: Progress) => Promise<object>,
    cleanup: () => Promise<void> = () => Promise.resolve(),
  ): Promise<Job> {
    try {
      this.assertCapacity();
    } catch (e) {
      await cleanup().catch(() => undefined);
      throw e;
    }
    this.pending++; // counted before the first await, so a burst cannot overshoot the limit
    const repo = this.dataSource.getRepository(Job);
    let id: string;
    try {
      const { identifiers } = await repo.insert({
        kind,
        input,
        createdBy: actor.user.username,
        requestId: actor.requestId ?? null,
      });
      id = identifiers[0].id as string;
    } catch (e) {
      this.pending--;
      await cleanup().catch(() => undefined);
      throw e;
    }
    this.tail = this.tail.then(() =>
      this.execute(id, work)
        .catch((e: unknown) => this.logger.error(`job ${id}: ${String(e)}`))
        .finally(() => {
          this.pending--;
          return cleanup().catch(() => undefined);
        }),
    );
    return repo.findOneByOrFail({ id });
  }

  private async execute(id: string, work: (progress: Progress) => Promise<object>): Promise<void> {
    if (this.stopping) return;
    const repo = this.dataSource.getRepository(Job);
    await repo.update({ id }, { status: 'running', startedAt: clock.now(), phase: 'starting' });
    let latest: Pick<Job, 'phase' | 'percent' | 'progress'> | null = null;
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    let open = true;
    const flush = () => {
      if (!latest || !open) return;
      const state = latest;
      latest = null;
      lastWrite = Date.now();
      writing = writing
        .then(() => repo.update({ id, status: 'running' }, state))
        .catch((e: unknown) => this.logger.warn(`job ${id}: progress not written: ${String(e)}`));
    };
    const progress: Progress = {
      report: (phase, percent, counters) => {
        latest = {
          phase,
          percent: Math.max(0, Math.min(100, Math.floor(percent))),
          progress: counters ?? null,
        };
        if (Date.now() - lastWrite >= PROGRESS_INTERVAL_MS) flush();
      },
    };
    let end: Partial<Job>;
    try {
      const result = await work(progress);
      end = { status: 'succeeded', phase: 'done', percent: 100, result };
    } catch (e) {
      let error = toDomainError(e);
      if (!error) {
        this.logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
        error = new DomainError(
          'INTERNAL',
          zhEn(
            `任务因意外错误中止；已记录日志，任务编号 ${id}`,
            `an unexpected error stopped the job; it has been logged with the job id ${id}`,
          ),
        );
      }
      end = { status: 'failed', problem: jobProblem(error) };
    }
    open = false;
    await writing;
    // the last counters reported stay with the job (rows read, values written…)
    const last = latest as Pick<Job, 'phase' | 'percent' | 'progress'> | null;
    try {
      await repo.update(
        { id },
        {
          ...(last ? { progress: last.progress } : {}),
          ...storable(end),
          finishedAt: clock.now(),
        },
      );
    } catch (e) {
      // a job never stays running because its outcome could not be stored
      this.logger.error(`job ${id}: outcome not stored: ${String(e)}`);
      const problem = jobProblem(
        new DomainError(
          'INTERNAL',
          zhEn(
            `任务已结束，但结果无法保存；已记录日志，任务编号 ${id}`,
            `the job ended but its outcome could not be stored; it has been logged with the job id ${id}`,
          ),
        ),
      );
      await repo.update({ id }, { status: 'failed', problem, finishedAt: clock.now() });
    }
  }

  /** A job of the caller's (a national admin sees every job); 404 for other people's jobs. */
  async get(user: AuthUser, id: string): Promise<Job> {
    const job = await this.dataSource.getRepository(Job).findOneBy({ id });
    if (!job || !visibleTo(user, job)) throw DomainError.notFound('job', id);
    return job;
  }

  async list(
    user: AuthUser,
    filter: { kind?: JobKind; status?: JobStatus },
    page: PageQuery,
  ): Promise<Page<Job>> {
    const qb = this.dataSource.getRepository(Job).createQueryBuilder('j');
    if (!seesAll(user)) qb.andWhere('j.createdBy = :me', { me: user.username });
    if (filter.kind) qb.andWhere('j.kind = :kind', { kind: filter.kind });
    if (filter.status) qb.andWhere('j.status = :status', { status: filter.status });
    const [items, total] = await qb
      .orderBy('j.createdAt', 'DESC')
      .addOrderBy('j.id')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }
}

/** A national admin sees every job; anyone else their own (jobs carry no region to scope by). */
const seesAll = (user: AuthUser) => user.roles.includes('admin') && user.regionCode === null;

function visibleTo(user: AuthUser, job: Job): boolean {
  return seesAll(user) || job.createdBy === user.username;
}

/** A job's problem: the problem+json a request would have got, without request details. */
function jobProblem(error: DomainError): object {
  const { instance: _i, requestId: _r, ...problem } = renderProblem(error);
  return { ...problem };
}

const renderInterrupted = (): object =>
  jobProblem(
    new DomainError(
      'JOB_INTERRUPTED',
      zhEn(
        '服务在此任务完成前停止；此任务未保存任何内容，请重新开始',
        'the service stopped before this job finished; nothing of it was stored — start it again',
      ),
    ),
  );

/**
 * A job's outcome as PostgreSQL's jsonb stores it: a NUL character (which jsonb refuses) in any
 * text — a file's own bytes quoted in a message — is shown as U+FFFD.
 */
function storable<T>(value: T): T {
  // eslint-disable-next-line no-control-regex -- NUL is what jsonb refuses
  if (typeof value === 'string') return value.replace(/\u0000/g, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map((v: unknown) => storable(v)) as T;
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function' // dates, decimals
  )
    return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, storable(v)]),
  ) as T;
}
