import { IsAccountingYear, IsRegionCode, IsStandardId } from '../../common/field-validators';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { RUN_STATUSES, RunCompleteness, RunStatus } from './accounting-run.entity';
import { RESULT_STATUSES } from './accounting-result.entity';
import { CATEGORIES, Category } from '../methodology/methodology-content';
import { zhEn } from '../../common/i18n/text';

export class StartRunDto {
  @IsStandardId()
  standardId!: string;
  /** Published version; defaults to the newest. */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
  /** Root of the accounted subtree. */
  @IsRegionCode()
  regionCode!: string;
  @IsAccountingYear()
  year!: number;
  /**
   * A parcel-level run (same methodology version and year, of a county in the subtree) whose
   * township and county sums replace the evaluation of its indicators, recorded as derived.
   */
  @IsOptional()
  @IsUUID('4')
  parcelRunId?: string;
}

/**
 * Publishing a complete run needs no body. An incomplete one is published only with the reason
 * (audited, shown with its figures), and to replace a complete published run the accountant must
 * also name that run.
 */
export class PublishRunDto {
  /** Why the run is published although some counted results are missing (至少 4 个字). */
  @IsOptional()
  @IsString({ message: zhEn('incompleteReason 应为文字', 'incompleteReason must be text') })
  @MaxLength(2000, {
    message: zhEn(
      'incompleteReason 不能超过 2000 个字',
      'incompleteReason can have at most 2000 characters',
    ),
  })
  incompleteReason?: string;
  /** The id of the complete published run this incomplete run replaces, to confirm it. */
  @IsOptional()
  @IsUUID('4', {
    message: zhEn('supersedes 应为核算编号（UUID）', 'supersedes must be the id of a run (a UUID)'),
  })
  supersedes?: string;
}

export class WithdrawRunDto {
  /** Why the published run is withdrawn (撤回); audited and shown wherever its figures appear. */
  @IsString({ message: zhEn('reason 应为文字', 'reason must be text') })
  @IsNotEmpty({ message: zhEn('撤回须写明理由', 'a withdrawal needs a reason') })
  @MaxLength(2000, {
    message: zhEn('reason 不能超过 2000 个字', 'reason can have at most 2000 characters'),
  })
  reason!: string;
}

export class RunQuery extends PageQuery {
  @IsOptional()
  @IsStandardId()
  standardId?: string;
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
  @IsOptional()
  @Type(() => Number)
  @IsAccountingYear()
  year?: number;
}

export class ResultQuery extends PageQuery {
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, {
    message: zhEn('指标应为指标代码', 'indicator must be an indicator code'),
  })
  indicator?: string;
  /** Indicators of one category only (provisioning, regulating, cultural). */
  @ApiProperty({ enum: CATEGORIES, required: false })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: Category;
}

export class SummaryQuery {
  /** Defaults to the run's root region. */
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
  /** Value the run at this year's parameter values (constant prices); defaults to the run's year. */
  @IsOptional()
  @Type(() => Number)
  @IsAccountingYear()
  priceYear?: number;
}

export class RankingQuery {
  /** Rank the children of this region; defaults to the run's root. */
  @IsOptional()
  @IsRegionCode()
  parentCode?: string;
  @ApiProperty({ enum: ['gep', 'gepPerKm2', 'gepPerCapita'], required: false })
  @IsOptional()
  @IsIn(['gep', 'gepPerKm2', 'gepPerCapita'])
  by?: 'gep' | 'gepPerKm2' | 'gepPerCapita';
}

export class RankedRegionResponse {
  /** null when the region has no figure for the ranking measure. */
  rank!: number | null;
  regionCode!: string;
  name!: string;
  gep!: string | null;
  gepPerKm2!: string | null;
  gepPerCapita!: string | null;
  /** Counted indicators without a result for this region (why it has no rank). */
  incomplete!: string[];
}

export class ExportQuery {
  @ApiProperty({ enum: ['csv', 'xlsx'], required: false })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format?: 'csv' | 'xlsx';
}

export class UncertaintyDto {
  /** Monte Carlo draws (100 to 10,000; default 1,000). */
  @IsOptional()
  @IsInt({ message: zhEn('draws 应为整数', 'draws must be an integer') })
  @Min(100, { message: zhEn('draws 至少为 100', 'draws must be at least 100') })
  @Max(10000, { message: zhEn('draws 至多为 10000', 'draws must be at most 10000') })
  draws?: number;

  /** Seed of the generator (0 to 4294967295; default 1): the same seed gives the same figures. */
  @IsOptional()
  @IsInt({ message: zhEn('seed 应为整数', 'seed must be an integer') })
  @Min(0, { message: zhEn('seed 不能为负数', 'seed must not be negative') })
  @Max(4294967295, { message: zhEn('seed 至多为 4294967295', 'seed must be at most 4294967295') })
  seed?: number;

  /** Defaults to the run's root region. */
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
}

export class CompareQuery {
  /** Defaults to the later run's root region. */
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
}

class GepAmounts {
  /** 元, decimal string (a comparison is refused when either side is incomplete). */
  total!: string | null;
  byCategory!: Record<string, string | null>;
}

/** The run a figure comes from, as far as its trustworthiness goes. */
export class RunStanding {
  @ApiProperty({ enum: RUN_STATUSES })
  status!: RunStatus;
  /** False when some counted result of the run (any region) is missing. */
  complete!: boolean;
  incompleteReason!: string | null;
  withdrawalReason!: string | null;
}

export class ComparisonResponse {
  regionCode!: string;
  fromYear!: number;
  toYear!: number;
  from!: GepAmounts;
  to!: GepAmounts;
  /** The later year's quantities at the earlier year's prices (constant prices). */
  toAtFromPrices!: GepAmounts;
  /** The earlier year under the later methodology version. */
  fromUnderToMethod!: GepAmounts;
  /** Method + quantity + price = total, exactly (元). */
  effects!: { method: string; quantity: string; price: string; total: string };
  /** Growth rates as decimal fractions (0.2 = 20 %). */
  growth!: { current: string | null; constant: string | null };
  /**
   * Indicators whose method (of their alternatives) differs between the two runs in the region or
   * below: each run's method (null where none was used) and the regions. Their effect is in
   * `effects.method`.
   */
  methodChanges!: MethodChange[];
}

export class NamedMethod {
  code!: string;
  nameZh!: string;
}

export class MethodChange {
  indicator!: string;
  nameZh!: string;
  from!: NamedMethod | null;
  to!: NamedMethod | null;
  regions!: string[];
}

export class RunResponse {
  id!: string;
  methodologyId!: string;
  standardId!: string;
  methodologyVersion!: number;
  rootRegionCode!: string;
  year!: number;
  @ApiProperty({ enum: RUN_STATUSES })
  status!: RunStatus;
  snapshotSha256!: string;
  coverage!: { computed: number; aggregated: number; notComputable: number };
  createdBy!: string | null;
  publishedBy!: string | null;
  publishedAt!: Date | null;
  supersededBy!: string | null;
  /** Which counted results are missing; an incomplete run's figures carry the mark everywhere. */
  completeness!: RunCompleteness;
  /** Why an incomplete run was published anyway. */
  incompleteReason!: string | null;
  withdrawnBy!: string | null;
  withdrawnAt!: Date | null;
  withdrawalReason!: string | null;
  createdAt!: Date;
}

export class ResultResponse {
  regionCode!: string;
  /** The region's name (婺源县). */
  regionName!: string | null;
  indicatorCode!: string;
  /** The indicator's Chinese name (水源涵养量), its service and category as a published table shows them. */
  indicatorNameZh!: string | null;
  service!: string | null;
  serviceNameZh!: string | null;
  category!: string | null;
  categoryNameZh!: string | null;
  /** For an indicator with alternative methods: the method that gave the result (生物量法). */
  methodNameZh!: string | null;
  /** Its methods' names by code, to read `trace.methods` (each method considered and what it lacked). */
  methodNames!: Record<string, string> | null;
  @ApiProperty({ enum: RESULT_STATUSES })
  status!: (typeof RESULT_STATUSES)[number];
  /** Decimal string, in quantityUnit. */
  @ApiProperty({ type: 'string', nullable: true })
  quantity!: unknown;
  quantityUnit!: string | null;
  /**
   * Quantity per index item (decimal strings, in quantityUnit). For a set whose quantities do not
   * add up (SO₂, NOₓ, dust: `quantityAdditive: false`) this is the quantity, and `quantity` is null.
   */
  quantityByIndex!: Record<string, string> | null;
  /** Decimal string, 元, unrounded. */
  @ApiProperty({ type: 'string', nullable: true })
  value!: unknown;
  byIndex!: Record<string, string> | null;
  missing!: string[] | null;
  trace?: object | null;
}

export class SummaryLineResponse {
  code!: string;
  nameZh!: string;
  /** 元; null when a counted indicator under it has no result. */
  value!: string | null;
  /** A category's services (absent on a service line). */
  services?: SummaryLineResponse[];
}

export class SummaryResponse {
  regionCode!: string;
  regionName!: string;
  /** Year of the parameter values (prices) used. */
  priceYear!: number;
  /** 元, unrounded; null when a counted indicator has no result. */
  gep!: string | null;
  /** Null for a category with a counted indicator without a result (never a partial sum). */
  byCategory!: Record<string, string | null>;
  /** Per service, null likewise. */
  byService!: Record<string, string | null>;
  /** Categories in a published table's order, each with its counted services, by name (元). */
  table!: SummaryLineResponse[];
  /** Counted indicators without a result for this region. */
  incomplete!: string[];
  /** The same, by name. */
  incompleteNames!: string[];
  /** Where the region's gaps arise (the region or regions within it), in Chinese. */
  gaps!: { path: string; message: string }[];
  run!: RunStanding;
  /** GEP per km², per capita and GEP/GDP from the variables the methodology declares (`regionFigures`); null with a reason in `absent` otherwise. */
  derived!: {
    areaKm2: string | null;
    gepPerKm2: string | null;
    population: string | null;
    gepPerCapita: string | null;
    gdp: string | null;
    gepToGdp: string | null;
    /** Why a figure above is null: the methodology names no such variable, it was not reported, GEP is incomplete. */
    absent: { figure: string; reason: string }[];
  };
}

export class VerifyResponse {
  /** Every figure and every trace as recomputed from the snapshot. */
  identical!: boolean;
  /** Every figure digit for digit (status, quantity, value, breakdown, what was missing). */
  figuresIdentical!: boolean;
  /** Every result explained as stored (its trace: inputs, formulas, what it was summed from). */
  tracesIdentical!: boolean;
  hashMatches!: boolean;
  compared!: number;
  differences!: string[];
}
