import { INestApplicationContext } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Role } from '../../src/auth/roles';
import { SignedIn } from '../../src/auth/auth-user';
import { PartyKind } from '../../src/registry/registry-types';
import { ResourcesService } from '../../src/registry/resources.service';
import { RightQuery } from '../../src/registry/right.dto';
import { UnitsService } from '../../src/registry/units.service';
import { DataSource } from 'typeorm';
import { PartiesService } from '../../src/registry/parties.service';
import { RegistryModule } from '../../src/registry/registry.module';
import { RightsService } from '../../src/registry/rights.service';
import { WorkflowService } from '../../src/registry/workflow.service';
import { standaloneContext } from '../../src/standalone';

/**
 * DEMO DATA — 婺源县 natural-resource registration units, built through the registry's own
 * services so every unit, resource and right has its ledger. Names follow the county's policy
 * documents; **boundaries are synthetic rectangles, areas, people, companies, contracts and prices
 * are invented** (people are named 某某). Prices follow the indicative figures of
 * compensation.md §6 (wetland credit ≈ 8.8万元/亩, buy-back ≈ 3,000元/亩).
 */
const MARK = '演示数据：虚构的边界';

const rect = (x1: number, y1: number, x2: number, y2: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x1, y1],
      [x2, y1],
      [x2, y2],
      [x1, y2],
      [x1, y1],
    ],
  ],
});

export const DEMO_RESERVE = '婺源森林鸟类国家级自然保护区';

/**
 * Seeds the demo register once, in the seeds' transaction (`manager`); answers the number of
 * units written (0 when already there). The registry's services come from a Nest application
 * context over `dataSource`; each call is given `manager`, so the register is written whole or not
 * at all.
 */
export async function seedDemoRegistry(
  dataSource: DataSource,
  manager: EntityManager,
): Promise<number> {
  const done = await manager.query<unknown[]>(
    `SELECT 1 FROM registry_entries WHERE kind = 'pre_delimitation' AND payload->'version'->>'name' = $1 LIMIT 1`,
    [DEMO_RESERVE],
  );
  if (done.length) return 0;
  const [clerkRow] = await manager.query<{ id: string; display_name: string }[]>(
    `SELECT id, display_name FROM users WHERE username = 'wuyuan.registrar'`,
  );
  const [reviewerRow] = await manager.query<{ id: string; display_name: string }[]>(
    `SELECT id, display_name FROM users WHERE username = 'wuyuan.reviewer'`,
  );
  const actor = (
    username: string,
    row: { id: string; display_name: string },
    roles: Role[],
  ): SignedIn => ({
    user: { id: row.id, username, displayName: row.display_name, roles, regionCode: '361130' },
  });
  const clerk = actor('wuyuan.registrar', clerkRow, ['registry_clerk']);
  const reviewer = actor('wuyuan.reviewer', reviewerRow, ['reviewer']);
  const context = await standaloneContext(dataSource, [RegistryModule]);
  try {
    return await build(context, manager, clerk, reviewer);
  } finally {
    await context.close();
  }
}

async function build(
  context: INestApplicationContext,
  manager: EntityManager,
  clerk: SignedIn,
  reviewer: SignedIn,
): Promise<number> {
  const s = {
    units: context.get(UnitsService),
    resources: context.get(ResourcesService),
    workflow: context.get(WorkflowService),
    rights: context.get(RightsService),
    parties: context.get(PartiesService),
  };

  const party = async (kind: PartyKind, name: string, regionCode?: string) =>
    (await s.parties.create(clerk, { kind, name, regionCode, note: '演示数据' }, manager)).id;
  const p = {
    mnr: await party('state_body', '自然资源部'),
    province: await party('state_body', '江西省人民政府'),
    county: await party('state_body', '婺源县人民政府', '361130'),
    forestry: await party('state_body', '婺源县林业局', '361130'),
    reserveOffice: await party('state_body', '婺源森林鸟类国家级自然保护区管理处', '361130'),
    wetlandOffice: await party('state_body', '江西婺源饶河源国家湿地公园管理处', '361130'),
    xiaoqi: await party('collective', '江湾镇晓起村农民集体', '361130103'),
    xichong: await party('collective', '思口镇西冲村农民集体', '361130104'),
    wang: await party('individual', '汪某某（示例农户）', '361130103'),
    yu: await party('individual', '俞某某（示例农户）', '361130103'),
    jiang: await party('individual', '江某某（示例农户）', '361130103'),
    cheng: await party('individual', '程某某（示例林农）', '361130104'),
    bank: await party('enterprise', '婺源县某农村商业银行（示例）', '361130'),
    developer: await party('enterprise', '某房地产开发有限公司（示例）'),
    platform: await party(
      'enterprise',
      '婺源县生态产品运营有限公司（示例，两山转化平台）',
      '361130',
    ),
  };
  const state = {
    model: 'state' as const,
    representative: '自然资源部',
    proxy: '江西省人民政府',
    exerciseMode: '委托代理行使',
  };

  /** Pre-delimitation to 登簿, with the resources recorded during the survey. */
  const register = async (
    input: Parameters<UnitsService['create']>[1],
    resources: Parameters<ResourcesService['add']>[2][],
    d: { notice: string; survey: string; review: string; publicNotice: string; register: string },
  ) => {
    const unit = await s.units.create(clerk, input, manager);
    await s.workflow.notice(
      clerk,
      unit.id,
      {
        date: d.notice,
        document: {
          type: '自然资源首次登记通告',
          number: `婺府告〔${d.notice.slice(0, 4)}〕（示例）`,
          issuer: '婺源县人民政府',
        },
      },
      manager,
    );
    const ids: string[] = [];
    for (const r of resources)
      ids.push((await s.resources.add(clerk, unit.id, { ...r, date: d.survey }, manager)).id);
    await s.workflow.surveyDone(clerk, unit.id, { date: d.survey }, manager);
    await s.workflow.review(reviewer, unit.id, { decision: 'approve', date: d.review }, manager);
    await s.workflow.publicNotice(clerk, unit.id, { date: d.publicNotice }, manager);
    await s.workflow.register(
      reviewer,
      unit.id,
      {
        date: d.register,
        certificateNumber: `赣（${d.register.slice(0, 4)}）婺源县自然资源第000${ids.length}号（示例）`,
      },
      manager,
    );
    return { unitId: unit.id, resources: ids };
  };
  const contract = (number: string, type = '合同') => ({ type, number: `${number}（示例）` });

  // 1. The national nature reserve: state-owned, forest and water, a compensation-income right.
  const reserve = await register(
    {
      regionCode: '361130',
      unitType: 'nature_reserve',
      name: DEMO_RESERVE,
      boundary: rect(117.6, 29.4, 117.71, 29.48),
      ownership: {
        ...state,
        manager: '婺源森林鸟类国家级自然保护区管理处',
        exerciseContent: '保护、管理自然保护区内全民所有自然资源',
      },
      stateAreaHa: '9400',
      fourBounds: {
        east: '段莘乡集体林',
        south: '思口镇集体林',
        west: '浙源乡集体林',
        north: '安徽省休宁县界',
      },
      controls: {
        redLineAreaHa: '9400',
        protectedAreaZone: '核心保护区、一般控制区',
        plannedUse: '自然保护地',
      },
      remarks: MARK,
      date: '2021-03-01',
    },
    [
      {
        resourceType: 'forest',
        name: '保护区常绿阔叶林',
        ecosystemType: 'forest',
        areaHa: '8500',
        stateAreaHa: '8500',
        patchCount: 42,
        attributes: {
          forestType: '常绿阔叶林',
          dominantFunction: '生物多样性保护',
          mainSpecies: ['甜槠', '木荷', '苦槠'],
          forestCategory: 'public_welfare',
          totalStockM3: '1020000',
        },
      },
      {
        resourceType: 'water_flow',
        name: '保护区溪流',
        ecosystemType: 'water',
        areaHa: '200',
        stateAreaHa: '200',
        attributes: { waterFlowType: 'river', lengthKm: '46', waterQuality: 'I' },
      },
    ],
    {
      notice: '2021-03-15',
      survey: '2021-06-30',
      review: '2021-07-15',
      publicNotice: '2021-08-02',
      register: '2021-09-01',
    },
  );
  await s.rights.grant(
    clerk,
    {
      resourceId: reserve.resources[0],
      rightType: 'compensation_income',
      holders: [{ partyId: p.reserveOffice }],
      date: '2021-10-01',
      document: contract('婺林〔2021〕补偿收益权确认书', '公益林补偿收益权确认'),
    },
    manager,
  );

  // 2. The national wetland park: a wetland offset credit granted to the county and sold.
  const wetland = await register(
    {
      regionCode: '361130',
      unitType: 'natural_park',
      name: '江西婺源饶河源国家湿地公园',
      boundary: rect(117.75, 29.3, 117.8, 29.34),
      ownership: { ...state, manager: '江西婺源饶河源国家湿地公园管理处' },
      stateAreaHa: '1800',
      controls: { protectedAreaZone: '保育区、恢复重建区、合理利用区', plannedUse: '湿地公园' },
      remarks: MARK,
      date: '2022-01-10',
    },
    [
      {
        resourceType: 'wetland',
        name: '饶河源河流湿地',
        ecosystemType: 'wetland',
        areaHa: '1200',
        stateAreaHa: '1200',
        attributes: {
          wetlandType: '永久性河流湿地',
          vegetationType: '挺水植被',
          vegetationAreaHa: '300',
          dominantSpecies: ['芦苇', '菰'],
          protectedBirds: ['中华秋沙鸭', '鸳鸯'],
          waterClass: 'II',
          waterSupply: '降水与地表径流补给',
        },
      },
      {
        resourceType: 'forest',
        name: '湿地公园岸带森林',
        ecosystemType: 'forest',
        areaHa: '600',
        stateAreaHa: '600',
        attributes: {
          forestType: '针阔混交林',
          forestCategory: 'public_welfare',
          totalStockM3: '54000',
        },
      },
    ],
    {
      notice: '2022-01-20',
      survey: '2022-03-31',
      review: '2022-04-12',
      publicNotice: '2022-04-20',
      register: '2022-05-20',
    },
  );
  const credit = await s.rights.grant(
    clerk,
    {
      resourceId: wetland.resources[0],
      rightType: 'wetland_offset_credit',
      holders: [{ partyId: p.county }],
      areaHa: '2.8',
      date: '2023-03-01',
      document: contract('婺自然资〔2023〕湿地占补平衡指标核定书', '湿地占补平衡指标核定'),
    },
    manager,
  );
  // 2.8 hm² = 42 亩 × 8.8万元/亩
  await s.rights.transfer(
    clerk,
    credit.id,
    {
      kind: 'transfer',
      fromPartyId: p.county,
      toPartyId: p.developer,
      date: '2023-08-15',
      priceYuan: '3696000',
      document: contract('赣公资交〔2023〕湿地指标交易合同', '湿地占补平衡指标交易合同'),
    },
    manager,
  );

  // 3. A stretch of the 乐安河: water flow with permits linked.
  await register(
    {
      regionCode: '361130',
      unitType: 'water_flow',
      name: '乐安河婺源段（示例河段）',
      boundary: rect(117.85, 29.2, 117.97, 29.205),
      ownership: { ...state, manager: '婺源县水利局' },
      stateAreaHa: '580',
      links: [
        { kind: 'water_withdrawal_permit', reference: '取水（赣饶）字〔2021〕第0001号（示例）' },
        { kind: 'discharge_permit', reference: '排污许可证 91361130XXXXXXXX（示例）' },
      ],
      remarks: MARK,
      date: '2022-02-01',
    },
    [
      {
        resourceType: 'water_flow',
        name: '乐安河',
        ecosystemType: 'water',
        areaHa: '580',
        stateAreaHa: '580',
        attributes: {
          waterFlowType: 'river',
          startEnd: '示例起点—玉坦大桥',
          lengthKm: '13.5',
          surfaceAreaHa: '520',
          channelGrade: '四级',
          meanAnnualRunoffWanM3: '185000',
          waterQuality: 'II',
        },
      },
    ],
    {
      notice: '2022-02-10',
      survey: '2022-04-30',
      review: '2022-05-10',
      publicNotice: '2022-05-16',
      register: '2022-06-20',
    },
  );

  // 4. A collective forest: contract and management rights, a forest-right mortgage, a split.
  const xiaoqi = await register(
    {
      regionCode: '361130103',
      unitType: 'forest',
      name: '江湾镇晓起村集体林',
      boundary: rect(118.0, 29.4, 118.03, 29.42),
      ownership: {
        model: 'collective',
        collectivePartyId: p.xiaoqi,
        exerciseMode: '村民会议决定',
        manager: '晓起村村民委员会',
      },
      collectiveAreaHa: '600',
      remarks: MARK,
      date: '2021-05-01',
    },
    [
      {
        resourceType: 'forest',
        name: '杉木林小班 A',
        ecosystemType: 'forest',
        areaHa: '120',
        collectiveAreaHa: '120',
        attributes: {
          forestType: '杉木林',
          mainSpecies: ['杉木'],
          forestCategory: 'commercial',
          totalStockM3: '14400',
        },
      },
      {
        resourceType: 'forest',
        name: '毛竹林小班 B',
        ecosystemType: 'forest',
        areaHa: '80',
        collectiveAreaHa: '80',
        attributes: { forestType: '竹林', mainSpecies: ['毛竹'], forestCategory: 'commercial' },
      },
      {
        resourceType: 'forest',
        name: '生态公益林小班 C',
        ecosystemType: 'forest',
        areaHa: '200',
        collectiveAreaHa: '200',
        attributes: {
          forestType: '常绿阔叶林',
          forestCategory: 'public_welfare',
          totalStockM3: '26000',
        },
      },
    ],
    {
      notice: '2021-05-10',
      survey: '2021-08-31',
      review: '2021-09-10',
      publicNotice: '2021-09-15',
      register: '2021-11-01',
    },
  );
  const [a, b] = xiaoqi.resources;
  await s.rights.grant(
    clerk,
    {
      resourceId: a,
      rightType: 'contract',
      holders: [{ partyId: p.wang }],
      date: '2022-01-01',
      endDate: '2052-01-01',
      document: contract('晓起村林地承包合同 2022-01', '林地承包合同'),
    },
    manager,
  );
  const mgmt = await s.rights.grant(
    clerk,
    {
      resourceId: a,
      rightType: 'forest_land_management',
      holders: [{ partyId: p.wang }],
      date: '2022-01-01',
      endDate: '2052-01-01',
      document: contract('晓起村林地承包合同 2022-01', '林地承包合同'),
    },
    manager,
  );
  await s.rights.grant(
    clerk,
    {
      resourceId: b,
      rightType: 'contract',
      holders: [
        { partyId: p.yu, share: '50' },
        { partyId: p.jiang, share: '50' },
      ],
      date: '2022-01-01',
      endDate: '2052-01-01',
      document: contract('晓起村林地承包合同 2022-02', '林地承包合同'),
    },
    manager,
  );
  await s.rights.grant(
    clerk,
    {
      resourceId: a,
      rightType: 'mortgage',
      holders: [{ partyId: p.bank }],
      encumbersRightId: mgmt.id,
      date: '2022-03-01',
      endDate: '2025-03-01',
      priceYuan: '500000',
      document: contract('林权抵押借款合同 2022-015', '林权抵押合同'),
    },
    manager,
  );
  // 分户: the two co-contractors divide parcel B; the contract right carries over to both parts.
  const [b1, b2] = await s.resources.split(
    clerk,
    b,
    {
      date: '2023-04-01',
      reason: '共有承包户分户（示例）',
      parts: [
        { areaHa: '50', collectiveAreaHa: '50', name: '毛竹林小班 B-1' },
        { areaHa: '30', collectiveAreaHa: '30', name: '毛竹林小班 B-2' },
      ],
    },
    manager,
  );
  // …and each takes the other's half of his part: B-1 to 俞某某, B-2 to 江某某.
  for (const [part, from, to] of [
    [b1.id, p.jiang, p.yu],
    [b2.id, p.yu, p.jiang],
  ]) {
    const q = Object.assign(new RightQuery(), { resourceId: part, asOf: '2023-04-01' });
    const [carried] = (await s.rights.list(clerk.user, q, manager)).items;
    await s.rights.transfer(
      clerk,
      carried.id,
      {
        kind: 'transfer',
        fromPartyId: from,
        toPartyId: to,
        date: '2023-04-01',
        priceYuan: '0',
        document: contract('分户协议 2023-04', '承包经营权分户协议'),
      },
      manager,
    );
  }

  // 5. A commercial forest bought back by the state (重点生态区位商品林赎买), then held in custody.
  const xichong = await register(
    {
      regionCode: '361130104',
      unitType: 'forest',
      name: '思口镇西冲村商品林',
      boundary: rect(117.8, 29.38, 117.82, 29.39),
      ownership: { model: 'collective', collectivePartyId: p.xichong },
      collectiveAreaHa: '150',
      controls: { plannedUse: '重点生态区位' },
      remarks: MARK,
      date: '2021-06-01',
    },
    [
      {
        resourceType: 'forest',
        name: '西冲杉木林',
        ecosystemType: 'forest',
        areaHa: '150',
        collectiveAreaHa: '150',
        attributes: { forestType: '杉木林', forestCategory: 'commercial', totalStockM3: '15000' },
      },
    ],
    {
      notice: '2021-06-10',
      survey: '2021-09-30',
      review: '2021-10-12',
      publicNotice: '2021-10-18',
      register: '2021-12-01',
    },
  );
  const trees = await s.rights.grant(
    clerk,
    {
      resourceId: xichong.resources[0],
      rightType: 'tree_ownership',
      holders: [{ partyId: p.cheng }],
      date: '2021-12-15',
      document: contract('林木所有权登记', '林权证'),
    },
    manager,
  );
  // 150 hm² = 2,250 亩 × 3,000 元/亩
  const bought = await s.rights.transfer(
    clerk,
    trees.id,
    {
      kind: 'buy_back',
      fromPartyId: p.cheng,
      toPartyId: p.forestry,
      date: '2023-06-01',
      priceYuan: '6750000',
      document: contract('婺源县重点生态区位商品林赎买协议 2023-003', '商品林赎买协议'),
    },
    manager,
  );
  await s.resources.change(
    clerk,
    xichong.resources[0],
    {
      kind: 'change',
      date: '2023-06-01',
      reason: '赎买后区划为公益林',
      attributes: { forestType: '杉木林', forestCategory: 'public_welfare', totalStockM3: '15000' },
    },
    manager,
  );
  await s.rights.grant(
    clerk,
    {
      resourceId: xichong.resources[0],
      rightType: 'custody',
      holders: [{ partyId: p.platform }],
      encumbersRightId: bought.id,
      date: '2023-07-01',
      endDate: '2043-07-01',
      document: contract('森林托管协议 2023-01', '森林托管协议'),
    },
    manager,
  );

  // 6. A wetland in first registration: in public notice with an open objection.
  const pending = await s.units.create(
    clerk,
    {
      regionCode: '361130204',
      unitType: 'wetland',
      name: '大鄣山乡溪源湿地（登记中，示例）',
      boundary: rect(117.7, 29.5, 117.72, 29.51),
      ownership: { ...state, manager: '婺源县林业局' },
      remarks: MARK,
      date: '2026-09-01',
    },
    manager,
  );
  await s.workflow.notice(
    clerk,
    pending.id,
    {
      date: '2026-09-05',
      document: { type: '自然资源首次登记通告', number: '婺府告〔2026〕（示例）' },
    },
    manager,
  );
  await s.resources.add(
    clerk,
    pending.id,
    {
      resourceType: 'wetland',
      ecosystemType: 'wetland',
      areaHa: '190',
      stateAreaHa: '190',
      date: '2026-10-08',
      attributes: { wetlandType: '沼泽湿地' },
    },
    manager,
  );
  await s.workflow.surveyDone(clerk, pending.id, { date: '2026-10-08' }, manager);
  await s.workflow.review(
    reviewer,
    pending.id,
    { decision: 'approve', date: '2026-10-20' },
    manager,
  );
  await s.workflow.publicNotice(clerk, pending.id, { date: '2026-11-02' }, manager);
  await s.workflow.object(
    clerk,
    pending.id,
    {
      date: '2026-11-10',
      objector: '大鄣山乡某村民委员会（示例）',
      content: '西北角约 3 公顷为本村集体林地，不应划入全民所有湿地',
    },
    manager,
  );
  return 6;
}
