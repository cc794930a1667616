import { Scoped } from '../../auth/region-scope';
import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { Page } from '../../common/pagination';
import { COMPENSATION_READERS } from './compensation-schemes.controller';
import { ForestAreaRow } from './forest-area.entity';
import { ForestAreaQuery, ForestAreaResponse, PutForestAreasDto } from './forest-areas.dto';
import { ForestAreasService } from './forest-areas.service';

const view = (r: ForestAreaRow): ForestAreaResponse => ({ ...r, areaMu: r.areaMu.toString() });

/** Public-welfare forest areas (公益林面积, 亩) that forest compensation schemes pay on. */
@ApiTags('compensation')
@Controller('assessment/compensation/forest-areas')
export class ForestAreasController {
  constructor(private readonly areas: ForestAreasService) {}

  @Scoped.list()
  @Get()
  @Roles(...COMPENSATION_READERS)
  async list(
    @CurrentActor() actor: SignedIn,
    @Query() q: ForestAreaQuery,
  ): Promise<Page<ForestAreaResponse>> {
    const page = await this.areas.list(actor.user, q, q);
    return { ...page, items: page.items.map(view) };
  }

  /** Enters or corrects areas, all or none; answers how many were new, changed or the same. */
  @Scoped.inService('the region of every area')
  @Put()
  @Roles('finance', 'admin')
  put(
    @CurrentActor() actor: SignedIn,
    @Body() dto: PutForestAreasDto,
  ): Promise<{ inserted: number; updated: number; unchanged: number }> {
    return this.areas.put(actor, dto.values);
  }
}
