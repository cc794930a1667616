import { zhEn } from '../common/i18n/text';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../common/field-validators';
import { PageQuery } from '../common/pagination';

/** The document behind an entry: notice, contract, certificate, decision. */
export class DocumentDto {
  /** e.g. 首次登记通告, 林权流转合同, 抵押合同, 不动产权证书 */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  type!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  number?: string;

  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  issuer?: string;
}

/** What every ledger-writing request carries: when it takes effect, why, on what document. */
export class EntryDto {
  /** Effective date (default: today in China). Not earlier than the unit's latest entry. */
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => DocumentDto)
  document?: DocumentDto;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

/** A GeoJSON Polygon or MultiPolygon (longitude, latitude; WGS84/CGCS2000), checked in full by the service. */
export const BoundaryProperty = (): PropertyDecorator =>
  ApiProperty({
    type: 'object',
    additionalProperties: {},
    example: {
      type: 'Polygon',
      coordinates: [
        [
          [117.8, 29.2],
          [117.81, 29.2],
          [117.81, 29.21],
          [117.8, 29.21],
          [117.8, 29.2],
        ],
      ],
    },
  });

export class AsOfQuery {
  /** Read the state on this date (default: today in China). */
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class AsOfPageQuery extends PageQuery {
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

/** A 变更 (the facts changed) or 更正 (the register was wrong) of a unit or a resource. */
export class ChangeEntryDto {
  @ApiProperty({ enum: ['change', 'correction'] })
  @IsIn(['change', 'correction'])
  kind!: 'change' | 'correction';

  @IsOptional() @IsCalendarDate() date?: string;

  @IsString()
  @IsNotEmpty({
    message: zhEn(
      'reason（登记原因）应说明变更了什么或更正了什么错误',
      'reason (登记原因) should say what changed or what was wrong',
    ),
  })
  @MaxLength(2000)
  reason!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => DocumentDto)
  document?: DocumentDto;
}
