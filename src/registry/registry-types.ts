/**
 * The registry's vocabulary: unit, resource, right and ledger-entry kinds, with the rules the
 * service and the database enforce on them. Sources: `shared/domain/registry.md` §2–§7
 * (自然资源统一确权登记暂行办法 2019, 操作指南 2020, 民法典 物权编, 森林法 2019).
 */

/** 登记单元类型 (暂行办法 ch. 3–4: protected areas first, then water flows, wetlands, forests…). */
export const UNIT_TYPES = [
  'national_park',
  'nature_reserve',
  'natural_park',
  'water_flow',
  'wetland',
  'forest',
  'grassland',
  'wasteland',
  'mineral_area',
  'sea_area',
  'island',
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export const UNIT_TYPE_ZH: Record<UnitType, string> = {
  national_park: '国家公园',
  nature_reserve: '自然保护区',
  natural_park: '自然公园',
  water_flow: '水流（河流、湖泊）',
  wetland: '湿地',
  forest: '森林',
  grassland: '草原',
  wasteland: '荒地',
  mineral_area: '探明储量的矿产资源（矿区/油气田）',
  sea_area: '海域',
  island: '无居民海岛',
};

/**
 * Two-letter type segment of the unit code (see {@link unitCode}). Project convention: the layout
 * of GB/T 46547-2025 has not been seen (registry.md §9 item 1).
 */
export const UNIT_TYPE_CODES: Record<UnitType, string> = {
  national_park: 'GJ',
  nature_reserve: 'ZB',
  natural_park: 'ZG',
  water_flow: 'SZ',
  wetland: 'SD',
  forest: 'SL',
  grassland: 'CY',
  wasteland: 'HD',
  mineral_area: 'KC',
  sea_area: 'HY',
  island: 'DY',
};

/**
 * Mineral units are delimited separately and recorded "in layers" (分层标示) under surface units
 * (registry.md §4.1), so boundaries must not overlap only within the same layer.
 */
export const layerOf = (type: UnitType): 'surface' | 'subsurface' =>
  type === 'mineral_area' ? 'subsurface' : 'surface';

/**
 * A unit's state. The first six are the first-registration workflow (操作指南: 预划 → 通告 →
 * 地籍调查 → 审核 → 公告 → 登簿); `cancelled` follows 注销登记.
 */
export const UNIT_STATUSES = [
  'pre_delimited',
  'notice_issued',
  'surveyed',
  'reviewed',
  'public_notice',
  'registered',
  'cancelled',
] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const UNIT_STATUS_ZH: Record<UnitStatus, string> = {
  pre_delimited: '已预划',
  notice_issued: '已发布通告',
  surveyed: '已完成调查',
  reviewed: '已审核',
  public_notice: '公告中',
  registered: '已登簿',
  cancelled: '已注销',
};

/** Resource types inside a unit (暂行办法 art. 3 plus 湿地, registry.md §2). */
export const RESOURCE_TYPES = [
  'water_flow',
  'forest',
  'grassland',
  'wetland',
  'mineral',
  'wasteland',
  'sea_area',
  'island',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const RESOURCE_TYPE_ZH: Record<ResourceType, string> = {
  water_flow: '水流',
  forest: '森林',
  grassland: '草原',
  wetland: '湿地',
  mineral: '矿产',
  wasteland: '荒地',
  sea_area: '海域',
  island: '无居民海岛',
};

/**
 * Ecosystem types, the item codes of the `ecosystem` index of the national methodology, so that
 * registry extent can be entered as `eco_area` survey data without a mapping table.
 */
export const ECOSYSTEM_TYPES = [
  'forest',
  'shrub',
  'grassland',
  'wetland',
  'farmland',
  'urban',
  'glacier_snow',
  'bare_land',
  'water',
] as const;
export type EcosystemType = (typeof ECOSYSTEM_TYPES)[number];

export const ECOSYSTEM_ZH: Record<EcosystemType, string> = {
  forest: '森林',
  shrub: '灌丛',
  grassland: '草地',
  wetland: '湿地',
  farmland: '农田',
  urban: '城镇',
  glacier_snow: '冰川/永久积雪',
  bare_land: '荒漠/裸地',
  water: '水体',
};

export const PARTY_KINDS = ['state_body', 'collective', 'enterprise', 'individual'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export const PARTY_KIND_ZH: Record<PartyKind, string> = {
  state_body: '国家机关或其授权机构',
  collective: '农村集体经济组织',
  enterprise: '企业或其他组织',
  individual: '自然人',
};

export const OWNER_MODELS = ['state', 'collective'] as const;
export type OwnerModel = (typeof OWNER_MODELS)[number];

interface RightRule {
  zh: string;
  /** At most one live right of this type over a resource at any date (a database exclusion). */
  exclusive: boolean;
  /** May be mortgaged (民法典 arts. 395, 399; 森林法 art. 62). */
  mortgageable: boolean;
  /** Created over another live right, which it cannot outlive (mortgage, lease, custody). */
  encumbrance: boolean;
  /** Carries an area (亩/hm²) out of the resource, e.g. a wetland offset credit. */
  hasArea: boolean;
}

const r = (zh: string, o: Partial<Omit<RightRule, 'zh'>> = {}): RightRule => ({
  zh,
  exclusive: true,
  mortgageable: false,
  encumbrance: false,
  hasArea: false,
  ...o,
});

/** Right types (registry.md §7.5) and their rules. */
export const RIGHT_RULES = {
  ownership: r('所有权'),
  contract: r('承包权'),
  management: r('经营权', { mortgageable: true }),
  forest_land_management: r('林地经营权', { mortgageable: true }),
  tree_ownership: r('林木所有权', { mortgageable: true }),
  tree_use: r('林木使用权', { mortgageable: true }),
  use: r('使用权（海域、无居民海岛等）', { mortgageable: true }),
  mining: r('矿业权', { mortgageable: true }),
  water_withdrawal: r('取水权', { exclusive: false }),
  compensation_income: r('公益林补偿收益权'),
  wetland_offset_credit: r('湿地占补平衡指标', { exclusive: false, hasArea: true }),
  wetland_equity: r('湿地生态权益'),
  mortgage: r('抵押权', { exclusive: false, encumbrance: true }),
  lease: r('租赁权', { encumbrance: true }),
  custody: r('托管经营权', { encumbrance: true }),
} satisfies Record<string, RightRule>;
export type RightType = keyof typeof RIGHT_RULES;
export const RIGHT_TYPES = Object.keys(RIGHT_RULES) as RightType[];
export const rightRule = (t: RightType): RightRule => RIGHT_RULES[t];

/** How a right is handed on (registry.md §7: 转让, 赎买, 入股). */
export const TRANSFER_KINDS = ['transfer', 'buy_back', 'equity'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** Every kind of ledger entry: registration events and rights transactions. */
export const ENTRY_KINDS = [
  // first-registration workflow
  'pre_delimitation',
  'notice',
  'survey',
  'review',
  'public_notice',
  'first_registration',
  // later registrations
  'change',
  'correction',
  'cancellation',
  'objection',
  'objection_resolution',
  // resources
  'resource_added',
  'split',
  'merge',
  // rights transactions
  'grant',
  'transfer',
  'buy_back',
  'equity',
  'lease',
  'mortgage',
  'custody',
  'mortgage_release',
  'right_end',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const ENTRY_ZH: Record<EntryKind, string> = {
  pre_delimitation: '预划登记单元',
  notice: '发布首次登记通告',
  survey: '地籍调查',
  review: '审核',
  public_notice: '公告',
  first_registration: '首次登记（登簿）',
  change: '变更登记',
  correction: '更正登记',
  cancellation: '注销登记',
  objection: '异议登记',
  objection_resolution: '异议处理',
  resource_added: '记载自然资源',
  split: '分割',
  merge: '合并',
  grant: '设立权利',
  transfer: '转让',
  buy_back: '赎买',
  equity: '入股',
  lease: '出租',
  mortgage: '抵押',
  custody: '托管',
  mortgage_release: '解除抵押',
  right_end: '权利终止',
};

/** The ledger kind recording the creation of a right of a type. */
export const grantKindOf = (t: RightType): EntryKind =>
  t === 'mortgage' ? 'mortgage' : t === 'lease' ? 'lease' : t === 'custody' ? 'custody' : 'grant';

/** Link kinds of the register's 关联信息 (registry.md §5.1). */
export const LINK_KINDS = [
  'real_estate_right',
  'water_withdrawal_permit',
  'discharge_permit',
  'mining_right',
  'spatial_plan',
  'other',
] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
