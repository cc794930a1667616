import { zhEn } from '../../common/i18n/text';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  ValidateIf,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  IsAccountingYear,
  IsRegionCode,
  IsStandardId,
  IsYuan,
} from '../../common/field-validators';
import { PageQuery } from '../../common/pagination';
import { COMPENSATION_RUN_STATUSES, CompensationRunStatus } from './compensation-run.entity';
import {
  SCHEME_STATUSES,
  SCHEME_TYPES,
  SchemeStatus,
  SchemeType,
} from './compensation-scheme.entity';
import { FUND_STATES, FundState } from './fund-event.entity';
import { MISSING_FIGURE_RULES, MissingFiguresRule } from './scheme-content';
import { POLLUTANTS, Pollutant } from './cross-section';
import { CLASS_EFFECTS, ClassEffect } from './reward-deduction';
import {
  FOREST_LEVELS,
  FOREST_OWNERSHIPS,
  ForestLevel,
  ForestOwnership,
} from './forest-compensation';

const DECIMAL = /^\d{1,12}(\.\d{1,12})?$/;
const SIGNED = /^-?\d{1,12}(\.\d{1,12})?$/;
const TIER_KINDS = ['steps', 'base_times_one_plus_x', 'per_step', 'p_index'] as const;
/**
 * What a scheme does with a recipient whose figures are missing. Without it, such a recipient is
 * not computable and the run cannot be approved; with it, the explanation cites `basis`.
 */
export class MissingFiguresRuleDto {
  /** `exclude` (budget allocation: the region takes no share) or `keep_base` (reward/deduction: the base transfer is paid unadjusted). */
  @ApiProperty({ enum: MISSING_FIGURE_RULES })
  @IsIn(MISSING_FIGURE_RULES, {
    message: zhEn(
      'missingFigures.rule 应为 exclude（不参与分配）或 keep_base（按基数拨付）',
      'missingFigures.rule must be exclude (takes no share) or keep_base (the base is paid unadjusted)',
    ),
  })
  rule!: MissingFiguresRule;
  /** The clause of the policy document that says so. */
  @IsString()
  @IsNotEmpty({
    message: zhEn(
      'missingFigures.basis 应写明该规则出自政策文件的哪一条',
      'missingFigures.basis must name the clause of the policy document the rule comes from',
    ),
  })
  @MaxLength(2000)
  basis!: string;
}

/** What every scheme's rule carries: the policy document it implements and an explanation. */
export class SchemeRuleDto {
  /** What to do with a recipient whose figures are missing (default: not computable, no approval). */
  @IsOptional()
  @ValidateNested()
  @Type(() => MissingFiguresRuleDto)
  missingFigures?: MissingFiguresRuleDto | null;
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

export class SchemeContentDto extends SchemeRuleDto {
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
  @IsYuan()
  floor?: string | null;
  /** 元 each region gets at most. */
  @IsOptional()
  @IsYuan()
  cap?: string | null;
}

export class StepDto {
  /** The band applies when the exceedance multiple x is above this… */
  @Matches(DECIMAL, { message: zhEn('应为非负数', '$property must be a decimal ≥ 0') })
  above!: string;
  /** …and at most this (none: unbounded). */
  @IsOptional()
  @Matches(DECIMAL, { message: zhEn('应为非负数', '$property must be a decimal ≥ 0') })
  upTo?: string | null;
  /** 元 (a fixed amount, or the base multiplied by 1 + x). */
  @IsYuan()
  amount!: string;
}

export class PollutantLimitDto {
  @ApiProperty({ enum: POLLUTANTS })
  @IsIn(POLLUTANTS, {
    message: zhEn(
      `应为以下之一：${POLLUTANTS.join('、')}`,
      `$property must be one of ${POLLUTANTS.join(', ')}`,
    ),
  })
  code!: Pollutant;
  /** mg/L: the standard limit (e.g. GB 3838-2002 class III), or the basic limit Cᵢ0 of a P index. */
  @Matches(DECIMAL, {
    message: zhEn('应为以 mg/L 计的数值', '$property must be mg/L as a decimal string'),
  })
  limit!: string;
  /** P index only: the pollutant's weight (all or none; they sum to 1). */
  @IsOptional()
  @Matches(DECIMAL, { message: zhEn('应为非负数', '$property must be a decimal ≥ 0') })
  weight?: string | null;
}

export class TierDto {
  @ApiProperty({ enum: TIER_KINDS })
  @IsIn(TIER_KINDS, {
    message: zhEn(
      `应为以下之一：${TIER_KINDS.join('、')}`,
      `$property must be one of ${TIER_KINDS.join(', ')}`,
    ),
  })
  kind!: (typeof TIER_KINDS)[number];
  /** steps, base_times_one_plus_x: the bands, in order. */
  @ValidateIf((t: TierDto) => t.kind === 'steps' || t.kind === 'base_times_one_plus_x')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => StepDto)
  steps?: StepDto[];
  /** per_step: the step of exceedance (e.g. 0.2) and the amount for each. */
  @ValidateIf((t: TierDto) => t.kind === 'per_step')
  @Matches(DECIMAL, { message: zhEn('应为正数', '$property must be a decimal > 0') })
  stepSize?: string;
  @ValidateIf((t: TierDto) => t.kind === 'per_step')
  @IsYuan()
  amountPerStep?: string;
  @IsOptional()
  @IsIn(['ceil', 'floor'])
  rounding?: 'ceil' | 'floor';
  /** p_index: K0 and the amount that changes hands. */
  @ValidateIf((t: TierDto) => t.kind === 'p_index')
  @Matches(DECIMAL, { message: zhEn('应为数值', '$property must be a decimal') })
  k0?: string;
  @ValidateIf((t: TierDto) => t.kind === 'p_index')
  @IsYuan()
  amount?: string;
}

/** A cross-section water-quality agreement (see CrossSectionContent). */
export class CrossSectionContentDto extends SchemeRuleDto {
  /** Code of the monitoring section. */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9.-]{0,63}$/, {
    message: zhEn('应为断面编号（小写字母、数字、. 或 -）', '$property must be a section code'),
  })
  section!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(POLLUTANTS.length)
  @ValidateNested({ each: true })
  @Type(() => PollutantLimitDto)
  pollutants!: PollutantLimitDto[];
  @IsObject({ message: zhEn('tier 必填，应为对象', 'tier is required and must be an object') })
  @ValidateNested()
  @Type(() => TierDto)
  tier!: TierDto;
  /** Hebei: no deduction when the inflow already exceeded and the pollutant did not increase. */
  @IsOptional()
  @IsBoolean()
  exemptWhenInflowExceeds?: boolean;
  /** 元 the downstream region pays for each month every pollutant met its limit. */
  @IsOptional()
  @IsYuan()
  compliantMonthReward?: string | null;
  /** 元: the most the upstream region pays in a year. */
  @IsOptional()
  @IsYuan()
  annualCap?: string | null;
}

export class ChangeClassDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  label!: string;
  /** The class applies when the measure is above this (none: open below)… */
  @IsOptional()
  @Matches(SIGNED, { message: zhEn('应为数值', '$property must be a decimal') })
  above?: string | null;
  /** …and at most this (none: open above). */
  @IsOptional()
  @Matches(SIGNED, { message: zhEn('应为数值', '$property must be a decimal') })
  upTo?: string | null;
  @ApiProperty({ enum: CLASS_EFFECTS })
  @IsIn(CLASS_EFFECTS, {
    message: zhEn(
      `应为以下之一：${CLASS_EFFECTS.join('、')}`,
      `effect must be one of ${CLASS_EFFECTS.join(', ')}`,
    ),
  })
  effect!: ClassEffect;
  /** 元, for a reward or deduction of a fixed amount. */
  @IsOptional()
  @IsYuan()
  amount?: string | null;
  /** % of the base, for a reward or deduction in proportion (e.g. "10"). */
  @IsOptional()
  @Matches(/^\d{1,3}(\.\d{1,6})?$/, {
    message: zhEn('应为百分数，如 "10"', '$property must be a percent, e.g. "10"'),
  })
  percent?: string | null;
}

/** Reward / deduction by change class (see RewardDeductionContent). */
export class RewardDeductionContentDto extends SchemeRuleDto {
  @IsStandardId()
  standardId!: string;
  /** Dimensionless formula over gep, gep_prev, gep_real_change, area, population, gdp. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  measure!: string;
  /** 元: each region's regular transfer before adjustment. */
  @IsYuan()
  base!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ChangeClassDto)
  classes!: ChangeClassDto[];
}

export class ForestRateDto {
  /** Who pays it, e.g. 中央财政, 省级财政. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  fundedBy!: string;
  @ApiProperty({ enum: FOREST_LEVELS })
  @IsIn(FOREST_LEVELS, {
    message: zhEn(
      `应为以下之一：${FOREST_LEVELS.join('、')}`,
      `forestLevel must be one of ${FOREST_LEVELS.join(', ')}`,
    ),
  })
  forestLevel!: ForestLevel;
  /** Only these ownerships (none: all). */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(FOREST_OWNERSHIPS, {
    each: true,
    message: zhEn(
      `权属应列出 ${FOREST_OWNERSHIPS.join('、')}`,
      `ownership must list ${FOREST_OWNERSHIPS.join(', ')}`,
    ),
  })
  ownership?: ForestOwnership[] | null;
  /** Only this zone class (none: all). */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, {
    message: zhEn('应为小写字母、数字或 _', 'zone must be lower case letters, digits and _'),
  })
  zone?: string | null;
  @IsOptional()
  @IsAccountingYear()
  fromYear?: number | null;
  @IsOptional()
  @IsAccountingYear()
  toYear?: number | null;
  /** 元 per 亩 and year. */
  @Matches(/^\d{1,9}(\.\d{1,4})?$/, {
    message: zhEn('应为以 元/亩 计的数值', 'rate must be 元/亩 as a decimal string'),
  })
  rate!: string;
  /** % of the rate kept for public management (公共管护). */
  @IsOptional()
  @Matches(/^\d{1,3}(\.\d{1,6})?$/, {
    message: zhEn('应为百分数，如 "10"', '$property must be a percent, e.g. "10"'),
  })
  managementPercent?: string | null;
}

/** Public-welfare forest compensation (see ForestContent). */
export class ForestContentDto extends SchemeRuleDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ForestRateDto)
  rates!: ForestRateDto[];
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
  /**
   * The rule: SchemeContentDto (budget_allocation), CrossSectionContentDto (cross_section) or
   * RewardDeductionContentDto (reward_deduction) or ForestContentDto (forest).
   */
  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  content!: Record<string, unknown>;
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
  /** The rule, as for the scheme's type. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  content?: Record<string, unknown>;
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
  /** SchemeContentDto or CrossSectionContentDto, by type. */
  content!: object;
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
  @Matches(/^[0-9a-f-]{36}$/i, {
    message: zhEn('schemeId 应为补偿方案编号（UUID）', 'schemeId must be a scheme id (UUID)'),
  })
  schemeId!: string;
  /**
   * Budget allocation: the region whose sub-regions share the budget. Cross-section agreement:
   * optional (the section's upstream region), or either party.
   */
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
  @IsAccountingYear()
  budgetYear!: number;
  /**
   * Year of the data read — the GEP run of an allocation, the monitoring values of a
   * cross-section agreement; defaults to the year before the budget year.
   */
  @IsOptional()
  @IsAccountingYear()
  gepYear?: number;
  /** 元 to allocate (budget allocation only; the other types compute their amounts). */
  @IsOptional()
  @IsYuan()
  budget?: string;
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
  /** The scheme's name, as people call it. */
  schemeName!: string | null;
  schemeVersion!: number;
  rootRegionCode!: string;
  regionName!: string | null;
  budgetYear!: number;
  gepYear!: number;
  /** 元; null when an amount it sums is not computable. */
  budget!: string | null;
  /** Recipients whose amount is not computable (the run cannot be approved while any remain). */
  notComputable?: string[];
  /** The published GEP run read, when it was since withdrawn (撤回): why and when. */
  sourceWithdrawn?: { runId: string; reason: string | null; at: Date | null } | null;
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
  /** 元, to the fen; null when not computable (the explanation says why). */
  amount!: string | null;
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
  @IsYuan()
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
