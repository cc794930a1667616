import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsQuantity } from '../common/field-validators';
import { BoundaryProperty, ChangeEntryDto, DocumentDto, EntryDto } from './registry-common.dto';
import { ECOSYSTEM_TYPES, EcosystemType, RESOURCE_TYPES, ResourceType } from './registry-types';
import { zhEn } from '../common/i18n/text';

/** What the register records of a resource (natural status, per-type fields). */
export class ResourceAttributesDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  /** Ecosystem type, as the `ecosystem` index of the national methodology. */
  @ApiProperty({ enum: ECOSYSTEM_TYPES })
  @IsIn(ECOSYSTEM_TYPES)
  ecosystemType!: EcosystemType;

  /** Area from the cadastral survey, hm² (> 0). */
  @IsQuantity('hm²')
  areaHa!: string;

  @IsOptional() @IsQuantity('hm²') stateAreaHa?: string;
  @IsOptional() @IsQuantity('hm²') collectiveAreaHa?: string;
  @IsOptional() @IsQuantity('hm²') disputedAreaHa?: string;

  /** 包含图斑数量 */
  @IsOptional()
  @IsInt()
  @Min(0)
  patchCount?: number;

  /** Optional GeoJSON Polygon/MultiPolygon; must lie inside the unit's boundary. */
  @BoundaryProperty()
  @IsOptional()
  @IsObject({
    message: zhEn(
      '几何应为 GeoJSON Polygon 或 MultiPolygon 对象',
      'geometry must be a GeoJSON Polygon or MultiPolygon object',
    ),
  })
  geometry?: object;

  /** Per-type register fields (see `resource-attributes.ts`; e.g. forest: totalStockM3, forestCategory). */
  @ApiPropertyOptional({ type: 'object', additionalProperties: {} })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

export class AddResourceDto extends ResourceAttributesDto {
  @ApiProperty({ enum: RESOURCE_TYPES })
  @IsIn(RESOURCE_TYPES)
  resourceType!: ResourceType;

  @IsOptional() @IsCalendarDate() date?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => DocumentDto)
  document?: DocumentDto;
}

export class ChangeResourceDto extends IntersectionType(
  PartialType(ResourceAttributesDto),
  ChangeEntryDto,
) {}

export class SplitPartDto extends PartialType(ResourceAttributesDto) {
  /** The part's area, hm²; the parts add up to the resource's area exactly. */
  @IsQuantity('hm²')
  declare areaHa: string;
}

/** 分割: the resource ends and its parts begin; areas are conserved; rights carry over to each part. */
export class SplitResourceDto extends EntryDto {
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SplitPartDto)
  parts!: SplitPartDto[];
}

/** 合并: resources of one unit and type become one, with their summed area. */
export class MergeResourcesDto extends EntryDto {
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  resourceIds!: string[];

  @IsOptional() @IsString() @MaxLength(200) name?: string;

  @IsOptional()
  @IsIn(ECOSYSTEM_TYPES)
  ecosystemType?: EcosystemType;

  @BoundaryProperty()
  @IsOptional()
  @IsObject()
  geometry?: object;

  @ApiPropertyOptional({ type: 'object', additionalProperties: {} })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}
