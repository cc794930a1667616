import { CONSTRAINT_MESSAGES } from '../src/common/errors/constraint-messages';
import iconv from 'iconv-lite';
import request from 'supertest';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

/**
 * Chinese first: with no Accept-Language the service answers in Chinese — titles, field
 * messages, units, dates, a job's stored problem — and in English when the request asks for it.
 */
describe('Chinese first, English on request', () => {
  let t: TestApp;
  let plain: ReturnType<typeof request>;
  let stat: string;
  let registrar: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const CJK = /[\u4e00-\u9fff]/;

  beforeAll(async () => {
    t = await startTestApp();
    plain = request(t.app.getHttpServer()); // no Accept-Language
    stat = await t.token('wuyuan.stat');
    registrar = await t.token('wuyuan.registrar');
  });
  afterAll(() => t.close());

  /** A unit a registrar may pre-delimit (a small square in 婺源县), with `extra` fields. */
  const newUnit = (extra: object = {}) => ({
    regionCode: '361130',
    unitType: 'forest',
    name: '日期格式测试',
    boundary: {
      type: 'Polygon',
      coordinates: [
        [
          [118.9, 29.1],
          [118.91, 29.1],
          [118.91, 29.11],
          [118.9, 29.1],
        ],
      ],
    },
    ownership: { model: 'state', representative: '自然资源部' },
    ...extra,
  });

  const badForm = {
    standardId: 'ndrc-nbs-2022-trial',
    department: '林业局',
    regionCode: '361130',
    year: 'abc',
  };

  it('answers in Chinese by default: title, detail and each field’s message', async () => {
    const res = await plain.post('/survey/forms').set(as(stat)).send(badForm);
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(p.title).toBe('填写的内容有误');
    expect(p.errors).toEqual([{ path: 'year', message: '应为整数' }]);
    expect(p.detail).toBe('year：应为整数');
  });

  it('answers in English when the request prefers it', async () => {
    const res = await plain
      .post('/survey/forms')
      .set(as(stat))
      .set('accept-language', 'en-GB,en;q=0.9')
      .send(badForm);
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(res.headers['content-language']).toBe('en');
    expect(p.title).toBe('The request has invalid fields');
    expect(p.errors[0].message).toBe('year must be an integer number');
    expect(JSON.stringify(p)).not.toMatch(CJK);
  });

  it('says a field that was not given must be given, not what its length or format should be', async () => {
    // a unit without a name: its checks stop at the first failure, which was @MaxLength
    const { name: _, ...nameless } = newUnit();
    const res = await plain.post('/registry/units').set(as(registrar)).send(nameless);
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(p.errors).toEqual([{ path: 'name', message: '必须填写' }]);
  });

  it('has a message in both languages for every unique or exclusion rule a request can break', async () => {
    const { rows } = await t.db.query<{ name: string }>(
      `SELECT conname AS name FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = 'public' AND c.contype IN ('u', 'x')
       UNION
       SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_namespace n ON n.oid = i.relnamespace
        WHERE n.nspname = 'public' AND x.indisunique AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    );
    const missing = rows.map((r) => r.name).filter((n) => !CONSTRAINT_MESSAGES[n]);
    expect(missing).toEqual([]);
  });

  it('names what was not found in Chinese', async () => {
    const res = await plain
      .get('/accounting/runs/00000000-0000-4000-8000-000000000000')
      .set(as(stat));
    const p = expectProblem(res, 404, 'NOT_FOUND');
    expect(p.title).toBe('找不到该记录');
    expect(p.detail).toBe('找不到核算（00000000-0000-4000-8000-000000000000）');
  });

  it('gives results with the names a person reads, in the order of a published GEP table', async () => {
    const accountant = await t.token('wuyuan.accountant');
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id FROM accounting_runs WHERE root_region_code = '361130' AND status = 'published' LIMIT 1`,
    );
    const res = await plain
      .get(`/accounting/runs/${rows[0].id}/results?regionCode=361130&pageSize=100`)
      .set(as(accountant))
      .expect(200);
    const items = res.body.items as {
      regionName: string;
      indicatorCode: string;
      indicatorNameZh: string;
      serviceNameZh: string;
      category: string;
      categoryNameZh: string;
    }[];
    expect(items.length).toBeGreaterThan(10);
    for (const i of items) {
      expect(i.regionName).toBe('婺源县');
      expect([i.indicatorCode, CJK.test(i.indicatorNameZh), CJK.test(i.serviceNameZh)]).toEqual([
        i.indicatorCode,
        true,
        true,
      ]);
    }
    const order = ['provisioning', 'regulating', 'cultural'];
    const cats = items.map((i) => order.indexOf(i.category));
    expect(cats).toEqual([...cats].sort((a, b) => a - b));
    expect(new Set(items.map((i) => i.categoryNameZh))).toEqual(
      new Set(['物质产品', '调节服务', '文化服务']),
    );
  });

  it("speaks Chinese to finance and to the auditor: a budget, and the audit log's actions", async () => {
    const finance = await t.token('wuyuan.finance');
    const res = await plain.post('/assessment/compensation/runs').set(as(finance)).send({
      schemeId: '00000000-0000-4000-8000-000000000000',
      regionCode: '361130',
      budgetYear: 2022,
      gepYear: 2021,
      budget: '5千万',
    });
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(p.errors).toContainEqual({
      path: 'budget',
      message:
        '应为金额：以元计、不为负、最多 2 位小数（如 "50000000.00"），或写明单位（如 "5000 万元"、"0.5 亿元"）',
    });
    // in 万元, as the list shows it: accepted (the unknown scheme is what is refused)
    const wan = await plain.post('/assessment/compensation/runs').set(as(finance)).send({
      schemeId: '00000000-0000-4000-8000-000000000000',
      regionCode: '361130',
      budgetYear: 2022,
      gepYear: 2021,
      budget: '5,000 万元',
    });
    expect(expectProblem(wan, 422, 'VALIDATION_FAILED').errors.map((e) => e.path)).toEqual([
      'schemeId',
    ]);
    const auditor = await t.token('shangrao.auditor');
    const log = await plain.get('/audit-log?pageSize=100').set(as(auditor)).expect(200);
    const items = log.body.items as {
      action: string;
      actionZh: string | null;
      entityType: string;
      entityTypeZh: string | null;
    }[];
    expect(items.length).toBeGreaterThan(0);
    for (const e of items) expect([e.action, CJK.test(e.actionZh ?? '')]).toEqual([e.action, true]);
    for (const e of items)
      expect([e.entityType, CJK.test(e.entityTypeZh ?? '')]).toEqual([e.entityType, true]);
  });

  it('asks for dates as 2024-01-05', async () => {
    const res = await plain
      .post('/registry/units')
      .set(as(registrar))
      .send(newUnit({ date: '2024/1/5' }));
    const p = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(p.errors).toEqual([{ path: 'date', message: '日期格式应为 2024-01-05' }]);
  });

  it('takes units as Chinese statistics write them, and suggests the nearest for a typo', async () => {
    const form = await plain
      .post('/survey/forms')
      .set(as(stat))
      .send({ ...badForm, year: 2031 })
      .expect(201);
    const put = (unit: string, revision: number) =>
      plain
        .put(`/survey/forms/${form.body.id}/values`)
        .set(as(stat))
        .send({
          revision,
          values: [{ variable: 'carbon_fixed', item: 'forest', value: '1.5', unit }],
        });
    const typo = expectProblem(await put('吨吨', form.body.revision), 422, 'VALIDATION_FAILED');
    expect(typo.errors[0].path).toBe('values[0].unit');
    expect(typo.errors[0].message).toContain('无法识别的单位“吨吨”');
    expect(typo.errors[0].message).toContain('相近的写法：吨、吨碳');
    const ok = await put('万吨碳', form.body.revision);
    expect(ok.status).toBe(200);
    const { rows } = await t.db.query(
      `SELECT value::text, unit FROM survey_values WHERE form_id = $1`,
      [form.body.id],
    );
    expect(rows).toEqual([{ value: '1.5', unit: '万吨碳' }]);
  });

  it('reads a CSV saved by Excel on Chinese Windows (GBK), and refuses one in neither encoding', async () => {
    const csv =
      'standard_id,department,region_code,year,variable,item,value,unit,source,note\r\n' +
      'ndrc-nbs-2022-trial,林业局,361130100,2033,stand_height,,12.5,米,二类调查（2033 年）,林业局填报\r\n';
    const gbk = iconv.encode(csv, 'gbk');
    const poll = async (id: string) => {
      for (;;) {
        const job = (await plain.get(`/jobs/${id}`).set(as(stat))).body as {
          status: string;
          problem: { errors: { message: string }[] } | null;
        };
        if (job.status === 'failed' || job.status === 'succeeded') return job;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const started = await plain
      .post('/survey/imports')
      .set(as(stat))
      .set('content-type', 'text/csv')
      .send(gbk)
      .expect(202);
    expect((await poll(started.body.id)).status).toBe('succeeded');
    const { rows } = await t.db.query(
      `SELECT v.value::text, v.unit, v.source, v.note FROM survey_values v
         JOIN survey_forms f ON f.id = v.form_id WHERE f.year = 2033`,
    );
    expect(rows).toEqual([
      { value: '12.5', unit: '米', source: '二类调查（2033 年）', note: '林业局填报' },
    ]);
    // the synchronous route gets the body as UTF-8 text: it refuses and points to the job route
    const sync = await plain
      .post('/survey/forms/load-csv')
      .set(as(stat))
      .set('content-type', 'text/csv')
      .send(gbk);
    const p = expectProblem(sync, 422, 'VALIDATION_FAILED');
    expect(p.detail).toContain('文件不是 UTF-8 编码');
    expect(p.detail).toContain('POST /survey/imports');
    // bytes that are neither UTF-8 nor GBK text
    const latin1 = await plain
      .post('/survey/imports')
      .set(as(stat))
      .set('content-type', 'text/csv')
      .send(Buffer.from(csv.replace(/[^\p{ASCII}]/gu, 'é'), 'latin1'))
      .expect(202);
    const refused = await poll(latin1.body.id);
    expect(refused.status).toBe('failed');
    expect(JSON.stringify(refused.problem)).toContain('文件不是 UTF-8 编码');
  });

  it('keeps a job’s problem in both languages and answers in the reader’s', async () => {
    const csv =
      'standard_id,department,region_code,year,variable,item,value,unit,source,note\n' +
      'ndrc-nbs-2022-trial,林业局,361130100,2032,carbon_fixed,forest,十二,tC,,\n';
    const started = await plain
      .post('/survey/imports')
      .set(as(stat))
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(202);
    let job: { status: string; problem: { title: string; errors: { message: string }[] } };
    for (;;) {
      job = (await plain.get(`/jobs/${started.body.id}`).set(as(stat))).body;
      if (job.status === 'failed' || job.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job.status).toBe('failed');
    expect(job.problem.title).toBe('填写的内容有误');
    expect(job.problem.errors[0].message).toBe(
      '第 2 行 G 列（value）：“十二”不是数值；未填报请留空',
    );
    const en = (
      await plain.get(`/jobs/${started.body.id}`).set(as(stat)).set('accept-language', 'en')
    ).body as typeof job;
    expect(en.problem.title).toBe('The request has invalid fields');
    expect(en.problem.errors[0].message).toBe(
      'line 2, value: "十二" is not a number; leave it empty if not reported',
    );
  });

  it('speaks Chinese in every module: a parcel file checked in SQL, a registry file, a formula, a budget', async () => {
    const wait = async (id: string, token: string) => {
      for (;;) {
        const job = (await plain.get(`/jobs/${id}`).set(as(token))).body as {
          status: string;
          problem: { detail: string; errors: { path: string; message: string }[] } | null;
        };
        if (job.status === 'failed' || job.status === 'succeeded') return job;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // parcels: checked by SQL over the staged file, each message in both languages
    const header =
      'parcel_id,township,ecosystem,area[亩],precipitation,storm_runoff,evapotranspiration,rusle_r,rusle_k,rusle_ls,rusle_c,rusle_p,potential_wind_erosion,actual_wind_erosion,carbon_fixed';
    const parcels = [
      header,
      'A1,361130100,forest,-4,1800,200,600,4000,0.03,2,0.02,0.5,,,',
      'A1,361130100,forest,10,1800,200,600,4000,0.03,2,0.02,0.5,,,',
    ].join('\n');
    const started = await plain
      .post(
        `/parcels/imports?regionCode=361130&year=2024&standardId=ndrc-nbs-2022-trial&name=${encodeURIComponent('中文图斑')}`,
      )
      .set(as(stat))
      .set('content-type', 'text/csv')
      .send(parcels)
      .expect(202);
    const job = await wait(started.body.id, stat);
    expect(job.status).toBe('failed');
    expect(job.problem!.detail).toBe('文件有 2 处问题；未保存任何内容');
    expect(job.problem!.errors.map((e) => e.message)).toEqual([
      '第 2 行 area：应大于 0',
      '第 3 行 parcel_id：重复（首次出现于第 2 行）："A1"',
    ]);

    // the registry's GeoJSON import (a job)
    const geo = await plain
      .post('/registry/imports?date=2024-01-02')
      .set(as(registrar))
      .set('content-type', 'application/geo+json')
      .send('{"type":"FeatureCollection","features":[]}')
      .expect(202);
    const imported = await wait(geo.body.id, registrar);
    expect(imported.problem!.errors).toEqual([{ path: 'features', message: '要素集合中没有要素' }]);

    // a formula with a unit mismatch, in the accountant's methodology check
    const accountant = await t.token('wuyuan.accountant');
    const methodologies = await plain.get('/methodologies').set(as(accountant));
    const published = (methodologies.body.items as { id: string; standardId: string }[]).find(
      (m) => m.standardId === 'ndrc-nbs-2022-trial',
    )!;
    const pkg = (await plain.get(`/methodologies/${published.id}/package`).set(as(accountant)))
      .body as { indicators: { value: { formula: string } }[]; standardId: string };
    pkg.standardId = 'zh-check';
    pkg.indicators[0].value.formula = `(${pkg.indicators[0].value.formula}) + 1`;
    const bad = await plain.post('/methodologies/import').set(as(accountant)).send(pkg);
    const m = expectProblem(bad, 422, 'METHODOLOGY_INVALID');
    expect(m.errors[0].message).toMatch(CJK);
    expect(m.detail).toMatch(/^1 处问题：.*indicators\[0\]\.value\.formula：/);

    // finance: a run of a scheme that does not exist
    const finance = await t.token('wuyuan.finance');
    const run = await plain.post('/assessment/compensation/runs').set(as(finance)).send({
      schemeId: '00000000-0000-4000-8000-000000000000',
      regionCode: '361130',
      budgetYear: 2024,
      gepYear: 2022,
    });
    expect(expectProblem(run, 422, 'VALIDATION_FAILED').detail).toEqual(
      '找不到补偿方案（00000000-0000-4000-8000-000000000000）',
    );
  });
});
