import { IsCleanName } from '../common/field-validators';
import { ApiProperty } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import { REGION_LEVELS, RegionLevel } from './region.entity';
import { zhEn } from '../common/i18n/text';

const CODE = /^\d{6}(\d{3}(\d{3})?)?$/;
const CODE_MESSAGE = zhEn(
  '应为 6、9 或 12 位统计用区划代码',
  'must be a statistical division code of 6, 9 or 12 digits',
);

export class CreateRegionDto {
  /** Statistical division code (统计用区划代码). */
  @Matches(CODE, { message: `code ${CODE_MESSAGE}` })
  code!: string;

  @IsCleanName()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: REGION_LEVELS })
  @IsIn(REGION_LEVELS, {
    message: zhEn(
      `级别应为以下之一：${REGION_LEVELS.join('、')}`,
      `level must be one of ${REGION_LEVELS.join(', ')}`,
    ),
  })
  level!: RegionLevel;

  /** Code of the parent; omitted for a province. */
  @IsOptional()
  @Matches(CODE, { message: `parentCode ${CODE_MESSAGE}` })
  parentCode?: string;
}

export class UpdateRegionDto {
  @IsCleanName()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;
}

/** A region's outline: GeoJSON Polygon or MultiPolygon, WGS 84 longitude/latitude. */
export class SetRegionBoundaryDto {
  @ApiProperty({ description: 'GeoJSON Polygon or MultiPolygon (longitude, latitude)' })
  @IsObject({
    message: zhEn(
      'boundary 应为 GeoJSON 的 Polygon 或 MultiPolygon 对象',
      'boundary must be a GeoJSON Polygon or MultiPolygon object',
    ),
  })
  boundary!: object;

  /** Where the outline comes from, e.g. 第三次全国国土调查县级行政区界线. */
  @IsString()
  @IsNotEmpty({
    message: zhEn('source 应说明界线的来源', 'source must say where the outline comes from'),
  })
  @MaxLength(500)
  source!: string;
}

export class RegionBoundaryResponse {
  regionCode!: string;
  name!: string;
  boundary!: object;
  source!: string;
  updatedAt!: Date;
}

export class RegionQuery extends PageQuery {
  @ApiProperty({ enum: REGION_LEVELS, required: false })
  @IsOptional()
  @IsIn(REGION_LEVELS)
  level?: RegionLevel;

  /** Direct children of this region. */
  @IsOptional()
  @Matches(CODE, { message: `parentCode ${CODE_MESSAGE}` })
  parentCode?: string;

  /** This region and everything below it. */
  @IsOptional()
  @Matches(CODE, { message: `within ${CODE_MESSAGE}` })
  within?: string;

  /** Part of the name. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class RegionResponse {
  code!: string;
  name!: string;
  @ApiProperty({ enum: REGION_LEVELS })
  level!: RegionLevel;
  parentCode!: string | null;
  /** Ancestors from the top, as codes: `360000.361100.361130`. */
  path!: string;
  createdAt!: Date;
  updatedAt!: Date;
}
