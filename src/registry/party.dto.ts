import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsRegionCode, IsCleanName } from '../common/field-validators';
import { PageQuery } from '../common/pagination';
import { PARTY_KINDS, PartyKind } from './registry-types';

export class CreatePartyDto {
  @ApiProperty({ enum: PARTY_KINDS })
  @IsIn(PARTY_KINDS)
  kind!: PartyKind;

  @IsCleanName()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  /** 统一社会信用代码 or 身份证件号; unique per kind when given. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  idNumber?: string;

  @IsOptional()
  @IsRegionCode()
  regionCode?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class PartyQuery extends PageQuery {
  @IsOptional()
  @IsIn(PARTY_KINDS)
  kind?: PartyKind;

  /** Part of the name. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
