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

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    const code = problem?.code ?? (status >= 500 ? 'INTERNAL' : 'MALFORMED_REQUEST');
    // the service's own title, in Chinese (the console asks for zh-CN)
    super(problem?.title ?? `请求失败（${status}）`);
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
    const general = this.errors.filter((e) => !e.path).map((e) => e.message);
    const detail = general.length ? general.join('；') : this.errors.length ? '' : this.detail;
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
  const headers = {
    accept: 'application/json, application/problem+json, */*',
    'accept-language': 'zh-CN',
    ...extra,
  };
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
