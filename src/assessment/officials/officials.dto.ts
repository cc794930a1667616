import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsRegionCode, IsStandardId, IsCleanName } from '../../common/field-validators';
import { PageQuery } from '../../common/pagination';
import { zhEn } from '../../common/i18n/text';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateOfficialDto {
  @IsCleanName()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  name!: string;
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class OfficialQuery extends PageQuery {
  /** Part of the name. */
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;
}

export class OfficialResponse {
  id!: string;
  name!: string;
  note!: string | null;
  createdBy!: string | null;
  createdAt!: Date;
}

export class CreateTenureDto {
  @IsRegionCode()
  regionCode!: string;
  /** e.g. 县委书记, 县长. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  post!: string;
  /** YYYY-MM-DD */
  @Matches(DATE, {
    message: zhEn('开始日期格式应为 2024-01-05', 'startDate must be a date YYYY-MM-DD'),
  })
  @IsISO8601(
    { strict: true },
    { message: zhEn('开始日期不是有效日期', 'startDate must be a real date') },
  )
  startDate!: string;
  /** YYYY-MM-DD, inclusive; omitted while in office. */
  @IsOptional()
  @Matches(DATE, {
    message: zhEn('结束日期格式应为 2024-01-05', 'endDate must be a date YYYY-MM-DD'),
  })
  @IsISO8601(
    { strict: true },
    { message: zhEn('结束日期不是有效日期', 'endDate must be a real date') },
  )
  endDate?: string;
  @IsOptional()
  @IsBoolean()
  acting?: boolean;
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class TenureQuery extends PageQuery {
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
}

export class TenureResponse {
  id!: string;
  officialId!: string;
  regionCode!: string;
  post!: string;
  startDate!: string;
  endDate!: string | null;
  acting!: boolean;
  note!: string | null;
  createdBy!: string | null;
  createdAt!: Date;
}

export class OfficialDetail extends OfficialResponse {
  tenures!: TenureResponse[];
}

export class GradeDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  grade!: string;
  @IsNumber()
  min!: number;
}

export class TriggerDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  code!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  label!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  condition!: string;
}

export class RulesetDto {
  @IsStandardId()
  standardId!: string;
  /** Score formula over gep_start, gep_end, gep_real_change, gep_change, years; clamped to 0–100. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  score!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => GradeDto)
  grades!: GradeDto[];
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => TriggerDto)
  triggers!: TriggerDto[];
}

export class EvaluateTenureDto {
  /** Defaults to the illustrative GEP-change ruleset (see the response's `ruleset`). */
  @ApiProperty({ required: false })
  @IsOptional()
  @ValidateNested()
  @Type(() => RulesetDto)
  ruleset?: RulesetDto;
}

export class TenureEvaluationResponse {
  tenureId!: string;
  regionCode!: string;
  baselineYear!: number;
  endYear!: number;
  runs!: { baseline: string; end: string };
  series!: {
    year: number;
    runId: string;
    gep: string | null;
    gepAtBaselinePrices: string | null;
    /** By category; `out_of_region` (the deduction) only under a methodology that has it. */
    byCategory: Partial<
      Record<'provisioning' | 'regulating' | 'cultural' | 'out_of_region', string | null>
    >;
  }[];
  gep!: object;
  resources!: { variable: string; start: string | null; end: string | null }[];
  compensation!: { budgetYear: number; amount: string }[];
  /** False when GEP at either end is incomplete: no score, grade or finding (无法评价). */
  evaluable!: boolean;
  /** The grade, or 无法评价. */
  conclusion!: string;
  /** 0–100, two decimals; null when not evaluable. */
  score!: string | null;
  grade!: string | null;
  findings!: { code: string; label: string }[];
  /** code, message, messageZh (the report's wording). */
  gaps!: { code: string; message: string; messageZh: string }[];
  ruleset!: RulesetDto;
}
