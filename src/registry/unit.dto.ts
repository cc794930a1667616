import { ApiProperty, IntersectionType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsQuantity, IsRegionCode, IsCleanName } from '../common/field-validators';
import { BoundaryProperty, ChangeEntryDto, EntryDto } from './registry-common.dto';
import {
  LINK_KINDS,
  LinkKind,
  OWNER_MODELS,
  OwnerModel,
  UNIT_STATUSES,
  UNIT_TYPES,
  UnitStatus,
  UnitType,
} from './registry-types';
import { PageQuery } from '../common/pagination';
import { zhEn } from '../common/i18n/text';

/** 所有权状况: 全民所有 (state) with its exercisers, or 集体所有 (collective) with the collective. */
export class OwnershipDto {
  @ApiProperty({ enum: OWNER_MODELS })
  @IsIn(OWNER_MODELS)
  model!: OwnerModel;

  /** 集体所有: the collective (a party of kind collective). */
  @ValidateIf((o: OwnershipDto) => o.model === 'collective')
  @IsUUID('all', {
    message: zhEn(
      '集体所有时，collectivePartyId 应为集体经济组织（权利人编号）',
      'collectivePartyId must name the collective owner (a party id) when model is collective',
    ),
  })
  collectivePartyId?: string;

  /** 全民所有: 所有权代表行使主体, e.g. 自然资源部. */
  @ValidateIf((o: OwnershipDto) => o.model === 'state')
  @IsString({
    message: zhEn(
      '全民所有时应填写 representative（代表行使主体）',
      'representative (代表行使主体) is required when model is state',
    ),
  })
  @IsNotEmpty()
  @MaxLength(200)
  representative?: string;

  /** 所有权代理行使主体, e.g. 江西省人民政府. */
  @IsOptional() @IsString() @MaxLength(200) proxy?: string;

  /** 日常管理主体. */
  @IsOptional() @IsString() @MaxLength(200) manager?: string;

  /** 权利行使方式 */
  @IsOptional() @IsString() @MaxLength(2000) exerciseMode?: string;

  /** 行使内容 */
  @IsOptional() @IsString() @MaxLength(2000) exerciseContent?: string;
}

export class FourBoundsDto {
  @IsOptional() @IsString() @MaxLength(200) east?: string;
  @IsOptional() @IsString() @MaxLength(200) south?: string;
  @IsOptional() @IsString() @MaxLength(200) west?: string;
  @IsOptional() @IsString() @MaxLength(200) north?: string;
}

export class ControlsDto {
  /** 生态保护红线 area inside the unit, hm². */
  @IsOptional() @IsQuantity('hm²') redLineAreaHa?: string;
  /** 核心保护区 / 一般控制区… */
  @IsOptional() @IsString() @MaxLength(200) protectedAreaZone?: string;
  /** 国土空间规划用途 */
  @IsOptional() @IsString() @MaxLength(200) plannedUse?: string;
  /** 特殊保护要求 */
  @IsOptional() @IsString() @MaxLength(2000) specialRules?: string;
}

export class LinkDto {
  @ApiProperty({ enum: LINK_KINDS })
  @IsIn(LINK_KINDS)
  kind!: LinkKind;

  /** The certificate, permit or right number. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reference!: string;

  @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

/** What the register says about a unit (自然状况, 权属状况, 关联信息). */
export class UnitAttributesDto {
  @IsCleanName()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @BoundaryProperty()
  @IsObject({
    message: zhEn(
      '边界应为 GeoJSON Polygon 或 MultiPolygon 对象',
      'boundary must be a GeoJSON Polygon or MultiPolygon object',
    ),
  })
  boundary!: object;

  @IsObject({
    message: zhEn('ownership 必填，应为对象', 'ownership is required and must be an object'),
  })
  @ValidateNested()
  @Type(() => OwnershipDto)
  ownership!: OwnershipDto;

  /** 国有面积, hm² */
  @IsOptional() @IsQuantity('hm²') stateAreaHa?: string;
  /** 集体面积, hm² */
  @IsOptional() @IsQuantity('hm²') collectiveAreaHa?: string;
  /** 争议区面积, hm² */
  @IsOptional() @IsQuantity('hm²') disputedAreaHa?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => FourBoundsDto)
  fourBounds?: FourBoundsDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => ControlsDto)
  controls?: ControlsDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => LinkDto)
  links?: LinkDto[];

  /** 附记 */
  @IsOptional() @IsString() @MaxLength(4000) remarks?: string;
}

/** Pre-delimits a unit (预划登记单元): the first step of first registration. */
export class CreateUnitDto extends UnitAttributesDto {
  /** The county or township the unit lies in; the code starts with its county code. */
  @IsRegionCode()
  regionCode!: string;

  @ApiProperty({ enum: UNIT_TYPES })
  @IsIn(UNIT_TYPES)
  unitType!: UnitType;

  @IsOptional() @IsCalendarDate() date?: string;
}

export class ChangeUnitDto extends IntersectionType(
  PartialType(UnitAttributesDto),
  ChangeEntryDto,
) {}

export class CancelUnitDto extends EntryDto {
  @IsString()
  @IsNotEmpty({
    message: zhEn('应填写 reason（注销原因）', 'reason (注销原因) is required'),
  })
  @MaxLength(2000)
  declare reason: string;
}

export class UnitListQuery extends PageQuery {
  @IsOptional() @IsRegionCode() regionCode?: string;
  @IsOptional() @IsIn(UNIT_TYPES) unitType?: UnitType;
  @IsOptional() @IsIn(UNIT_STATUSES) status?: UnitStatus;
  /** Part of the name or code. */
  @IsOptional() @IsString() @MaxLength(100) q?: string;
  @IsOptional() @IsCalendarDate() asOf?: string;
  /** `boundary`: each unit with its boundary on that date (GeoJSON), for drawing the page on a map. */
  @ApiProperty({ enum: ['boundary'], required: false })
  @IsOptional()
  @IsIn(['boundary'])
  include?: 'boundary';
}

/* Workflow steps */

export class NoticeDto extends EntryDto {}

export class SurveyDoneDto extends EntryDto {}

export class ReviewDto extends EntryDto {
  @ApiProperty({ enum: ['approve', 'return'] })
  @IsIn(['approve', 'return'])
  decision!: 'approve' | 'return';

  @ValidateIf((o: ReviewDto) => o.decision === 'return')
  @IsString()
  @IsNotEmpty({
    message: zhEn('意见应说明调查需要修改什么', 'comment should say what the survey must fix'),
  })
  @MaxLength(4000)
  comment?: string;
}

export class PublicNoticeDto extends EntryDto {
  /** Objection period in working days (Mon–Fri) after the notice date; default 15. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  workingDays?: number;
}

export class ObjectionDto extends EntryDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  objector!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content!: string;
}

export class ResolveObjectionDto extends EntryDto {
  @ApiProperty({ enum: ['upheld', 'dismissed'] })
  @IsIn(['upheld', 'dismissed'])
  decision!: 'upheld' | 'dismissed';

  @IsString()
  @IsNotEmpty({
    message: zhEn(
      'resolution 应写明处理结论（异议处理告知书）',
      'resolution should state the finding (异议处理告知书)',
    ),
  })
  @MaxLength(4000)
  resolution!: string;
}

export class RegisterDto extends EntryDto {
  /** 自然资源产权证号, if a certificate is issued. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  certificateNumber?: string;
}
