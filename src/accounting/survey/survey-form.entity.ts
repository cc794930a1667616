import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Region } from '../../regions/region.entity';

export const FORM_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type FormStatus = (typeof FORM_STATUSES)[number];
export const FORM_STATUS_ZH: Record<FormStatus, string> = {
  draft: '草稿',
  submitted: '已提交待审',
  approved: '已审核',
  returned: '已退回',
};

/**
 * A report form instance (统计报表): the variables one reporting department supplies for a
 * methodology standard, for one region and year. Values can change only while the form is a
 * draft or returned; the database refuses changes to values of a submitted or approved form.
 */
@Entity('survey_forms')
@Unique('survey_forms_instance_key', ['standardId', 'department', 'regionCode', 'year'])
@Check('survey_forms_year_check', 'year BETWEEN 1949 AND 2200')
@Index('survey_forms_region_year_idx', ['regionCode', 'year'])
export class SurveyForm {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'survey_forms_pkey' })
  id!: string;

  @Column({ name: 'standard_id', type: 'varchar', length: 64 })
  standardId!: string;

  /** The reporting department, as named on the methodology's variables (林业局, 水利局…). */
  @Column({ type: 'varchar', length: 100 })
  department!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'survey_forms_region_fk' })
  region?: Region;

  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'enum', enum: FORM_STATUSES, enumName: 'survey_form_status', default: 'draft' })
  status!: FormStatus;

  /** The reviewer's comment when returned; the reason of the latest correction. */
  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  /** Corrections opened after approval. */
  @Column({ type: 'integer', default: 0 })
  corrections!: number;

  @Column({ name: 'submitted_by', type: 'varchar', length: 64, nullable: true })
  submittedBy!: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'reviewed_by', type: 'varchar', length: 64, nullable: true })
  reviewedBy!: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  /** Optimistic lock: every change names the revision it was based on. */
  @VersionColumn({ default: 1 })
  revision!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
