import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { RulesetDto } from '../officials/officials.dto';
import { zhEn } from '../../common/i18n/text';

export class CreateReportDto {
  @IsUUID('all', { message: zhEn('tenureId 应为任期编号（UUID）', 'tenureId must be a UUID') })
  tenureId!: string;
  /** Defaults to the illustrative GEP-change ruleset of the evaluation. */
  @ApiProperty({ required: false })
  @IsOptional()
  @ValidateNested()
  @Type(() => RulesetDto)
  ruleset?: RulesetDto;
}

export class ReportQuery extends PageQuery {
  @IsOptional()
  @IsUUID('all', { message: zhEn('tenureId 应为任期编号（UUID）', 'tenureId must be a UUID') })
  tenureId?: string;
  @IsOptional()
  @IsUUID('all', { message: zhEn('officialId 应为干部编号（UUID）', 'officialId must be a UUID') })
  officialId?: string;
}

export class ReportSummary {
  id!: string;
  tenureId!: string;
  officialId!: string;
  regionCode!: string;
  /** Null when the tenure could not be graded (GEP incomplete at either end). */
  grade!: string | null;
  /** The grade, or 无法评价. */
  conclusion!: string;
  /** SHA-256 of the canonical JSON of `content`. */
  contentSha256!: string;
  createdBy!: string;
  createdAt!: Date;
}

export class ReportDetail extends ReportSummary {
  ruleset!: RulesetDto;
  /** Published runs the report read that have since been withdrawn (撤回); the content stays as generated. */
  sourceWithdrawn!: { runId: string; year: number; reason: string | null }[];
  /** Official, tenure, evaluation, the runs used and the baseline/end indicator traces. */
  content!: object;
}

export class ReportVerification {
  /** True when the content regenerated now from the database has the stored hash. */
  matches!: boolean;
  storedSha256!: string;
  regeneratedSha256!: string;
  /** Parts of the content that differ (e.g. `evaluation.gep`, `runs`), empty when it matches. */
  differences!: string[];
}
