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
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { IsCalendarDate, IsQuantity, IsYuan } from '../common/field-validators';
import { PageQuery } from '../common/pagination';
import { DocumentDto } from './registry-common.dto';
import { RIGHT_TYPES, RightType, TRANSFER_KINDS, TransferKind } from './registry-types';
import { zhEn } from '../common/i18n/text';

const SHARE = /^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/;

export class HolderDto {
  @IsUUID()
  partyId!: string;

  /** Percent (0–100, up to 4 decimals); default 100. */
  @IsOptional()
  @Matches(SHARE, {
    message: zhEn(
      '份额应为 0 至 100 之间的百分数（十进制数字符串），例如 “50”',
      'share must be a percentage between 0 and 100 as a decimal string, e.g. "50"',
    ),
  })
  share?: string;
}

/** Registers a right over a resource: a grant, a lease, a mortgage or custody of another right. */
export class GrantRightDto {
  @IsUUID()
  resourceId!: string;

  @ApiProperty({ enum: RIGHT_TYPES })
  @IsIn(RIGHT_TYPES)
  rightType!: RightType;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => HolderDto)
  holders!: HolderDto[];

  /** The right takes effect on this date (default today); not before the unit's latest entry. */
  @IsOptional() @IsCalendarDate() date?: string;

  /** End of the term (exclusive); none for a right without term. An encumbrance defaults to its base's end. */
  @IsOptional() @IsCalendarDate() endDate?: string;

  /** Mortgage, lease, custody: the right they encumber. */
  @IsOptional() @IsUUID() encumbersRightId?: string;

  /** Wetland offset credit: its area, hm². */
  @IsOptional() @IsQuantity('hm²') areaHa?: string;

  /** Price or consideration, 元. */
  @IsOptional() @IsYuan() priceYuan?: string;

  @IsObject({
    message: zhEn('document 必填，应为对象', 'document is required and must be an object'),
  })
  @ValidateNested()
  @Type(() => DocumentDto)
  document!: DocumentDto;

  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

/** Hands a right on: 转让 (transfer), 赎买 (buy-back by the state) or 入股 (equity contribution). */
export class TransferRightDto {
  @ApiProperty({ enum: TRANSFER_KINDS })
  @IsIn(TRANSFER_KINDS)
  kind!: TransferKind;

  @IsUUID()
  fromPartyId!: string;

  @IsUUID()
  toPartyId!: string;

  /** The share handed on, percent; default the seller's whole share. */
  @IsOptional()
  @Matches(SHARE, {
    message: zhEn(
      '份额应为 0 至 100 之间的百分数（十进制数字符串）',
      'share must be a percentage between 0 and 100 as a decimal string',
    ),
  })
  share?: string;

  @IsOptional() @IsCalendarDate() date?: string;

  @IsOptional() @IsYuan() priceYuan?: string;

  @IsObject({
    message: zhEn('document 必填，应为对象', 'document is required and must be an object'),
  })
  @ValidateNested()
  @Type(() => DocumentDto)
  document!: DocumentDto;

  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

/** Ends a right early: releases a mortgage (解押) or ends any other right (termination, surrender). */
export class EndRightDto {
  @ApiProperty({ enum: ['release', 'end'] })
  @IsIn(['release', 'end'])
  kind!: 'release' | 'end';

  @IsOptional() @IsCalendarDate() date?: string;

  @IsString()
  @IsNotEmpty({ message: zhEn('理由应说明权利为何终止', 'reason should say why the right ends') })
  @MaxLength(2000)
  reason!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => DocumentDto)
  document?: DocumentDto;
}

export class RightQuery extends PageQuery {
  @IsOptional() @IsUUID() resourceId?: string;
  @IsOptional() @IsUUID() unitId?: string;
  @IsOptional() @IsUUID() partyId?: string;
  @IsOptional() @IsIn(RIGHT_TYPES) rightType?: RightType;
  /** Rights live on this date; omit for all rights, live or ended. */
  @IsOptional() @IsCalendarDate() asOf?: string;
}
