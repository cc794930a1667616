import { Scoped } from '../auth/region-scope';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentActor } from '../auth/auth-user';
import {
  IsAccountingYear,
  IsCalendarDate,
  IsRegionCode,
  IsStandardId,
} from '../common/field-validators';
import { Extent, ExtentService, ExtentSubmission } from './extent.service';
import { SignedIn } from '../auth/auth-user';

export class ExtentQuery {
  @IsRegionCode()
  regionCode!: string;

  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class SubmitExtentDto {
  /** The methodology whose `eco_area` (indexed by ecosystem type) receives the areas. */
  @IsStandardId()
  standardId!: string;

  @IsRegionCode()
  regionCode!: string;

  @IsAccountingYear()
  year!: number;

  /** Reference date of the register read; default 31 December of the year. */
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

/** Ecosystem extent from the register, and its entry as survey data for a GEP year. */
@ApiTags('registry')
@Controller('registry/extent')
export class ExtentController {
  constructor(private readonly extent: ExtentService) {}

  /** Area by ecosystem type, forest stock and wetland vegetation of the units registered in a region on a date. */
  @Scoped.query('regionCode')
  @Get()
  @Authenticated()
  get(@CurrentActor() actor: SignedIn, @Query() q: ExtentQuery): Promise<Extent> {
    return this.extent.extent(actor.user, q.regionCode, q.asOf);
  }

  /**
   * Enters the extent as `eco_area` (hm², by ecosystem type) in the region's form of the reporting
   * department for the year, citing the register; the form then goes through review as usual.
   */
  @Scoped.body('regionCode')
  @Post('survey-data')
  @Roles('statistician', 'registry_clerk', 'admin')
  @HttpCode(200)
  submit(@CurrentActor() actor: SignedIn, @Body() dto: SubmitExtentDto): Promise<ExtentSubmission> {
    return this.extent.submit(actor, dto);
  }
}
