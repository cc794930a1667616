import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const JOB_KINDS = [
  'survey_import',
  'accounting_run',
  'registry_import',
  'parcel_import',
  'parcel_run',
  'run_uncertainty',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Jobs as people name them. */
export const JOB_KIND_ZH: Record<JobKind, string> = {
  survey_import: '调查数据批量导入',
  accounting_run: '核算',
  registry_import: '登记数据批量导入',
  parcel_import: '图斑载入',
  parcel_run: '地块级核算',
  run_uncertainty: '不确定性与敏感性分析',
};
export const JOB_STATUS_ZH: Record<JobStatus, string> = {
  queued: '排队中',
  running: '进行中',
  succeeded: '已完成',
  failed: '失败',
};

/**
 * Long work done after the request that asked for it returned (a large import, a province run):
 * the caller polls `GET /jobs/:id` for its phase, percent and counters, then its result or the
 * problem that stopped it. The work itself is all or nothing; this row only reports on it.
 */
@Entity('jobs')
@Index('jobs_created_by_idx', ['createdBy', 'createdAt'])
@Index('jobs_open_idx', ['status'], { where: `status IN ('queued', 'running')` })
@Check('jobs_percent_check', 'percent BETWEEN 0 AND 100')
export class Job {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'jobs_pkey' })
  id!: string;

  @Column({ type: 'enum', enum: JOB_KINDS, enumName: 'job_kind' })
  kind!: JobKind;

  @Column({ type: 'enum', enum: JOB_STATUSES, enumName: 'job_status', default: 'queued' })
  status!: JobStatus;

  /** What the job is doing now, e.g. `reading`, `checking`, `writing`. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  phase!: string | null;

  @Column({ type: 'smallint', default: 0 })
  percent!: number;

  /** Counters of the current phase, e.g. `{ rowsRead, bytesRead, bytesTotal }`. */
  @Column({ type: 'jsonb', nullable: true })
  progress!: Record<string, number> | null;

  /** What was asked: file name, size and SHA-256 of an upload; standard, region and year of a run. */
  @Column({ type: 'jsonb' })
  input!: object;

  @Column({ type: 'jsonb', nullable: true })
  result!: object | null;

  /** The problem+json the work ended with when it failed. */
  @Column({ type: 'jsonb', nullable: true })
  problem!: object | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /**
   * The service instance doing the job (its id; the instance's PostgreSQL session named
   * `gep-instance:<id>` says it is alive). An open job whose instance is gone is taken over or
   * failed by another instance.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  instance!: string | null;

  /** How many times the job was started (a run taken over after its instance died: 2). */
  @Column({ type: 'smallint', default: 1 })
  attempts!: number;
}
