import { zhEn, inLanguage } from '../../common/i18n/text';
import { clock } from '../../common/clock';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import { PublishedGep } from '../../accounting/runs/published-gep';
import { DataSource, EntityManager } from 'typeorm';
import { D, Dec } from '../../common/decimal';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { AuthUser, SignedIn } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { RegionsService } from '../../regions/regions.service';
import { CompensationAmount } from './compensation-amount.entity';
import {
  computeCompensation,
  ComputedCompensation,
  computeCrossSectionCompensation,
  computeForestCompensation,
  computeRewardDeduction,
  CrossSectionInputs,
} from './compensation-computation';
import { CompensationRun, CompensationRunStatus } from './compensation-run.entity';
import { CompensationScheme, SchemeType } from './compensation-scheme.entity';
import { FundEvent, FundState } from './fund-event.entity';
import { lockRow } from '../../database/lock-row';
import { RegionsRepository } from '../../regions/regions.repository';
import { scopeCondition } from '../../auth/region-scope';

/** Which fund states may follow which (pending: approved, nothing recorded yet). */
const NEXT_STATES: Record<FundState | 'pending', FundState[]> = {
  pending: ['paid', 'withheld', 'reduced', 'stopped'],
  withheld: ['paid', 'reduced', 'stopped'],
  reduced: ['paid', 'stopped'],
  paid: ['recovered'],
  stopped: [],
  recovered: [],
};

export interface AmountView {
  regionCode: string;
  name: string;
  eligible: boolean;
  weight: Dec | null;
  /** Null when not computable. */
  amount: Dec | null;
  fundState: FundState | 'pending';
  explanation: object;
}

/** The sum of the amounts, or null when one is not computable (a sum over a gap is no total). */
export const totalOf = (amounts: { amount: Dec | null }[]): Dec | null =>
  amounts.reduce<Dec | null>(
    (s, a) => (s === null || a.amount === null ? null : s.plus(a.amount)),
    new D(0),
  );

/** Stores a computed run (draft) with its amounts; used by the API and the demo seed. */
export async function insertCompensationRun(
  manager: EntityManager,
  scheme: CompensationScheme,
  input: { regionCode: string; budgetYear: number; gepYear: number; budget: Dec | null },
  computed: ComputedCompensation,
  createdBy: string,
): Promise<string> {
  const { identifiers } = await manager.insert(CompensationRun, {
    schemeId: scheme.id,
    schemeCode: scheme.code,
    schemeVersion: scheme.version,
    rootRegionCode: input.regionCode,
    budgetYear: input.budgetYear,
    gepYear: input.gepYear,
    budget: input.budget,
    status: 'draft',
    inputs: computed.inputs,
    inputsSha256: computed.inputsSha256,
    createdBy,
  });
  const runId = identifiers[0].id as string;
  await manager.insert(
    CompensationAmount,
    computed.amounts.map((a) => ({ ...a, runId })),
  );
  return runId;
}

/**
 * A draft is approved only on the inputs it was computed from: the GEP run it read must still be
 * the published one; a cross-section settlement's monitoring values must be unchanged.
 */
async function assertInputsCurrent(
  manager: EntityManager,
  gep: PublishedGep,
  run: CompensationRun,
): Promise<void> {
  const inputs = run.inputs as ComputedCompensation['inputs'];
  if ('gepRun' in inputs) {
    const still = (await gep.runStates(manager, [inputs.gepRun.id])).get(inputs.gepRun.id);
    if (still?.status !== 'published')
      throw new DomainError(
        'INPUTS_CHANGED',
        zhEn(
          `本草稿所用的 GEP 核算 ${inputs.gepRun.id} 已不是已发布的核算（${still?.status ?? '已删除'}）；请重新计算`,
          `the GEP run ${inputs.gepRun.id} this draft read is no longer the published one (${still?.status ?? 'gone'}); start a new run`,
        ),
      );
    return;
  }
  const scheme = await manager.findOneByOrFail(CompensationScheme, { id: run.schemeId });
  const now =
    'section' in inputs
      ? await computeCrossSectionCompensation(manager, scheme, inputs.year)
      : await computeForestCompensation(manager, scheme, run.rootRegionCode, inputs.year);
  if (now.inputsSha256 !== run.inputsSha256)
    throw new DomainError(
      'INPUTS_CHANGED',
      'section' in inputs
        ? zhEn(
            `断面 ${inputs.section.code} ${inputs.year} 年的监测值在此草稿计算后已变更；请重新计算`,
            `the monitoring values at ${inputs.section.code} for ${inputs.year} changed since this draft was computed; start a new run`,
          )
        : zhEn(
            `${inputs.year} 年的公益林面积在此草稿计算后已变更；请重新计算`,
            `the forest areas for ${inputs.year} changed since this draft was computed; start a new run`,
          ),
    );
}

/**
 * Nothing is paid from missing figures: a run with a recipient whose amount is not computable
 * cannot be approved (409 naming each recipient and what it lacks). A scheme with its own rule
 * for missing figures has no such recipients.
 */
async function assertComputable(manager: EntityManager, run: CompensationRun): Promise<void> {
  const open = await manager.find(CompensationAmount, { where: { runId: run.id } });
  const gaps = open.filter((a) => a.amount === null);
  if (gaps.length === 0 && run.budget !== null) return;
  const names = new Map(
    (run.inputs as ComputedCompensation['inputs']).recipients.map((r) => [r.regionCode, r.name]),
  );
  // name the recipients whose own figures are missing, not those blocked by them
  const own = gaps.filter((a) => !(a.explanation as Explanation).blockedBy);
  throw new DomainError(
    'DATA_INCOMPLETE',
    zhEn(
      `${gaps.length} 个地区的补偿金额无法计算，不能批准；请待 GEP 核算补齐后重新测算，或在方案中规定缺失数据的处理办法（missingFigures）`,
      `the amounts of ${gaps.length} region(s) cannot be computed, so the run cannot be approved; compute it again once the GEP runs are complete, or give the scheme a rule for missing figures (missingFigures)`,
    ),
    (own.length ? own : gaps).map((a) => {
      const reason =
        (a.explanation as Explanation).reason ??
        zhEn('金额无法计算', 'the amount cannot be computed');
      const name = names.get(a.regionCode) ?? a.regionCode;
      return {
        path: `amounts.${a.regionCode}`,
        message: zhEn(`${name}：${reason}`, `${name}: ${reason}`),
      };
    }),
  );
}

/** The published GEP run a compensation run read, when it has since been withdrawn. */
export interface SourceWithdrawn {
  runId: string;
  reason: string | null;
  at: Date | null;
}

export async function sourceWithdrawn(
  manager: EntityManager,
  gep: PublishedGep,
  run: CompensationRun,
): Promise<SourceWithdrawn | null> {
  const inputs = run.inputs as ComputedCompensation['inputs'];
  if (!('gepRun' in inputs)) return null;
  const ids = [inputs.gepRun.id, ...(inputs.previousRun ? [inputs.previousRun.id] : [])];
  // the first withdrawn, in the order of withdrawal
  const [first] = [...(await gep.runStates(manager, ids))].filter(
    ([, s]) => s.status === 'withdrawn',
  );
  return first
    ? { runId: first[0], reason: first[1].withdrawalReason, at: first[1].withdrawnAt }
    : null;
}

/** What the export reads from an amount's explanation (each scheme type fills its own part). */
interface Explanation {
  figures?: Record<string, string | null>;
  reason?: string;
  /** An allocation share left unknown by these recipients' missing figures. */
  blockedBy?: string[];
  measure?: string;
  class?: string;
  role?: string;
  net?: string;
  lines?: { areaMu: string }[];
  toManagement?: string;
  toOwners?: string;
}
/** How a column's exact decimal is shown on the first sheet (a number, rounded for reading). */
type Shown = 'wan' | 'yuan' | 'ratio' | 'mu' | 'text';
interface ExportColumn {
  title: string;
  shown: Shown;
  /** The exact decimal (or text) from the amount and its explanation. */
  exact: (a: AmountView, e: Explanation) => string | null;
}
const figure =
  (name: string) =>
  (_: AmountView, e: Explanation): string | null =>
    e.figures?.[name] ?? null;

/** The columns of the xlsx export between the region and the amount, by scheme type. */
const EXPORT_COLUMNS: Record<SchemeType, ExportColumn[]> = {
  budget_allocation: [
    { title: 'GEP（万元）', shown: 'wan', exact: figure('gep') },
    { title: '上年 GEP（万元）', shown: 'wan', exact: figure('gep_prev') },
    { title: 'GEP 实际变化', shown: 'ratio', exact: figure('gep_real_change') },
    { title: '权重', shown: 'ratio', exact: (a) => a.weight?.toString() ?? null },
  ],
  reward_deduction: [
    { title: 'GEP（万元）', shown: 'wan', exact: figure('gep') },
    { title: 'GEP 实际变化', shown: 'ratio', exact: figure('gep_real_change') },
    { title: '考核值', shown: 'ratio', exact: (_, e) => e.measure ?? null },
    { title: '类别', shown: 'text', exact: (_, e) => e.class ?? null },
  ],
  cross_section: [
    {
      title: '角色',
      shown: 'text',
      exact: (_, e) => (e.role?.startsWith('upstream') ? '上游' : '下游'),
    },
    { title: '结算', shown: 'text', exact: (_, e) => (e.net ? inLanguage(e.net, 'zh') : null) },
  ],
  forest: [
    {
      title: '公益林面积（亩）',
      shown: 'mu',
      exact: (_, e) => (e.lines ?? []).reduce((s, l) => s.plus(l.areaMu), new D(0)).toString(),
    },
    { title: '管护费（元）', shown: 'yuan', exact: (_, e) => e.toManagement ?? null },
    { title: '补偿到户（元）', shown: 'yuan', exact: (_, e) => e.toOwners ?? null },
  ],
};

/** A column's value as the first sheet shows it: a number rounded once, or the text. */
const shownCell = (shown: Shown, exact: string | null): ExcelJS.CellValue => {
  if (exact === null) return null;
  if (shown === 'text') return exact;
  const x = new D(exact);
  if (shown === 'wan') return Number(x.div(10000).toDecimalPlaces(2, D.ROUND_HALF_UP));
  if (shown === 'yuan') return Number(x.toDecimalPlaces(2, D.ROUND_HALF_UP));
  if (shown === 'mu') return Number(x.toDecimalPlaces(4, D.ROUND_HALF_UP));
  return Number(x.toSignificantDigits(6, D.ROUND_HALF_UP));
};
const NUMBER_FORMAT: Record<Shown, string | undefined> = {
  wan: '#,##0.00',
  yuan: '#,##0.00',
  mu: '#,##0.####',
  ratio: '0.######',
  text: undefined,
};

/** Fund states as the finance bureau says them. */
const FUND_ZH: Record<FundState | 'pending', string> = {
  pending: '待拨付',
  paid: '已拨付',
  withheld: '暂缓',
  reduced: '核减',
  stopped: '停止',
  recovered: '追回',
};

@Injectable()
export class CompensationRunsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly auditLog: AuditLogService,
    private readonly gep: PublishedGep,
  ) {}

  /**
   * Computes a draft (what-if) run: a published scheme applied to the sub-regions of a region for
   * a budget year, from the published GEP runs. Drafts never affect an approved run.
   */
  async start(
    actor: SignedIn,
    input: {
      schemeId: string;
      regionCode?: string;
      budgetYear: number;
      gepYear?: number;
      budget?: string;
    },
  ): Promise<CompensationRun> {
    const scheme = await this.dataSource
      .getRepository(CompensationScheme)
      .findOneBy({ id: input.schemeId });
    if (!scheme)
      throw DomainError.invalid(
        'schemeId',
        zhEn(`找不到补偿方案（${input.schemeId}）`, `no scheme has the id ${input.schemeId}`),
      );
    if (scheme.status !== 'published')
      throw DomainError.invalid(
        'schemeId',
        zhEn(
          `补偿方案 ${scheme.code} 第 ${scheme.version} 版仍是草稿；请先发布再计算`,
          `scheme ${scheme.code} version ${scheme.version} is a draft; publish it before running it`,
        ),
      );
    const gepYear = input.gepYear ?? input.budgetYear - 1;
    const crossSection = scheme.type === 'cross_section';
    const allocation = scheme.type === 'budget_allocation';
    if (!allocation && input.budget !== undefined)
      throw DomainError.invalid(
        'budget',
        crossSection
          ? zhEn(
              '跨界断面协议按监测值计算补偿金额；请不要填写预算',
              'a cross-section agreement computes its amounts from the monitoring values; leave budget out',
            )
          : zhEn(
              `此类方案（${scheme.type}）按规则和数据计算金额；请不要填写预算`,
              `a ${scheme.type} scheme computes its amounts from its rule and data; leave budget out`,
            ),
      );
    if (allocation && input.budget === undefined)
      throw DomainError.invalid(
        'budget',
        zhEn(
          '按预算分配时应填写预算总额（元）',
          'a budget allocation needs the budget (元) to allocate',
        ),
      );
    if (!crossSection && input.regionCode === undefined)
      throw DomainError.invalid(
        'regionCode',
        zhEn(
          '请填写方案适用的上级行政区（其下级行政区参与分配）',
          'the region whose sub-regions the scheme applies to is required',
        ),
      );
    return this.dataSource.transaction(async (manager) => {
      let computed: ComputedCompensation;
      let regionCode: string;
      let budget: Dec | null;
      if (crossSection) {
        computed = await computeCrossSectionCompensation(manager, scheme, gepYear);
        const { upstream, downstream } = (computed.inputs as CrossSectionInputs).section;
        if (input.regionCode !== undefined && ![upstream, downstream].includes(input.regionCode))
          throw DomainError.invalid(
            'regionCode',
            zhEn(
              `协议双方为 ${upstream} 和 ${downstream}；请不填行政区，或填其中之一`,
              `the agreement is between ${upstream} and ${downstream}; leave regionCode out or give one of them`,
            ),
          );
        regionCode = upstream;
        await this.regions.assertInScope(actor.user, input.regionCode ?? upstream);
        budget = totalOf(computed.amounts);
      } else if (allocation) {
        regionCode = input.regionCode!;
        await this.regions.assertInScope(actor.user, regionCode);
        budget = new D(input.budget!);
        computed = await computeCompensation(
          manager,
          this.gep,
          scheme,
          regionCode,
          gepYear,
          budget,
        );
      } else {
        regionCode = input.regionCode!;
        await this.regions.assertInScope(actor.user, regionCode);
        computed =
          scheme.type === 'forest'
            ? await computeForestCompensation(manager, scheme, regionCode, gepYear)
            : await computeRewardDeduction(manager, this.gep, scheme, regionCode, gepYear);
        budget = totalOf(computed.amounts);
      }
      const runId = await insertCompensationRun(
        manager,
        scheme,
        { regionCode, budgetYear: input.budgetYear, gepYear, budget },
        computed,
        actor.user.username,
      );
      const run = await manager.findOneByOrFail(CompensationRun, { id: runId });
      await this.auditLog.record(manager, actor, {
        action: 'compensation_run.create',
        entityType: 'compensation_run',
        entityId: runId,
        after: {
          scheme: `${scheme.code} v${scheme.version}`,
          region: input.regionCode,
          budgetYear: input.budgetYear,
          gepYear,
          budget: budget?.toString() ?? null,
          inputsSha256: run.inputsSha256,
        },
      });
      return run;
    });
  }

  async list(
    user: AuthUser,
    filter: {
      schemeCode?: string;
      regionCode?: string;
      budgetYear?: number;
      status?: CompensationRunStatus;
    },
    page: PageQuery,
  ): Promise<Page<CompensationRun>> {
    const qb = this.dataSource.getRepository(CompensationRun).createQueryBuilder('c');
    if (user.regionCode)
      qb.andWhere(scopeCondition('compensation_run', 'c', ':scope::varchar', false), {
        scope: user.regionCode,
      });
    if (filter.schemeCode) qb.andWhere('c.schemeCode = :sc', { sc: filter.schemeCode });
    if (filter.regionCode) qb.andWhere('c.rootRegionCode = :rc', { rc: filter.regionCode });
    if (filter.budgetYear) qb.andWhere('c.budgetYear = :by', { by: filter.budgetYear });
    if (filter.status) qb.andWhere('c.status = :st', { st: filter.status });
    const [items, total] = await qb
      .orderBy('c.createdAt', 'DESC')
      .addOrderBy('c.id')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /** The scheme's and the region's names of each run, for the people who read the list. */
  async names(
    runs: CompensationRun[],
  ): Promise<Map<string, { schemeName: string | null; regionName: string | null }>> {
    const manager = this.dataSource.manager;
    const regions = await RegionsRepository.names(
      manager,
      runs.map((r) => r.rootRegionCode),
    );
    const ids = [...new Set(runs.map((r) => r.schemeId))];
    const schemes = new Map(
      ids.length
        ? (
            await manager.query<{ id: string; name: string }[]>(
              'SELECT id, name FROM compensation_schemes WHERE id = ANY($1::uuid[])',
              [ids],
            )
          ).map((s) => [s.id, s.name])
        : [],
    );
    return new Map(
      runs.map((r) => [
        r.id,
        {
          schemeName: schemes.get(r.schemeId) ?? null,
          regionName: regions.get(r.rootRegionCode) ?? null,
        },
      ]),
    );
  }

  async get(
    user: AuthUser,
    id: string,
  ): Promise<{
    run: CompensationRun;
    amounts: AmountView[];
    sourceWithdrawn: SourceWithdrawn | null;
  }> {
    const run = await this.dataSource.getRepository(CompensationRun).findOneBy({ id });
    if (!run) throw DomainError.notFound('compensation run', id);
    await this.regions.assertInScope(user, run.rootRegionCode);
    const amounts = await this.dataSource
      .getRepository(CompensationAmount)
      .find({ where: { runId: id }, order: { regionCode: 'ASC' } });
    const states = new Map(
      (
        await this.dataSource.query<{ region_code: string; state: FundState }[]>(
          `SELECT DISTINCT ON (region_code) region_code, state FROM compensation_fund_events
            WHERE run_id = $1 ORDER BY region_code, id DESC`,
          [id],
        )
      ).map((r) => [r.region_code, r.state]),
    );
    const names = new Map(
      (run.inputs as ComputedCompensation['inputs']).recipients.map((r) => [r.regionCode, r.name]),
    );
    return {
      run,
      sourceWithdrawn: await sourceWithdrawn(this.dataSource.manager, this.gep, run),
      amounts: amounts.map((a) => ({
        regionCode: a.regionCode,
        name: names.get(a.regionCode) ?? a.regionCode,
        eligible: a.eligible,
        weight: a.weight,
        amount: a.amount,
        fundState: states.get(a.regionCode) ?? 'pending',
        explanation: a.explanation,
      })),
    };
  }

  /**
   * Approves a draft: it becomes final (database triggers) and funds can move. Refused when the GEP
   * run it read is no longer the published one, or another run is already approved for the
   * scheme, region and budget year.
   */
  async approve(actor: SignedIn, id: string): Promise<CompensationRun> {
    return this.dataSource.transaction(async (manager) => {
      const run = await this.lock(manager, actor.user, id);
      if (run.status !== 'draft')
        throw new DomainError(
          'STATE_NOT_ALLOWED',
          zhEn(
            `该补偿计算已${run.status === 'approved' ? '审批' : run.status}`,
            `the compensation run is already ${run.status}`,
          ),
        );
      await assertInputsCurrent(manager, this.gep, run);
      await assertComputable(manager, run);
      await manager.update(
        CompensationRun,
        { id },
        { status: 'approved', approvedBy: actor.user.username, approvedAt: clock.now() },
      );
      const after = await manager.findOneByOrFail(CompensationRun, { id });
      await this.auditLog.record(manager, actor, {
        action: 'compensation_run.approve',
        entityType: 'compensation_run',
        entityId: id,
        after: { status: after.status, inputsSha256: after.inputsSha256 },
      });
      return after;
    });
  }

  /** Deletes a draft (what-if) run with its amounts; an approved run stays. */
  async remove(actor: SignedIn, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const run = await this.lock(manager, actor.user, id);
      if (run.status !== 'draft')
        throw new DomainError(
          'STATE_NOT_ALLOWED',
          zhEn('已审批的补偿计算不能删除', 'an approved compensation run cannot be deleted'),
        );
      await manager.delete(CompensationAmount, { runId: id });
      await manager.delete(CompensationRun, { id });
      await this.auditLog.record(manager, actor, {
        action: 'compensation_run.delete',
        entityType: 'compensation_run',
        entityId: id,
        before: { scheme: run.schemeCode, region: run.rootRegionCode, budgetYear: run.budgetYear },
      });
    });
  }

  /**
   * Records a fund decision on an approved amount: paid, withheld (缓拨), reduced (减拨, with the new
   * amount), stopped (停拨) or recovered (追回, with the amount), following the allowed order.
   */
  async recordFundEvent(
    actor: SignedIn,
    id: string,
    input: { regionCode: string; state: FundState; amount?: string; document: string },
  ): Promise<FundEvent> {
    return this.dataSource.transaction(async (manager) => {
      const run = await this.lock(manager, actor.user, id);
      if (run.status !== 'approved')
        throw new DomainError(
          'STATE_NOT_ALLOWED',
          zhEn(
            '补偿计算审批后才能登记资金拨付',
            'funds move only once the compensation run is approved',
          ),
        );
      const due = await manager.findOneBy(CompensationAmount, {
        runId: id,
        regionCode: input.regionCode,
      });
      // the region as a refusal names it (read only when refusing)
      const named = () => RegionsRepository.label(manager, input.regionCode);
      if (!due) {
        const { zh, en } = await named();
        throw DomainError.invalid(
          'regionCode',
          zhEn(`本次计算中 ${zh}没有补偿金额`, `${en} has no amount in this run`),
        );
      }
      const history = await manager.find(FundEvent, {
        where: { runId: id, regionCode: input.regionCode },
        order: { id: 'ASC' },
      });
      const current: FundState | 'pending' = history.at(-1)?.state ?? 'pending';
      if (!NEXT_STATES[current].includes(input.state)) {
        const next = NEXT_STATES[current];
        const { zh, en } = await named();
        throw new DomainError(
          'STATE_NOT_ALLOWED',
          zhEn(
            `${zh}的金额状态为「${FUND_ZH[current]}」；只能变为${next.map((x) => `「${FUND_ZH[x]}」`).join('、') || '（无）'}`,
            `the amount for ${en} is ${current}; it can become ${next.join(', ') || 'nothing else'}`,
          ),
          [
            {
              path: 'state',
              message: zhEn(
                `「${FUND_ZH[current]}」之后不能「${FUND_ZH[input.state]}」`,
                `not allowed after ${current}`,
              ),
            },
          ],
        );
      }
      // what is due now: the approved amount, or the latest reduction
      if (due.amount === null) {
        const { zh, en } = await named();
        throw new DomainError(
          'DATA_INCOMPLETE',
          zhEn(
            `${zh}的金额无法计算，不能拨付`,
            `the amount for ${en} could not be computed; nothing can be paid`,
          ),
        );
      }
      const reduced = [...history].reverse().find((e) => e.state === 'reduced');
      const owed = reduced?.amount ?? due.amount;
      const amount = input.amount === undefined ? null : new D(input.amount);
      if (input.state === 'reduced' && (amount === null || amount.gte(owed)))
        throw DomainError.invalid(
          'amount',
          zhEn(
            `核减时应填写核减后的金额，低于 ${owed.toFixed(2)} 元`,
            `a reduction needs the new amount, below ${owed.toFixed(2)} 元`,
          ),
        );
      if (input.state === 'paid' && amount !== null && !amount.eq(owed))
        throw DomainError.invalid(
          'amount',
          zhEn(`应拨金额为 ${owed.toFixed(2)} 元`, `the amount due is ${owed.toFixed(2)} 元`),
        );
      const paid = history.find((e) => e.state === 'paid')?.amount ?? owed;
      if (input.state === 'recovered' && (amount === null || amount.lte(0) || amount.gt(paid)))
        throw DomainError.invalid(
          'amount',
          zhEn(
            `追回时应填写追回金额，大于 0 且不超过已拨付的 ${paid.toFixed(2)} 元`,
            `a recovery needs the amount taken back, more than 0 and at most ${paid.toFixed(2)} 元 paid`,
          ),
        );
      if ((input.state === 'withheld' || input.state === 'stopped') && amount !== null)
        throw DomainError.invalid(
          'amount',
          zhEn(`${input.state} 状态不填写金额`, `${input.state} takes no amount`),
        );
      const { identifiers } = await manager.insert(FundEvent, {
        runId: id,
        regionCode: input.regionCode,
        state: input.state,
        amount: input.state === 'paid' ? owed : amount,
        document: input.document,
        recordedBy: actor.user.username,
      });
      const event = await manager.findOneByOrFail(FundEvent, {
        id: identifiers[0].id as string,
      });
      await this.auditLog.record(manager, actor, {
        action: `compensation_fund.${input.state}`,
        entityType: 'compensation_run',
        entityId: id,
        after: event,
      });
      return event;
    });
  }

  async fundEvents(user: AuthUser, id: string): Promise<FundEvent[]> {
    await this.get(user, id);
    return this.dataSource
      .getRepository(FundEvent)
      .find({ where: { runId: id }, order: { id: 'ASC' } });
  }

  /**
   * The run as a workbook a finance bureau can use: a first sheet with one row per region — names,
   * figures and amounts as numbers (GEP in 万元, amounts in 元 to the fen, ratios to 6 significant
   * digits), fund states in Chinese, the total — and a second sheet with every exact value as
   * text, digit for digit.
   */
  async exportXlsx(user: AuthUser, id: string): Promise<{ filename: string; data: Buffer }> {
    const { run, amounts, sourceWithdrawn: withdrawn } = await this.get(user, id);
    const names = (await this.names([run])).get(run.id)!;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('补偿分配', { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.addRow([
      `${names.schemeName ?? run.schemeCode}（${run.schemeCode} 第 ${run.schemeVersion} 版）`,
      `${names.regionName ?? run.rootRegionCode}（${run.rootRegionCode}）`,
      `预算年度 ${run.budgetYear}`,
      `GEP 年度 ${run.gepYear}`,
      run.budget === null ? '合计无法计算' : `预算 ${run.budget.toFixed(2)} 元`,
      run.status === 'approved' ? '已批准' : '草案（测算）',
      ...(withdrawn
        ? [`所依据的 GEP 核算 ${withdrawn.runId} 已撤回：${withdrawn.reason ?? '未说明理由'}`]
        : []),
    ]);
    const { type } = await this.dataSource
      .getRepository(CompensationScheme)
      .findOneByOrFail({ id: run.schemeId });
    const columns = EXPORT_COLUMNS[type];
    ws.addRow([
      '区划代码',
      '名称',
      '是否符合条件',
      ...columns.map((c) => c.title),
      '金额（元）',
      '资金状态',
      '说明',
    ]).font = { bold: true };
    const AMOUNT = 4 + columns.length;
    const exactRows: (string | null)[][] = [];
    for (const a of amounts) {
      const e = a.explanation as Explanation;
      const exact = columns.map((c) => c.exact(a, e));
      exactRows.push([a.regionCode, a.name, ...exact, a.amount?.toFixed(2) ?? null]);
      const row = ws.addRow([
        a.regionCode,
        a.name,
        a.eligible ? '是' : '否',
        ...columns.map((c, i) => shownCell(c.shown, exact[i])),
        a.amount === null ? '无法计算' : Number(a.amount.toFixed(2)),
        FUND_ZH[a.fundState],
        e.reason ? inLanguage(e.reason, 'zh') : null,
      ]);
      columns.forEach((c, i) => {
        const format = NUMBER_FORMAT[c.shown];
        if (format) row.getCell(4 + i).numFmt = format;
      });
      row.getCell(AMOUNT).numFmt = '#,##0.00';
    }
    const total = totalOf(amounts);
    const totalRow = ws.addRow([
      '合计',
      null,
      null,
      ...columns.map(() => null),
      total === null ? '无法计算（有地区金额无法计算）' : Number(total.toFixed(2)),
    ]);
    totalRow.font = { bold: true };
    totalRow.getCell(AMOUNT).numFmt = '#,##0.00';
    ws.columns.forEach((c) => (c.width = 16));

    const exactSheet = wb.addWorksheet('精确值', { views: [{ state: 'frozen', ySplit: 1 }] });
    exactSheet.addRow([
      '区划代码',
      '名称',
      ...columns.map((c) => c.title.replace('（万元）', '（元）')),
      '金额（元）',
    ]).font = { bold: true };
    // text cells: no digit is lost to floating point
    exactRows.forEach((r) => exactSheet.addRow(r));
    exactSheet.columns.forEach((c) => (c.width = 24));
    return {
      filename: `compensation-${run.schemeCode}-${run.rootRegionCode}-${run.budgetYear}.xlsx`,
      data: Buffer.from(await wb.xlsx.writeBuffer()),
    };
  }

  private async lock(manager: EntityManager, user: AuthUser, id: string): Promise<CompensationRun> {
    const run = await lockRow(manager, CompensationRun, id, 'compensation run');
    await this.regions.assertInScope(user, run.rootRegionCode);
    return run;
  }
}
