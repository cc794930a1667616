import { AuthUser } from '../auth/auth-user';
import { scopeCondition } from '../auth/region-scope';
import { inTransaction } from '../database/transaction';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../audit-log/audit-log.service';
import { DomainError } from '../common/errors/domain-error';
import { Page, pageOf } from '../common/pagination';
import { SignedIn } from '../auth/auth-user';
import { containing } from './sql-filter';
import { CreatePartyDto, PartyQuery } from './party.dto';
import { RegistryParty } from './party.entity';
import { pinyinOrder } from '../database/pinyin-order';

/** Right holders and owners: state bodies, collectives, enterprises, individuals. */
@Injectable()
export class PartiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  async create(
    actor: SignedIn,
    dto: CreatePartyDto,
    within?: EntityManager,
  ): Promise<RegistryParty> {
    return inTransaction(this.dataSource, within, async (m) => {
      const { identifiers } = await m.insert(RegistryParty, {
        kind: dto.kind,
        name: dto.name,
        idNumber: dto.idNumber ?? null,
        regionCode: dto.regionCode ?? null,
        note: dto.note ?? null,
        createdBy: actor.user.username,
      });
      const party = await m.findOneByOrFail(RegistryParty, { id: identifiers[0].id as string });
      await this.auditLog.record(m, actor, {
        action: 'registry.party.create',
        entityType: 'registry_party',
        entityId: party.id,
        after: party,
      });
      return party;
    });
  }

  async get(id: string): Promise<RegistryParty> {
    const party = await this.dataSource.getRepository(RegistryParty).findOneBy({ id });
    if (!party) throw DomainError.notFound('party', id);
    return party;
  }

  /** Parties of the user's region scope, and those without a region (national bodies). */
  async list(user: AuthUser, q: PartyQuery): Promise<Page<RegistryParty>> {
    const qb = this.dataSource.getRepository(RegistryParty).createQueryBuilder('p');
    if (user.regionCode)
      qb.andWhere(scopeCondition('registry_party', 'p', ':scope::varchar', true), {
        scope: user.regionCode,
      });
    if (q.kind) qb.andWhere('p.kind = :kind', { kind: q.kind });
    if (q.q) qb.andWhere('p.name ILIKE :q', { q: containing(q.q) });
    const [items, total] = await qb
      .orderBy(pinyinOrder('p.name'))
      .addOrderBy('p.id')
      .skip(q.offset)
      .take(q.pageSize)
      .getManyAndCount();
    return pageOf(items, total, q);
  }
}
