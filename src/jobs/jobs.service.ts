import { clock } from '../common/clock';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuthUser, SignedIn } from '../auth/auth-user';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { renderProblem, toDomainError } from '../common/errors/problem.filter';
import { Page, pageOf, PageQuery } from '../common/pagination';
import { Job, JobKind, JobStatus } from './job.entity';
import { Progress } from './progress';
import { zhEn } from '../common/i18n/text';

/** How often, at most, progress is written to the job row. */
const PROGRESS_INTERVAL_MS = 300;
/** How often an instance looks for open jobs whose instance has gone. */
const SWEEP_INTERVAL_MS = 2_000;
/** The PostgreSQL session that says an instance is alive is named this, then the instance id. */
export const INSTANCE_SESSION = 'gep-instance:';
/**
 * First key of the advisory lock a running job holds on its own connection (the second is the
 * hash of its id): while it is held, no instance takes the job over, whatever its instance
 * session says.
 */
const JOB_LOCK = 7401;

/**
 * How a kind of job is done from what its row stores: registered by the service that owns the
 * kind, so that another instance can take the job over when the one doing it has stopped.
 */
export type JobHandler = (actor: SignedIn, input: object, progress: Progress) => Promise<object>;

/**
 * Runs long work one job at a time per instance, after the request that asked for it has been
 * answered, and keeps its row up to date: queued → running (phase, percent, counters) → succeeded
 * with a result, or failed with the problem+json a request would have got.
 *
 * Several instances may share one database. The queue's bound counts every instance's open jobs
 * (under an advisory lock). Each instance holds a PostgreSQL session named after it for as long as
 * it lives; PostgreSQL ends that session the moment the process dies, so an open job whose
 * instance has no session is an orphan: its work was one transaction, which died with it, so
 * nothing of it is stored. Any instance then takes an orphan over — once, when its kind has a
 * {@link JobHandler} (runs, whose input is all in the row) — or marks it failed (imports, whose
 * file was on the stopped instance's disk).
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobsService');
  private tail: Promise<void> = Promise.resolve();
  private stopping = false;
  /** Jobs of this process queued or running (committed, in {@link tail}). */
  private scheduled = 0;
  /** Requests inside {@link enqueue}: each will be queued unless the queue is full. */
  private admitting = 0;
  /** This instance, as its jobs and its PostgreSQL session name it. */
  readonly instance = randomUUID();
  private presence?: Client;
  private sweeper?: NodeJS.Timeout;
  private sweeping: Promise<void> = Promise.resolve();
  /** Open jobs the last sweep found without a live instance (acted on when found again). */
  private suspects = new Set<string>();
  private readonly handlers = new Map<JobKind, JobHandler>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Refuses new work with 503 (and Retry-After) while JOB_QUEUE_LIMIT jobs are queued or running
   * on all instances together: a burst of imports is told to come back rather than piling up
   * files and waiting requests. Upload routes call it before receiving the file, counting the
   * requests this process is queueing (each takes a slot unless the queue is full); `enqueue`
   * decides under a lock, counting only jobs already queued.
   */
  async assertCapacity(): Promise<void> {
    const open = await this.openJobs(this.dataSource.manager);
    // max, not sum: a job just committed is both in `open` and, for a moment, in `admitting`
    this.refuseWhenFull(Math.max(open, this.scheduled + this.admitting));
  }

  private async openJobs(m: EntityManager): Promise<number> {
    const [{ n }] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM jobs WHERE status IN ('queued', 'running')`,
    );
    return n;
  }

  private refuseWhenFull(busy: number): void {
    if (busy >= this.config.JOB_QUEUE_LIMIT)
      throw new DomainError(
        'BUSY',
        zhEn(
          `${busy} 个导入和核算正在排队或进行中；请一分钟后重试`,
          `${busy} imports and runs are queued or running; retry in a minute`,
        ),
        [],
        60,
      );
  }

  /** Registers how jobs of `kind` are done from their stored input (see {@link JobHandler}). */
  handle(kind: JobKind, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Queues a job of a kind with a registered handler: its input is all it needs. */
  start(actor: SignedIn, kind: JobKind, input: object): Promise<Job> {
    const handler = this.handlers.get(kind);
    if (!handler) throw new Error(`no handler for jobs of kind ${kind}`);
    return this.enqueue(actor, kind, input, (progress) => handler(actor, input, progress));
  }

  /**
   * Opens this instance's session, then deals with jobs cut short by a stopped instance (this
   * one's last run, or another): they never finished, and nothing of them was stored.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.connectPresence();
    await this.sweep(true);
    this.sweeper = setInterval(() => {
      this.sweeping = this.sweeping
        .then(() => this.sweep())
        .catch((e: unknown) => this.logger.warn(`looking for orphaned jobs: ${String(e)}`));
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  /**
   * Lets the running job finish before the database connection closes; queued jobs are not
   * started (they are orphans once this instance's session has closed: another instance, or the
   * next start, takes them over or marks them failed; nothing of them was stored).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
    await this.sweeping;
    await this.tail;
    await this.presence?.end().catch(() => undefined);
  }

  /** The session that says this instance is alive; reopened (every second) if it is lost. */
  private async connectPresence(): Promise<void> {
    const { url } = this.dataSource.options as { url?: string };
    const client = new Client({
      connectionString: url,
      application_name: INSTANCE_SESSION + this.instance,
    });
    const reopen = () => {
      if (this.stopping) return;
      setTimeout(() => {
        this.connectPresence().catch((e: unknown) => {
          this.logger.warn(`instance session not reopened: ${String(e)}`);
          reopen();
        });
      }, 1000).unref();
    };
    client.on('error', (e) => {
      this.logger.warn(`instance session lost: ${e.message}`);
      if (this.presence === client) {
        this.presence = undefined;
        reopen();
      }
    });
    await client.connect();
    this.presence = client;
  }

  /**
   * Open jobs whose instance has no session: taken over here when their kind has a handler and
   * they have not been taken over before, else failed. At start-up at once (the jobs of this
   * instance's last run); afterwards only a job found orphaned by two sweeps in a row, so that a
   * live instance whose session is being reopened (a second) does not lose its job.
   */
  private async sweep(atStart = false): Promise<void> {
    if (this.stopping || !this.presence) return;
    const alive = `(SELECT substr(application_name, ${INSTANCE_SESSION.length + 1}) FROM pg_stat_activity
                     WHERE application_name LIKE '${INSTANCE_SESSION}%')`;
    const working = `(SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted
                        AND classid = ${JOB_LOCK} AND objsubid = 2)`;
    const orphaned = `status IN ('queued', 'running') AND (instance IS NULL OR instance NOT IN ${alive})
                      AND hashtext(id::text)::oid NOT IN ${working}`;
    const found = (
      await this.dataSource.query<{ id: string }[]>(`SELECT id FROM jobs WHERE ${orphaned}`)
    ).map((r) => r.id);
    const act = atStart ? found : found.filter((id) => this.suspects.has(id));
    this.suspects = new Set(found.filter((id) => !act.includes(id)));
    if (!act.length) return;
    const [retried] = await this.dataSource.query<[OrphanedJob[], number]>(
      `UPDATE jobs SET instance = $1, attempts = attempts + 1, status = 'queued', phase = NULL,
              percent = 0, progress = NULL, started_at = NULL
        WHERE id = ANY($3::uuid[]) AND ${orphaned} AND attempts = 1 AND kind = ANY($2::job_kind[])
        RETURNING id, kind, input, created_by AS "createdBy", request_id AS "requestId"`,
      [this.instance, [...this.handlers.keys()], act],
    );
    const [, failed] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE jobs SET status = 'failed', finished_at = now(), problem = $1
        WHERE id = ANY($2::uuid[]) AND ${orphaned} RETURNING id`,
      [renderInterrupted(), act],
    );
    if (failed) this.logger.warn(`${failed} job(s) cut short by a stopped instance marked failed`);
    for (const job of retried) await this.takeOver(job);
  }

  /** Runs an orphaned job again here, as its owner (whose rights are read anew). */
  private async takeOver(job: OrphanedJob): Promise<void> {
    this.logger.warn(`job ${job.id} (${job.kind}) taken over from a stopped instance`);
    const [user] = await this.dataSource.query<AuthUser[]>(
      `SELECT id, username, display_name AS "displayName", roles, region_code AS "regionCode"
         FROM users WHERE username = $1 AND NOT disabled`,
      [job.createdBy],
    );
    const handler = this.handlers.get(job.kind)!;
    const work = user
      ? (progress: Progress) =>
          handler({ user, requestId: job.requestId ?? undefined }, job.input, progress)
      : () =>
          Promise.reject(
            new DomainError(
              'JOB_INTERRUPTED',
              zhEn(
                '服务在此任务完成前停止，且发起人的账户已停用；此任务未保存任何内容',
                "the service stopped before this job finished and its owner's account is disabled; nothing of it was stored",
              ),
            ),
          );
    this.scheduled++;
    this.schedule(job.id, work, () => Promise.resolve());
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
    this.admitting++; // counted before the first await, for assertCapacity
    let id: string;
    try {
      id = await this.dataSource.transaction(async (m) => {
        // One instance at a time counts the open jobs and adds its own. The other requests
        // waiting for the lock are not counted: each is refused or queued in turn, so a burst
        // fills the queue exactly.
        await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['gep:job-queue']);
        this.refuseWhenFull(await this.openJobs(m));
        const { identifiers } = await m.getRepository(Job).insert({
          kind,
          input,
          createdBy: actor.user.username,
          requestId: actor.requestId ?? null,
          instance: this.instance,
        });
        return identifiers[0].id as string;
      });
    } catch (e) {
      this.admitting--;
      await cleanup().catch(() => undefined);
      throw e;
    }
    this.admitting--;
    this.scheduled++;
    this.schedule(id, work, cleanup);
    return this.dataSource.getRepository(Job).findOneByOrFail({ id });
  }

  /** Runs `work` for the job after every job queued here before it. */
  private schedule(
    id: string,
    work: (progress: Progress) => Promise<object>,
    cleanup: () => Promise<void>,
  ): void {
    this.tail = this.tail.then(() =>
      this.execute(id, work)
        .catch((e: unknown) => this.logger.error(`job ${id}: ${String(e)}`))
        .finally(() => {
          this.scheduled--;
          return cleanup().catch(() => undefined);
        }),
    );
  }

  /**
   * Runs the job while holding its lock on a connection of its own (so that no instance takes it
   * over while it runs, even when this instance's session blinks), if it is still this instance's
   * to run: a queued job another instance has taken over meanwhile is left to that instance.
   */
  private async execute(id: string, work: (progress: Progress) => Promise<object>): Promise<void> {
    if (this.stopping) return;
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1, hashtext($2))', [JOB_LOCK, id]);
      const [claimed] = (await lock.query(
        `UPDATE jobs SET status = 'running', started_at = $3, phase = 'starting'
          WHERE id = $1 AND instance = $2 AND status = 'queued' RETURNING id`,
        [id, this.instance, clock.now()],
      )) as [{ id: string }[], number];
      if (!claimed.length) {
        this.logger.warn(`job ${id} was taken over by another instance before it started here`);
        return;
      }
      await this.executeClaimed(id, work);
    } finally {
      await lock
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [JOB_LOCK, id])
        .catch(() => undefined);
      await lock.release();
    }
  }

  private async executeClaimed(
    id: string,
    work: (progress: Progress) => Promise<object>,
  ): Promise<void> {
    const repo = this.dataSource.getRepository(Job);
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

type OrphanedJob = Pick<Job, 'id' | 'kind' | 'input' | 'createdBy' | 'requestId'>;

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
