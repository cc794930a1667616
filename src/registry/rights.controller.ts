import { Scoped } from '../auth/region-scope';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentActor } from '../auth/auth-user';
import { Page } from '../common/pagination';
import { uuidParam } from '../common/uuid-param';
import { SignedIn } from '../auth/auth-user';
import { RightView } from './registry-views';
import { EndRightDto, GrantRightDto, RightQuery, TransferRightDto } from './right.dto';
import { RightsService } from './rights.service';
import { REGISTRY_CLERKS } from './units.controller';

const rightId = uuidParam('right');

/**
 * Rights over resources and their transactions (grant, lease, mortgage, custody, transfer,
 * buy-back, equity, release, end), each a ledger entry on the resource's unit.
 */
@ApiTags('registry')
@Controller('registry/rights')
export class RightsController {
  constructor(private readonly rights: RightsService) {}

  @Scoped.list()
  @Get()
  @Authenticated()
  list(@CurrentActor() actor: SignedIn, @Query() q: RightQuery): Promise<Page<RightView>> {
    return this.rights.list(actor.user, q);
  }

  /** Registers a right; a mortgage, lease or custody names the right it encumbers. */
  @Scoped.body('resourceId', 'registry_resource')
  @Post()
  @Roles(...REGISTRY_CLERKS)
  grant(@CurrentActor() actor: SignedIn, @Body() dto: GrantRightDto): Promise<RightView> {
    return this.rights.grant(actor, dto);
  }

  @Scoped.object('id', 'registry_right')
  @Get(':id')
  @Authenticated()
  get(@CurrentActor() actor: SignedIn, @Param('id', rightId) id: string): Promise<RightView> {
    return this.rights.get(actor.user, id);
  }

  /** 转让 / 赎买 / 入股: answers the successor right. */
  @Scoped.object('id', 'registry_right')
  @Post(':id/transfer')
  @Roles(...REGISTRY_CLERKS)
  transfer(
    @CurrentActor() actor: SignedIn,
    @Param('id', rightId) id: string,
    @Body() dto: TransferRightDto,
  ): Promise<RightView> {
    return this.rights.transfer(actor, id, dto);
  }

  /** 解押 (kind release) or early end (kind end); what encumbers the right ends with it. */
  @Scoped.object('id', 'registry_right')
  @Post(':id/end')
  @Roles(...REGISTRY_CLERKS)
  @HttpCode(200)
  end(
    @CurrentActor() actor: SignedIn,
    @Param('id', rightId) id: string,
    @Body() dto: EndRightDto,
  ): Promise<RightView> {
    return this.rights.end(actor, id, dto);
  }
}
