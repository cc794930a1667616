import { expectProblem, startTestApp, TestApp } from './support/test-app';

describe('regions', () => {
  let t: TestApp;
  let admin: string;
  let countyAdmin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('admin');
    countyAdmin = await t.token('wuyuan.admin');
  });
  afterAll(() => t.close());

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const rowCounts = async () =>
    (
      await t.db.query(
        'SELECT (SELECT count(*) FROM regions) AS regions, (SELECT count(*) FROM audit_log) AS audit',
      )
    ).rows[0] as {
      regions: string;
      audit: string;
    };

  it('lists the seeded Wuyuan townships, paginated', async () => {
    const res = await t.http.get('/regions?parentCode=361130&pageSize=5&page=2').set(auth(admin));
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(17);
    expect(res.body.items).toHaveLength(5);
    expect(res.body.page).toBe(2);
  });

  it('finds a subtree with ?within (ltree) and a lineage up to the province', async () => {
    const within = await t.http.get('/regions?within=361100&pageSize=500').set(auth(admin));
    expect(within.body.items.map((r: { code: string }) => r.code)).toEqual(
      expect.arrayContaining(['361100', '361130', '361181', '361130100']),
    );
    expect(within.body.items.map((r: { code: string }) => r.code)).not.toContain('360281');
    const lineage = await t.http.get('/regions/361130100/lineage').set(auth(admin));
    expect(lineage.body.map((r: { name: string }) => r.name)).toEqual([
      '江西省',
      '上饶市',
      '婺源县',
      '紫阳镇',
    ]);
  });

  it('creates, renames and deletes a village, auditing each write with before and after', async () => {
    const created = await t.http
      .post('/regions')
      .set(auth(countyAdmin))
      .send({ code: '361130100201', name: '测试村', level: 'village', parentCode: '361130100' });
    expect(created.status).toBe(201);
    expect(created.body.path).toBe('360000.361100.361130.361130100.361130100201');
    const renamed = await t.http
      .patch('/regions/361130100201')
      .set(auth(countyAdmin))
      .send({ name: '测试村二' });
    expect(renamed.body.name).toBe('测试村二');
    expect((await t.http.delete('/regions/361130100201').set(auth(countyAdmin))).status).toBe(204);

    const log = await t.db.query(
      "SELECT action, actor_username, before, after, request_id FROM audit_log WHERE entity_type = 'region' AND entity_id = '361130100201' ORDER BY id",
    );
    expect(log.rows.map((r) => r.action)).toEqual([
      'region.create',
      'region.update',
      'region.delete',
    ]);
    expect(
      log.rows.every(
        (r) => r.actor_username === 'wuyuan.admin' && typeof r.request_id === 'string',
      ),
    ).toBe(true);
    expect(log.rows[1].before.name).toBe('测试村');
    expect(log.rows[1].after.name).toBe('测试村二');
    expect(log.rows[2].after).toBeNull();
  });

  it('refuses a duplicate code with 409 and writes nothing', async () => {
    const before = await rowCounts();
    const res = await t.http
      .post('/regions')
      .set(auth(admin))
      .send({ code: '361130100', name: '重复', level: 'township', parentCode: '361130' });
    const p = expectProblem(res, 409, 'DUPLICATE');
    expect(p.errors).toEqual([{ path: 'code', message: 'a region with this code already exists' }]);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a parent of the wrong level with 422 naming parentCode', async () => {
    const before = await rowCounts();
    const res = await t.http
      .post('/regions')
      .set(auth(admin))
      .send({ code: '361130300', name: '错层', level: 'township', parentCode: '361100' });
    const p = expectProblem(res, 422, 'REGION_INVALID_PARENT');
    expect(p.errors[0]).toEqual({
      path: 'parentCode',
      message: 'the parent of a township must be a county; 361100 is a city',
    });
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses an unknown parent, a code of the wrong shape and a province with a parent', async () => {
    expectProblem(
      await t.http
        .post('/regions')
        .set(auth(admin))
        .send({ code: '369900', name: 'x', level: 'city', parentCode: '370000' }),
      422,
      'REGION_INVALID_PARENT',
    );
    const shape = await t.http
      .post('/regions')
      .set(auth(admin))
      .send({ code: '361100', name: 'x', level: 'county', parentCode: '361100' });
    expect(expectProblem(shape, 422).errors.map((e) => e.path)).toContain('code');
    const province = await t.http
      .post('/regions')
      .set(auth(admin))
      .send({ code: '370000', name: '山东省', level: 'province', parentCode: '360000' });
    expect(expectProblem(province, 422, 'REGION_INVALID_PARENT').errors[0].path).toBe('parentCode');
  });

  it('keeps a county administrator inside the county (403 outside the subtree)', async () => {
    const before = await rowCounts();
    const res = await t.http
      .post('/regions')
      .set(auth(countyAdmin))
      .send({ code: '361181100', name: '德兴某镇', level: 'township', parentCode: '361181' });
    const p = expectProblem(res, 403, 'OUT_OF_REGION_SCOPE');
    expect(p.errors[0].path).toBe('parentCode');
    expectProblem(
      await t.http.patch('/regions/361181').set(auth(countyAdmin)).send({ name: 'x' }),
      403,
      'OUT_OF_REGION_SCOPE',
    );
    expectProblem(
      await t.http
        .post('/regions')
        .set(auth(countyAdmin))
        .send({ code: '370000', name: '山东省', level: 'province' }),
      403,
      'OUT_OF_REGION_SCOPE',
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses to delete a region with sub-regions (409) or one users are scoped to (409)', async () => {
    expectProblem(
      await t.http.delete('/regions/361130').set(auth(admin)),
      409,
      'REGION_HAS_CHILDREN',
    );
    await t.http
      .post('/regions')
      .set(auth(admin))
      .send({ code: '130102', name: '长安区', level: 'county', parentCode: '130100' })
      .expect(201);
    await t.http
      .post('/users')
      .set(auth(admin))
      .send({
        username: 'changan.viewer',
        displayName: '长安',
        password: 'long-enough-pw',
        roles: ['viewer'],
        regionCode: '130102',
      })
      .expect(201);
    const del = await t.http.delete('/regions/130102').set(auth(admin));
    const p = expectProblem(del, 409, 'STILL_IN_USE');
    expect(p.detail).toMatch(/still in use.*users/);
  });

  it('answers 404 for an unknown region', async () => {
    expectProblem(await t.http.get('/regions/999999').set(auth(admin)), 404, 'NOT_FOUND');
    expectProblem(await t.http.delete('/regions/999999').set(auth(admin)), 404, 'NOT_FOUND');
  });

  it("keeps a county's outline for the maps: entered by its administrator, checked, read by everyone signed in", async () => {
    const square = {
      type: 'Polygon',
      coordinates: [
        [
          [117.6, 29.1],
          [118.1, 29.1],
          [118.1, 29.5],
          [117.6, 29.5],
          [117.6, 29.1],
        ],
      ],
    };
    const viewer = await t.token('viewer');
    const missing = expectProblem(
      await t.http
        .get('/regions/361130/boundary')
        .set(auth(viewer))
        .set('accept-language', 'zh-CN'),
      404,
      'NOT_FOUND',
    );
    expect(missing.detail).toBe('行政区 361130 婺源县 的界线尚未录入');

    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [117.6, 29.1],
          [118.1, 29.5],
          [118.1, 29.1],
          [117.6, 29.5],
          [117.6, 29.1],
        ],
      ],
    };
    const bad = expectProblem(
      await t.http
        .put('/regions/361130/boundary')
        .set(auth(countyAdmin))
        .send({ boundary: bowtie, source: '测试' }),
      422,
      'VALIDATION_FAILED',
    );
    expect(bad.errors[0].path).toMatch(/^boundary/);
    const noSource = expectProblem(
      await t.http
        .put('/regions/361130/boundary')
        .set(auth(countyAdmin))
        .send({ boundary: square, source: '' }),
      422,
      'VALIDATION_FAILED',
    );
    expect(noSource.errors.map((e: { path: string }) => e.path)).toEqual(['source']);
    // Not an administrator, and an administrator of another county
    expectProblem(
      await t.http
        .put('/regions/361130/boundary')
        .set(auth(await t.token('wuyuan.registrar')))
        .send({ boundary: square, source: '测试' }),
      403,
    );
    expectProblem(
      await t.http
        .put('/regions/361181/boundary')
        .set(auth(countyAdmin))
        .send({ boundary: square, source: '测试' }),
      403,
      'OUT_OF_REGION_SCOPE',
    );
    expect((await t.db.query('SELECT count(*)::int AS n FROM region_boundaries')).rows[0].n).toBe(
      0,
    );

    const saved = await t.http
      .put('/regions/361130/boundary')
      .set(auth(countyAdmin))
      .send({ boundary: square, source: ' 第三次全国国土调查县级界线（测试） ' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      regionCode: '361130',
      name: '婺源县',
      source: '第三次全国国土调查县级界线（测试）',
    });
    const read = await t.http.get('/regions/361130/boundary').set(auth(viewer));
    expect(read.status).toBe(200);
    expect(read.body.boundary).toEqual(square);
    const audit = await t.db.query(
      "SELECT after FROM audit_log WHERE action = 'region.boundary' AND entity_id = '361130'",
    );
    expect(audit.rows).toEqual([
      { after: { source: '第三次全国国土调查县级界线（测试）', positions: 5 } },
    ]);
    await t.db.query("DELETE FROM region_boundaries WHERE region_code = '361130'");
  });
});
