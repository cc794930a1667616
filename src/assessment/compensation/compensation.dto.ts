import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsAccountingYear, IsRegionCode, IsStandardId } from '../../common/field-validators';
import { PageQuery } from '../../common/pagination';
import { COMPENSATION_RUN_STATUSES, CompensationRunStatus } from './compensation-run.entity';
import {
  SCHEME_STATUSES,
  SCHEME_TYPES,
  SchemeStatus,
  SchemeType,
} from './compensation-scheme.entity';
import { FUND_STATES, FundState } from './fund-event.entity';

const YUAN = /^\d{1,15}(\.\d{1,2})?$/;
const YUAN_MESSAGE = '$property must be 元 as a decimal string ≥ 0 with at most 2 decimals';

export class SchemeContentDto {
  /** Methodology standard whose published GEP runs the scheme reads. */
  @IsStandardId()
  standardId!: string;
  /** Weight formula over gep, gep_prev, gep_real_change, area, population, gdp. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  weight!: string;
  /** Condition a region must meet to get anything, e.g. `gep_real_change >= -0.05`. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  eligibility?: string | null;
  /** 元 each eligible region gets at least. */
  @IsOptional()
  @Matches(YUAN, { message: YUAN_MESSAGE })
  floor?: string | null;
  /** 元 each region gets at most. */
  @IsOptional()
  @Matches(YUAN, { message: YUAN_MESSAGE })
  cap?: string | null;
  /** The policy document the scheme implements. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  source!: string;
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  description?: string | null;
}

export class CreateSchemeDto {
  /** e.g. `wuyuan-township-gep-allocation` (lower case, digits, . and -). */
  @IsStandardId()
  code!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
  @ApiProperty({ enum: SCHEME_TYPES })
  @IsIn(SCHEME_TYPES)
  type!: SchemeType;
  @ValidateNested()
  @Type(() => SchemeContentDto)
  content!: SchemeContentDto;
}

export class UpdateSchemeDto {
  /** The revision the edit is based on (a stale one gets 409). */
  @IsInt()
  @Min(1)
  revision!: number;
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;
  @IsOptional()
  @ValidateNested()
  @Type(() => SchemeContentDto)
  content?: SchemeContentDto;
}

export class SchemeQuery extends PageQuery {
  @IsOptional()
  @IsStandardId()
  code?: string;
  @ApiProperty({ enum: SCHEME_STATUSES, required: false })
  @IsOptional()
  @IsIn(SCHEME_STATUSES)
  status?: SchemeStatus;
}

export class SchemeResponse {
  id!: string;
  code!: string;
  version!: number;
  name!: string;
  @ApiProperty({ enum: SCHEME_TYPES })
  type!: SchemeType;
  @ApiProperty({ enum: SCHEME_STATUSES })
  status!: SchemeStatus;
  content!: SchemeContentDto;
  createdBy!: string | null;
  publishedBy!: string | null;
  publishedAt!: Date | null;
  revision!: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export class StartCompensationRunDto {
  /** A published scheme version. */
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'schemeId must be a scheme id (UUID)' })
  schemeId!: string;
  /** The region whose sub-regions share the budget. */
  @IsRegionCode()
  regionCode!: string;
  @IsAccountingYear()
  budgetYear!: number;
  /** Accounting year of the GEP run read; defaults to the year before the budget year. */
  @IsOptional()
  @IsAccountingYear()
  gepYear?: number;
  /** 元 to allocate. */
  @Matches(YUAN, { message: YUAN_MESSAGE })
  budget!: string;
}

export class CompensationRunQuery extends PageQuery {
  @IsOptional()
  @IsStandardId()
  schemeCode?: string;
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
  @IsOptional()
  @Type(() => Number)
  @IsAccountingYear()
  budgetYear?: number;
  @ApiProperty({ enum: COMPENSATION_RUN_STATUSES, required: false })
  @IsOptional()
  @IsIn(COMPENSATION_RUN_STATUSES)
  status?: CompensationRunStatus;
}

export class CompensationRunResponse {
  id!: string;
  schemeId!: string;
  schemeCode!: string;
  schemeVersion!: number;
  rootRegionCode!: string;
  budgetYear!: number;
  gepYear!: number;
  /** 元 */
  budget!: string;
  @ApiProperty({ enum: COMPENSATION_RUN_STATUSES })
  status!: CompensationRunStatus;
  inputs!: object;
  inputsSha256!: string;
  createdBy!: string | null;
  approvedBy!: string | null;
  approvedAt!: Date | null;
  createdAt!: Date;
}

export class CompensationAmountResponse {
  regionCode!: string;
  name!: string;
  eligible!: boolean;
  weight!: string | null;
  /** 元, to the fen. */
  amount!: string;
  /** Latest fund event: pending until one is recorded. */
  fundState!: string;
  explanation!: object;
}

export class CompensationRunDetail extends CompensationRunResponse {
  amounts!: CompensationAmountResponse[];
}

export class FundEventDto {
  @IsRegionCode()
  regionCode!: string;
  @ApiProperty({ enum: FUND_STATES })
  @IsIn(FUND_STATES)
  state!: FundState;
  /** 元: required for reduced (the new amount) and recovered (the amount taken back). */
  @IsOptional()
  @Matches(YUAN, { message: YUAN_MESSAGE })
  amount?: string;
  /** The decision or payment document. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  document!: string;
}

export class FundEventResponse {
  id!: string;
  runId!: string;
  regionCode!: string;
  @ApiProperty({ enum: FUND_STATES })
  state!: FundState;
  amount!: string | null;
  document!: string;
  recordedBy!: string;
  recordedAt!: Date;
}
