import { IsStandardId } from '../../common/field-validators';
import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import {
  CATEGORIES,
  Category,
  EVIDENCE,
  Evidence,
  VALUATION_METHODS,
  RULE_KINDS,
  RuleKind,
  COMPARISONS,
  ValuationMethod,
} from './methodology-content';
import { METHODOLOGY_STATUSES, MethodologyStatus } from './methodology.entity';
import type { DiffEntry as DiffEntryContent } from './methodology-diff';
import { zhEn } from '../../common/i18n/text';
import { SERVICE_CATALOGUE } from './service-catalogue';

type DiffEntryKind = DiffEntryContent['kind'];

const CODE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const CODE_MSG = zhEn(
  '应以字母开头，只含字母、数字和 _（不超过 64 个字符）',
  'must start with a letter and use only letters, digits and _ (at most 64)',
);

class IndexItemDto {
  @Matches(CODE, { message: `code ${CODE_MSG}` })
  code!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;
}

export class IndexSetDto {
  @Matches(CODE, { message: `code ${CODE_MSG}` })
  code!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => IndexItemDto)
  items!: IndexItemDto[];
  /** False when quantities over the items are different substances and must not be added (default true). */
  @IsOptional()
  @IsBoolean()
  quantityAdditive?: boolean;
}

export class ServiceDto {
  @Matches(CODE, { message: `code ${CODE_MSG}` })
  code!: string;
  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  category!: Category;
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameZh!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  nameEn!: string;
  /** The common catalogue entry (crosswalk across standards); default: found from nameZh. */
  @IsOptional()
  @IsIn(SERVICE_CATALOGUE.map((e) => e.code), {
    message: zhEn(
      `catalogue 应为服务目录中的代码之一：${SERVICE_CATALOGUE.map((e) => e.code).join('、')}`,
      `catalogue must be one of the catalogue codes: ${SERVICE_CATALOGUE.map((e) => e.code).join(', ')}`,
    ),
  })
  catalogue?: string;
}

/** What variables and parameters share: a code, names, a unit, an optional index set, a description. */
class QuantityDefinitionDto {
  @Matches(CODE, { message: `code ${CODE_MSG}` })
  code!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  nameZh!: string;
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameEn?: string;
  /** e.g. `mm`, `hm²`, `元/m³`, `万t` */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  unit!: string;
  /** Index set code, for values given per item (e.g. per ecosystem type). */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(CODE, { message: `index ${CODE_MSG}` })
  index?: string | null;
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;
}

export class VariableDto extends QuantityDefinitionDto {
  /** The reporting department (统计局, 林业局…): the variable appears on that department's form. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;
  /** The variable cannot be negative (an area, a population): survey entries below 0 are refused. */
  @IsOptional()
  @IsBoolean()
  nonNegative?: boolean;
}

export class ParameterValueDto {
  /** A decimal string, or for an indexed parameter an object of item code → decimal string. */
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }],
  })
  @ValidateIf((_, v) => typeof v !== 'object')
  @IsString({
    message: zhEn(
      '取值应为十进制数字符串（分项参数为每项一个十进制数字符串的对象）',
      'value must be a decimal string (or an object of decimal strings per index item)',
    ),
  })
  value!: string | Record<string, string>;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1900)
  @Max(2200)
  priceYear?: number | null;
  @IsString()
  @MaxLength(2000)
  source!: string;
  @ApiProperty({ enum: EVIDENCE })
  @IsIn(EVIDENCE)
  evidence!: Evidence;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^\d{6}(\d{3}(\d{3})?)?$/, {
    message: zhEn(
      '地区应为 6、9 或 12 位区划代码',
      'region must be a division code of 6, 9 or 12 digits',
    ),
  })
  region?: string | null;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1900)
  @Max(2200)
  validFrom?: number | null;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1900)
  @Max(2200)
  validTo?: number | null;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^-?\d+(\.\d+)?$/, {
    message: zhEn('下限应为十进制数字符串', 'low must be a decimal string'),
  })
  low?: string | null;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^-?\d+(\.\d+)?$/, {
    message: zhEn('上限应为十进制数字符串', 'high must be a decimal string'),
  })
  high?: string | null;
}

export class ParameterDto extends QuantityDefinitionDto {
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ParameterValueDto)
  values!: ParameterValueDto[];
}

class FormulaDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  formula!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  unit!: string;
}

export class MethodNameDto {
  @Matches(CODE, { message: `code ${CODE_MSG}` })
  code!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  nameZh!: string;
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameEn?: string;
}

/** Another way of computing the indicator (same units as the main formulas). */
export class AlternativeMethodDto extends MethodNameDto {
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => FormulaDto)
  quantity?: FormulaDto | null;
  @IsDefined({
    message: zhEn(
      'value 应为含公式（formula）和单位（unit）的对象',
      'value should be an object with formula and unit',
    ),
  })
  @ValidateNested()
  @Type(() => FormulaDto)
  value!: FormulaDto;
  @IsString()
  @IsNotEmpty({
    message: zhEn(
      '出处不能为空：请注明方法的来源',
      'citation should not be empty: cite the method',
    ),
  })
  @MaxLength(2000)
  citation!: string;
  @ApiProperty({ enum: EVIDENCE })
  @IsIn(EVIDENCE)
  evidence!: Evidence;
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  documentation?: string;
}

/** Which method applies in a region (and below) and years; the most specific region wins. */
export class MethodRuleDto {
  @Matches(CODE, { message: `method ${CODE_MSG}` })
  method!: string;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^\d{6}(\d{3}(\d{3})?)?$/, {
    message: zhEn(
      'region 应为 6、9 或 12 位行政区划代码',
      'region must be a 6, 9 or 12 digit division code',
    ),
  })
  region?: string | null;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1949)
  @Max(2100)
  validFrom?: number | null;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1949)
  @Max(2100)
  validTo?: number | null;
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class IndicatorDto {
  @Matches(CODE, { message: `code ${CODE_MSG}` })
  code!: string;
  @Matches(CODE, { message: `service ${CODE_MSG}` })
  service!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  nameZh!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  nameEn!: string;
  /** Physical quantity (实物量): formula and unit. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => FormulaDto)
  quantity?: FormulaDto | null;
  /** Value (价值量): formula and a currency unit. `Q` is the indicator's own quantity. */
  @IsDefined({
    message: zhEn(
      'value 应为含公式（formula）和单位（unit）的对象',
      'value should be an object with formula and unit',
    ),
  })
  @ValidateNested()
  @Type(() => FormulaDto)
  value!: FormulaDto;
  @ApiProperty({ enum: VALUATION_METHODS })
  @IsIn(VALUATION_METHODS)
  valuationMethod!: ValuationMethod;
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  documentation?: string;
  @IsString()
  @IsNotEmpty({
    message: zhEn(
      '出处不能为空：请注明公式的来源',
      'citation should not be empty: cite where the formula comes from',
    ),
  })
  @MaxLength(2000)
  citation!: string;
  @ApiProperty({ enum: EVIDENCE })
  @IsIn(EVIDENCE)
  evidence!: Evidence;
  @IsOptional()
  @IsArray()
  @Matches(CODE, { each: true, message: `overlaps ${CODE_MSG}` })
  overlaps?: string[];
  @IsBoolean()
  counted!: boolean;
  /** Names the method `quantity`/`value` are; needed with `alternatives`. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => MethodNameDto)
  method?: MethodNameDto | null;
  /** Other methods, tried in order after the main one (the first whose inputs are all reported). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AlternativeMethodDto)
  alternatives?: AlternativeMethodDto[];
  /** Which method applies where and when (overrides the data-availability order). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => MethodRuleDto)
  methodRules?: MethodRuleDto[];
}

export class ValidationRuleDto {
  @Matches(CODE, { message: `code ${CODE_MSG}` })
  code!: string;
  @ApiProperty({ enum: RULE_KINDS })
  @IsIn(RULE_KINDS)
  kind!: RuleKind;
  @IsIn(['error', 'warning'])
  severity!: 'error' | 'warning';
  @Matches(CODE, { message: `variable ${CODE_MSG}` })
  variable!: string;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  min?: string | null;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  max?: string | null;
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  maxChangePercent?: string | null;
  @IsOptional()
  @IsArray()
  @Matches(CODE, { each: true, message: `parts ${CODE_MSG}` })
  parts?: string[];
  @IsOptional()
  @IsIn(COMPARISONS)
  op?: (typeof COMPARISONS)[number];
  @IsOptional()
  @Matches(CODE, { message: `other ${CODE_MSG}` })
  other?: string;
  @IsOptional()
  @IsString()
  @MaxLength(500)
  message?: string;
}

export class ParcelDto {
  /** Index set of parcel types (e.g. `ecosystem`). */
  @Matches(CODE, { message: `indexSet ${CODE_MSG}` })
  indexSet!: string;
  /** The variable that is a parcel's area (e.g. `eco_area`). */
  @Matches(CODE, { message: `areaVariable ${CODE_MSG}` })
  areaVariable!: string;
  /** Variables given per parcel. */
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(CODE, { each: true, message: `variables ${CODE_MSG}` })
  variables!: string[];
  /** Indicators computed per parcel. */
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(CODE, { each: true, message: `indicators ${CODE_MSG}` })
  indicators!: string[];
}

export class RegionFiguresDto {
  /** The variable that is a region's ecosystem area (an area unit; items of an index are summed). */
  @IsOptional()
  @Matches(CODE, { message: `area ${CODE_MSG}` })
  area?: string;
  /** The variable that is a region's resident population (人). */
  @IsOptional()
  @Matches(CODE, { message: `population ${CODE_MSG}` })
  population?: string;
  /** The variable that is a region's GDP (a currency). */
  @IsOptional()
  @Matches(CODE, { message: `gdp ${CODE_MSG}` })
  gdp?: string;
}

export class MethodologyContentDto {
  /** A run may be published only with the out-of-region deduction computed (GB/T 46869—2025). */
  @IsOptional()
  @IsBoolean()
  requireOutOfRegionDeduction?: boolean;

  /** The variables per-km², per-capita and GEP/GDP figures read: a region's area, population and GDP. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => RegionFiguresDto)
  regionFigures?: RegionFiguresDto | null;
  /** Parcel-level (地块级) accounting: the indicators computed per parcel and their per-parcel inputs. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => ParcelDto)
  parcel?: ParcelDto | null;
  /** Checks on survey data, run when a form is submitted. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ValidationRuleDto)
  validationRules?: ValidationRuleDto[];
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => IndexSetDto)
  indexSets!: IndexSetDto[];
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ServiceDto)
  services!: ServiceDto[];
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => VariableDto)
  variables!: VariableDto[];
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => ParameterDto)
  parameters!: ParameterDto[];
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => IndicatorDto)
  indicators!: IndicatorDto[];
}

class MethodologyMetadataDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  sourceDocument!: string;
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  description?: string;
}

export class CreateMethodologyDto extends MethodologyMetadataDto {
  /** Standard id, e.g. `ndrc-nbs-2022-trial` (lower case, digits, . and -). */
  @IsStandardId()
  standardId!: string;
  /** Defaults to the next version of this standard. */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
  /** Defaults to an empty methodology. */
  @IsOptional()
  @ValidateNested()
  @Type(() => MethodologyContentDto)
  content?: MethodologyContentDto;
}

export class UpdateMethodologyDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  sourceDocument?: string;
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  description?: string;
  @IsOptional()
  @ValidateNested()
  @Type(() => MethodologyContentDto)
  content?: MethodologyContentDto;
  /** The revision the edit is based on; a stale one gets 409. */
  @IsInt()
  @Min(1)
  revision!: number;
}

/** A methodology package file (`docs/methodology-package.md`). */
export class MethodologyPackageDto extends IntersectionType(
  MethodologyContentDto,
  MethodologyMetadataDto,
) {
  @IsIn(['gep-methodology/1'], {
    message: zhEn('格式应为 gep-methodology/1', 'format must be gep-methodology/1'),
  })
  format!: 'gep-methodology/1';
  @IsStandardId()
  standardId!: string;
  @IsInt()
  @Min(1)
  version!: number;
}

export class MethodologyQuery extends PageQuery {
  @IsOptional()
  @IsStandardId()
  standardId?: string;
  @ApiProperty({ enum: METHODOLOGY_STATUSES, required: false })
  @IsOptional()
  @IsIn(METHODOLOGY_STATUSES)
  status?: MethodologyStatus;
}

export class ImportQuery {
  /** `next`: import as the standard's next version, whatever version the package names. */
  @ApiProperty({ enum: ['next'], required: false })
  @IsOptional()
  @IsIn(['next'], { message: zhEn('version 只能为 next', 'version can only be next') })
  version?: 'next';
}

export class PackageQuery {
  @ApiProperty({ enum: ['json', 'yaml'], required: false })
  @IsOptional()
  @IsIn(['json', 'yaml'])
  format?: 'json' | 'yaml';
}

export class MethodologySummary {
  id!: string;
  standardId!: string;
  version!: number;
  name!: string;
  sourceDocument!: string;
  description!: string | null;
  @ApiProperty({ enum: METHODOLOGY_STATUSES })
  status!: MethodologyStatus;
  revision!: number;
  createdBy!: string | null;
  publishedBy!: string | null;
  publishedAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;
  counts!: { indicators: number; variables: number; parameters: number };
}

export class MethodologyDetail extends MethodologySummary {
  @ApiProperty({ type: MethodologyContentDto })
  content!: MethodologyContentDto;
}

/** What to validate: the stored methodology, or `content` not yet saved (validation as you type). */
export class ValidateMethodologyDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => MethodologyContentDto)
  content?: MethodologyContentDto;
}

export class ValidationReport {
  valid!: boolean;
  problems!: { path: string; message: string }[];
}

export class DiffEntry {
  @ApiProperty({
    enum: ['indexSet', 'service', 'variable', 'parameter', 'indicator', 'validationRule', 'parcel'],
  })
  kind!: DiffEntryKind;
  code!: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed'] })
  change!: 'added' | 'removed' | 'changed';
  /** For changes: each changed field with its old and new value. */
  fields?: { field: string; from: unknown; to: unknown }[];
}

export class MethodologyDiff {
  from!: { id: string; standardId: string; version: number };
  to!: { id: string; standardId: string; version: number };
  changes!: DiffEntry[];
}
