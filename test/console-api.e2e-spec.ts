import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The console's API client cannot drift from the service: every call the console's modules make
 * (`get`, `post`, `put`, `patch`, `del`, `all`, `download`, `startJob`, `api(METHOD, …)` with a
 * literal or template path) must name a route and method of the service's own OpenAPI document
 * (/docs-json). A renamed or removed route fails here, not in a user's browser.
 */
interface Call {
  file: string;
  method: string;
  path: string;
}

const METHOD: Record<string, string> = {
  get: 'GET',
  all: 'GET',
  download: 'GET',
  count: 'GET', // the home page's counters
  post: 'POST',
  startJob: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  del: 'DELETE',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(join(dir, e.name))
      : e.name.endsWith('.js')
        ? [join(dir, e.name)]
        : [],
  );
}

/** The calls in one module's source: the helper, the method and the path up to its query string. */
export function callsIn(file: string, source: string): Call[] {
  const calls: Call[] = [];
  const re =
    /\b(get|all|download|count|post|startJob|put|patch|del|api)\(\s*(?:'([A-Z]+)',\s*)?(['`])(\/[^'`]*)\3/g;
  for (const m of source.matchAll(re)) {
    const method = m[1] === 'api' ? m[2] : METHOD[m[1]];
    if (!method) continue;
    calls.push({ file, method, path: m[4].split('?')[0] });
  }
  return calls;
}

/** Whether a console path (with `${…}` parts) names an OpenAPI path (with `{…}` parameters). */
export function matches(consolePath: string, apiPath: string): boolean {
  const a = consolePath.replace(/\/$/, '').split('/');
  const b = apiPath.split('/');
  return (
    a.length === b.length &&
    a.every((seg, i) =>
      /^\{[^}]+\}$/.test(b[i])
        ? seg.includes('${') || /\d/.test(seg) // a parameter: a value, never a route's own word
        : seg === b[i],
    )
  );
}

describe('the console calls only routes the service has', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, unknown>>;
  beforeAll(async () => {
    t = await startTestApp();
    paths = (await t.http.get('/docs-json').expect(200)).body.paths;
  });
  afterAll(() => t.close());

  const calls = filesUnder('console/js').flatMap((f) => callsIn(f, readFileSync(f, 'utf8')));
  const known = (c: Call) =>
    Object.entries(paths).some(([p, ops]) => matches(c.path, p) && c.method.toLowerCase() in ops);

  it('finds the console calls (so that the check below checks something)', () => {
    expect(calls.length).toBeGreaterThan(110);
    expect(calls).toContainEqual({
      file: 'console/js/pages/registry.js',
      method: 'POST',
      path: '/registry/units/${id}/public-notice',
    });
  });

  it('tells a route the service has from one it has not', () => {
    expect(matches('/registry/units/${id}/notice', '/registry/units/{id}/notice')).toBe(true);
    expect(matches('/registry/units/${id}/notices', '/registry/units/{id}/notice')).toBe(false);
    expect(matches('/registry/units/${id}', '/registry/units/vocabulary')).toBe(false);
    expect(matches('/registry/vocabulary', '/registry/{id}')).toBe(false);
    expect(known({ file: 'x', method: 'DELETE', path: '/registry/units/${id}' })).toBe(false);
    expect(known({ file: 'x', method: 'GET', path: '/registry/units/${id}' })).toBe(true);
  });

  it('every call names a route and method of /docs-json', () => {
    const unknown = calls.filter((c) => !known(c)).map((c) => `${c.file}: ${c.method} ${c.path}`);
    expect(unknown).toEqual([]);
  });
});
