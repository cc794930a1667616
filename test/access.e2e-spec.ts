import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ACCESS_KEY, AccessRule } from '../src/auth/access.decorator';
import { SCOPED_OBJECTS, ScopedKind, ScopeRule, scopeRulesOf } from '../src/auth/region-scope';
import { ROLES, Role } from '../src/auth/roles';
import { DEMO_USERS } from '../seeds/demo/users';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

interface Route {
  key: string;
  method: string;
  path: string;
  rule: AccessRule | undefined;
  scope: ScopeRule[] | undefined;
}

/** Every controller route of the running application, with its declared access and region scope. */
function routesOf(t: TestApp): Route[] {
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  const controllers = [...t.app.get(ModulesContainer).values()].flatMap((m) => [
    ...m.controllers.values(),
  ]);
  for (const wrapper of controllers) {
    const instance = wrapper.instance as object | undefined;
    if (!instance) continue;
    const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
    const base = String(Reflect.getMetadata(PATH_METADATA, instance.constructor) ?? '');
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const rule = (Reflect.getMetadata(ACCESS_KEY, handler) ??
        Reflect.getMetadata(ACCESS_KEY, instance.constructor)) as AccessRule | undefined;
      const full = `/${[base, path]
        .map((p) => p.replace(/^\/|\/$/g, ''))
        .filter(Boolean)
        .join('/')}`;
      routes.push({
        key: `${method} ${full}`,
        method,
        path: full,
        rule,
        scope: scopeRulesOf(handler, instance.constructor),
      });
    }
  }
  return routes;
}

/** Users of 德兴市 (361181), a sibling of 婺源县 under 上饶市: one per role, by role. */
async function siblingUsers(
  t: TestApp,
  roles: readonly Role[],
  prefix: string,
): Promise<Partial<Record<Role, string>>> {
  const PASSWORD = 'sibling-county-2026';
  const admin = await t.token('admin');
  const tokens: Partial<Record<Role, string>> = {};
  for (const role of roles) {
    await t.http
      .post('/users')
      .set('authorization', `Bearer ${admin}`)
      .send({
        username: `${prefix}.${role}`,
        displayName: `德兴 ${role}`,
        password: PASSWORD,
        roles: [role],
        regionCode: '361181',
      })
      .expect(201);
    tokens[role] = await t.token(`${prefix}.${role}`, PASSWORD);
  }
  tokens.registry_clerk = await t.token('dexing.registrar');
  return tokens;
}

const ADMIN_ONLY: Role[] = ['admin'];
const EVERYONE: Role[] = [...ROLES];
const SURVEY_READERS: Role[] = ['statistician', 'reviewer', 'accountant', 'auditor', 'admin'];
const COMPENSATION_READERS: Role[] = ['finance', 'auditor', 'accountant', 'admin'];
const REGISTRY_CLERKS: Role[] = ['registry_clerk', 'admin'];
const REGISTRY_REVIEWERS: Role[] = ['reviewer', 'admin'];

/**
 * Who may call what. A route missing here fails the test: every new route must state its
 * roles, and the matrix below then checks them for every role.
 */
const MATRIX: Record<string, { allowed: Role[] | 'public'; path?: string; body?: object }> = {
  'GET /health': { allowed: 'public' },
  'POST /auth/login': { allowed: 'public' },
  'GET /auth/me': { allowed: EVERYONE },
  'POST /auth/password': { allowed: EVERYONE, body: {} },
  'GET /regions': { allowed: EVERYONE },
  'GET /regions/:code': { allowed: EVERYONE, path: '/regions/361130' },
  'GET /regions/:code/lineage': { allowed: EVERYONE, path: '/regions/361130100/lineage' },
  'GET /regions/:code/boundary': { allowed: EVERYONE, path: '/regions/361130/boundary' },
  'PUT /regions/:code/boundary': {
    allowed: ADMIN_ONLY,
    path: '/regions/361130/boundary',
    body: {},
  },
  'POST /regions': { allowed: ADMIN_ONLY, body: {} },
  'PATCH /regions/:code': { allowed: ADMIN_ONLY, path: '/regions/361130', body: {} },
  'DELETE /regions/:code': { allowed: ADMIN_ONLY, path: '/regions/999999' },
  'GET /users': { allowed: ADMIN_ONLY },
  'GET /users/names': { allowed: EVERYONE, path: '/users/names?username=admin' },
  'GET /vocabulary': { allowed: EVERYONE },
  'GET /users/:id': { allowed: ADMIN_ONLY, path: '/users/00000000-0000-4000-8000-000000000000' },
  'POST /users': { allowed: ADMIN_ONLY, body: {} },
  'PATCH /users/:id': {
    allowed: ADMIN_ONLY,
    path: '/users/00000000-0000-4000-8000-000000000000',
    body: {},
  },
  'POST /users/:id/reset-password': {
    allowed: ADMIN_ONLY,
    path: '/users/00000000-0000-4000-8000-000000000000/reset-password',
    body: {},
  },
  'GET /audit-log': { allowed: ['auditor', 'admin'] },
  'GET /audit-log/actions': { allowed: ['auditor', 'admin'] },
  'GET /methodologies': { allowed: EVERYONE },
  'GET /methodologies/:id': {
    allowed: EVERYONE,
    path: '/methodologies/00000000-0000-4000-8000-000000000000',
  },
  'POST /methodologies': { allowed: ['accountant'], body: {} },
  'PATCH /methodologies/:id': {
    allowed: ['accountant'],
    path: '/methodologies/00000000-0000-4000-8000-000000000000',
    body: {},
  },
  'POST /methodologies/:id/validate': {
    allowed: EVERYONE,
    path: '/methodologies/00000000-0000-4000-8000-000000000000/validate',
  },
  'POST /methodologies/:id/publish': {
    allowed: ['admin'],
    path: '/methodologies/00000000-0000-4000-8000-000000000000/publish',
  },
  'POST /methodologies/:id/clone': {
    allowed: ['accountant'],
    path: '/methodologies/00000000-0000-4000-8000-000000000000/clone',
  },
  'DELETE /methodologies/:id': {
    allowed: ['accountant'],
    path: '/methodologies/00000000-0000-4000-8000-000000000000',
  },
  'GET /methodologies/:id/diff/:otherId': {
    allowed: EVERYONE,
    path: '/methodologies/00000000-0000-4000-8000-000000000000/diff/00000000-0000-4000-8000-000000000000',
  },
  'GET /methodologies/:id/crosswalk/:otherId': {
    allowed: EVERYONE,
    path: '/methodologies/00000000-0000-4000-8000-000000000000/crosswalk/00000000-0000-4000-8000-000000000000',
  },
  'GET /methodologies/:id/package': {
    allowed: EVERYONE,
    path: '/methodologies/00000000-0000-4000-8000-000000000000/package',
  },
  'POST /methodologies/import': { allowed: ['accountant'], body: {} },
  'GET /survey/forms': { allowed: SURVEY_READERS },
  'POST /survey/forms': { allowed: ['statistician'], body: {} },
  'POST /survey/forms/open-year': { allowed: ['statistician'], body: {} },
  'GET /survey/forms/:id': {
    allowed: SURVEY_READERS,
    path: '/survey/forms/00000000-0000-4000-8000-000000000000',
  },
  'PUT /survey/forms/:id/values': {
    allowed: ['statistician'],
    path: '/survey/forms/00000000-0000-4000-8000-000000000000/values',
    body: {},
  },
  'POST /survey/forms/:id/submit': {
    allowed: ['statistician'],
    path: '/survey/forms/00000000-0000-4000-8000-000000000000/submit',
    body: {},
  },
  'POST /survey/forms/:id/approve': {
    allowed: ['reviewer'],
    path: '/survey/forms/00000000-0000-4000-8000-000000000000/approve',
    body: {},
  },
  'POST /survey/forms/:id/return': {
    allowed: ['reviewer'],
    path: '/survey/forms/00000000-0000-4000-8000-000000000000/return',
    body: {},
  },
  'POST /survey/forms/:id/correct': {
    allowed: ['statistician'],
    path: '/survey/forms/00000000-0000-4000-8000-000000000000/correct',
    body: {},
  },
  'GET /survey/forms/:id/history': {
    allowed: SURVEY_READERS,
    path: '/survey/forms/00000000-0000-4000-8000-000000000000/history',
  },
  'GET /survey/forms/:id/template': {
    allowed: ['statistician', 'reviewer'],
    path: '/survey/forms/00000000-0000-4000-8000-000000000000/template',
  },
  'PUT /survey/forms/:id/upload': {
    allowed: ['statistician'],
    path: '/survey/forms/00000000-0000-4000-8000-000000000000/upload',
    body: {},
  },
  'GET /survey/forms/:id/checks': {
    allowed: SURVEY_READERS,
    path: '/survey/forms/00000000-0000-4000-8000-000000000000/checks',
  },
  'POST /survey/forms/load-csv': { allowed: ['statistician'], body: {} },
  'POST /survey/imports': { allowed: ['statistician'], body: {} },
  'GET /jobs': { allowed: EVERYONE },
  'GET /assessment/officials': { allowed: ['auditor', 'admin'] },
  'POST /assessment/officials': { allowed: ['auditor', 'admin'], body: {} },
  'GET /assessment/officials/tenures': { allowed: ['auditor', 'admin'] },
  'POST /assessment/officials/tenures/:id/evaluation': {
    allowed: ['auditor', 'admin'],
    path: '/assessment/officials/tenures/00000000-0000-4000-8000-000000000000/evaluation',
    body: {},
  },
  'GET /assessment/officials/:id': {
    allowed: ['auditor', 'admin'],
    path: '/assessment/officials/00000000-0000-4000-8000-000000000000',
  },
  'POST /assessment/officials/:id/tenures': {
    allowed: ['auditor', 'admin'],
    path: '/assessment/officials/00000000-0000-4000-8000-000000000000/tenures',
    body: {},
  },
  'POST /assessment/reports': { allowed: ['auditor', 'admin'], body: {} },
  'GET /assessment/reports': { allowed: ['auditor', 'admin'] },
  'GET /assessment/reports/:id': {
    allowed: ['auditor', 'admin'],
    path: '/assessment/reports/00000000-0000-4000-8000-000000000000',
  },
  'GET /assessment/reports/:id/pdf': {
    allowed: ['auditor', 'admin'],
    path: '/assessment/reports/00000000-0000-4000-8000-000000000000/pdf',
  },
  'GET /assessment/reports/:id/docx': {
    allowed: ['auditor', 'admin'],
    path: '/assessment/reports/00000000-0000-4000-8000-000000000000/docx',
  },
  'POST /assessment/reports/:id/verify': {
    allowed: ['auditor', 'admin'],
    path: '/assessment/reports/00000000-0000-4000-8000-000000000000/verify',
  },
  'GET /assessment/compensation/forest-areas': { allowed: COMPENSATION_READERS },
  'PUT /assessment/compensation/forest-areas': { allowed: ['finance', 'admin'], body: {} },
  'GET /assessment/compensation/sections': { allowed: COMPENSATION_READERS },
  'POST /assessment/compensation/sections': { allowed: ['finance', 'admin'], body: {} },
  'GET /assessment/compensation/sections/:code/values': {
    allowed: COMPENSATION_READERS,
    path: '/assessment/compensation/sections/x/values',
  },
  'PUT /assessment/compensation/sections/:code/values': {
    allowed: ['finance', 'admin'],
    path: '/assessment/compensation/sections/x/values',
    body: {},
  },
  'GET /assessment/compensation/schemes': { allowed: COMPENSATION_READERS },
  'GET /assessment/compensation/schemes/:id': {
    allowed: COMPENSATION_READERS,
    path: '/assessment/compensation/schemes/00000000-0000-4000-8000-000000000000',
  },
  'POST /assessment/compensation/schemes': { allowed: ['finance'], body: {} },
  'PUT /assessment/compensation/schemes/:id': {
    allowed: ['finance'],
    path: '/assessment/compensation/schemes/00000000-0000-4000-8000-000000000000',
    body: {},
  },
  'POST /assessment/compensation/schemes/:id/publish': {
    allowed: ['finance'],
    path: '/assessment/compensation/schemes/00000000-0000-4000-8000-000000000000/publish',
  },
  'POST /assessment/compensation/runs': { allowed: ['finance'], body: {} },
  'GET /assessment/compensation/runs': { allowed: COMPENSATION_READERS },
  'GET /assessment/compensation/runs/:id': {
    allowed: COMPENSATION_READERS,
    path: '/assessment/compensation/runs/00000000-0000-4000-8000-000000000000',
  },
  'POST /assessment/compensation/runs/:id/approve': {
    allowed: ['finance'],
    path: '/assessment/compensation/runs/00000000-0000-4000-8000-000000000000/approve',
  },
  'DELETE /assessment/compensation/runs/:id': {
    allowed: ['finance'],
    path: '/assessment/compensation/runs/00000000-0000-4000-8000-000000000000',
  },
  'POST /assessment/compensation/runs/:id/fund-events': {
    allowed: ['finance'],
    path: '/assessment/compensation/runs/00000000-0000-4000-8000-000000000000/fund-events',
    body: {},
  },
  'GET /assessment/compensation/runs/:id/fund-events': {
    allowed: COMPENSATION_READERS,
    path: '/assessment/compensation/runs/00000000-0000-4000-8000-000000000000/fund-events',
  },
  'GET /assessment/compensation/runs/:id/export': {
    allowed: COMPENSATION_READERS,
    path: '/assessment/compensation/runs/00000000-0000-4000-8000-000000000000/export',
  },
  'GET /jobs/:id': { allowed: EVERYONE, path: '/jobs/00000000-0000-4000-8000-000000000000' },
  'POST /accounting/runs': { allowed: ['accountant'], body: {} },
  'GET /accounting/runs': { allowed: EVERYONE },
  'GET /accounting/runs/:id': {
    allowed: EVERYONE,
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000',
  },
  'POST /accounting/runs/:id/publish': {
    allowed: ['accountant'],
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/publish',
  },
  'POST /accounting/runs/:id/withdraw': {
    allowed: ['admin'],
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/withdraw',
    body: { reason: '测试撤回' },
  },
  'GET /accounting/runs/:id/results': {
    allowed: EVERYONE,
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/results',
  },
  'GET /accounting/runs/:id/summary': {
    allowed: EVERYONE,
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/summary',
  },
  'GET /accounting/runs/:id/results/:regionCode/:indicator': {
    allowed: EVERYONE,
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/results/361130/carbon',
  },
  'GET /accounting/runs/:id/compare/:otherId': {
    allowed: EVERYONE,
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/compare/00000000-0000-4000-8000-000000000000',
  },
  'GET /accounting/runs/:id/crosswalk/:otherId': {
    allowed: EVERYONE,
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/crosswalk/00000000-0000-4000-8000-000000000000',
  },
  'POST /accounting/runs/:id/uncertainty': {
    allowed: ['accountant', 'auditor', 'finance', 'admin'],
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/uncertainty',
  },
  'GET /accounting/runs/:id/export': {
    allowed: EVERYONE,
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/export',
  },
  'GET /accounting/runs/:id/ranking': {
    allowed: EVERYONE,
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/ranking',
  },
  'POST /accounting/runs/:id/verify': {
    allowed: EVERYONE,
    path: '/accounting/runs/00000000-0000-4000-8000-000000000000/verify',
  },
  'GET /registry/units': { allowed: EVERYONE },
  'POST /registry/units': { allowed: REGISTRY_CLERKS, body: {} },
  'GET /registry/units/:id': {
    allowed: EVERYONE,
    path: '/registry/units/00000000-0000-4000-8000-000000000000',
  },
  'GET /registry/units/:id/entries': {
    allowed: EVERYONE,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/entries',
  },
  'POST /registry/units/:id/changes': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/changes',
    body: {},
  },
  'POST /registry/units/:id/cancellation': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/cancellation',
    body: {},
  },
  'POST /registry/units/:id/resources': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/resources',
    body: {},
  },
  'POST /registry/units/:id/notice': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/notice',
    body: {},
  },
  'POST /registry/units/:id/survey': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/survey',
    body: {},
  },
  'POST /registry/units/:id/review': {
    allowed: REGISTRY_REVIEWERS,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/review',
    body: {},
  },
  'POST /registry/units/:id/public-notice': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/public-notice',
    body: {},
  },
  'POST /registry/units/:id/register': {
    allowed: REGISTRY_REVIEWERS,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/register',
    body: {},
  },
  'GET /registry/units/:id/objections': {
    allowed: EVERYONE,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/objections',
  },
  'POST /registry/units/:id/objections': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/objections',
    body: {},
  },
  'POST /registry/units/:id/objections/:objectionId/resolution': {
    allowed: ['registry_clerk', 'reviewer', 'admin'],
    path: '/registry/units/00000000-0000-4000-8000-000000000000/objections/00000000-0000-4000-8000-000000000000/resolution',
    body: {},
  },
  'GET /registry/units/:id/extract': {
    allowed: EVERYONE,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/extract',
  },
  'GET /registry/units/:id/extract.pdf': {
    allowed: EVERYONE,
    path: '/registry/units/00000000-0000-4000-8000-000000000000/extract.pdf',
  },
  'POST /registry/resources/merge': { allowed: REGISTRY_CLERKS, body: {} },
  'GET /registry/resources/:id': {
    allowed: EVERYONE,
    path: '/registry/resources/00000000-0000-4000-8000-000000000000',
  },
  'POST /registry/resources/:id/changes': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/resources/00000000-0000-4000-8000-000000000000/changes',
    body: {},
  },
  'POST /registry/resources/:id/split': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/resources/00000000-0000-4000-8000-000000000000/split',
    body: {},
  },
  'GET /registry/rights': { allowed: EVERYONE },
  'POST /registry/rights': { allowed: REGISTRY_CLERKS, body: {} },
  'GET /registry/rights/:id': {
    allowed: EVERYONE,
    path: '/registry/rights/00000000-0000-4000-8000-000000000000',
  },
  'POST /registry/rights/:id/transfer': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/rights/00000000-0000-4000-8000-000000000000/transfer',
    body: {},
  },
  'POST /registry/rights/:id/end': {
    allowed: REGISTRY_CLERKS,
    path: '/registry/rights/00000000-0000-4000-8000-000000000000/end',
    body: {},
  },
  'GET /registry/parties': { allowed: EVERYONE },
  'POST /registry/parties': { allowed: REGISTRY_CLERKS, body: {} },
  'GET /registry/parties/:id': {
    allowed: EVERYONE,
    path: '/registry/parties/00000000-0000-4000-8000-000000000000',
  },
  'GET /registry/extent': { allowed: EVERYONE, path: '/registry/extent?regionCode=361130' },
  'GET /registry/vocabulary': { allowed: EVERYONE },
  'POST /registry/extent/survey-data': {
    allowed: ['statistician', 'registry_clerk', 'admin'],
    body: {},
  },
  'POST /registry/imports': { allowed: REGISTRY_CLERKS },
  'POST /parcels/imports': { allowed: ['statistician'] },
  'GET /parcels/sets': { allowed: EVERYONE },
  'GET /parcels/sets/:id': {
    allowed: EVERYONE,
    path: '/parcels/sets/00000000-0000-4000-8000-000000000000',
  },
  'GET /parcels/sets/:id/parcels': {
    allowed: EVERYONE,
    path: '/parcels/sets/00000000-0000-4000-8000-000000000000/parcels',
  },
  'GET /parcels/sets/:id/points': {
    allowed: EVERYONE,
    path: '/parcels/sets/00000000-0000-4000-8000-000000000000/points',
  },
  'POST /parcels/runs': { allowed: ['accountant'], body: {} },
  'GET /parcels/runs': { allowed: EVERYONE },
  'GET /parcels/runs/:id': {
    allowed: EVERYONE,
    path: '/parcels/runs/00000000-0000-4000-8000-000000000000',
  },
  'GET /parcels/runs/:id/aggregates': {
    allowed: EVERYONE,
    path: '/parcels/runs/00000000-0000-4000-8000-000000000000/aggregates',
  },
  'GET /parcels/runs/:id/parcels/:parcelId': {
    allowed: EVERYONE,
    path: '/parcels/runs/00000000-0000-4000-8000-000000000000/parcels/P1',
  },
  'POST /parcels/runs/:id/projects': {
    allowed: EVERYONE,
    path: '/parcels/runs/00000000-0000-4000-8000-000000000000/projects',
    body: {},
  },
};

describe('access control', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('every route declares who may call it', () => {
    const undeclared = routesOf(t)
      .filter((r) => !r.rule)
      .map((r) => r.key);
    expect(undeclared).toEqual([]);
  });

  it('every route is in the access matrix of this test, and the matrix has no stale entries', () => {
    const keys = routesOf(t)
      .map((r) => r.key)
      .sort();
    expect(keys).toEqual(Object.keys(MATRIX).sort());
  });

  it('declared rules match the matrix', () => {
    for (const r of routesOf(t)) {
      const expected = MATRIX[r.key].allowed;
      if (expected === 'public')
        expect({ route: r.key, rule: r.rule }).toEqual({ route: r.key, rule: { kind: 'public' } });
      else if (expected.length === ROLES.length)
        expect([r.key, r.rule?.kind]).toEqual([r.key, 'authenticated']);
      else expect([r.key, r.rule]).toEqual([r.key, { kind: 'roles', roles: expected }]);
    }
  });

  const call = (key: string, token?: string) => {
    const [method, pattern] = key.split(' ');
    const spec = MATRIX[key];
    const req = t.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](
      spec.path ?? pattern,
    );
    if (token) req.set('authorization', `Bearer ${token}`);
    return spec.body ? req.send(spec.body) : req;
  };

  it('refuses every non-public route without a token (401)', async () => {
    for (const key of Object.keys(MATRIX).filter((k) => MATRIX[k].allowed !== 'public')) {
      const res = await call(key);
      expect([key, res.status]).toEqual([key, 401]);
      expectProblem(res, 401, 'UNAUTHENTICATED');
    }
  });

  it('names the roles a refused user needs and has, in words (not codes)', async () => {
    const res = await t.http
      .post('/accounting/runs')
      .set({ authorization: `Bearer ${await t.token('wuyuan.stat')}` })
      .set('accept-language', 'zh-CN')
      .send({ standardId: 'ndrc-nbs-2022-trial', regionCode: '361130', year: 2024 });
    expectProblem(res, 403, 'FORBIDDEN');
    expect(res.body.detail).toBe('此操作需要以下角色之一：核算员；您的角色：统计填报员');
  });

  it.each(ROLES)('role %s gets 403 exactly on the routes it is not allowed', async (role) => {
    const user =
      DEMO_USERS.find((u) => u.roles.includes(role) && u.regionCode === null) ??
      DEMO_USERS.find((u) => u.roles.includes(role))!;
    const token = await t.token(user.username);
    for (const key of Object.keys(MATRIX).filter(
      (k) => k !== 'POST /auth/password' && MATRIX[k].allowed !== 'public',
    )) {
      const allowed = (MATRIX[key].allowed as Role[]).includes(role);
      const res = await call(key, token);
      if (allowed) expect([key, res.status]).not.toEqual([key, 403]);
      else {
        expect([key, res.status]).toEqual([key, 403]);
        expectProblem(res, 403, 'FORBIDDEN');
      }
      expect([key, res.status]).not.toEqual([key, 401]);
      expect(res.status).toBeLessThan(500);
    }
  });
});

/**
 * Region scope: users of 德兴市 (361181), a sibling of 婺源县 (361130) under 上饶市, holding the
 * right role, are refused every read and write of 婺源县's forms, runs, compensation, officials,
 * reports and registry with 403 — the service checks the region, not only the role.
 */
describe('region scope: a user of a sibling county gets 403', () => {
  let t: TestApp;
  let tokens: Partial<Record<Role, string>> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    tokens = await siblingUsers(
      t,
      ['statistician', 'reviewer', 'accountant', 'finance', 'auditor', 'admin'],
      'dexing',
    );
    const one = async (key: string, sql: string) => {
      const { rows } = await t.db.query<{ id: string }>(sql);
      expect([key, rows.length]).toEqual([key, 1]);
      ids[key] = rows[0].id;
    };
    await one('form', `SELECT id FROM survey_forms WHERE region_code LIKE '361130%' LIMIT 1`);
    await one(
      'run',
      `SELECT id FROM accounting_runs WHERE root_region_code = '361130' AND status = 'published' LIMIT 1`,
    );
    await one(
      'compensation',
      `SELECT id FROM compensation_runs WHERE root_region_code = '361130' AND status = 'approved' LIMIT 1`,
    );
    await one('tenure', `SELECT id FROM tenures WHERE region_code LIKE '361130%' LIMIT 1`);
    await one(
      'official',
      `SELECT official_id AS id FROM tenures WHERE region_code LIKE '361130%' LIMIT 1`,
    );
    await one('unit', `SELECT id FROM registration_units WHERE region_code LIKE '361130%' LIMIT 1`);
    await one(
      'resource',
      `SELECT r.id FROM registry_resources r JOIN registration_units u ON u.id = r.unit_id WHERE u.region_code LIKE '361130%' LIMIT 1`,
    );
    await one('party', `SELECT id FROM registry_parties LIMIT 1`);
    await one(
      'scheme',
      `SELECT id FROM compensation_schemes WHERE type = 'budget_allocation' AND status = 'published' LIMIT 1`,
    );
  });
  afterAll(() => t.close());

  const CASES: [role: Role, method: 'get' | 'post' | 'put', path: string, body?: object][] = [
    [
      'statistician',
      'post',
      '/survey/forms',
      { standardId: 'ndrc-nbs-2022-trial', department: '林业局', regionCode: '361130', year: 2031 },
    ],
    ['statistician', 'get', '/survey/forms/{form}'],
    ['statistician', 'get', '/survey/forms/{form}/history'],
    ['statistician', 'get', '/survey/forms/{form}/checks'],
    ['statistician', 'put', '/survey/forms/{form}/values', { revision: 1, values: [] }],
    ['statistician', 'post', '/survey/forms/{form}/submit', { revision: 1 }],
    ['statistician', 'post', '/survey/forms/{form}/correct', { revision: 1, reason: '更正' }],
    ['reviewer', 'post', '/survey/forms/{form}/approve', { revision: 1 }],
    ['reviewer', 'post', '/survey/forms/{form}/return', { revision: 1, comment: '退回' }],
    [
      'accountant',
      'post',
      '/accounting/runs',
      { standardId: 'ndrc-nbs-2022-trial', regionCode: '361130', year: 2022 },
    ],
    ['accountant', 'post', '/accounting/runs/{run}/publish'],
    ['admin', 'post', '/accounting/runs/{run}/withdraw', { reason: '跨县撤回' }],
    [
      'finance',
      'post',
      '/assessment/compensation/runs',
      {
        schemeId: '{scheme}',
        regionCode: '361130',
        budgetYear: 2023,
        budget: '1.00',
      },
    ],
    ['finance', 'get', '/assessment/compensation/runs/{compensation}'],
    ['finance', 'get', '/assessment/compensation/runs/{compensation}/fund-events'],
    ['finance', 'get', '/assessment/compensation/runs/{compensation}/export'],
    [
      'finance',
      'post',
      '/assessment/compensation/runs/{compensation}/fund-events',
      { regionCode: '361130102', state: 'paid', document: '拨付凭证' },
    ],
    ['auditor', 'post', '/assessment/officials/tenures/{tenure}/evaluation', {}],
    ['auditor', 'post', '/assessment/reports', { tenureId: '{tenure}' }],
    [
      'registry_clerk',
      'post',
      '/registry/units/{unit}/notice',
      { date: '2024-01-03', document: { type: '通告' } },
    ],
    [
      'registry_clerk',
      'post',
      '/registry/units/{unit}/objections',
      { date: '2024-01-03', objector: '某人', content: '异议' },
    ],
    [
      'registry_clerk',
      'post',
      '/registry/rights',
      {
        resourceId: '{resource}',
        rightType: 'contract',
        holders: [{ partyId: '{party}' }],
        date: '2024-05-01',
        document: { type: '合同' },
      },
    ],
  ];

  it('auditor: an official is a person, readable anywhere, but without the tenures outside the scope', async () => {
    const res = await t.http
      .get(`/assessment/officials/${ids.official}`)
      .set('authorization', `Bearer ${tokens.auditor}`);
    expect(res.status).toBe(200);
    expect(res.body.tenures).toEqual([]);
  });

  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => ids[k]);

  it.each(CASES.map(([role, method, path, body]) => ({ role, method, path, body })))(
    '$role: $method $path',
    async ({ role, method, path, body }) => {
      const req = t.http[method](fill(path)).set('authorization', `Bearer ${tokens[role]!}`);
      const res = await (body ? req.send(JSON.parse(fill(JSON.stringify(body))) as object) : req);
      expectProblem(res, 403, 'OUT_OF_REGION_SCOPE');
    },
  );
});

/**
 * Region scope from its declarations (src/auth/region-scope.ts): every route says how it relates
 * to regions, and this test turns each declaration into a request by users of 德兴市 (361181)
 * against objects of 婺源县 (361130) — a draft run, a form, a party, a report… — so a new route
 * is covered the day it is declared, and a route without a declaration fails here.
 */
describe('region scope, enumerated from the routes’ declarations', () => {
  let t: TestApp;
  const tokens: Partial<Record<Role, string>> = {};
  const fixtures: Partial<Record<ScopedKind, string>> = {};
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  const declared = () => routesOf(t);

  /** The 德兴 user to try a route as: one of its roles, a scoped viewer last. */
  const tokenFor = (d: Route): string => {
    const order: Role[] = [
      'accountant',
      'statistician',
      'reviewer',
      'finance',
      'auditor',
      'registry_clerk',
      'admin',
      'viewer',
    ];
    const role = order.find((r) => (d.rule?.kind === 'roles' ? d.rule.roles.includes(r) : true))!;
    return tokens[role]!;
  };

  beforeAll(async () => {
    t = await startTestApp();
    Object.assign(
      tokens,
      await siblingUsers(
        t,
        ROLES.filter((r) => r !== 'registry_clerk'),
        'dx',
      ),
    );

    // 婺源's objects, one of each kind; drafts where a draft is what must stay hidden
    const wy = {
      accountant: await t.token('wuyuan.accountant'),
      stat: await t.token('wuyuan.stat'),
      registrar: await t.token('wuyuan.registrar'),
      finance: await t.token('wuyuan.finance'),
      auditor: await t.token('shangrao.auditor'),
    };
    const draft = await t.http
      .post('/accounting/runs')
      .set(as(wy.accountant))
      .send({ standardId: 'ndrc-nbs-2022-trial', regionCode: '361130', year: 2024 })
      .expect(201);
    fixtures.accounting_run = draft.body.id;
    const party = await t.http
      .post('/registry/parties')
      .set(as(wy.registrar))
      .send({
        kind: 'individual',
        name: '婺源某人',
        idNumber: '36113019800101123X',
        regionCode: '361130',
      })
      .expect(201);
    fixtures.registry_party = party.body.id;
    const section = await t.http
      .post('/assessment/compensation/sections')
      .set(as(wy.finance))
      .send({
        code: 'test-wy-gf',
        name: '测试断面',
        river: '测试河',
        upstreamRegionCode: '361130',
        downstreamRegionCode: '361103',
      })
      .expect(201);
    fixtures.monitoring_section = section.body.code;
    const tenure = (
      await t.db.query<{ id: string }>(
        `SELECT id FROM tenures WHERE region_code = '361130' ORDER BY start_date LIMIT 1`,
      )
    ).rows[0].id;
    fixtures.tenure = tenure;
    const report = await t.http
      .post('/assessment/reports')
      .set(as(wy.auditor))
      .send({ tenureId: tenure })
      .expect(201);
    fixtures.audit_report = report.body.id;
    const job = async (res: { status: number; body: { id: string } }, token: string) => {
      expect(res.status).toBe(202);
      for (let i = 0; i < 600; i++) {
        const polled = await t.http.get(`/jobs/${res.body.id}`).set(as(token));
        if (polled.body.status === 'succeeded') return polled.body.result as Record<string, string>;
        if (polled.body.status === 'failed') throw new Error(JSON.stringify(polled.body.problem));
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('job did not finish');
    };
    const imported = await job(
      await t.http
        .post(
          '/parcels/imports?regionCode=361130&year=2024&standardId=ndrc-nbs-2022-trial&name=scope',
        )
        .set(as(wy.stat))
        .set('content-type', 'text/csv')
        .send(
          'parcel_id,township,ecosystem,area[亩],precipitation,storm_runoff,evapotranspiration,rusle_r,rusle_k,rusle_ls,rusle_c,rusle_p,potential_wind_erosion,actual_wind_erosion,carbon_fixed\n' +
            'p1,361130100,forest,10,1800,100,600,4000,0.02,1.2,0.01,0.5,,,1\n',
        ),
      wy.stat,
    );
    fixtures.parcel_set = imported.setId;
    const ran = await job(
      await t.http.post('/parcels/runs').set(as(wy.accountant)).send({ setId: imported.setId }),
      wy.accountant,
    );
    fixtures.parcel_run = ran.runId;
    const one = async (kind: ScopedKind, sql: string) => {
      const { rows } = await t.db.query<{ id: string }>(sql);
      expect([kind, rows.length]).toEqual([kind, 1]);
      fixtures[kind] = rows[0].id;
    };
    await one(
      'survey_form',
      `SELECT id FROM survey_forms WHERE region_code LIKE '361130%' LIMIT 1`,
    );
    await one(
      'compensation_run',
      `SELECT id FROM compensation_runs WHERE root_region_code = '361130' LIMIT 1`,
    );
    await one(
      'registration_unit',
      `SELECT id FROM registration_units WHERE region_code LIKE '361130%' LIMIT 1`,
    );
    await one(
      'registry_resource',
      `SELECT r.id FROM registry_resources r JOIN registration_units u ON u.id = r.unit_id
        WHERE u.region_code LIKE '361130%' LIMIT 1`,
    );
    await one(
      'registry_right',
      `SELECT x.id FROM registry_rights x JOIN registry_resources r ON r.id = x.resource_id
         JOIN registration_units u ON u.id = r.unit_id WHERE u.region_code LIKE '361130%' LIMIT 1`,
    );
    await one('user', `SELECT id FROM users WHERE username = 'wuyuan.stat'`);
    fixtures.region = '361130';
  }, 180_000);
  afterAll(() => t.close());

  it('every non-public route declares its region scope; a deliberate exception says why', () => {
    const routes = declared().filter((d) => d.rule?.kind !== 'public');
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.filter((d) => !d.scope?.length).map((d) => d.key)).toEqual([]);
    for (const d of routes)
      for (const r of d.scope!)
        if (r.kind === 'none') expect([d.key, r.reason.length > 10]).toEqual([d.key, true]);
  });

  it('has a 婺源 object of every kind the declarations name', () => {
    expect(Object.keys(fixtures).sort()).toEqual(Object.keys(SCOPED_OBJECTS).sort());
  });

  const fill = (path: string, param: string, value: string) =>
    path
      .replace(`:${param}`, encodeURIComponent(value))
      .replace(/:regionCode/, '361130')
      .replace(/:indicator/, 'carbon')
      .replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');

  it('refuses, with 403, every declared object, body and query region of 婺源 to users of 德兴', async () => {
    const tried: string[] = [];
    for (const d of declared()) {
      for (const rule of d.scope ?? []) {
        let path: string;
        let body: object | undefined;
        if (rule.kind === 'object') path = fill(d.path, rule.param, fixtures[rule.object]!);
        else if (rule.kind === 'body') {
          path = fill(d.path, '', '');
          body = { [rule.field]: fixtures[rule.object]! };
        } else if (rule.kind === 'query') path = `${fill(d.path, '', '')}?${rule.field}=361130`;
        else continue;
        const req = t.http[d.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](
          path,
        ).set(as(tokenFor(d)));
        const res = await (body ? req.send(body) : req);
        expect([d.key, rule.kind, res.status]).toEqual([d.key, rule.kind, 403]);
        expectProblem(res, 403, 'OUT_OF_REGION_SCOPE');
        tried.push(`${d.key} ${rule.kind}`);
      }
    }
    expect(tried.length).toBeGreaterThan(60);
  });

  /**
   * Routes whose scope depends on what is inside the request (every row of a CSV, every feature
   * of a file, every merged resource) declare `Scoped.inService`; each has its 婺源 request here,
   * and a new such route without one fails the first assertion.
   */
  const WUYUAN_ROW =
    'standard_id,department,region_code,year,variable,item,value,unit,source,note\n' +
    'ndrc-nbs-2022-trial,林业局,361130100,2025,stand_height,,12.5,m,,\n';
  const IN_SERVICE: Record<
    string,
    () => Promise<{ status: number; body: Record<string, unknown> }>
  > = {
    'PUT /assessment/compensation/forest-areas': () =>
      t.http
        .put('/assessment/compensation/forest-areas')
        .set(as(tokens.finance!))
        .send({
          values: [
            {
              regionCode: '361130',
              year: 2024,
              forestLevel: 'national',
              ownership: 'state',
              areaMu: '10',
              source: '德兴不能填婺源',
            },
          ],
        }),
    'POST /assessment/compensation/sections': () =>
      t.http.post('/assessment/compensation/sections').set(as(tokens.finance!)).send({
        code: 'test-dx-wy',
        name: '德兴填婺源断面',
        river: '测试河',
        upstreamRegionCode: '361130',
        downstreamRegionCode: '361103',
      }),
    'POST /survey/forms/load-csv': () =>
      t.http
        .post('/survey/forms/load-csv')
        .set(as(tokens.statistician!))
        .set('content-type', 'text/csv')
        .send(WUYUAN_ROW),
    'POST /survey/imports': async () =>
      jobOutcome(
        await t.http
          .post('/survey/imports')
          .set(as(tokens.statistician!))
          .set('content-type', 'text/csv')
          .send(WUYUAN_ROW),
        tokens.statistician!,
      ),
    'POST /registry/resources/merge': async () => {
      const { rows } = await t.db.query<{ id: string }>(
        `SELECT r.id FROM registry_resources r JOIN registration_units u ON u.id = r.unit_id
          WHERE u.region_code LIKE '361130%' ORDER BY r.unit_id, r.id LIMIT 2`,
      );
      return t.http
        .post('/registry/resources/merge')
        .set(as(tokens.registry_clerk!))
        .send({ resourceIds: rows.map((r) => r.id) });
    },
    'POST /registry/imports': async () =>
      jobOutcome(
        await t.http
          .post('/registry/imports?date=2024-01-02')
          .set(as(tokens.registry_clerk!))
          .set('content-type', 'application/geo+json')
          .send(
            JSON.stringify({
              type: 'FeatureCollection',
              features: [
                {
                  type: 'Feature',
                  properties: {
                    kind: 'unit',
                    regionCode: '361130',
                    unitType: 'forest',
                    name: '德兴导入婺源单元',
                    ownership: { model: 'state', representative: '自然资源部' },
                  },
                  geometry: {
                    type: 'Polygon',
                    coordinates: [
                      [
                        [117.9, 29.3],
                        [117.91, 29.3],
                        [117.91, 29.31],
                        [117.9, 29.3],
                      ],
                    ],
                  },
                },
              ],
            }),
          ),
        tokens.registry_clerk!,
      ),
  };
  /** A job route's answer as the job ends: its problem, with the problem's status. */
  async function jobOutcome(
    res: { status: number; body: { id: string } },
    token: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    if (res.status !== 202) return res;
    for (let i = 0; i < 600; i++) {
      const polled = await t.http.get(`/jobs/${res.body.id}`).set(as(token));
      if (polled.body.status === 'failed')
        return { status: polled.body.problem.status, body: polled.body.problem };
      if (polled.body.status === 'succeeded') return { status: 200, body: polled.body.result };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('job did not finish');
  }

  it('refuses 婺源 inside the request of every route that checks scope in its service', async () => {
    const inService = declared()
      .filter((d) => d.scope?.some((r) => r.kind === 'service'))
      .map((d) => d.key)
      .sort();
    expect(inService).toEqual(Object.keys(IN_SERVICE).sort());
    for (const key of inService) {
      const res = await IN_SERVICE[key]();
      expect([key, res.status]).toEqual([key, expect.any(Number)]);
      // refused as out of scope: a 403, or a 422 whose problem names the region as outside it
      const text = JSON.stringify(res.body);
      expect([key, [403, 422].includes(res.status)]).toEqual([key, true]);
      expect([key, /scope|范围/i.test(text) ? true : text]).toEqual([key, true]);
    }
    // nothing of it was written
    const { rows } = await t.db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM monitoring_sections WHERE code = 'test-dx-wy')
            + (SELECT count(*) FROM registration_unit_versions WHERE name = '德兴导入婺源单元')
            + (SELECT count(*) FROM forest_areas WHERE source = '德兴不能填婺源')
            + (SELECT count(*) FROM survey_values v JOIN survey_forms f ON f.id = v.form_id
                WHERE f.year = 2025 AND f.region_code = '361130100') AS n`,
    );
    expect(rows[0].n).toBe('0');
  });

  it('lists nothing of 婺源 to users of 德兴 (drafts, forms, parties, audit entries…)', async () => {
    const lists = declared().filter((d) => d.scope?.some((r) => r.kind === 'list'));
    expect(lists.length).toBeGreaterThan(10);
    for (const d of lists) {
      const res = await t.http.get(`${d.path}?pageSize=100`).set(as(tokenFor(d)));
      expect([d.key, res.status]).toEqual([d.key, 200]);
      const items = (res.body.items ?? res.body) as Record<string, unknown>[];
      const foreign = items.filter(
        (x) =>
          ['regionCode', 'rootRegionCode'].some(
            (k) => typeof x[k] === 'string' && x[k].startsWith('361130'),
          ) &&
          // published runs are public figures
          !(d.path === '/accounting/runs' && x.status !== 'draft'),
      );
      expect([d.key, foreign]).toEqual([d.key, []]);
    }
    // the audit log: no entry about a 婺源 object, no unmasked identity number
    const log = await t.http.get('/audit-log?pageSize=100').set(as(tokens.auditor!));
    const ids = new Set(Object.values(fixtures));
    const about = (log.body.items as { entityId: string | null }[]).filter(
      (e) => e.entityId && ids.has(e.entityId) && e.entityId !== fixtures.monitoring_section,
    );
    expect(about).toEqual([]);
    // a national auditor sees 婺源's party entry, its identity number masked
    const national = await t.http
      .get(`/audit-log?entityId=${fixtures.registry_party}`)
      .set(as(await t.token('shangrao.auditor')));
    expect(national.body.items).toHaveLength(1);
    expect(JSON.stringify(national.body.items)).not.toContain('36113019800101123X');
    expect(JSON.stringify(national.body.items)).toContain('361130********123X');
    // published figures are public: 婺源's published run is readable in 德兴
    const published = (
      await t.db.query<{ id: string }>(
        `SELECT id FROM accounting_runs WHERE root_region_code = '361130' AND status = 'published' LIMIT 1`,
      )
    ).rows[0].id;
    await t.http
      .get(`/accounting/runs/${published}/summary`)
      .set(as(tokens.accountant!))
      .expect(200);
    // and anyone may recompute a published figure (a POST that only reads), but not publish it
    await t.http
      .post(`/accounting/runs/${published}/verify`)
      .set(as(tokens.accountant!))
      .expect(200);
    expectProblem(
      await t.http
        .post(`/accounting/runs/${published}/withdraw`)
        .set(as(tokens.admin!))
        .send({ reason: '德兴不能撤回婺源' }),
      403,
      'OUT_OF_REGION_SCOPE',
    );
  });
});
