import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { CrossSectionContent } from './cross-section';
import type { ForestContent } from './forest-compensation';
import type { RewardDeductionContent } from './reward-deduction';
import type { SchemeContent } from './scheme-content';

/**
 * budget_allocation: a pool over sub-regions by GEP; cross_section: a water-quality agreement;
 * reward_deduction: each sub-region's transfer adjusted by its change class; forest: public-welfare
 * forest compensation, area × rates.
 */
export const SCHEME_TYPES = [
  'budget_allocation',
  'cross_section',
  'reward_deduction',
  'forest',
] as const;
export type SchemeType = (typeof SCHEME_TYPES)[number];

export const SCHEME_STATUSES = ['draft', 'published'] as const;
export type SchemeStatus = (typeof SCHEME_STATUSES)[number];

/** The kinds of scheme as the finance bureau calls them. */
export const SCHEME_TYPE_ZH: Record<SchemeType, string> = {
  budget_allocation: '按 GEP 分配资金',
  cross_section: '跨界断面横向补偿',
  reward_deduction: '奖励与扣减',
  forest: '公益林生态效益补偿',
};

export const SCHEME_STATUS_ZH: Record<SchemeStatus, string> = {
  draft: '草稿',
  published: '已发布',
};

/**
 * One version of a compensation scheme (生态保护补偿办法), its rule as data. Published versions are
 * immutable: a trigger refuses any UPDATE or DELETE of a published row (migration `Compensation`).
 */
@Entity('compensation_schemes')
@Unique('compensation_schemes_code_version_key', ['code', 'version'])
export class CompensationScheme {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'compensation_schemes_pkey' })
  id!: string;

  /** e.g. `wuyuan-township-gep-allocation`. */
  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'enum', enum: SCHEME_TYPES, enumName: 'compensation_scheme_type' })
  type!: SchemeType;

  @Column({
    type: 'enum',
    enum: SCHEME_STATUSES,
    enumName: 'compensation_scheme_status',
    default: 'draft',
  })
  status!: SchemeStatus;

  @Column({ type: 'jsonb' })
  content!: SchemeContent | CrossSectionContent | RewardDeductionContent | ForestContent;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'published_by', type: 'varchar', length: 64, nullable: true })
  publishedBy!: string | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  /** Optimistic lock: edits name the revision they were based on. */
  @VersionColumn({ default: 1 })
  revision!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
