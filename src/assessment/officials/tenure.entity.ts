import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Region } from '../../regions/region.entity';
import { Official } from './official.entity';

/**
 * One official in one post of one region from `startDate` to `endDate` (inclusive; null: in
 * office). The database refuses a tenure that ends before it starts and two tenures of the same
 * post and region that overlap (exclusion constraint with btree_gist); acting periods (代理) are
 * tenures too.
 */
@Entity('tenures')
@Index('tenures_official_idx', ['officialId'])
@Check('tenures_dates_check', 'end_date IS NULL OR end_date >= start_date')
@Exclusion(
  'tenures_no_overlap',
  `USING gist (region_code WITH =, post WITH =, daterange(start_date, end_date, '[]') WITH &&)`,
)
export class Tenure {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'tenures_pkey' })
  id!: string;

  @Column({ name: 'official_id', type: 'uuid' })
  officialId!: string;

  @ManyToOne(() => Official, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'official_id', foreignKeyConstraintName: 'tenures_official_fk' })
  official?: Official;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'tenures_region_fk' })
  region?: Region;

  /** e.g. 县委书记, 县长, 林业局局长. */
  @Column({ type: 'varchar', length: 100 })
  post!: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;

  /** An acting period (代理), e.g. before formal appointment. */
  @Column({ type: 'boolean', default: false })
  acting!: boolean;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
