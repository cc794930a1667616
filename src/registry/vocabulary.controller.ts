import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/access.decorator';
import { Scoped } from '../auth/region-scope';
import {
  ECOSYSTEM_ZH,
  ENTRY_ZH,
  PARTY_KIND_ZH,
  RESOURCE_TYPE_ZH,
  RIGHT_RULES,
  RIGHT_TYPES,
  UNIT_STATUS_ZH,
  UNIT_TYPE_ZH,
} from './registry-types';

/** The names people read for the registry's codes, as the service itself names them. */
export class RegistryVocabulary {
  unitTypes!: Record<string, string>;
  unitStatuses!: Record<string, string>;
  resourceTypes!: Record<string, string>;
  ecosystemTypes!: Record<string, string>;
  rightTypes!: Record<string, string>;
  entryKinds!: Record<string, string>;
  partyKinds!: Record<string, string>;
}

const VOCABULARY: RegistryVocabulary = {
  unitTypes: UNIT_TYPE_ZH,
  unitStatuses: UNIT_STATUS_ZH,
  resourceTypes: RESOURCE_TYPE_ZH,
  ecosystemTypes: ECOSYSTEM_ZH,
  rightTypes: Object.fromEntries(RIGHT_TYPES.map((t) => [t, RIGHT_RULES[t].zh])),
  entryKinds: ENTRY_ZH,
  partyKinds: PARTY_KIND_ZH,
};

@ApiTags('registry')
@Controller('registry/vocabulary')
export class RegistryVocabularyController {
  /** Unit types and statuses, resource, ecosystem and right types, ledger entry kinds, kinds of party: code → name. */
  @Scoped.none('the names of the registry’s codes are reference data')
  @Get()
  @Authenticated()
  get(): RegistryVocabulary {
    return VOCABULARY;
  }
}
