import { zhEn } from '../i18n/text';
import { ErrorCode } from './error-codes';

/** What `DomainError.notFound` names, in Chinese. */
const NOUNS_ZH: Record<string, string> = {
  run: '核算',
  'accounting run': '核算',
  methodology: '核算方法',
  form: '报表',
  'survey form': '报表',
  region: '行政区',
  user: '用户',
  job: '任务',
  scheme: '补偿方案',
  'compensation scheme': '补偿方案',
  'compensation run': '补偿计算',
  official: '干部',
  tenure: '任期',
  report: '审计报告',
  'registration unit': '登记单元',
  resource: '自然资源',
  right: '权利',
  party: '权利人',
  'parcel set': '图斑数据集',
  'parcel run': '图斑核算',
  section: '监测断面',
  'monitoring section': '监测断面',
  'region in run': '核算中的行政区',
  result: '核算结果',
  objection: '异议',
  'parcel of run': '图斑',
};

/** The Chinese noun for `what` (the longest known beginning: 'objection of unit …' is 异议). */
export const nounZh = (what: string): string => {
  const key = Object.keys(NOUNS_ZH)
    .filter((k) => what === k || what.startsWith(`${k} `))
    .sort((a, b) => b.length - a.length)[0];
  return key ? NOUNS_ZH[key] : what;
};

/** One problem with one field of the input; `path` uses dots and [i] (`items[2].value`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** A typed error thrown by services; the global filter renders it as problem+json. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldProblem[] = [],
    /** For RATE_LIMITED: seconds until the client may retry (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError(
      'NOT_FOUND',
      zhEn(`找不到${nounZh(what)}（${id}）`, `${what} ${id} does not exist`),
    );
  }

  static invalid(path: string, message: string): DomainError {
    return new DomainError('VALIDATION_FAILED', message, [{ path, message }]);
  }
}
