import { Scoped } from '../auth/region-scope';
import { maskIdNumber, seesIdNumbers } from '../common/personal-data';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, Roles } from '../auth/access.decorator';
import { AuthUser, CurrentActor } from '../auth/auth-user';
import { Page } from '../common/pagination';
import { uuidParam } from '../common/uuid-param';
import { SignedIn } from '../auth/auth-user';
import { CreatePartyDto, PartyQuery } from './party.dto';
import { RegistryParty } from './party.entity';
import { PartiesService } from './parties.service';
import { REGISTRY_CLERKS } from './units.controller';

/** Identity numbers in full for those who keep the register; masked for everyone else. */
function view(p: RegistryParty, user: AuthUser): RegistryParty {
  if (seesIdNumbers(user.roles) || p.kind !== 'individual' || !p.idNumber) return p;
  return { ...p, idNumber: maskIdNumber(p.idNumber) };
}

/** Parties that own, hold or exercise rights. */
@ApiTags('registry')
@Controller('registry/parties')
export class PartiesController {
  constructor(private readonly parties: PartiesService) {}

  @Scoped.list()
  @Get()
  @Authenticated()
  async list(
    @CurrentActor() actor: SignedIn,
    @Query() q: PartyQuery,
  ): Promise<Page<RegistryParty>> {
    const page = await this.parties.list(actor.user, q);
    return { ...page, items: page.items.map((p) => view(p, actor.user)) };
  }

  @Scoped.body('regionCode')
  @Post()
  @Roles(...REGISTRY_CLERKS)
  create(@CurrentActor() actor: SignedIn, @Body() dto: CreatePartyDto): Promise<RegistryParty> {
    return this.parties.create(actor, dto);
  }

  @Scoped.object('id', 'registry_party')
  @Get(':id')
  @Authenticated()
  async get(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuidParam('party')) id: string,
  ): Promise<RegistryParty> {
    return view(await this.parties.get(id), actor.user);
  }
}
