import { expectProblem, startTestApp, TestApp } from './support/test-app';

describe('audit log', () => {
  let t: TestApp;
  let auditor: string;
  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.token('admin');
    // a national auditor: the regions below lie outside 上饶市, whose auditor does not see them
    await t.http
      .post('/users')
      .set('authorization', `Bearer ${admin}`)
      .send({
        username: 'national.auditor',
        displayName: '全国审计',
        password: 'national-auditor-2026',
        roles: ['auditor'],
      })
      .expect(201);
    auditor = await t.token('national.auditor', 'national-auditor-2026');
    for (const [code, name] of [
      ['130102', '长安区'],
      ['130104', '桥西区'],
      ['130105', '新华区'],
    ]) {
      await t.http
        .post('/regions')
        .set('authorization', `Bearer ${admin}`)
        .send({ code, name, level: 'county', parentCode: '130100' })
        .expect(201);
    }
  });
  afterAll(() => t.close());

  const get = (query: string) =>
    t.http.get(`/audit-log?${query}`).set('authorization', `Bearer ${auditor}`);

  it('shows an auditor only the entries of their region scope', async () => {
    const scoped = await t.http
      .get('/audit-log?entityType=region&action=region.create')
      .set('authorization', `Bearer ${await t.token('shangrao.auditor')}`);
    expect(scoped.status).toBe(200);
    expect(scoped.body.items.map((e: { entityId: string }) => e.entityId)).not.toContain('130104');
  });

  it('filters by entity and actor, newest first, paginated', async () => {
    const page1 = await get('entityType=region&actor=admin&action=region.create&pageSize=2');
    expect(page1.status).toBe(200);
    expect(page1.body.total).toBe(3);
    expect(page1.body.items.map((e: { entityId: string }) => e.entityId)).toEqual([
      '130105',
      '130104',
    ]);
    const page2 = await get('entityType=region&actor=admin&action=region.create&pageSize=2&page=2');
    expect(page2.body.items.map((e: { entityId: string }) => e.entityId)).toEqual(['130102']);
    const one = await get('entityType=region&entityId=130104');
    expect(one.body.items).toHaveLength(1);
    expect(one.body.items[0]).toMatchObject({
      action: 'region.create',
      actorUsername: 'admin',
      after: { name: '桥西区' },
    });
  });

  it("names objects and a failed login's reason in Chinese, as the object-type filter offers them", async () => {
    for (const [password, username, reasonZh] of [
      ['wrong', 'wuyuan.stat', '密码错误'],
      ['wrong', 'nobody.here', '用户名不存在'],
    ]) {
      await t.http.post('/auth/login').send({ username, password }).expect(401);
      const failed = await get(`action=auth.login_failed&actor=${username}&pageSize=1`).expect(200);
      expect(failed.body.items[0]).toMatchObject({
        actionZh: '登录失败',
        entityType: 'auth',
        entityTypeZh: '登录账户',
        reasonZh,
        after: { username },
      });
    }
    const region = await get('entityType=region&entityId=130104').expect(200);
    expect(region.body.items[0]).toMatchObject({ entityTypeZh: '行政区', reasonZh: null });
    const vocabulary = await t.http
      .get('/vocabulary')
      .set('authorization', `Bearer ${auditor}`)
      .expect(200);
    expect(vocabulary.body.auditObjects).toMatchObject({
      auth: '登录账户',
      region: '行政区',
      survey_form: '报表',
    });
    // and the fields of an entry, as the console shows them
    expect(vocabulary.body.auditFields).toMatchObject({
      status: '状态',
      revision: '修订号',
      regionCode: '行政区',
    });
    // and their coded values, by object type
    expect(vocabulary.body.auditValues).toMatchObject({
      region: { level: { county: '县', township: '乡镇' } },
      survey_form: { status: { approved: '已审核' } },
      compensation_scheme: { type: { forest: '公益林生态效益补偿' } },
      monitoring_section: { state: { frozen: '冰冻' }, pollutant: { NH3N: '氨氮（NH₃-N）' } },
    });
    expect(vocabulary.body.schemeTypes).toMatchObject({ cross_section: '跨界断面横向补偿' });
  });

  it('offers the actions it holds among the entries the reader sees, by name', async () => {
    const admin = await t.token('admin');
    await t.http.delete('/regions/130105').set('authorization', `Bearer ${admin}`).expect(204);
    const national = await t.http
      .get('/audit-log/actions')
      .set('authorization', `Bearer ${auditor}`)
      .expect(200);
    const actions = national.body as { action: string; actionZh: string | null }[];
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: 'region.create', actionZh: '新建行政区' },
        { action: 'region.delete', actionZh: '删除行政区' },
        { action: 'auth.login_failed', actionZh: '登录失败' },
      ]),
    );
    expect(actions.filter((a) => !/[\u4e00-\u9fff]/.test(a.actionZh ?? ''))).toEqual([]);
    const names = actions.map((a) => a.actionZh!);
    expect(names).toEqual([...names].sort(new Intl.Collator('zh-CN').compare));
    expect(new Set(actions.map((a) => a.action)).size).toBe(actions.length);
    // 上饶市's auditor: the actions of its own entries, not those of the regions outside it
    const scoped = await t.http
      .get('/audit-log/actions')
      .set('authorization', `Bearer ${await t.token('shangrao.auditor')}`)
      .expect(200);
    const own = (scoped.body as { action: string }[]).map((a) => a.action);
    expect(own).toContain('auth.login');
    expect(own).not.toContain('region.delete');
    // every action offered filters the log; one of three parts too
    for (const a of [...actions.slice(0, 5), { action: 'registry.party.create' }])
      await get(`action=${a.action}&pageSize=1`).expect(200);
    await t.http
      .get('/audit-log/actions')
      .set('authorization', `Bearer ${await t.token('viewer')}`)
      .expect(403);
  });

  it('filters by time range', async () => {
    const { rows } = await t.db.query(
      "SELECT at FROM audit_log WHERE entity_id = '130104' AND action = 'region.create'",
    );
    const at = rows[0].at as Date;
    const from = new Date(at.getTime()).toISOString();
    const to = new Date(at.getTime() + 1).toISOString();
    const res = await get(`entityType=region&from=${from}&to=${to}`);
    expect(res.body.items.map((e: { entityId: string }) => e.entityId)).toEqual(['130104']);
  });

  it('rejects malformed filters with 422 naming them', async () => {
    const p = expectProblem(
      await get('from=yesterday&actorId=42&action=DROP'),
      422,
      'VALIDATION_FAILED',
    );
    expect(p.errors.map((e) => e.path).sort()).toEqual(['action', 'actorId', 'from']);
  });

  it('cannot be updated, deleted or truncated, even with raw SQL', async () => {
    await expect(
      t.db.query(
        "UPDATE audit_log SET action = 'forged' WHERE id = (SELECT max(id) FROM audit_log)",
      ),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(t.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only: DELETE/);
    await expect(t.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE/);
    const { rows } = await t.db.query("SELECT count(*) FROM audit_log WHERE action = 'forged'");
    expect(rows[0].count).toBe('0');
  });

  it('is written in the same transaction as the change: if the audit row fails, the change is undone', async () => {
    const admin = await t.token('admin');
    await t.db.query(
      "ALTER TABLE audit_log ADD CONSTRAINT test_refuse_region_update CHECK (action <> 'region.update') NOT VALID",
    );
    try {
      const res = await t.http
        .patch('/regions/130104')
        .set('authorization', `Bearer ${admin}`)
        .send({ name: '改名失败' });
      expect(res.status).toBeGreaterThanOrEqual(400);
    } finally {
      await t.db.query('ALTER TABLE audit_log DROP CONSTRAINT test_refuse_region_update');
    }
    const { rows } = await t.db.query("SELECT name FROM regions WHERE code = '130104'");
    expect(rows[0].name).toBe('桥西区');
  });
});
