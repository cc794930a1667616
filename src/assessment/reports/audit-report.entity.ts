import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Region } from '../../regions/region.entity';
import { Official } from '../officials/official.entity';
import { Tenure } from '../officials/tenure.entity';
import { EvaluationRuleset } from '../officials/tenure-evaluation';
import { ReportContent } from './report-content';

/**
 * A departure-audit reference report (领导干部自然资源资产离任审计参考报告) as generated: the
 * ruleset it was asked for, the content (every figure, from published runs only) and the content's
 * SHA-256. The PDF and DOCX are rendered from the stored content. Append-only (trigger): a new
 * report is a new row, and regenerating one recomputes the content to compare hashes.
 */
@Entity('audit_reports')
export class AuditReport {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'audit_reports_pkey' })
  id!: string;

  @Index('audit_reports_tenure_idx')
  @Column({ name: 'tenure_id', type: 'uuid' })
  tenureId!: string;

  @ManyToOne(() => Tenure, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tenure_id', foreignKeyConstraintName: 'audit_reports_tenure_fk' })
  tenure?: Tenure;

  @Column({ name: 'official_id', type: 'uuid' })
  officialId!: string;

  @ManyToOne(() => Official, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'official_id', foreignKeyConstraintName: 'audit_reports_official_fk' })
  official?: Official;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'audit_reports_region_fk' })
  region?: Region;

  @Column({ type: 'jsonb' })
  ruleset!: EvaluationRuleset;

  @Column({ type: 'jsonb' })
  content!: ReportContent;

  @Column({ name: 'content_sha256', type: 'char', length: 64 })
  contentSha256!: string;

  /** Null when the evaluation could not grade (GEP incomplete at either end: 无法评价). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  grade!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
