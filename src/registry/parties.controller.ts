import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, Roles } from '../auth/access.decorator';
import { AuthUser, CurrentActor } from '../auth/auth-user';
import { Page } from '../common/pagination';
import { uuidParam } from '../common/uuid-param';
import { SignedIn } from './ledger.service';
import { CreatePartyDto, PartyQuery } from './party.dto';
import { RegistryParty } from './party.entity';
import { PartiesService } from './parties.service';
import { REGISTRY_CLERKS } from './units.controller';

/**
 * An individual's identity number is personal data: only those who keep the register see it in
 * full; everyone else sees the first 6 and last 4 characters.
 */
function view(p: RegistryParty, user: AuthUser): RegistryParty {
  const full = user.roles.some((r) => (REGISTRY_CLERKS as readonly string[]).includes(r));
  if (full || p.kind !== 'individual' || !p.idNumber) return p;
  return {
    ...p,
    idNumber: `${p.idNumber.slice(0, 6)}${'*'.repeat(Math.max(0, p.idNumber.length - 10))}${p.idNumber.slice(-4)}`,
  };
}

/** Parties that own, hold or exercise rights. */
@ApiTags('registry')
@Controller('registry/parties')
export class PartiesController {
  constructor(private readonly parties: PartiesService) {}

  @Get()
  @Authenticated()
  async list(
    @CurrentActor() actor: SignedIn,
    @Query() q: PartyQuery,
  ): Promise<Page<RegistryParty>> {
    const page = await this.parties.list(q);
    return { ...page, items: page.items.map((p) => view(p, actor.user)) };
  }

  @Post()
  @Roles(...REGISTRY_CLERKS)
  create(@CurrentActor() actor: SignedIn, @Body() dto: CreatePartyDto): Promise<RegistryParty> {
    return this.parties.create(actor, dto);
  }

  @Get(':id')
  @Authenticated()
  async get(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuidParam('party')) id: string,
  ): Promise<RegistryParty> {
    return view(await this.parties.get(id), actor.user);
  }
}
