import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { JOB_KINDS, JOB_STATUSES, JobKind, JobStatus } from './job.entity';

export class JobQuery extends PageQuery {
  @ApiProperty({ enum: JOB_KINDS, required: false })
  @IsOptional()
  @IsIn(JOB_KINDS)
  kind?: JobKind;

  @ApiProperty({ enum: JOB_STATUSES, required: false })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;
}

export class JobResponse {
  id!: string;
  @ApiProperty({ enum: JOB_KINDS })
  kind!: JobKind;
  /** queued → running → succeeded or failed. */
  @ApiProperty({ enum: JOB_STATUSES })
  status!: JobStatus;
  /** What the job is doing now (`reading`, `checking`, `writing`…; `done` at the end). */
  phase!: string | null;
  /** 0–100. */
  percent!: number;
  /** Counters of the current phase, e.g. rows and bytes read. */
  progress!: Record<string, number> | null;
  /** What was asked (file name, size and SHA-256 of an upload; the run's standard, region and year). */
  input!: object;
  /** When succeeded: what the work produced (counts, the run id…). */
  result!: object | null;
  /** When failed: the problem+json the work ended with, every problem listed. */
  problem!: object | null;
  createdBy!: string;
  requestId!: string | null;
  createdAt!: Date;
  startedAt!: Date | null;
  finishedAt!: Date | null;
  /** The service instance doing the job (several instances may share one database). */
  instance!: string | null;
  /** 1; 2 when another instance took the job over after the one doing it had stopped. */
  attempts!: number;
}
