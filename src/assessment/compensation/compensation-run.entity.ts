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
import { Dec } from '../../common/decimal';
import { decimalColumn } from '../../database/decimal-column';
import { Region } from '../../regions/region.entity';
import { CompensationScheme } from './compensation-scheme.entity';

export const COMPENSATION_RUN_STATUSES = ['draft', 'approved'] as const;

/** A compensation run's status: a draft is a trial calculation (测算). */
export const COMPENSATION_RUN_STATUS_ZH: Record<
  (typeof COMPENSATION_RUN_STATUSES)[number],
  string
> = { draft: '草稿', approved: '已批准' };
export type CompensationRunStatus = (typeof COMPENSATION_RUN_STATUSES)[number];

/**
 * A scheme applied to a budget: published scheme version × root region × budget year × budget,
 * reading published GEP runs. A draft is a what-if, free to create and to delete; an approved run
 * is immutable (database triggers), one per scheme, region and budget year.
 */
@Entity('compensation_runs')
@Index('compensation_runs_one_approved', ['schemeCode', 'rootRegionCode', 'budgetYear'], {
  unique: true,
  where: `status = 'approved'`,
})
@Check('compensation_runs_budget_check', 'budget >= 0')
export class CompensationRun {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'compensation_runs_pkey' })
  id!: string;

  @Column({ name: 'scheme_id', type: 'uuid' })
  schemeId!: string;

  @ManyToOne(() => CompensationScheme, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'scheme_id', foreignKeyConstraintName: 'compensation_runs_scheme_fk' })
  scheme?: CompensationScheme;

  @Column({ name: 'scheme_code', type: 'varchar', length: 64 })
  schemeCode!: string;

  @Column({ name: 'scheme_version', type: 'integer' })
  schemeVersion!: number;

  @Column({ name: 'root_region_code', type: 'varchar', length: 12 })
  rootRegionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'root_region_code',
    foreignKeyConstraintName: 'compensation_runs_region_fk',
  })
  rootRegion?: Region;

  /** The year whose budget is allocated. */
  @Column({ name: 'budget_year', type: 'integer' })
  budgetYear!: number;

  /** The accounting year whose published GEP run is read (its previous year gives the change). */
  @Column({ name: 'gep_year', type: 'integer' })
  gepYear!: number;

  /**
   * 元, to the fen: the pool of an allocation, or the sum of the amounts of the other types —
   * null when an amount is not computable (a sum over a gap is not a total).
   */
  @Column(decimalColumn({ nullable: true }))
  budget!: Dec | null;

  @Column({
    type: 'enum',
    enum: COMPENSATION_RUN_STATUSES,
    enumName: 'compensation_run_status',
    default: 'draft',
  })
  status!: CompensationRunStatus;

  /** Every figure read, per recipient, with the GEP runs it came from. */
  @Column({ type: 'jsonb' })
  inputs!: object;

  @Column({ name: 'inputs_sha256', type: 'char', length: 64 })
  inputsSha256!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'approved_by', type: 'varchar', length: 64, nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
