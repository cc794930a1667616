import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsAccountingYear, IsRegionCode } from '../../common/field-validators';
import { PageQuery } from '../../common/pagination';
import {
  FOREST_LEVELS,
  FOREST_OWNERSHIPS,
  ForestLevel,
  ForestOwnership,
} from './forest-compensation';
import { zhEn } from '../../common/i18n/text';

export const ZONE = /^[a-z][a-z0-9_]{0,31}$/;

export class ForestAreaDto {
  @IsRegionCode()
  regionCode!: string;
  @IsAccountingYear()
  year!: number;
  @ApiProperty({ enum: FOREST_LEVELS })
  @IsIn(FOREST_LEVELS, {
    message: zhEn(
      `公益林级别应为以下之一：${FOREST_LEVELS.join('、')}`,
      `forestLevel must be one of ${FOREST_LEVELS.join(', ')}`,
    ),
  })
  forestLevel!: ForestLevel;
  @ApiProperty({ enum: FOREST_OWNERSHIPS })
  @IsIn(FOREST_OWNERSHIPS, {
    message: zhEn(
      `权属应为以下之一：${FOREST_OWNERSHIPS.join('、')}`,
      `ownership must be one of ${FOREST_OWNERSHIPS.join(', ')}`,
    ),
  })
  ownership!: ForestOwnership;
  /** Zone class, e.g. general, source_county, reserve (default general). */
  @IsOptional()
  @Matches(ZONE, {
    message: zhEn(
      '区划代码应为小写字母、数字和 _（不超过 32 个字符）',
      'zone must be lower case letters, digits and _ (≤ 32)',
    ),
  })
  zone?: string;
  /** 亩, above 0. */
  @Matches(/^\d{1,12}(\.\d{1,6})?$/, {
    message: zhEn(
      'areaMu 应为以亩计的十进制数字，如 1200.5',
      'areaMu must be 亩 as a decimal string',
    ),
  })
  areaMu!: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  source!: string;
}

export class PutForestAreasDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => ForestAreaDto)
  values!: ForestAreaDto[];
}

export class ForestAreaQuery extends PageQuery {
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
  @IsOptional()
  @Type(() => Number)
  @IsAccountingYear()
  year?: number;
}

export class ForestAreaResponse {
  regionCode!: string;
  year!: number;
  forestLevel!: string;
  ownership!: string;
  zone!: string;
  areaMu!: string;
  source!: string;
  enteredBy!: string | null;
  updatedAt!: Date;
}
