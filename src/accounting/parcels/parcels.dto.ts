import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsAccountingYear, IsRegionCode, IsStandardId } from '../../common/field-validators';
import { PageQuery } from '../../common/pagination';
import { zhEn } from '../../common/i18n/text';

const CODE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Query of `POST /parcels/imports`; the body is the CSV or GeoJSON file. */
export class ParcelImportQuery {
  /** The county (6-digit division code) the parcels lie in. */
  @IsRegionCode()
  regionCode!: string;

  @Type(() => Number)
  @IsAccountingYear()
  year!: number;

  /** Published methodology whose parcel model the file's inputs follow. */
  @IsStandardId()
  standardId!: string;

  /** Its version (the newest published when omitted). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;

  /** A name for the set, e.g. 婺源县 2024 年度国土变更调查图斑. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;
}

export class ParcelSetQuery extends PageQuery {
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;

  @IsOptional()
  @Type(() => Number)
  @IsAccountingYear()
  year?: number;
}

export class ParcelQuery extends PageQuery {
  @IsOptional()
  @IsRegionCode()
  townshipCode?: string;

  @IsOptional()
  @Matches(CODE, { message: zhEn('生态系统应为类型代码', 'ecosystem must be a type code') })
  ecosystem?: string;
}

export class ParcelPointsQuery {
  @IsOptional()
  @IsRegionCode()
  townshipCode?: string;

  /** At most this many points (an even sample beyond it); 1–50,000, default 5,000. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: zhEn('limit 应为整数', 'limit must be an integer') })
  @Min(1, { message: zhEn('limit 至少为 1', 'limit must be at least 1') })
  @Max(50000, { message: zhEn('limit 至多为 50000', 'limit must be at most 50000') })
  limit?: number;
}

export class StartParcelRunDto {
  @IsUUID('4')
  setId!: string;
}

export class ParcelRunQuery extends PageQuery {
  @IsOptional()
  @IsUUID('4')
  setId?: string;

  @IsOptional()
  @IsRegionCode()
  regionCode?: string;

  @IsOptional()
  @Type(() => Number)
  @IsAccountingYear()
  year?: number;
}

export class AggregateQuery {
  /** A township of the run's county, or the county itself. */
  @IsOptional()
  @IsRegionCode()
  areaCode?: string;

  @IsOptional()
  @Matches(CODE, {
    message: zhEn('indicatorCode 应为指标代码', 'indicatorCode must be an indicator code'),
  })
  indicatorCode?: string;
}

export class ScenarioDto {
  /** The parcels' type after the change, e.g. `urban` (城镇, construction land). */
  @Matches(CODE, { message: zhEn('生态系统应为类型代码', 'ecosystem must be a type code') })
  ecosystem!: string;

  /**
   * Per-parcel inputs after the change, as decimal strings in each variable's declared unit
   * (e.g. `{"rusle_c": "1", "carbon_fixed": "0"}`); inputs not named keep the parcel's values.
   */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  inputs?: Record<string, string>;
}

/** A planned project: its parcels (by id, or those whose centroid lies in a polygon) and the land-cover change. */
export class ProjectEvaluationDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100_000)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  parcelIds?: string[];

  /** GeoJSON Polygon or MultiPolygon (lon/lat); parcels whose centroid lies inside are selected. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  polygon?: Record<string, unknown>;

  @IsObject({
    message: zhEn('scenario 必填，应为对象', 'scenario is required and must be an object'),
  })
  @ValidateNested()
  @Type(() => ScenarioDto)
  scenario!: ScenarioDto;
}
