import fc from 'fast-check';
import { Role, ROLES } from '../../src/auth/roles';
import { changedTables, fingerprint } from '../support/fingerprint';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Every operation of the OpenAPI document, sent generated bad requests: wrong types, missing and
 * extra fields, huge and empty strings, unicode, odd numbers, malformed JSON, wrong content
 * types, invalid ids, bad tokens. Seeded (FUZZ_SEED) and sized (FUZZ_REQUESTS, in total).
 *
 * Pass: no 5xx; every 4xx is problem+json; a rejected request leaves every table as it was (the
 * database is fingerprinted after each write request; an accepted one becomes the new baseline).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 10_000);

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface OpenApiOperation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { description?: string }>;
  security?: unknown[];
}
interface OpenApi {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Schema> };
}

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  params: Parameter[];
  bodyTypes: string[];
  bodySchema?: Schema;
  /** Users allowed to call it ('public' routes are called without a token too). */
  users: string[];
  public: boolean;
}

interface FuzzRequest {
  /** A demo username, or 'none' (no token) or 'garbage' (a token that is not one). */
  user: string;
  pathValues: string[];
  query: [string, string][];
  body:
    | { kind: 'none' }
    | { kind: 'json'; value: unknown }
    | { kind: 'raw'; contentType: string; data: string };
  prefer: boolean;
}

/** A demo user holding each role, within the demo county where the role is regional. */
const USER_FOR_ROLE: Record<Role, string> = {
  admin: 'admin',
  statistician: 'wuyuan.stat',
  reviewer: 'wuyuan.reviewer',
  accountant: 'wuyuan.accountant',
  finance: 'wuyuan.finance',
  auditor: 'shangrao.auditor',
  viewer: 'viewer',
  registry_clerk: 'wuyuan.registrar',
};
/** Rows a refused request writes on purpose: a failed sign-in is recorded in the audit log. */
const UNCHECKED = { audit_log: `r.action = 'auth.login_failed'` };

const FUZZ_USERS = new Set(Object.values(USER_FOR_ROLE));

function operationsOf(doc: OpenApi): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const forbidden = op.responses['403']?.description ?? '';
      const roles = /allowed roles: (.*)/.exec(forbidden)?.[1].split(', ') as Role[] | undefined;
      const isPublic = !op.responses['401'];
      const content = op.requestBody?.content ?? {};
      ops.push({
        method: method as Operation['method'],
        path,
        params: op.parameters ?? [],
        bodyTypes: Object.keys(content),
        bodySchema: content['application/json']?.schema,
        users: (roles ?? [...ROLES]).map((r) => USER_FOR_ROLE[r]),
        public: isPublic,
      });
    }
  return ops;
}

const HUGE = 'x'.repeat(100_000);
const DEEP_JSON = '['.repeat(5000) + ']'.repeat(5000);

/** Values no field should take without a clear refusal. */
const badScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    -1,
    0,
    1e308,
    -1e308,
    2 ** 53 + 2,
    5e-324,
    'NaN',
    'Infinity',
    '-Infinity',
    '1e400',
    '-0',
    '0x10',
    '1,000',
    '１２３',
    '',
    ' ',
    '\u0000',
    '../../etc/passwd',
    "'; DROP TABLE users; --",
    '<script>alert(1)</script>',
    '${7*7}',
    '%00',
    '𠮷'.repeat(2000),
    HUGE,
    '2026-02-30',
    '9999-99-99T99:99:99Z',
    '00000000-0000-0000-0000-000000000000',
    '__proto__',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
);

function resolve(doc: OpenApi, s: Schema | undefined): Schema {
  let schema = s ?? {};
  for (let i = 0; schema.$ref && i < 20; i++)
    schema = doc.components.schemas[schema.$ref.split('/').pop()!] ?? {};
  if (schema.allOf?.length === 1) return resolve(doc, schema.allOf[0]);
  return schema;
}

/** A value shaped like the schema (so requests get past the first check), or a bad one. */
function valueOf(doc: OpenApi, s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(doc, s);
  if (depth > 4) return badScalar;
  let good: fc.Arbitrary<unknown>;
  if (schema.enum?.length) good = fc.constantFrom(...schema.enum);
  else if (schema.oneOf?.length || schema.anyOf?.length)
    good = fc.oneof(...(schema.oneOf ?? schema.anyOf)!.map((x) => valueOf(doc, x, depth + 1)));
  else
    switch (schema.type) {
      case 'string':
        good =
          schema.format === 'uuid'
            ? fc.uuid()
            : schema.format === 'date' || schema.format === 'date-time'
              ? fc
                  .date({
                    min: new Date('1900-01-01'),
                    max: new Date('2200-01-01'),
                    noInvalidDate: true,
                  })
                  .map((d) => d.toISOString().slice(0, schema.format === 'date' ? 10 : 24))
              : fc.oneof(
                  fc.string({ maxLength: 12 }),
                  fc.stringMatching(/^-?\d{1,20}(\.\d{1,12})?$/),
                  fc.constantFrom('361130', '361130100', '2021', 'forest', 'carbon', '亩', 'km²'),
                );
        break;
      case 'integer':
        good = fc.oneof(fc.integer({ min: -5, max: 3000 }), fc.integer());
        break;
      case 'number':
        good = fc.double();
        break;
      case 'boolean':
        good = fc.boolean();
        break;
      case 'array':
        good = fc.array(valueOf(doc, schema.items, depth + 1), { maxLength: 3 });
        break;
      default:
        good = schema.properties ? objectOf(doc, schema, depth + 1) : badScalar;
    }
  return fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: badScalar });
}

/** An object of the schema's fields, any of them missing, with unknown fields now and then. */
function objectOf(doc: OpenApi, schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const props = Object.entries(schema.properties ?? {});
  const fields = fc.record(Object.fromEntries(props.map(([k, v]) => [k, valueOf(doc, v, depth)])), {
    requiredKeys: [],
  });
  const extra = fc.option(
    fc.dictionary(
      fc.oneof(fc.constantFrom('constructor', 'isAdmin', 'id', '__proto__x'), fc.string()),
      badScalar,
      { minKeys: 1, maxKeys: 2 },
    ),
    { freq: 4 },
  );
  return fc.tuple(fields, extra).map(([f, e]) => ({ ...(e ?? {}), ...f }));
}

const malformed: fc.Arbitrary<FuzzRequest['body']> = fc.oneof(
  fc
    .constantFrom(
      '{"a":',
      '[1,2',
      '{"x":1}}',
      'undefined',
      "{'a':1}",
      '\u0000',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      DEEP_JSON,
      '',
      '"just a string"',
      '123',
    )
    .map((data) => ({ kind: 'raw' as const, contentType: 'application/json', data })),
  fc
    .tuple(
      fc.constantFrom(
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'multipart/form-data; boundary=xyz',
        'text/csv',
        'application/geo+json',
        'application/yaml',
        'application/octet-stream',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'image/png',
      ),
      fc.oneof(
        fc.constantFrom(
          'a,b\n1,2',
          'regionCode,variable\n361130,"unclosed',
          '<a>&xxe;</a>',
          'a=1&b=2&a=3',
          '--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\njunk\r\n--xyz--',
          '!!js/function "function(){return process}"',
          '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{}}]}',
          'PK\u0003\u0004garbage',
          HUGE,
        ),
        fc.string({ maxLength: 200 }),
      ),
    )
    .map(([contentType, data]) => ({ kind: 'raw' as const, contentType, data })),
);

/** Path parameter values: real ids of the demo data, and ids that are not. */
function pathValue(real: string[]): fc.Arbitrary<string> {
  const bad = fc.oneof(
    fc.uuid(),
    fc.constantFrom(
      '0',
      '-1',
      'null',
      'undefined',
      '00000000-0000-0000-0000-000000000000',
      '361130999999999',
      'a'.repeat(3000),
      '%',
      '%E0%A4%A',
      '..%2F..%2Fetc',
      '%00',
    ),
    fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  );
  return real.length
    ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: bad })
    : bad;
}

function requestArb(
  doc: OpenApi,
  op: Operation,
  ids: Map<string, string[]>,
): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const query = fc
    .tuple(
      fc.subarray(queryParams),
      fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.string()), { freq: 5 }),
    )
    .chain(([chosen, extra]) =>
      fc
        .tuple(
          ...chosen.map((p) =>
            fc
              .oneof(
                valueOf(doc, p.schema).map((v) => [typeof v === 'string' ? v : JSON.stringify(v)]),
                // repeated keys arrive as arrays
                fc.tuple(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })),
              )
              .map((vs) => vs.map((v) => [p.name, String(v)] as [string, string])),
          ),
        )
        .map((pairs) => [...pairs.flat(), ...(extra ? [extra] : [])]),
    );
  const json = op.bodySchema
    ? fc.oneof(
        { weight: 8, arbitrary: valueOf(doc, op.bodySchema) },
        { weight: 1, arbitrary: fc.array(badScalar, { maxLength: 3 }) },
      )
    : fc.constant({});
  const body: fc.Arbitrary<FuzzRequest['body']> =
    op.bodyTypes.length || op.method !== 'get'
      ? fc.oneof(
          { weight: 6, arbitrary: json.map((value) => ({ kind: 'json' as const, value })) },
          { weight: 3, arbitrary: malformed },
          {
            weight: op.bodyTypes.length ? 0 : 2,
            arbitrary: fc.constant({ kind: 'none' as const }),
          },
        )
      : fc.oneof(
          { weight: 8, arbitrary: fc.constant({ kind: 'none' as const }) },
          { weight: 1, arbitrary: malformed },
        );
  const user = fc.oneof(
    { weight: 16, arbitrary: fc.constantFrom(...op.users) },
    { weight: 1, arbitrary: fc.constantFrom<'none' | 'garbage'>('none', 'garbage') },
  );
  return fc.record({
    user,
    pathValues: fc.tuple(
      ...pathParams.map((p) => pathValue(ids.get(`${op.path}:${p.name}`) ?? [])),
    ),
    query,
    body,
    prefer: fc.boolean(),
  });
}

function urlOf(op: Operation, r: FuzzRequest): string {
  let i = 0;
  const path = op.path.replace(/\{[^}]+\}/g, () => r.pathValues[i++]);
  const qs = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return qs ? `${path}?${qs}` : path;
}

const describeRequest = (op: Operation, r: FuzzRequest) =>
  JSON.stringify({
    op: `${op.method.toUpperCase()} ${op.path}`,
    url: urlOf(op, r).slice(0, 300),
    user: r.user,
    body: JSON.stringify(r.body).slice(0, 400),
  });

describe('fuzzing every route of the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApi;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/docs-json')).body as OpenApi;
    for (const user of FUZZ_USERS) tokens.set(user, await t.token(user));
  });
  afterAll(() => t.close());

  /** Real ids per `path:param`, read from the list route the path extends. */
  async function realIds(ops: Operation[]): Promise<Map<string, string[]>> {
    const ids = new Map<string, string[]>();
    const lists = ops.filter((o) => o.method === 'get' && !o.path.includes('{'));
    for (const op of ops)
      for (const p of op.params.filter((x) => x.in === 'path')) {
        const before = op.path.slice(0, op.path.indexOf(`{${p.name}}`)).replace(/\/$/, '');
        const list = lists.find((l) => l.path === before);
        if (!list) continue;
        const res = await t.http
          .get(`${list.path}?pageSize=20`)
          .set('authorization', `Bearer ${tokens.get(op.users[0])}`);
        const items = ((res.body as { items?: Record<string, unknown>[] }).items ?? []).filter(
          (item) => !FUZZ_USERS.has(item.username as string),
        );
        const values = items
          .map((item) => item.id ?? item.code)
          .filter((v): v is string => typeof v === 'string')
          .map(encodeURIComponent);
        ids.set(`${op.path}:${p.name}`, values.slice(0, 10));
      }
    return ids;
  }

  const openJobs = async () =>
    Number(
      (
        await t.db.query<{ n: string }>(
          `SELECT count(*) AS n FROM jobs WHERE status IN ('queued','running')`,
        )
      ).rows[0].n,
    );

  /** The next transaction id PostgreSQL will hand out: unchanged means no transaction wrote. */
  const nextXid = async () =>
    (await t.db.query<{ x: string }>(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x`))
      .rows[0].x;

  it(`sends ${TOTAL} generated bad requests (seed ${SEED}): no 5xx, problem+json, nothing written`, async () => {
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(100);
    const ids = await realIds(ops);
    const perOp = Math.ceil(TOTAL / ops.length);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    let accepted = 0;
    let baseline = await fingerprint(t.db, UNCHECKED);
    let baselineXid = await nextXid();
    const started = Date.now();
    for (const [index, op] of ops.entries()) {
      const samples = fc.sample(requestArb(doc, op, ids), { seed: SEED + index, numRuns: perOp });
      for (const r of samples) {
        const req = t.http[op.method](urlOf(op, r)).timeout(60_000);
        if (r.user === 'garbage') req.set('authorization', 'Bearer not.a.token');
        else if (r.user !== 'none') req.set('authorization', `Bearer ${tokens.get(r.user)}`);
        if (r.prefer) req.set('prefer', 'respond-async');
        if (r.body.kind === 'json')
          req.set('content-type', 'application/json').send(JSON.stringify(r.body.value) ?? '');
        else if (r.body.kind === 'raw')
          req.set('content-type', r.body.contentType).send(r.body.data);
        let res: { status: number; headers: Record<string, string>; body: unknown };
        try {
          res = await req;
        } catch (e) {
          failures.push(`no answer (${String(e)}): ${describeRequest(op, r)}`);
          continue;
        }
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const problem = res.body as { status?: number; title?: string; errors?: unknown };
        if (res.status >= 500)
          failures.push(`${res.status} ${JSON.stringify(res.body)}: ${describeRequest(op, r)}`);
        else if (
          res.status >= 400 &&
          (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '') ||
            problem.status !== res.status ||
            typeof problem.title !== 'string' ||
            !Array.isArray(problem.errors))
        )
          failures.push(
            `${res.status} not problem+json (${res.headers['content-type']}): ${describeRequest(op, r)}`,
          );
        if (op.method === 'get' && res.status < 400) continue;
        if (res.status < 400) {
          accepted++;
          while ((await openJobs()) > 0) await new Promise((done) => setTimeout(done, 50));
          baseline = await fingerprint(t.db, UNCHECKED);
          baselineXid = await nextXid();
          continue;
        }
        // no transaction id was handed out since the baseline: nothing can have been written
        if ((await nextXid()) === baselineXid) continue;
        const after = await fingerprint(t.db, UNCHECKED);
        const changed = changedTables(baseline, after);
        if (changed.length) {
          failures.push(
            `${res.status} but changed ${changed.join(', ')}: ${describeRequest(op, r)}`,
          );
          baseline = after;
        }
        baselineXid = await nextXid();
      }
      if (failures.length > 50) break;
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzz: ${sent} requests over ${ops.length} operations in ${seconds.toFixed(0)} s, seed ${SEED}; ` +
        `${accepted} writes accepted; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(TOTAL);
  }, 3_600_000);
});
