import { Scoped } from '../auth/region-scope';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentActor, SignedIn } from '../auth/auth-user';
import { Page } from '../common/pagination';
import {
  CreateRegionDto,
  RegionBoundaryResponse,
  RegionQuery,
  RegionResponse,
  SetRegionBoundaryDto,
  UpdateRegionDto,
} from './region.dto';
import { RegionsService } from './regions.service';

@ApiTags('regions')
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  /** Administrative divisions, by code; filter by level, parent, subtree or name. */
  @Scoped.none('administrative divisions are public reference data')
  @Get()
  @Authenticated()
  list(@Query() q: RegionQuery): Promise<Page<RegionResponse>> {
    return this.regions.list(
      { level: q.level, parentCode: q.parentCode, within: q.within, nameContains: q.q },
      q,
    );
  }

  @Scoped.none('administrative divisions are public reference data')
  @Get(':code')
  @Authenticated()
  get(@Param('code') code: string): Promise<RegionResponse> {
    return this.regions.get(code);
  }

  /** The region and its ancestors, from the province down. */
  @Scoped.none('administrative divisions are public reference data')
  @Get(':code/lineage')
  @Authenticated()
  lineage(@Param('code') code: string): Promise<RegionResponse[]> {
    return this.regions.lineage(code);
  }

  /** The region's outline (行政区界线), for maps; 404 when none has been entered. */
  @Scoped.none('administrative divisions are public reference data')
  @Get(':code/boundary')
  @Authenticated()
  boundary(@Param('code') code: string): Promise<RegionBoundaryResponse> {
    return this.regions.boundary(code);
  }

  /** Enters or replaces the region's outline: GeoJSON Polygon/MultiPolygon with its source. */
  @Scoped.object('code', 'region')
  @Put(':code/boundary')
  @Roles('admin')
  setBoundary(
    @CurrentActor() actor: SignedIn,
    @Param('code') code: string,
    @Body() dto: SetRegionBoundaryDto,
  ): Promise<RegionBoundaryResponse> {
    return this.regions.setBoundary(actor, code, dto);
  }

  @Scoped.body('parentCode')
  @Post()
  @Roles('admin')
  create(@CurrentActor() actor: SignedIn, @Body() dto: CreateRegionDto): Promise<RegionResponse> {
    return this.regions.create(actor, dto);
  }

  /** Renames a region. Codes, levels and parents are fixed: delete and recreate to move. */
  @Scoped.object('code', 'region')
  @Patch(':code')
  @Roles('admin')
  update(
    @CurrentActor() actor: SignedIn,
    @Param('code') code: string,
    @Body() dto: UpdateRegionDto,
  ): Promise<RegionResponse> {
    return this.regions.rename(actor, code, dto.name);
  }

  @Scoped.object('code', 'region')
  @Delete(':code')
  @Roles('admin')
  @HttpCode(204)
  remove(@CurrentActor() actor: SignedIn, @Param('code') code: string): Promise<void> {
    return this.regions.remove(actor, code);
  }
}
