// The API client: bearer token from the session, problem+json errors turned into ApiError with
// Chinese titles; fields are named by the path the service gives.

const TOKEN = 'gep.token';
const USER = 'gep.user';

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN);
  },
  /** @returns {{id:string, username:string, displayName:string, roles:string[], regionCode:string|null}|null} */
  get user() {
    const raw = sessionStorage.getItem(USER);
    return raw ? JSON.parse(raw) : null;
  },
  start(login) {
    sessionStorage.setItem(TOKEN, login.accessToken);
    sessionStorage.setItem(USER, JSON.stringify(login.user));
  },
  end() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(USER);
  },
  has(...roles) {
    const u = this.user;
    return !!u && u.roles.some((r) => roles.includes(r));
  },
};

const TITLES = {
  VALIDATION_FAILED: '填写的内容有误',
  MALFORMED_REQUEST: '请求无法读取',
  NOT_FOUND: '找不到该记录',
  ROUTE_NOT_FOUND: '找不到该页面',
  UNAUTHENTICATED: '登录已失效，请重新登录',
  INVALID_CREDENTIALS: '用户名或密码错误',
  FORBIDDEN: '您的角色无权执行此操作',
  OUT_OF_REGION_SCOPE: '超出您的地区权限范围',
  RATE_LIMITED: '操作过于频繁',
  CONFLICT: '操作与当前状态冲突',
  STALE_REVISION: '数据已被他人修改，请刷新后重试',
  STATE_NOT_ALLOWED: '当前状态下不允许此操作',
  RUN_NOT_DRAFT: '只有草稿核算可以发布',
  RUN_PUBLISHED_MEANWHILE: '同年度已有其他核算在此期间发布',
  RUN_NOT_PUBLISHED: '只有已发布的核算可以撤回',
  INPUTS_CHANGED: '计算所用数据已变化，请重新计算',
  UNIT_CANCELLED: '登记单元已注销',
  ENTRY_BEFORE_LAST: '生效日期早于该单元最近一次登记',
  OBJECTIONS_OPEN: '异议期未满或仍有未处理的异议',
  RIGHT_NOT_LIVE: '该权利在此日期不存续',
  RIGHT_ENCUMBERED: '该权利上设有他项权利',
  RIGHTS_OVERLAP: '同类排他性权利的期间重叠',
  JOB_INTERRUPTED: '任务被中断，请重新提交',
  CONCURRENT_CHANGE: '数据被同时修改，请重试',
  DUPLICATE: '记录已存在',
  CONSTRAINT_VIOLATED: '数据不符合约束',
  REGION_INVALID_PARENT: '上级行政区不正确',
  REGION_HAS_CHILDREN: '该行政区下还有下级行政区',
  METHODOLOGY_INVALID: '核算方法未通过校验',
  METHODOLOGY_PUBLISHED: '已发布的核算方法不能修改',
  FORM_LOCKED: '报表已锁定，不能修改',
  DATA_INCOMPLETE: '数据不完整，不能按 0 处理',
  PAYLOAD_TOO_LARGE: '文件过大',
  HEADER_TOO_LARGE: '请求过长',
  UNSUPPORTED_MEDIA_TYPE: '文件格式不支持',
  BUSY: '系统繁忙',
  INTERNAL: '系统内部错误，请联系管理员（已记录请求编号）',
};

// The service explains in English; the common phrasings are given in Chinese, the rest shown as
// the service wrote them under a Chinese heading.
const PHRASES = [
  [/should not be empty|is required|must not be empty/i, '必填'],
  [
    /must be a (decimal )?number( string)?|is not a valid decimal number|must be a number/i,
    '须为数字',
  ],
  [/must be an integer number|must be an integer/i, '须为整数'],
  [/must not be less than (\S+)/i, '不能小于 $1'],
  [/must not be greater than (\S+)/i, '不能大于 $1'],
  [
    /must be longer than or equal to (\d+) characters|must be at least (\d+) characters/i,
    '至少 $1$2 个字符',
  ],
  [/must name at least one role/i, '至少选择一个角色'],
  [/must be shorter than or equal to (\d+) characters/i, '最多 $1 个字符'],
  [/^warning needs an explanation: .*/i, '请填写情况说明'],
  [/property (\S+) should not exist/i, '不允许的字段 $1'],
];

export function zhMessage(message) {
  for (const [re, zh] of PHRASES) if (re.test(message)) return message.replace(re, zh).trim();
  return message;
}

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    const code = problem?.code ?? (status >= 500 ? 'INTERNAL' : 'MALFORMED_REQUEST');
    super(TITLES[code] ?? problem?.title ?? `请求失败（${status}）`);
    this.status = status;
    this.code = code;
    this.detail = problem?.detail ?? '';
    this.requestId = problem?.requestId ?? null;
    this.retryAfter = retryAfter;
    /** @type {{path:string, message:string}[]} */
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }

  /** One readable sentence in Chinese, with the service's own detail after it. */
  get readable() {
    const parts = [this.message];
    if (this.retryAfter) parts.push(`请 ${this.retryAfter} 秒后再试`);
    const general = this.errors.filter((e) => !e.path).map((e) => zhMessage(e.message));
    const detail = general.length
      ? general.join('；')
      : this.errors.length
        ? ''
        : zhMessage(this.detail);
    if (detail && detail !== this.message) parts.push(detail);
    if (this.status >= 500 && this.requestId) parts.push(`请求编号 ${this.requestId}`);
    return parts.join('。');
  }
}

function url(path, query) {
  const u = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v));
  return u.pathname + u.search;
}

/**
 * Calls the API. JSON in and out unless `body` is a Blob/File (sent as is, with its type or
 * `contentType`) or `as: 'blob'` is asked for.
 */
export async function api(method, path, { body, query, contentType, as, headers: extra } = {}) {
  const headers = { accept: 'application/json, application/problem+json, */*', ...extra };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['content-type'] = contentType ?? (body.type || 'application/octet-stream');
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(url(path, query), { method, headers, body: payload });
  } catch {
    throw new ApiError(0, { code: 'BUSY', detail: '无法连接服务器，请检查网络后重试' });
  }
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      /* not problem+json */
    }
    const error = new ApiError(res.status, problem, res.headers.get('retry-after'));
    if (res.status === 401 && path !== '/auth/login') {
      session.end();
      window.dispatchEvent(new CustomEvent('gep:signed-out'));
    }
    throw error;
  }
  if (res.status === 204) return null;
  if (as === 'blob') return res.blob();
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? res.json() : res.blob();
}

export const get = (path, query) => api('GET', path, { query });
export const post = (path, body, query) => api('POST', path, { body: body ?? {}, query });
/** Starts long work as a background job (`Prefer: respond-async`); answers the job. */
export const startJob = (path, body) =>
  api('POST', path, { body, headers: { prefer: 'respond-async' } });
export const put = (path, body) => api('PUT', path, { body });
export const patch = (path, body) => api('PATCH', path, { body });
export const del = (path) => api('DELETE', path);

/** Fetches a file with the token and hands it to the browser as a download. */
export async function download(path, filename, query) {
  const blob = await api('GET', path, { query, as: 'blob' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Polls a background job until it ends; `onProgress(job)` after each poll. Resolves with the job. */
export async function waitForJob(id, onProgress, intervalMs = 500) {
  for (;;) {
    const job = await get(`/jobs/${id}`);
    onProgress?.(job);
    if (job.status === 'succeeded') return job;
    if (job.status === 'failed') {
      const p = job.problem ?? {};
      throw new ApiError(p.status ?? 422, p);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Every page of a paginated list (for selectors; lists on screen paginate). */
export async function all(path, query = {}) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await get(path, { ...query, page, pageSize: 500 });
    items.push(...r.items);
    if (items.length >= r.total || r.items.length === 0) return items;
  }
}
