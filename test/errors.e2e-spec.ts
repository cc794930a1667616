import { expectProblem, startTestApp, TestApp } from './support/test-app';

describe('problem+json for bad requests', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('admin');
  });
  afterAll(() => t.close());

  it('renders malformed JSON as 400 naming the body', async () => {
    const res = await t.http
      .post('/regions')
      .set('authorization', `Bearer ${admin}`)
      .set('content-type', 'application/json')
      .send('{"code": "3611');
    const p = expectProblem(res, 400, 'MALFORMED_REQUEST');
    expect(p.detail).toMatch(/not valid JSON/);
  });

  it('refuses a body nested too deeply with 400 instead of overflowing the stack (found by the fuzz suite)', async () => {
    const res = await t.http
      .post('/regions')
      .set('authorization', `Bearer ${admin}`)
      .set('content-type', 'application/json')
      .send('['.repeat(5000) + ']'.repeat(5000));
    const p = expectProblem(res, 400, 'MALFORMED_REQUEST');
    expect(p.detail).toMatch(/nested more than 32 levels/);
  });

  it('refuses a NUL character in the URL or in a body field, naming the field (found by the fuzz suite)', async () => {
    const url = await t.http.get('/regions/%00/lineage').set('authorization', `Bearer ${admin}`);
    expectProblem(url, 400, 'MALFORMED_REQUEST');
    const body = await t.http
      .post('/regions')
      .set('authorization', `Bearer ${admin}`)
      .send({ code: '361130999', name: 'a\u0000b', level: 'village' });
    const p = expectProblem(body, 422, 'VALIDATION_FAILED');
    expect(p.errors).toEqual([{ path: 'name', message: 'contains a NUL character' }]);
  });

  it('renders unknown routes as 404', async () => {
    const res = await t.http.get('/no/such/route');
    expectProblem(res, 404, 'ROUTE_NOT_FOUND');
  });

  it('lists every invalid field with its path: unknown, missing and wrongly typed', async () => {
    const res = await t.http
      .post('/regions')
      .set('authorization', `Bearer ${admin}`)
      .send({ code: 361130999, level: 'hamlet', colour: 'red' });
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    const paths = p.errors.map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['code', 'colour', 'level', 'name']));
    expect(p.errors.find((e) => e.path === 'colour')?.message).toMatch(/should not exist/);
  });

  it('rejects a body that is not JSON with 422 naming the fields, not 500', async () => {
    const res = await t.http
      .post('/auth/login')
      .set('content-type', 'text/plain')
      .send('username=admin&password=x');
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(p.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['username', 'password']));
  });

  it('rejects a non-UUID user id as 404 rather than a database error', async () => {
    const res = await t.http.get('/users/not-a-uuid').set('authorization', `Bearer ${admin}`);
    expectProblem(res, 404, 'NOT_FOUND');
  });

  it('rejects invalid pagination', async () => {
    const res = await t.http
      .get('/regions?page=0&pageSize=100000')
      .set('authorization', `Bearer ${admin}`);
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(p.errors.map((e) => e.path).sort()).toEqual(['page', 'pageSize']);
  });

  it('echoes a valid x-request-id and puts it in the problem', async () => {
    const res = await t.http.get('/no/such/route').set('x-request-id', 'trace-123');
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect((res.body as { requestId: string }).requestId).toBe('trace-123');
  });

  it('serves the OpenAPI document with the DTO schemas from the CLI plugin', async () => {
    const res = await t.http.get('/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: object }> };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/regions', '/auth/login', '/users', '/audit-log', '/health']),
    );
    expect(Object.keys(doc.components.schemas.CreateRegionDto.properties ?? {})).toEqual(
      expect.arrayContaining(['code', 'name', 'level', 'parentCode']),
    );
  });
});
