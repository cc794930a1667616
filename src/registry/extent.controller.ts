import { Scoped } from '../auth/region-scope';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Authenticated } from '../auth/access.decorator';
import { CurrentActor } from '../auth/auth-user';
import { IsCalendarDate, IsRegionCode } from '../common/field-validators';
import { Extent, ExtentService } from './extent.service';
import { SignedIn } from '../auth/auth-user';

export class ExtentQuery {
  @IsRegionCode()
  regionCode!: string;

  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

/** Ecosystem extent from the register (its entry as survey data: accounting/survey/extent-submission.ts). */
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
}
