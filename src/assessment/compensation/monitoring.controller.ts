import { Scoped } from '../../auth/region-scope';
import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { Page } from '../../common/pagination';
import { COMPENSATION_READERS } from './compensation-schemes.controller';
import {
  CreateSectionDto,
  MonitoringValueResponse,
  PutValuesDto,
  SectionQuery,
  SectionResponse,
  ValuesQuery,
} from './monitoring.dto';
import { MonitoringValue } from './monitoring.entity';
import { MonitoringService } from './monitoring.service';

const valueView = (v: MonitoringValue): MonitoringValueResponse => ({
  ...v,
  concentration: v.concentration?.toString() ?? null,
  inflow: v.inflow?.toString() ?? null,
});

/**
 * Cross-boundary water-quality monitoring sections (跨界考核断面) and their monthly readings, which
 * cross-section compensation agreements settle on. Finance keeps them (from the environment
 * bureau's monitoring reports, named in each reading's source).
 */
@ApiTags('compensation')
@Controller('assessment/compensation/sections')
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @Scoped.none(
    'a cross-section agreement joins two regions; its terms are readable by every finance reader',
  )
  @Get()
  @Roles(...COMPENSATION_READERS)
  list(@Query() q: SectionQuery): Promise<Page<SectionResponse>> {
    return this.monitoring.list(q);
  }

  @Scoped.inService('the upstream or downstream region')
  @Post()
  @Roles('finance', 'admin')
  create(@CurrentActor() actor: SignedIn, @Body() dto: CreateSectionDto): Promise<SectionResponse> {
    return this.monitoring.create(actor, dto);
  }

  /** Readings of a section (mg/L), by year if given. */
  @Scoped.object('code', 'monitoring_section')
  @Get(':code/values')
  @Roles(...COMPENSATION_READERS)
  async values(
    @Param('code') code: string,
    @Query() q: ValuesQuery,
  ): Promise<MonitoringValueResponse[]> {
    return (await this.monitoring.values(code, q.year)).map(valueView);
  }

  /** Enters or corrects readings, all or none; answers how many were new, changed or the same. */
  @Scoped.object('code', 'monitoring_section')
  @Put(':code/values')
  @Roles('finance', 'admin')
  put(
    @CurrentActor() actor: SignedIn,
    @Param('code') code: string,
    @Body() dto: PutValuesDto,
  ): Promise<{ inserted: number; updated: number; unchanged: number }> {
    return this.monitoring.put(actor, code, dto.values);
  }
}
