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
