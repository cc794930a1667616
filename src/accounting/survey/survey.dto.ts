import { IsAccountingYear, IsRegionCode, IsStandardId } from '../../common/field-validators';
import { ApiProperty } from '@nestjs/swagger';
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
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { FORM_STATUSES, FormStatus } from './survey-form.entity';
import { zhEn } from '../../common/i18n/text';

export class CreateFormDto {
  @IsStandardId()
  standardId!: string;
  /** The reporting department, as named on the methodology's variables (林业局, 水利局…). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  department!: string;
  @IsRegionCode()
  regionCode!: string;
  @IsAccountingYear()
  year!: number;
}

/** Opens a year's forms for every township of a region and every reporting department at once. */
export class OpenYearDto {
  @IsStandardId()
  standardId!: string;
  /** A county (its townships get forms) or one township. */
  @IsRegionCode()
  regionCode!: string;
  @IsAccountingYear()
  year!: number;
  /** Only these departments (default: every department that reports a variable). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  departments?: string[];
}

export class OpenYearResponse {
  /** Forms opened now, as drafts. */
  created!: number;
  /** Forms that were there already (left as they are). */
  existing!: number;
  /** The townships and departments covered. */
  regions!: { code: string; name: string }[];
  departments!: string[];
}

export class ValueEntryDto {
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, {
    message: zhEn('变量应为变量代码', 'variable must be a variable code'),
  })
  variable!: string;
  /** Index item (e.g. an ecosystem type) for an indexed variable. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  item?: string;
  /** Decimal string; null = not reported (zero is an explicit value). */
  @ApiProperty({ type: 'string', nullable: true, example: '1234.5' })
  @ValidateIf((_, v) => v !== null)
  @IsString({
    message: zhEn(
      '数值应为十进制数字符串，未填报请填 null',
      'value must be a decimal string or null (not reported)',
    ),
  })
  @MaxLength(60)
  value!: string | null;
  /** Defaults to the variable's unit; any compatible unit is converted (亿m³ for m³). */
  @IsOptional()
  @IsString()
  @MaxLength(50)
  unit?: string;
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  source?: string;
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class SaveValuesDto {
  /** The form revision the edit is based on. */
  @IsInt()
  @Min(1)
  revision!: number;
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => ValueEntryDto)
  values!: ValueEntryDto[];
}

export class RevisionDto {
  @IsInt()
  @Min(1)
  revision!: number;
}

export class SubmitFormDto extends RevisionDto {
  /** An explanation for each warning the validation rules raise, keyed by rule code. */
  @IsOptional()
  @IsObject()
  explanations?: Record<string, string>;
}

export class CheckResponse {
  rule!: string;
  severity!: 'error' | 'warning';
  variable!: string;
  message!: string;
}

export class ReturnFormDto extends RevisionDto {
  /** What the statistician must fix. */
  @IsString()
  @IsNotEmpty({ message: zhEn('意见应说明需要修改什么', 'comment should say what must be fixed') })
  @MaxLength(4000)
  comment!: string;
}

export class CorrectFormDto extends RevisionDto {
  /** Why approved data must change. */
  @IsString()
  @IsNotEmpty({
    message: zhEn(
      '理由应说明为何要修改已审核的数据',
      'reason should say why approved data must change',
    ),
  })
  @MaxLength(4000)
  reason!: string;
}

export class FormQuery extends PageQuery {
  @IsOptional()
  @IsStandardId()
  standardId?: string;
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
  @IsOptional()
  @Type(() => Number)
  @IsAccountingYear()
  year?: number;
  @ApiProperty({ enum: FORM_STATUSES, required: false })
  @IsOptional()
  @IsIn(FORM_STATUSES)
  status?: FormStatus;
}

export class FormResponse {
  id!: string;
  standardId!: string;
  department!: string;
  regionCode!: string;
  year!: number;
  @ApiProperty({ enum: FORM_STATUSES })
  status!: FormStatus;
  comment!: string | null;
  corrections!: number;
  submittedBy!: string | null;
  submittedAt!: Date | null;
  reviewedBy!: string | null;
  reviewedAt!: Date | null;
  createdBy!: string | null;
  revision!: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export class FormDetail {
  form!: FormResponse;
  /** The variables the form asks for: code, names, unit, index items. */
  variables!: {
    code: string;
    nameZh: string;
    unit: string;
    index?: string | null;
    items?: { code: string; name: string }[];
  }[];
  values!: {
    variable: string;
    item: string;
    value: string | null;
    unit: string;
    source: string | null;
    note: string | null;
    updatedBy: string | null;
    updatedAt: Date;
  }[];
}

export class CsvLoadResponse {
  /** Data lines read. */
  rows!: number;
  /** Forms the file touches. */
  forms!: number;
  /** Forms opened by the load. */
  formsCreated!: number;
  /** Values written (unchanged ones are skipped). */
  valuesChanged!: number;
}
