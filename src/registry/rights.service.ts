import { zhEn } from '../common/i18n/text';
import { randomUUID } from 'node:crypto';
import { inTransaction } from '../database/transaction';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { D, Dec } from '../common/decimal';
import { AuthUser } from '../auth/auth-user';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { Page, pageOf } from '../common/pagination';
import { EntryDocument } from './ledger-entry.entity';
import { LedgerService } from './ledger.service';
import { SignedIn } from '../auth/auth-user';
import { RegistryParty } from './party.entity';
import { RegistrationUnit } from './registration-unit.entity';
import { RegistryReader } from './registry-reader';
import { grantKindOf, RIGHT_RULES, rightRule, RightType, UNIT_STATUS_ZH } from './registry-types';
import { RightView } from './registry-views';
import { RegistryResource } from './resource.entity';
import { RightHolder } from './right-holder.entity';
import { EndRightDto, GrantRightDto, RightQuery, TransferRightDto } from './right.dto';
import { RegistryRight } from './right.entity';
import { SqlFilter } from './sql-filter';

export interface NewRight {
  resourceId: string;
  rightType: RightType;
  start: string;
  end: string | null;
  holders: { partyId: string; share: Dec }[];
  encumbersRightId: string | null;
  derivedFromRightId: string | null;
  areaHa: Dec | null;
  priceYuan: Dec | null;
  document: EntryDocument;
}

const HUNDRED = new D(100);

/**
 * Rights and their transactions: grant (incl. lease, mortgage, custody), transfer / buy-back /
 * equity, release and end. Every rule the database also enforces is checked here first, so the
 * caller gets a message that names the rule and the right; the database stays the last line.
 */
@Injectable()
export class RightsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly reader: RegistryReader,
  ) {}

  async grant(actor: SignedIn, dto: GrantRightDto, within?: EntityManager): Promise<RightView> {
    const rule = rightRule(dto.rightType);
    return inTransaction(this.dataSource, within, async (m) => {
      const resource = await this.resourceOf(m, dto.resourceId, 'resourceId');
      const { unit, date } = await this.ledger.lockUnit(
        m,
        actor.user,
        resource.unitId,
        dto.date,
        'resourceId',
      );
      this.assertRegistered(unit);
      await this.assertResourceLive(m, resource, date);
      const holders = await this.checkHolders(m, dto.holders);
      const problems: FieldProblem[] = [];
      if (dto.endDate && dto.endDate <= date)
        problems.push({
          path: 'endDate',
          message: zhEn(
            `期限结束日期应晚于开始日期（${date}）`,
            `the term must end after it starts (${date})`,
          ),
        });
      if (rule.hasArea && !dto.areaHa)
        problems.push({
          path: 'areaHa',
          message: zhEn(
            `${rule.zh}带有面积：请填写 areaHa（公顷）`,
            `a ${rule.zh} carries an area: give areaHa (hm²)`,
          ),
        });
      if (!rule.hasArea && dto.areaHa)
        problems.push({
          path: 'areaHa',
          message: zhEn(`${rule.zh}本身不带面积`, `a ${rule.zh} carries no area of its own`),
        });
      if (rule.encumbrance !== Boolean(dto.encumbersRightId))
        problems.push({
          path: 'encumbersRightId',
          message: rule.encumbrance
            ? zhEn(
                `${rule.zh}设立在另一项权利之上：请填写 encumbersRightId`,
                `a ${rule.zh} is registered over another right: give encumbersRightId`,
              )
            : zhEn(
                `${rule.zh}不设立在其他权利之上`,
                `a ${rule.zh} does not encumber another right`,
              ),
        });
      if (problems.length)
        throw new DomainError(
          'VALIDATION_FAILED',
          zhEn(
            `权利登记有 ${problems.length} 处问题`,
            `${problems.length} problem(s) in the right`,
          ),
          problems,
        );

      let end = dto.endDate ?? null;
      if (dto.encumbersRightId) {
        const [base] = await this.reader.rights([], null, m, [dto.encumbersRightId]);
        if (!base || base.resourceId !== resource.id)
          throw DomainError.invalid(
            'encumbersRightId',
            zhEn('该自然资源上没有此编号的权利', 'no right over this resource has this id'),
          );
        if (dto.rightType === 'mortgage' && !RIGHT_RULES[base.rightType].mortgageable)
          throw new DomainError(
            'CONSTRAINT_VIOLATED',
            zhEn(
              `${base.rightTypeZh}不能抵押；可抵押的有：${mortgageable()}`,
              `a ${base.rightTypeZh} (${base.rightType}) cannot be mortgaged; mortgageable: ${mortgageable()}`,
            ),
            [
              {
                path: 'encumbersRightId',
                message: zhEn(
                  `registry_rights_mortgageable：${base.rightType} 不能抵押`,
                  `registry_rights_mortgageable: ${base.rightType} is not mortgageable`,
                ),
              },
            ],
          );
        if (RIGHT_RULES[base.rightType].encumbrance)
          throw DomainError.invalid(
            'encumbersRightId',
            zhEn(
              `${base.rightTypeZh}上不能再设定他项权利`,
              `a ${base.rightTypeZh} cannot itself be encumbered`,
            ),
          );
        if (!isLive(base, date))
          throw new DomainError(
            'RIGHT_NOT_LIVE',
            zhEn(
              `${base.rightTypeZh} ${base.id} 在 ${date} 不存续；${rule.zh}须设定在存续的权利上`,
              `the ${base.rightTypeZh} ${base.id} is not live on ${date}; a ${rule.zh} needs a live right`,
            ),
            [
              {
                path: 'encumbersRightId',
                message: zhEn('在该日期不存续', 'not live on the date'),
              },
            ],
          );
        if (end === null) end = base.period.to;
        else if (base.period.to && end > base.period.to)
          throw new DomainError(
            'CONSTRAINT_VIOLATED',
            zhEn(
              `${rule.zh}的期限不能超过${base.rightTypeZh}（至 ${base.period.to}）`,
              `the ${rule.zh} cannot outlive the ${base.rightTypeZh}, which ends ${base.period.to}`,
            ),
            [
              {
                path: 'endDate',
                message: zhEn(
                  `registry_rights_within_encumbered：最晚至 ${base.period.to}`,
                  `registry_rights_within_encumbered: at most ${base.period.to}`,
                ),
              },
            ],
          );
      }
      if (rule.exclusive)
        await this.assertNoExclusiveOverlap(m, resource.id, dto.rightType, date, end);
      if (rule.hasArea) await this.assertCreditArea(m, resource, date, new D(dto.areaHa!));

      const right: NewRight = {
        resourceId: resource.id,
        rightType: dto.rightType,
        start: date,
        end,
        holders,
        encumbersRightId: dto.encumbersRightId ?? null,
        derivedFromRightId: null,
        areaHa: dto.areaHa ? new D(dto.areaHa) : null,
        priceYuan: dto.priceYuan ? new D(dto.priceYuan) : null,
        document: dto.document,
      };
      const id = await this.record(
        m,
        actor,
        unit,
        grantKindOf(dto.rightType),
        date,
        dto.reason,
        dto.document,
        right,
      );
      return this.view(m, id);
    });
  }

  /**
   * 转让 / 赎买 / 入股: the seller's share (all of it by default) passes to the buyer. The right
   * ends and its successor, with the new holder set, begins on the date, for the rest of the term.
   */
  async transfer(
    actor: SignedIn,
    id: string,
    dto: TransferRightDto,
    within?: EntityManager,
  ): Promise<RightView> {
    return inTransaction(this.dataSource, within, async (m) => {
      const { right, unit, date } = await this.lockRight(m, actor, id, dto.date);
      const rule = rightRule(right.rightType);
      if (rule.encumbrance)
        throw new DomainError(
          'RIGHT_NOT_TRANSFERABLE',
          zhEn(
            `${rule.zh}不能单独转移；请注销后重新登记`,
            `a ${rule.zh} is not handed on by itself; end it and register a new one`,
          ),
        );
      const seller = right.holders.find((h) => h.partyId === dto.fromPartyId);
      if (!seller)
        throw new DomainError(
          'CONSTRAINT_VIOLATED',
          zhEn(
            `转出方不是该${rule.zh}的权利人；权利人为：${right.holders.map((h) => `${h.name}（${h.share}%）`).join('、')}`,
            `the seller does not hold this ${rule.zh}; its holders are ${right.holders.map((h) => `${h.name} (${h.share} %)`).join(', ')}`,
          ),
          [{ path: 'fromPartyId', message: zhEn('不是该权利的权利人', 'does not hold the right') }],
        );
      if (dto.fromPartyId === dto.toPartyId)
        throw DomainError.invalid(
          'toPartyId',
          zhEn('受让方与转出方相同', 'the buyer is the seller'),
        );
      const party = await m.findOneBy(RegistryParty, { id: dto.toPartyId });
      if (!party)
        throw DomainError.invalid('toPartyId', zhEn('没有此编号的权利人', 'no party has this id'));
      if (dto.kind === 'buy_back' && party.kind !== 'state_body')
        throw DomainError.invalid(
          'toPartyId',
          zhEn(
            `赎买是国家购买：受让方须为国家机关或其授权机构`,
            `赎买 is a purchase by the state: the buyer must be a state body, not ${party.kind}`,
          ),
        );
      if (dto.kind === 'equity' && party.kind !== 'enterprise')
        throw DomainError.invalid(
          'toPartyId',
          zhEn(
            `入股的受让方须为企业`,
            `入股 contributes the right to an enterprise, not a ${party.kind}`,
          ),
        );
      const share = new D(dto.share ?? seller.share);
      if (share.lte(0))
        throw DomainError.invalid(
          'share',
          zhEn('转移的份额须大于 0%', 'the share handed on must be above 0 %'),
        );
      if (share.gt(seller.share))
        throw DomainError.invalid(
          'share',
          zhEn(
            `转出方只持有 ${seller.share}%，不足 ${share.toString()}%`,
            `the seller holds ${seller.share} %, not ${share.toString()} %`,
          ),
        );
      const encumbered = await this.liveEncumbrances(m, right.id, date);
      if (encumbered.length)
        throw new DomainError(
          'RIGHT_ENCUMBERED',
          zhEn(
            `该${rule.zh}上设有${encumbered.map((e) => RIGHT_RULES[e.rightType].zh).join('、')}；请先解除或注销`,
            `the ${rule.zh} is encumbered (${encumbered.map((e) => RIGHT_RULES[e.rightType].zh).join(', ')}); release or end that first`,
          ),
          encumbered.map((e) => ({
            path: `encumbrances.${e.id}`,
            message: zhEn(`${e.rightType} 在 ${date} 有效`, `${e.rightType} live on ${date}`),
          })),
        );
      const holders = new Map(right.holders.map((h) => [h.partyId, new D(h.share)]));
      const left = new D(seller.share).minus(share);
      if (left.isZero()) holders.delete(seller.partyId);
      else holders.set(seller.partyId, left);
      holders.set(party.id, (holders.get(party.id) ?? new D(0)).plus(share));
      const successor: NewRight = {
        resourceId: right.resourceId,
        rightType: right.rightType,
        start: date,
        end: right.period.to,
        holders: [...holders].map(([partyId, s]) => ({ partyId, share: s })),
        encumbersRightId: null,
        derivedFromRightId: right.id,
        areaHa: right.areaHa ? new D(right.areaHa) : null,
        priceYuan: dto.priceYuan ? new D(dto.priceYuan) : null,
        document: dto.document,
      };
      const newId = await this.record(
        m,
        actor,
        unit,
        dto.kind,
        date,
        dto.reason,
        dto.document,
        successor,
        [right.id],
        {
          from: dto.fromPartyId,
          to: dto.toPartyId,
          share: share.toString(),
        },
      );
      return this.view(m, newId);
    });
  }

  /** 解押 (a mortgage) or the early end of any other right; what encumbers it ends with it. */
  async end(
    actor: SignedIn,
    id: string,
    dto: EndRightDto,
    within?: EntityManager,
  ): Promise<RightView> {
    return inTransaction(this.dataSource, within, async (m) => {
      const { right, unit, date } = await this.lockRight(m, actor, id, dto.date);
      if ((dto.kind === 'release') !== (right.rightType === 'mortgage'))
        throw DomainError.invalid(
          'kind',
          dto.kind === 'release'
            ? zhEn(
                '只有抵押权可以解押；其他权利请用 kind end 注销',
                'only a mortgage is released (解押); end other rights with kind end',
              )
            : zhEn('抵押权应解押：请用 kind release', 'a mortgage is released: use kind release'),
        );
      const entry = await this.ledger.append(m, actor, unit, {
        kind: dto.kind === 'release' ? 'mortgage_release' : 'right_end',
        effectiveDate: date,
        document: dto.document,
        reason: dto.reason,
        subjects: [right.id, right.resourceId],
        payload: { rightId: right.id, rightType: right.rightType },
      });
      await this.endRights(m, [right.id], date, entry.id);
      return this.view(m, right.id);
    });
  }

  async get(user: AuthUser, id: string): Promise<RightView> {
    const view = await this.view(this.dataSource.manager, id);
    const resource = await this.dataSource
      .getRepository(RegistryResource)
      .findOneByOrFail({ id: view.resourceId });
    await this.reader.visibleUnit(user, resource.unitId);
    return view;
  }

  async list(
    user: AuthUser,
    q: RightQuery,
    m: EntityManager = this.dataSource.manager,
  ): Promise<Page<RightView>> {
    const f = new SqlFilter().within('u.region_code', user.regionCode);
    if (q.resourceId) f.add('r.resource_id = ?', q.resourceId);
    if (q.unitId) f.add('s.unit_id = ?', q.unitId);
    if (q.partyId)
      f.add(
        'EXISTS (SELECT 1 FROM registry_right_holders h WHERE h.right_id = r.id AND h.party_id = ?)',
        q.partyId,
      );
    if (q.rightType) f.add('r.right_type = ?', q.rightType);
    if (q.asOf) f.add('r.active @> ?::date', q.asOf);
    const params = f.params;
    const from = `FROM registry_rights r JOIN registry_resources s ON s.id = r.resource_id JOIN registration_units u ON u.id = s.unit_id
      ${f.where}`;
    const [{ total }] = await m.query<{ total: number }[]>(
      `SELECT count(*)::int AS total ${from}`,
      params,
    );
    const ids = await m.query<{ id: string }[]>(
      `SELECT r.id ${from} ORDER BY s.code, lower(r.active), r.id LIMIT ${q.pageSize} OFFSET ${q.offset}`,
      params,
    );
    const views = await this.reader.rights(
      [],
      null,
      m,
      ids.map((r) => r.id),
    );
    const byId = new Map(views.map((v) => [v.id, v]));
    return pageOf(
      ids.map((r) => byId.get(r.id)!),
      total,
      q,
    );
  }

  /** Appends the entry and writes the right, its holders, and the end of the rights it replaces. */
  async record(
    m: EntityManager,
    actor: SignedIn,
    unit: RegistrationUnit,
    kind: Parameters<LedgerService['append']>[3]['kind'],
    date: string,
    reason: string | undefined,
    document: EntryDocument | undefined,
    right: NewRight,
    replaces: string[] = [],
    extra: object = {},
  ): Promise<string> {
    const id = randomUUID();
    const entry = await this.ledger.append(m, actor, unit, {
      kind,
      effectiveDate: date,
      document,
      reason,
      subjects: [
        id,
        right.resourceId,
        ...replaces,
        ...(right.encumbersRightId ? [right.encumbersRightId] : []),
      ],
      payload: { ...extra, right: { id, ...right }, replaces },
    });
    if (replaces.length) await this.endRights(m, replaces, date, entry.id);
    await this.insertRight(m, id, right, entry.id);
    return id;
  }

  async insertRight(m: EntityManager, id: string, right: NewRight, entryId: string): Promise<void> {
    await m.insert(RegistryRight, {
      id,
      resourceId: right.resourceId,
      rightType: right.rightType,
      exclusive: RIGHT_RULES[right.rightType].exclusive,
      active: `[${right.start},${right.end ?? ''})`,
      encumbersRightId: right.encumbersRightId,
      derivedFromRightId: right.derivedFromRightId,
      areaHa: right.areaHa,
      priceYuan: right.priceYuan,
      document: right.document,
      createdEntryId: entryId,
    });
    await m.insert(
      RightHolder,
      right.holders.map((h) => ({ rightId: id, partyId: h.partyId, share: h.share })),
    );
  }

  /** Ends rights on `date`, and first whatever encumbers them (a mortgage ends with its right). */
  async endRights(m: EntityManager, ids: string[], date: string, entryId: string): Promise<void> {
    await m.query(
      `UPDATE registry_rights SET active = daterange(lower(active), $2::date), ended_entry_id = $3
        WHERE encumbers_right_id = ANY($1) AND active @> $2::date`,
      [ids, date, entryId],
    );
    await m.query(
      `UPDATE registry_rights SET active = daterange(lower(active), $2::date), ended_entry_id = $3
        WHERE id = ANY($1) AND active @> $2::date`,
      [ids, date, entryId],
    );
  }

  async view(m: EntityManager, id: string): Promise<RightView> {
    const [v] = await this.reader.rights([], null, m, [id]);
    if (!v) throw DomainError.notFound('right', id);
    return v;
  }

  private async lockRight(
    m: EntityManager,
    actor: SignedIn,
    id: string,
    given: string | undefined,
  ): Promise<{ right: RightView; unit: RegistrationUnit; date: string }> {
    const row = await m.findOneBy(RegistryRight, { id });
    if (!row) throw DomainError.notFound('right', id);
    const resource = await m.findOneByOrFail(RegistryResource, { id: row.resourceId });
    const { unit, date } = await this.ledger.lockUnit(m, actor.user, resource.unitId, given, 'id');
    const right = await this.view(m, id);
    if (!isLive(right, date))
      throw new DomainError(
        'RIGHT_NOT_LIVE',
        zhEn(
          `${right.rightTypeZh} ${id} 在 ${date} 不存续（期限 ${right.period.from} 至 ${right.period.to ?? '无终止日'}）`,
          `the ${right.rightTypeZh} ${id} is not live on ${date} (period ${right.period.from} – ${right.period.to ?? ''})`,
        ),
      );
    return { right, unit, date };
  }

  private async resourceOf(m: EntityManager, id: string, path: string): Promise<RegistryResource> {
    const resource = await m.findOneBy(RegistryResource, { id });
    if (!resource)
      throw new DomainError(
        'NOT_FOUND',
        zhEn(`找不到自然资源（${id}）`, `resource ${id} does not exist`),
        [{ path, message: zhEn('没有此编号的自然资源', 'no resource has this id') }],
      );
    return resource;
  }

  private assertRegistered(unit: RegistrationUnit): void {
    if (unit.status !== 'registered')
      throw new DomainError(
        'STATE_NOT_ALLOWED',
        zhEn(
          `登记单元 ${unit.code} 的状态为“${UNIT_STATUS_ZH[unit.status]}”；权利只能在已登簿的登记单元上登记`,
          `unit ${unit.code} is ${unit.status}; rights are registered on registered units (after 登簿)`,
        ),
      );
  }

  private async assertResourceLive(
    m: EntityManager,
    resource: RegistryResource,
    date: string,
  ): Promise<void> {
    const [live] = await this.reader.resources([], date, m, [resource.id]);
    if (!live)
      throw new DomainError(
        'RESOURCE_NOT_LIVE',
        zhEn(
          `自然资源 ${resource.code} 在 ${date} 不存在（已分割、合并或灭失）`,
          `resource ${resource.code} does not exist on ${date} (split, merged or ended)`,
        ),
        [{ path: 'resourceId', message: zhEn(`在 ${date} 无效`, `not live on ${date}`) }],
      );
  }

  /** Parties exist, appear once, shares default to 100, are above 0 and add up to at most 100 %. */
  private async checkHolders(
    m: EntityManager,
    holders: { partyId: string; share?: string }[],
  ): Promise<{ partyId: string; share: Dec }[]> {
    const problems: FieldProblem[] = [];
    const parties = await m.findBy(RegistryParty, { id: In(holders.map((h) => h.partyId)) });
    const known = new Set(parties.map((p) => p.id));
    const seen = new Set<string>();
    const result = holders.map((h) => ({ partyId: h.partyId, share: new D(h.share ?? '100') }));
    result.forEach((h, i) => {
      if (!known.has(h.partyId))
        problems.push({
          path: `holders[${i}].partyId`,
          message: zhEn('没有此编号的权利人', 'no party has this id'),
        });
      if (seen.has(h.partyId))
        problems.push({
          path: `holders[${i}]`,
          message: zhEn('同一权利人出现两次', 'the same party twice'),
        });
      if (h.share.lte(0))
        problems.push({
          path: `holders[${i}].share`,
          message: zhEn('份额应大于 0 %', 'a share must be above 0 %'),
        });
      seen.add(h.partyId);
    });
    const total = result.reduce((s, h) => s.plus(h.share), new D(0));
    if (total.gt(HUNDRED))
      problems.push({
        path: 'holders',
        message: zhEn(
          `registry_right_holders_shares_total：份额合计 ${total.toString()} %，超过 100 %`,
          `registry_right_holders_shares_total: the shares add up to ${total.toString()} %, more than 100 %`,
        ),
      });
    if (problems.length)
      throw new DomainError(
        'VALIDATION_FAILED',
        problems.map((p) => p.message).join('; '),
        problems,
      );
    return result;
  }

  private async assertNoExclusiveOverlap(
    m: EntityManager,
    resourceId: string,
    type: RightType,
    start: string,
    end: string | null,
  ): Promise<void> {
    const clash = await m.query<{ id: string }[]>(
      `SELECT id FROM registry_rights WHERE resource_id = $1 AND right_type = $2 AND exclusive
          AND active && daterange($3::date, $4::date)`,
      [resourceId, type, start, end],
    );
    if (clash.length) {
      const [other] = await this.reader.rights([], null, m, [clash[0].id]);
      throw new DomainError(
        'RIGHTS_OVERLAP',
        zhEn(
          `该资源已有${other.rightTypeZh}，权利人 ${other.holders.map((h) => h.name).join('、')}，期限 ${other.period.from} 至 ${other.period.to ?? '（无固定期限）'}；同类排他性权利的期限不能重叠`,
          `the resource already has a ${other.rightType} right held by ${other.holders.map((h) => h.name).join(', ')} from ${other.period.from} to ${other.period.to ?? '(no end)'}; exclusive rights of one type cannot overlap in time`,
        ),
        [
          {
            path: 'rightType',
            message: zhEn(
              `与${other.holders.map((h) => h.name).join('、')}的${other.rightTypeZh}（${other.period.from} 至 ${other.period.to ?? '无固定期限'}）期限重叠`,
              `overlaps the ${other.rightType} right of ${other.holders.map((h) => h.name).join(', ')} (${other.period.from} to ${other.period.to ?? 'no end'})`,
            ),
          },
        ],
      );
    }
  }

  /** Offset credits cannot carry more area than the resource has. */
  private async assertCreditArea(
    m: EntityManager,
    resource: RegistryResource,
    date: string,
    area: Dec,
  ): Promise<void> {
    const [live] = await this.reader.resources([], date, m, [resource.id]);
    const [{ used }] = await m.query<{ used: string }[]>(
      `SELECT coalesce(sum(area_ha), 0)::text AS used FROM registry_rights WHERE resource_id = $1 AND area_ha IS NOT NULL AND active @> $2::date`,
      [resource.id, date],
    );
    if (area.plus(used).gt(live.areaHa))
      throw new DomainError(
        'CONSTRAINT_VIOLATED',
        zhEn(
          `抵消额度将覆盖 ${area.plus(used).toString()} 公顷，而资源只有 ${live.areaHa} 公顷（已有 ${used} 公顷）`,
          `credits would cover ${area.plus(used).toString()} hm² of a ${live.areaHa} hm² resource (${used} hm² already credited)`,
        ),
        [
          {
            path: 'areaHa',
            message: zhEn(
              `最多 ${new D(live.areaHa).minus(used).toString()} 公顷`,
              `at most ${new D(live.areaHa).minus(used).toString()} hm²`,
            ),
          },
        ],
      );
  }

  private async liveEncumbrances(
    m: EntityManager,
    rightId: string,
    date: string,
  ): Promise<RegistryRight[]> {
    return await m.query<RegistryRight[]>(
      `SELECT id, right_type AS "rightType" FROM registry_rights WHERE encumbers_right_id = $1 AND active @> $2::date`,
      [rightId, date],
    );
  }
}

export const isLive = (r: RightView, date: string): boolean =>
  r.period.from !== null && r.period.from <= date && (r.period.to === null || date < r.period.to);

const mortgageable = (): string =>
  (Object.keys(RIGHT_RULES) as RightType[]).filter((t) => RIGHT_RULES[t].mortgageable).join(', ');
