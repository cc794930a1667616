import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { MethodologyContent } from './methodology-content';

export const METHODOLOGY_STATUSES = ['draft', 'published'] as const;

/** A methodology's status as people read it. */
export const METHODOLOGY_STATUS_ZH: Record<(typeof METHODOLOGY_STATUSES)[number], string> = {
  draft: '草稿',
  published: '已发布',
};
export type MethodologyStatus = (typeof METHODOLOGY_STATUSES)[number];

/**
 * One version of a methodology (a standard's indicator set with formulas and parameters).
 * Published versions are immutable: a trigger refuses any UPDATE or DELETE of a published row
 * (migration `Methodologies`). The content is one jsonb document, validated as a whole.
 */
@Entity('methodologies')
@Unique('methodologies_standard_version_key', ['standardId', 'version'])
export class Methodology {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'methodologies_pkey' })
  id!: string;

  /** e.g. `ndrc-nbs-2022-trial`, `rcees-baiyangdian-2017`. */
  @Column({ name: 'standard_id', type: 'varchar', length: 64 })
  standardId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'source_document', type: 'text' })
  sourceDocument!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({
    type: 'enum',
    enum: METHODOLOGY_STATUSES,
    enumName: 'methodology_status',
    default: 'draft',
  })
  status!: MethodologyStatus;

  @Column({ type: 'jsonb' })
  content!: MethodologyContent;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'published_by', type: 'varchar', length: 64, nullable: true })
  publishedBy!: string | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  /** Optimistic lock: edits must name the revision they were based on. */
  @VersionColumn({ default: 1 })
  revision!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
