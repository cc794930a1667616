import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsAccountingYear, IsRegionCode } from '../../common/field-validators';
import { PageQuery } from '../../common/pagination';
import { POLLUTANTS, Pollutant } from './cross-section';
import { SECTION_STATES, SectionState } from './monitoring.entity';
import { zhEn } from '../../common/i18n/text';

const MG_L = /^\d{1,12}(\.\d{1,12})?$/;
const MG_L_MESSAGE = '$property must be mg/L as a decimal string ≥ 0 (e.g. "0.185")';
export const SECTION_CODE = /^[a-z0-9][a-z0-9.-]{0,63}$/;

export class CreateSectionDto {
  /** e.g. `leanhe-yutan-bridge` (lower case, digits, . and -). */
  @Matches(SECTION_CODE, {
    message: zhEn(
      '编号应为小写字母、数字、. 和 -（不超过 64 个字符）',
      'code must be lower case letters, digits, . and - (≤ 64)',
    ),
  })
  code!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  river!: string;
  @IsRegionCode()
  upstreamRegionCode!: string;
  @IsRegionCode()
  downstreamRegionCode!: string;
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class SectionResponse {
  code!: string;
  name!: string;
  river!: string;
  upstreamRegionCode!: string;
  downstreamRegionCode!: string;
  note!: string | null;
  createdBy!: string | null;
  createdAt!: Date;
}

export class MonitoringValueDto {
  @IsAccountingYear()
  year!: number;
  @IsInt()
  @Min(1)
  @Max(12)
  month!: number;
  @ApiProperty({ enum: POLLUTANTS })
  @IsIn(POLLUTANTS, {
    message: zhEn(
      `污染物应为以下之一：${POLLUTANTS.join('、')}`,
      `pollutant must be one of ${POLLUTANTS.join(', ')}`,
    ),
  })
  pollutant!: Pollutant;
  /** normal (default), dry (断流) or frozen (冰冻): dry and frozen months have no concentration. */
  @ApiProperty({ enum: SECTION_STATES, required: false })
  @IsOptional()
  @IsIn(SECTION_STATES)
  state?: SectionState;
  /** Outflow concentration, mg/L; null for a dry or frozen month. */
  @IsOptional()
  @Matches(MG_L, { message: MG_L_MESSAGE })
  concentration?: string | null;
  /** Inflow concentration (where the river enters the upstream region), mg/L. */
  @IsOptional()
  @Matches(MG_L, { message: MG_L_MESSAGE })
  inflow?: string | null;
  /** The monitoring report the value comes from. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  source!: string;
}

export class PutValuesDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => MonitoringValueDto)
  values!: MonitoringValueDto[];
}

export class ValuesQuery {
  @IsOptional()
  @Type(() => Number)
  @IsAccountingYear()
  year?: number;
}

export class MonitoringValueResponse {
  sectionCode!: string;
  year!: number;
  month!: number;
  pollutant!: string;
  state!: string;
  concentration!: string | null;
  inflow!: string | null;
  source!: string;
  enteredBy!: string | null;
  updatedAt!: Date;
}

export class SectionQuery extends PageQuery {}
