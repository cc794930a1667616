import { Scoped } from '../auth/region-scope';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentActor } from '../auth/auth-user';
import { uuidParam } from '../common/uuid-param';
import { SignedIn } from '../auth/auth-user';
import { AsOfQuery } from './registry-common.dto';
import { ResourceView } from './registry-views';
import { ChangeResourceDto, MergeResourcesDto, SplitResourceDto } from './resource.dto';
import { ResourcesService } from './resources.service';
import { REGISTRY_CLERKS } from './units.controller';

const resourceId = uuidParam('resource');

/** Resources inside units: read as of a date, change or correct, split and merge. */
@ApiTags('registry')
@Controller('registry/resources')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  /** 合并: resources of one unit and type, without live rights, become one; areas add up. */
  @Scoped.inService('the unit of every merged resource')
  @Post('merge')
  @Roles(...REGISTRY_CLERKS)
  merge(@CurrentActor() actor: SignedIn, @Body() dto: MergeResourcesDto): Promise<ResourceView> {
    return this.resources.merge(actor, dto);
  }

  @Scoped.object('id', 'registry_resource')
  @Get(':id')
  @Authenticated()
  get(
    @CurrentActor() actor: SignedIn,
    @Param('id', resourceId) id: string,
    @Query() q: AsOfQuery,
  ): Promise<ResourceView> {
    return this.resources.get(actor.user, id, q.asOf);
  }

  @Scoped.object('id', 'registry_resource')
  @Post(':id/changes')
  @Roles(...REGISTRY_CLERKS)
  @HttpCode(200)
  change(
    @CurrentActor() actor: SignedIn,
    @Param('id', resourceId) id: string,
    @Body() dto: ChangeResourceDto,
  ): Promise<ResourceView> {
    return this.resources.change(actor, id, dto);
  }

  /** 分割: the parts' areas must add up to the resource's exactly; live rights carry over to each part. */
  @Scoped.object('id', 'registry_resource')
  @Post(':id/split')
  @Roles(...REGISTRY_CLERKS)
  split(
    @CurrentActor() actor: SignedIn,
    @Param('id', resourceId) id: string,
    @Body() dto: SplitResourceDto,
  ): Promise<ResourceView[]> {
    return this.resources.split(actor, id, dto);
  }
}
