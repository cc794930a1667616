import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Region } from '../../regions/region.entity';
import { Methodology } from '../methodology/methodology.entity';
import type { RunSnapshot } from './run-computation';

export const RUN_STATUSES = ['draft', 'published', 'superseded', 'withdrawn'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_STATUS_ZH: Record<RunStatus, string> = {
  draft: '草稿',
  published: '已发布',
  superseded: '已被取代',
  withdrawn: '已撤回',
};

/** A counted indicator of a region that has no result in a run, and why. */
export interface RunGap {
  regionCode: string;
  indicatorCode: string;
  /** What was missing (variables not reported, a data error…), as the engine recorded it. */
  missing: string[];
}

/** How many of a run's results (regions × indicators) were computed, summed from sub-regions, or not computable. */
export interface RunCoverage {
  computed: number;
  aggregated: number;
  notComputable: number;
}

/**
 * Whether every counted indicator of every region in the run has a result. Recorded when the run
 * is computed; the figures of an incomplete run carry the mark wherever they appear.
 */
export interface RunCompleteness {
  complete: boolean;
  /** Counted indicator × region results the run should have. */
  expected: number;
  gaps: RunGap[];
}

/**
 * An accounting run: a published methodology version × a root region × a year, with the
 * snapshot of every input it used and the snapshot's hash. Published runs and their results are
 * immutable (database triggers); publishing a newer run for the same standard, region and year
 * marks the older one superseded, and it stays readable. A published run can be withdrawn (撤回)
 * by an admin with a reason; whatever read it keeps its figures and shows the withdrawal.
 */
@Entity('accounting_runs')
@Check('accounting_runs_year_check', 'year BETWEEN 1949 AND 2200')
@Check(
  'accounting_runs_incomplete_reason_check',
  `status = 'draft' OR (completeness->>'complete')::boolean OR incomplete_reason IS NOT NULL`,
)
@Check(
  'accounting_runs_withdrawal_check',
  `status <> 'withdrawn' OR (withdrawal_reason IS NOT NULL AND withdrawn_by IS NOT NULL AND withdrawn_at IS NOT NULL)`,
)
@Index('accounting_runs_lookup_idx', ['standardId', 'rootRegionCode', 'year'])
// At most one published run per standard, region and year: two publications at the same moment
// would otherwise both find nothing to supersede.
@Index('accounting_runs_one_published', ['standardId', 'rootRegionCode', 'year'], {
  unique: true,
  where: `status = 'published'`,
})
export class AccountingRun {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'accounting_runs_pkey' })
  id!: string;

  @Column({ name: 'methodology_id', type: 'uuid' })
  methodologyId!: string;

  @ManyToOne(() => Methodology, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'methodology_id',
    foreignKeyConstraintName: 'accounting_runs_methodology_fk',
  })
  methodology?: Methodology;

  @Column({ name: 'standard_id', type: 'varchar', length: 64 })
  standardId!: string;

  @Column({ name: 'methodology_version', type: 'integer' })
  methodologyVersion!: number;

  @Column({ name: 'root_region_code', type: 'varchar', length: 12 })
  rootRegionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'root_region_code', foreignKeyConstraintName: 'accounting_runs_region_fk' })
  rootRegion?: Region;

  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'enum', enum: RUN_STATUSES, enumName: 'run_status', default: 'draft' })
  status!: RunStatus;

  /** `json`, not `jsonb`: written once, read whole (migration RunTracesAndSnapshotsAsJson). */
  @Column({ type: 'json' })
  snapshot!: RunSnapshot;

  @Column({ name: 'snapshot_sha256', type: 'char', length: 64 })
  snapshotSha256!: string;

  /** Regions × indicators computed, aggregated and not computable. */
  @Column({ type: 'jsonb' })
  coverage!: RunCoverage;

  /** Which counted results are missing (see {@link RunCompleteness}). */
  @Column({ type: 'jsonb' })
  completeness!: RunCompleteness;

  /** Why the accountant published the run although it is incomplete (null when complete). */
  @Column({ name: 'incomplete_reason', type: 'text', nullable: true })
  incompleteReason!: string | null;

  @Column({ name: 'withdrawn_by', type: 'varchar', length: 64, nullable: true })
  withdrawnBy!: string | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @Column({ name: 'withdrawal_reason', type: 'text', nullable: true })
  withdrawalReason!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'published_by', type: 'varchar', length: 64, nullable: true })
  publishedBy!: string | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'superseded_by', type: 'uuid', nullable: true })
  supersededBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
