import type { Lang } from '../i18n/text';

/** Every typed error the service can raise. Adding a code forces a mapping in {@link statusOf}. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_REQUEST'
  | 'NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'OUT_OF_REGION_SCOPE'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'STALE_REVISION'
  | 'STATE_NOT_ALLOWED'
  | 'RUN_NOT_DRAFT'
  | 'RUN_PUBLISHED_MEANWHILE'
  | 'RUN_NOT_PUBLISHED'
  | 'INPUTS_CHANGED'
  | 'UNIT_CANCELLED'
  | 'ENTRY_BEFORE_LAST'
  | 'OBJECTIONS_OPEN'
  | 'RIGHT_NOT_LIVE'
  | 'RIGHT_ENCUMBERED'
  | 'RIGHTS_OVERLAP'
  | 'JOB_INTERRUPTED'
  | 'CONCURRENT_CHANGE'
  | 'RESOURCE_NOT_LIVE'
  | 'RIGHTS_LIVE'
  | 'RESOURCES_FIXED'
  | 'UNIT_HAS_NO_RESOURCES'
  | 'RIGHT_NOT_TRANSFERABLE'
  | 'SELF_CHANGE_REFUSED'
  | 'NOTHING_TO_SUBMIT'
  | 'STILL_IN_USE'
  | 'RECORD_IMMUTABLE'
  | 'DUPLICATE'
  | 'CONSTRAINT_VIOLATED'
  | 'REGION_INVALID_PARENT'
  | 'REGION_HAS_CHILDREN'
  | 'METHODOLOGY_INVALID'
  | 'METHODOLOGY_PUBLISHED'
  | 'FORM_LOCKED'
  | 'DATA_INCOMPLETE'
  | 'PAYLOAD_TOO_LARGE'
  | 'HEADER_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BUSY'
  | 'INTERNAL';

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'CONSTRAINT_VIOLATED':
    case 'REGION_INVALID_PARENT':
    case 'METHODOLOGY_INVALID':
      return 422;
    case 'MALFORMED_REQUEST':
      return 400;
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
      return 401;
    case 'FORBIDDEN':
    case 'OUT_OF_REGION_SCOPE':
      return 403;
    case 'NOT_FOUND':
    case 'ROUTE_NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'STALE_REVISION':
    case 'STATE_NOT_ALLOWED':
    case 'RUN_NOT_DRAFT':
    case 'RUN_PUBLISHED_MEANWHILE':
    case 'RUN_NOT_PUBLISHED':
    case 'INPUTS_CHANGED':
    case 'UNIT_CANCELLED':
    case 'ENTRY_BEFORE_LAST':
    case 'OBJECTIONS_OPEN':
    case 'RIGHT_NOT_LIVE':
    case 'RIGHT_ENCUMBERED':
    case 'RIGHTS_OVERLAP':
    case 'JOB_INTERRUPTED':
    case 'CONCURRENT_CHANGE':
    case 'RESOURCE_NOT_LIVE':
    case 'RIGHTS_LIVE':
    case 'RESOURCES_FIXED':
    case 'UNIT_HAS_NO_RESOURCES':
    case 'RIGHT_NOT_TRANSFERABLE':
    case 'SELF_CHANGE_REFUSED':
    case 'NOTHING_TO_SUBMIT':
    case 'STILL_IN_USE':
    case 'RECORD_IMMUTABLE':
    case 'DUPLICATE':
    case 'REGION_HAS_CHILDREN':
    case 'METHODOLOGY_PUBLISHED':
    case 'FORM_LOCKED':
    case 'DATA_INCOMPLETE':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'HEADER_TOO_LARGE':
      return 431;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'BUSY':
      return 503;
  }
}

/** Each code's title, in Chinese and English (problem+json `title`). */
export const TITLES: Record<ErrorCode, { zh: string; en: string }> = {
  VALIDATION_FAILED: { zh: '填写的内容有误', en: 'The request has invalid fields' },
  MALFORMED_REQUEST: { zh: '请求无法读取', en: 'The request could not be read' },
  NOT_FOUND: { zh: '找不到该记录', en: 'Not found' },
  ROUTE_NOT_FOUND: { zh: '找不到该页面', en: 'No such route' },
  UNAUTHENTICATED: { zh: '登录已失效，请重新登录', en: 'Authentication required' },
  INVALID_CREDENTIALS: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  FORBIDDEN: { zh: '您的角色无权执行此操作', en: 'Not allowed for your role' },
  OUT_OF_REGION_SCOPE: { zh: '超出您的地区权限范围', en: 'Outside your region' },
  RATE_LIMITED: { zh: '操作过于频繁，请稍后再试', en: 'Too many requests' },
  CONFLICT: { zh: '操作与当前状态冲突', en: 'Conflict with the current state' },
  STALE_REVISION: {
    zh: '数据已被他人修改，请刷新后重试',
    en: 'Changed meanwhile: reload and retry',
  },
  STATE_NOT_ALLOWED: { zh: '当前状态下不允许此操作', en: 'Not allowed in the current state' },
  RUN_NOT_DRAFT: { zh: '只有草稿核算可以发布', en: 'Only a draft run can be published' },
  RUN_PUBLISHED_MEANWHILE: {
    zh: '同年度已有其他核算在此期间发布',
    en: 'Another run of the year was published meanwhile',
  },
  RUN_NOT_PUBLISHED: {
    zh: '只有已发布的核算可以撤回',
    en: 'Only a published run can be withdrawn',
  },
  INPUTS_CHANGED: {
    zh: '计算所用数据已变化，请重新计算',
    en: 'The inputs changed since this draft was computed',
  },
  UNIT_CANCELLED: { zh: '登记单元已注销', en: 'The unit is cancelled' },
  ENTRY_BEFORE_LAST: {
    zh: '生效日期早于该单元最近一次登记',
    en: 'Earlier than the unit’s latest entry',
  },
  OBJECTIONS_OPEN: {
    zh: '异议期未满或仍有未处理的异议',
    en: 'Objections are open or their period runs',
  },
  RIGHT_NOT_LIVE: { zh: '该权利在此日期不存续', en: 'The right is not live on the date' },
  RIGHT_ENCUMBERED: { zh: '该权利上设有他项权利', en: 'The right is encumbered' },
  RIGHTS_OVERLAP: { zh: '同类排他性权利的期间重叠', en: 'Exclusive rights would overlap' },
  JOB_INTERRUPTED: { zh: '任务被中断，请重新提交', en: 'The job was interrupted' },
  CONCURRENT_CHANGE: { zh: '数据被同时修改，请重试', en: 'Changed concurrently: retry' },
  RESOURCE_NOT_LIVE: {
    zh: '该自然资源在此日期不存在',
    en: 'The resource does not exist on the date',
  },
  RIGHTS_LIVE: { zh: '资源上仍有有效权利', en: 'Live rights stand in the way' },
  RESOURCES_FIXED: {
    zh: '审核至登簿期间资源不能变动',
    en: 'The unit’s resources are fixed until registration',
  },
  UNIT_HAS_NO_RESOURCES: {
    zh: '登记单元尚未记录自然资源',
    en: 'The unit has no resources recorded',
  },
  RIGHT_NOT_TRANSFERABLE: {
    zh: '该权利不能单独转移',
    en: 'The right cannot be handed on by itself',
  },
  SELF_CHANGE_REFUSED: {
    zh: '不能这样修改自己的账号',
    en: 'You cannot change your own account this way',
  },
  NOTHING_TO_SUBMIT: { zh: '没有可提交的数据', en: 'Nothing to submit' },
  STILL_IN_USE: { zh: '仍被其他记录引用', en: 'Still in use' },
  RECORD_IMMUTABLE: { zh: '该记录已不能修改', en: 'The record can no longer be changed' },
  DUPLICATE: { zh: '记录已存在', en: 'Already exists' },
  CONSTRAINT_VIOLATED: { zh: '数据不符合规则', en: 'The change breaks a data rule' },
  REGION_INVALID_PARENT: { zh: '上级行政区不正确', en: 'Invalid parent region' },
  REGION_HAS_CHILDREN: { zh: '该行政区下还有下级行政区', en: 'Region still has sub-regions' },
  METHODOLOGY_INVALID: { zh: '核算方法未通过校验', en: 'The methodology has problems' },
  METHODOLOGY_PUBLISHED: {
    zh: '已发布的核算方法不能修改',
    en: 'The methodology is published and cannot change',
  },
  FORM_LOCKED: {
    zh: '报表已提交或已审核，数值已锁定',
    en: 'The form is submitted or approved; its values are locked',
  },
  DATA_INCOMPLETE: {
    zh: '数据不完整，不能按 0 处理',
    en: 'Figures are missing: not done as if they were 0',
  },
  PAYLOAD_TOO_LARGE: { zh: '文件或请求过大', en: 'Request body too large' },
  HEADER_TOO_LARGE: { zh: '请求头过长', en: 'Request header fields too large' },
  UNSUPPORTED_MEDIA_TYPE: { zh: '文件格式不支持', en: 'Unsupported content type' },
  BUSY: { zh: '系统繁忙，排队的任务过多', en: 'Busy: too much work is queued' },
  INTERNAL: { zh: '系统内部错误，请联系管理员（已记录请求编号）', en: 'Internal error' },
};

/** A code's title in one language. */
export const titleOf = (code: ErrorCode, lang: Lang = 'en'): string => TITLES[code][lang];
