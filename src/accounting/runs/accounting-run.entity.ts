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

export const RUN_STATUSES = ['draft', 'published', 'superseded'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * An accounting run: a published methodology version × a root region × a year, with the
 * snapshot of every input it used and the snapshot's hash. Published runs and their results are
 * immutable (database triggers); publishing a newer run for the same standard, region and year
 * marks the older one superseded, and it stays readable.
 */
@Entity('accounting_runs')
@Check('accounting_runs_year_check', 'year BETWEEN 1949 AND 2200')
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

  @Column({ type: 'jsonb' })
  snapshot!: RunSnapshot;

  @Column({ name: 'snapshot_sha256', type: 'char', length: 64 })
  snapshotSha256!: string;

  /** Regions × indicators computed, aggregated and not computable. */
  @Column({ type: 'jsonb' })
  coverage!: { computed: number; aggregated: number; notComputable: number };

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
