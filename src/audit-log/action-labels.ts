/**
 * What an audit-log action is called in Chinese (发布核算, 提交报表, 首次登记（登簿）…), for the
 * auditor reading the log. Actions are `<object>.<verb>`; a domain whose verbs are its own words
 * (the registry's ledger entries) registers them with {@link labelActions} — the log knows no domain.
 */
const OBJECTS: Record<string, string> = {
  accounting_run: '核算',
  audit_report: '离任审计报告',
  compensation_run: '补偿计算',
  compensation_scheme: '补偿方案',
  compensation_fund: '补偿资金',
  forest_areas: '公益林面积',
  methodology: '核算方法',
  monitoring_section: '监测断面',
  monitoring_values: '监测数据',
  official: '干部',
  parcel_run: '图斑核算',
  parcel_set: '图斑数据集',
  region: '行政区',
  survey_form: '报表',
  tenure: '任期',
  user: '用户',
  registry: '登记簿',
};
const VERBS: Record<string, string> = {
  create: '新建',
  update: '修改',
  delete: '删除',
  publish: '发布',
  supersede: '取代',
  withdraw: '撤回',
  approve: '审批',
  submit: '提交',
  return: '退回',
  correct: '更正',
  save_values: '保存数值：',
  put: '录入',
  load: '载入',
  import: '批量导入',
  change_password: '修改密码：',
  reset_password: '重置密码：',
  paid: '拨付',
  withheld: '暂缓拨付',
  reduced: '核减',
  stopped: '停止拨付',
  recovered: '追回',
};
const EXACT = new Map<string, string>([
  ['auth.login', '登录'],
  ['auth.login_failed', '登录失败'],
  ['survey_form.approve', '审核通过报表'],
  ['survey_form.correct', '发起报表更正'],
  ['accounting_run.supersede', '核算被取代'],
  ['registry.party.create', '新建权利人'],
  ['region.boundary', '录入行政区界线'],
]);

/**
 * What the object of an entry is called, by its entity type: as its actions' object (OBJECTS)
 * where the two are the same thing, else its own name (a sign-in's object is the account).
 */
const ENTITY_TYPES: Record<string, string> = {
  ...Object.fromEntries(
    [
      'accounting_run',
      'audit_report',
      'compensation_run',
      'compensation_scheme',
      'methodology',
      'monitoring_section',
      'official',
      'parcel_run',
      'parcel_set',
      'region',
      'survey_form',
      'tenure',
      'user',
    ].map((t) => [t, OBJECTS[t]]),
  ),
  auth: '登录账户',
  forest_area: '公益林面积',
  registration_unit: '登记单元',
  registry_party: '权利人',
};

/** The Chinese name of an entry's object type; null for one no table knows (its code is shown). */
export function entityTypeLabel(entityType: string): string | null {
  return ENTITY_TYPES[entityType] ?? null;
}

/** Every object type with its Chinese name (for choosing one in a filter). */
export const entityTypeLabels = (): Readonly<Record<string, string>> => ENTITY_TYPES;

/**
 * What the fields of an entry's `before` and `after` are called: the columns of the objects the
 * service writes to the log whole (a region, a user, a form, a run…), the fields of the entries it
 * writes field by field, and those of the changes it lists (a monitoring month's, a forest
 * area's). A field no table names is shown by its key.
 */
const FIELDS: Record<string, string> = {
  acting: '代理任职',
  amount: '金额',
  approvedAt: '批准时间',
  approvedBy: '批准人',
  budget: '预算',
  budgetYear: '预算年度',
  byIncompleteRun: '由不完整核算取代',
  changes: '数值变化',
  code: '代码',
  comment: '意见',
  compiledSql: '编译后的 SQL',
  compiledSqlSha256: 'SQL 哈希',
  complete: '完整',
  completeness: '完整性',
  concentration: '浓度',
  conclusion: '结论',
  content: '内容',
  contentSha256: '内容哈希',
  corrections: '更正记录',
  coverage: '结果覆盖',
  createdAt: '创建时间',
  createdBy: '创建人',
  date: '日期',
  demo: '演示数据',
  department: '部门',
  description: '说明',
  disabled: '已停用',
  displayName: '姓名',
  downstreamRegionCode: '下游行政区',
  effectiveDate: '生效日期',
  endDate: '截止日期',
  entryId: '登记记录',
  forestLevel: '公益林级别',
  gaps: '缺项',
  gepYear: 'GEP 年份',
  grade: '等次',
  id: '编号',
  idNumber: '证件号码',
  incompleteReason: '不完整说明',
  indicatorCodes: '指标',
  inflow: '断面水量',
  inputCodes: '输入变量',
  inputs: '输入',
  inputsGiven: '已给出的输入',
  inputsSha256: '输入哈希',
  inputUnits: '输入单位',
  kind: '类别',
  level: '级别',
  methodology: '核算方法',
  methodologyId: '核算方法编号',
  methodologyVersion: '核算方法版本',
  month: '月份',
  name: '名称',
  note: '备注',
  officialId: '干部编号',
  ownership: '权属',
  parameters: '参数',
  parcelCount: '图斑数',
  parcels: '图斑数',
  parentCode: '上级行政区',
  path: '层级路径',
  pollutant: '污染物',
  positions: '坐标点数',
  post: '职务',
  publishedAt: '发布时间',
  publishedBy: '发布人',
  reason: '原因',
  region: '行政区',
  regionCode: '行政区',
  resources: '自然资源',
  reviewedAt: '审核时间',
  reviewedBy: '审核人',
  revision: '修订号',
  river: '河流',
  roles: '角色',
  rootRegionCode: '核算范围',
  ruleset: '评价规则',
  runs: '核算',
  scheme: '补偿方案',
  schemeCode: '方案代码',
  schemeId: '方案编号',
  schemeVersion: '方案版本',
  setId: '图斑数据集',
  sha256: '文件哈希',
  snapshot: '输入快照',
  snapshotSha256: '快照哈希',
  source: '来源',
  sourceDocument: '依据文件',
  sourceFilename: '文件名',
  sourceFormat: '文件格式',
  sourceSha256: '文件哈希',
  standardId: '核算方法',
  startDate: '起始日期',
  state: '状态',
  status: '状态',
  subjects: '权利人',
  submittedAt: '提交时间',
  submittedBy: '提交人',
  summary: '汇总',
  supersededBy: '取代它的核算',
  supersedes: '取代的核算',
  tenureId: '任期编号',
  tokenVersion: '登录凭据版本',
  totalArea: '总面积',
  totalAreaHa: '总面积（公顷）',
  type: '类型',
  units: '登记单元',
  updatedAt: '更新时间',
  upstreamRegionCode: '上游行政区',
  username: '用户名',
  values: '数值',
  version: '版本',
  via: '方式',
  warnings: '提示',
  withdrawalReason: '撤回原因',
  withdrawnAt: '撤回时间',
  withdrawnBy: '撤回人',
  year: '年份',
  zone: '区划',
};

/** Every field of entries' `before` and `after` with its Chinese name (for reading an entry). */
export const auditFieldLabels = (): Readonly<Record<string, string>> => FIELDS;

/** Per action, the Chinese of the reason codes its entries record (`after.reason`). */
const REASONS = new Map<string, Record<string, string>>();

/** Labels for the reason codes an action records, in the domain's own words. */
export function labelReasons(action: string, labels: Record<string, string>): void {
  REASONS.set(action, { ...REASONS.get(action), ...labels });
}

/**
 * The Chinese of an entry's coded reason (a failed login's `wrong password` → 密码错误); null
 * when the entry has none, or its reason is not a code (a reason a user wrote is shown as written).
 */
export function reasonLabel(action: string, after: unknown): string | null {
  const reason = (after as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? (REASONS.get(action)?.[reason] ?? null) : null;
}

/** Labels for actions named in a domain's own words. */
export function labelActions(labels: Record<string, string>): void {
  for (const [action, label] of Object.entries(labels)) EXACT.set(action, label);
}

/** The Chinese label of an action; null for one no table knows (the code is shown instead). */
export function actionLabel(action: string): string | null {
  const exact = EXACT.get(action);
  if (exact) return exact;
  const dot = action.indexOf('.');
  const object = OBJECTS[action.slice(0, dot)];
  const verb = VERBS[action.slice(dot + 1)];
  if (dot < 0 || !object || !verb) return null;
  return verb.endsWith('：') ? `${object}${verb.slice(0, -1)}` : `${verb}${object}`;
}
