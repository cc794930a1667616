import ExcelJS from 'exceljs';
import { D } from '../src/common/decimal';
import { fillApprovedForms } from './support/survey-fill';
import { workbook } from './support/download';
import { removalAfterOpenWrite } from './support/reference-check';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

const STD = 'ndrc-nbs-2022-trial';
const ZIYANG = '361130100';
const QINGHUA = '361130101';
const VILLAGES = ['361130101201', '361130101202'];

describe('accounting runs', () => {
  let t: TestApp;
  let accountant: string;
  let runId: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await startTestApp();
    accountant = await t.token('wuyuan.accountant');
    const stat = await t.token('wuyuan.stat');
    const reviewer = await t.token('wuyuan.reviewer');
    const admin = await t.token('admin');
    for (const [i, code] of VILLAGES.entries()) {
      await t.http
        .post('/regions')
        .set(as(admin))
        .send({ code, name: `测试村${i + 1}`, level: 'village', parentCode: QINGHUA })
        .expect(201);
    }
    // 紫阳镇 reports for itself; 清华镇 only through its two villages
    await fillApprovedForms(t, stat, reviewer, ZIYANG, 2024, 0.2);
    await fillApprovedForms(t, stat, reviewer, VILLAGES[0], 2024, 0.7);
    await fillApprovedForms(t, stat, reviewer, VILLAGES[1], 2024, 0.4);
  }, 120_000);
  afterAll(() => t.close());

  it('computes a county run from approved forms: own inputs computed, 清华镇 aggregated from its villages, the rest not computable', async () => {
    const res = await t.http
      .post('/accounting/runs')
      .set(as(accountant))
      .send({ standardId: STD, regionCode: '361130', year: 2024 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      methodologyVersion: 1,
      snapshotSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.body).not.toHaveProperty('snapshot');
    runId = res.body.id;
    const byRegion = async (code: string) =>
      (
        await t.http
          .get(`/accounting/runs/${runId}/results?regionCode=${code}&pageSize=100`)
          .set(as(accountant))
      ).body.items;
    const zy = await byRegion(ZIYANG);
    expect(zy.every((r: { status: string }) => r.status === 'computed')).toBe(true);
    const qh = await byRegion(QINGHUA);
    expect(qh.every((r: { status: string }) => r.status === 'aggregated')).toBe(true);
    expect(qh[0].trace).toBeUndefined(); // lists leave traces out; explain has them
    const county = await byRegion('361130');
    expect(county.every((r: { status: string }) => r.status === 'not_computable')).toBe(true);
    const other = await byRegion('361130102');
    expect(
      other.every(
        (r: { status: string; missing: string[] }) =>
          r.status === 'not_computable' && r.missing.length > 0,
      ),
    ).toBe(true);
    expect(res.body.coverage).toEqual({ computed: 3 * 24, aggregated: 24, notComputable: 16 * 24 });
  });

  it('conserves sums: 清华镇 equals the sum of its villages exactly, also by ecosystem type', async () => {
    const get = async (code: string, ind: string) =>
      (await t.http.get(`/accounting/runs/${runId}/results/${code}/${ind}`).set(as(accountant)))
        .body;
    for (const ind of ['water_conservation', 'carbon', 'agriculture', 'climate_regulation']) {
      const [c, a, b] = await Promise.all([
        get(QINGHUA, ind),
        get(VILLAGES[0], ind),
        get(VILLAGES[1], ind),
      ]);
      expect(c.trace).toEqual({ aggregatedFrom: VILLAGES });
      expect(new D(c.value).eq(new D(a.value).plus(b.value))).toBe(true);
      if (c.byIndex)
        for (const k of Object.keys(c.byIndex))
          expect(new D(c.byIndex[k]).eq(new D(a.byIndex[k]).plus(b.byIndex[k]))).toBe(true);
    }
    const summary = await t.http
      .get(`/accounting/runs/${runId}/summary?regionCode=${QINGHUA}`)
      .set(as(accountant));
    const parts = await Promise.all(
      VILLAGES.map(
        async (c) =>
          (
            await t.http
              .get(`/accounting/runs/${runId}/summary?regionCode=${c}`)
              .set(as(accountant))
          ).body.gep as string,
      ),
    );
    expect(new D(summary.body.gep).eq(new D(parts[0]).plus(parts[1]))).toBe(true);
    expect(summary.body.incomplete).toEqual([]);
    // derived figures: 清华镇's area, population and GDP are the sums of its villages'
    const d = summary.body.derived;
    expect(d.areaKm2).not.toBeNull();
    expect(new D(d.gepPerKm2).eq(new D(summary.body.gep).div(d.areaKm2))).toBe(true);
    expect(new D(d.gepToGdp).eq(new D(summary.body.gep).div(d.gdp))).toBe(true);
    expect(new D(d.gepPerCapita).eq(new D(summary.body.gep).div(d.population))).toBe(true);
    expect(d.absent).toEqual([]);
    // the table a person reads: 清华镇, categories by name, services summing to their category
    expect(summary.body.regionName).toBe('清华镇');
    type Line = { code: string; nameZh: string; value: string; services: Line[] };
    const table = summary.body.table as Line[];
    expect(table.map((c) => c.nameZh)).toEqual(['物质产品', '调节服务', '文化服务']);
    for (const c of table) {
      expect(c.services.length).toBeGreaterThan(0);
      const sum = c.services.reduce((s, x) => s.plus(x.value), new D(0));
      expect([c.code, sum.eq(new D(c.value))]).toEqual([c.code, true]);
      expect(c.services.every((x) => /[\u4e00-\u9fff]/.test(x.nameZh))).toBe(true);
    }
    expect(table.reduce((s, c) => s.plus(c.value), new D(0)).eq(new D(summary.body.gep))).toBe(
      true,
    );
  });

  it('explains a number down to survey records and cited parameters', async () => {
    const r = await t.http
      .get(`/accounting/runs/${runId}/results/${ZIYANG}/water_conservation`)
      .set(as(accountant));
    expect(r.body.trace.quantityFormula).toBe(
      '(precipitation - storm_runoff - evapotranspiration) .* eco_area',
    );
    expect(r.body.trace.inputs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'eco_area',
          kind: 'variable',
          unit: 'km²',
          source: expect.stringMatching(/^survey form [0-9a-f-]+ \(自然资源局, revision 4\)$/),
        }),
        expect.objectContaining({
          name: 'reservoir_cost',
          kind: 'parameter',
          value: '7.06',
          source: expect.stringContaining('(price year 2010)'),
        }),
      ]),
    );
    // as a person reads it: names, the form as 「自然资源局 2024 年报表（第 4 版）」 with its id
    const area = (r.body.trace.inputs as Record<string, unknown>[]).find(
      (i) => i.name === 'eco_area',
    )!;
    expect(area).toMatchObject({
      nameZh: '生态系统面积',
      sourceText: '自然资源局 form of 2024 (revision 4)',
      formId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      notes: expect.any(Array),
    });
    expect((area.itemNames as Record<string, string>).forest).toBe('森林');
    const zh = await t.http
      .get(`/accounting/runs/${runId}/results/${ZIYANG}/water_conservation`)
      .set(as(accountant))
      .set('accept-language', 'zh-CN');
    expect(
      (zh.body.trace.inputs as Record<string, unknown>[]).find((i) => i.name === 'eco_area'),
    ).toMatchObject({ sourceText: '自然资源局 2024 年报表（第 4 版）' });
    const form = await t.http.get(`/survey/forms/${area.formId as string}`).set(as(accountant));
    expect(form.body.form).toMatchObject({ department: '自然资源局', regionCode: ZIYANG });
  });

  it('publishes, is reproducible from its snapshot, and cannot be changed afterwards', async () => {
    // 16 townships have no forms: publishing needs a written reason
    const refused = await t.http.post(`/accounting/runs/${runId}/publish`).set(as(accountant));
    expectProblem(refused, 409, 'DATA_INCOMPLETE');
    const pub = await t.http
      .post(`/accounting/runs/${runId}/publish`)
      .set(as(accountant))
      .send({ incompleteReason: '测试：仅两个乡镇的数据' });
    expect(pub.body).toMatchObject({
      status: 'published',
      publishedBy: 'wuyuan.accountant',
      incompleteReason: '测试：仅两个乡镇的数据',
      completeness: { complete: false },
    });
    const v = await t.http
      .post(`/accounting/runs/${runId}/verify`)
      .set(as(await t.token('viewer')));
    expect(v.body).toEqual({
      identical: true,
      figuresIdentical: true,
      tracesIdentical: true,
      hashMatches: true,
      compared: 20 * 24,
      differences: [],
    });
    expectProblem(
      await t.http.post(`/accounting/runs/${runId}/publish`).set(as(accountant)),
      409,
      'RUN_NOT_DRAFT',
    );
    await expect(
      t.db.query(
        "UPDATE accounting_results SET value = 1 WHERE run_id = $1 AND region_code = '361130'",
        [runId],
      ),
    ).rejects.toThrow(/cannot be changed/);
    await expect(
      t.db.query('DELETE FROM accounting_results WHERE run_id = $1', [runId]),
    ).rejects.toThrow(/cannot be changed/);
    await expect(
      t.db.query('UPDATE accounting_runs SET year = 2020 WHERE id = $1', [runId]),
    ).rejects.toThrow(/cannot be changed/);
    await expect(
      t.db.query("UPDATE accounting_runs SET status = 'superseded', year = 2020 WHERE id = $1", [
        runId,
      ]),
    ).rejects.toThrow(/cannot be changed/);
  });

  it('verify names a result whose trace differs from the recomputed one, though its figures are the same', async () => {
    const [one, other] = (
      await t.db.query<{ region_code: string; indicator_code: string }>(
        `SELECT region_code, indicator_code FROM accounting_results
          WHERE run_id = $1 AND status = 'computed' AND json_array_length(trace->'inputs') >= 2
          ORDER BY region_code, indicator_code LIMIT 2`,
        [runId],
      )
    ).rows;
    const where = `run_id = $1 AND region_code = $2 AND indicator_code = $3`;
    const tamper = async (sql: string, r: typeof one) => {
      // as someone with the database's keys could: past the trigger that freezes results
      await t.db.query(
        'ALTER TABLE accounting_results DISABLE TRIGGER accounting_results_frozen_update',
      );
      try {
        await t.db.query(`UPDATE accounting_results SET ${sql} WHERE ${where}`, [
          runId,
          r.region_code,
          r.indicator_code,
        ]);
      } finally {
        await t.db.query(
          'ALTER TABLE accounting_results ENABLE TRIGGER accounting_results_frozen_update',
        );
      }
    };
    const original = (
      await t.db.query<{ trace: string }>(
        `SELECT trace::text AS trace FROM accounting_results WHERE ${where}`,
        [runId, one.region_code, one.indicator_code],
      )
    ).rows[0].trace;
    // the same figures, their inputs listed in another order; and a trace only re-spaced
    await tamper(
      `trace = jsonb_set(trace::jsonb, '{inputs}', (SELECT jsonb_agg(e ORDER BY n DESC)
         FROM jsonb_array_elements(trace::jsonb->'inputs') WITH ORDINALITY AS a(e, n)))::json`,
      one,
    );
    await tamper('trace = trace::jsonb::json', other);
    try {
      const v = await t.http.post(`/accounting/runs/${runId}/verify`).set(as(accountant));
      expect(v.body).toMatchObject({
        identical: false,
        figuresIdentical: true,
        tracesIdentical: false,
        differences: [`${one.region_code}/${one.indicator_code} (explained differently)`],
      });
      const zh = await t.http
        .post(`/accounting/runs/${runId}/verify`)
        .set(as(accountant))
        .set('accept-language', 'zh-CN');
      expect(zh.body.differences).toEqual([
        `${one.region_code}/${one.indicator_code}（计算过程不同）`,
      ]);
    } finally {
      await tamper(`trace = '${original.replace(/'/g, "''")}'::json`, one);
    }
    const again = await t.http.post(`/accounting/runs/${runId}/verify`).set(as(accountant));
    expect(again.body).toMatchObject({ identical: true, differences: [] });
  });

  it('exports the results as csv (UTF-8 with BOM) and xlsx, values as exact decimals', async () => {
    const csv = await t.http
      .get(`/accounting/runs/${runId}/export?format=csv`)
      .set(as(accountant))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe(
      '地区代码,地区名称,指标代码,指标名称,状态,实物量,实物量单位,价值量（元）,缺少的数据',
    );
    expect(lines).toHaveLength(1 + 20 * 24);
    const stored = await t.http
      .get(`/accounting/runs/${runId}/results/${ZIYANG}/carbon`)
      .set(as(accountant));
    expect(lines).toContain(
      `${ZIYANG},紫阳镇,carbon,固碳,核算,${stored.body.quantity},tCO2,${stored.body.value},`,
    );
    const wb = await workbook(
      t.http.get(`/accounting/runs/${runId}/export?format=xlsx`).set(as(accountant)),
    );
    // the published table first; every region's exact values on the second sheet
    expect(wb.worksheets.map((w) => w.name)).toEqual(['GEP 核算表', '2024 精确值', '说明']);
    const sheet = wb.worksheets[1];
    expect(sheet.rowCount).toBe(1 + 20 * 24);
    expectProblem(
      await t.http.get(`/accounting/runs/${runId}/export?format=pdf`).set(as(accountant)),
      422,
      'VALIDATION_FAILED',
    );
  });

  it('exports the published table a bureau prints: numeric cells, subtotals that add up to GEP', async () => {
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id FROM accounting_runs WHERE root_region_code = '361130' AND status = 'published'
          AND (completeness->>'complete')::boolean AND year = 2022`,
    );
    expect(rows).toHaveLength(1);
    const wb = await workbook(
      t.http.get(`/accounting/runs/${rows[0].id}/export?format=xlsx`).set(as(accountant)),
    );
    const table = wb.getWorksheet('GEP 核算表')!;
    expect(table.getCell('A1').text).toBe('婺源县2022 年生态产品总值（GEP）核算表');
    expect(table.getRow(3).values).toEqual(
      expect.arrayContaining([
        '类别',
        '生态系统服务',
        '核算科目',
        '分项',
        '实物量',
        '价格',
        '价格单位',
        '价值量（万元）',
      ]),
    );
    const headers = (table.getRow(3).values as string[]).slice(1);
    const col = (title: string) => headers.indexOf(title) + 1;
    type Line = {
      a: string;
      b: string;
      c: string;
      d: string;
      value: number | null;
      quantity: number | null;
      price: number | null;
      priceUnit: string;
    };
    const lines: Line[] = [];
    for (let r = 4; r <= table.rowCount; r++) {
      const row = table.getRow(r);
      const v = row.getCell(col('价值量（万元）'));
      if (v.value !== null && v.value !== undefined)
        expect([r, v.type]).toEqual([r, ExcelJS.ValueType.Number]);
      const q = row.getCell(col('实物量'));
      if (q.value !== null && q.value !== undefined)
        expect([r, q.type]).toEqual([r, ExcelJS.ValueType.Number]);
      const p = row.getCell(col('价格'));
      if (p.value !== null && p.value !== undefined)
        expect([r, p.type]).toEqual([r, ExcelJS.ValueType.Number]);
      const text = (n: number) => row.getCell(n).text;
      lines.push({
        a: text(1),
        b: text(2),
        c: text(3),
        d: text(4),
        value: (v.value as number) ?? null,
        quantity: (q.value as number) ?? null,
        price: (p.value as number) ?? null,
        priceUnit: row.getCell(col('价格单位')).text,
      });
    }
    const gep = lines[lines.length - 1];
    expect(gep.a).toBe('生态产品总值（GEP）');
    const categories = lines.filter((l) => l.a && l !== gep);
    expect(categories.map((l) => l.a)).toEqual(['物质产品', '调节服务', '文化服务']);
    const sum = (xs: (number | null)[]) => xs.reduce<number>((s, x) => s + (x ?? 0), 0);
    // rounded once from exact sums: the rounded parts differ from the rounded total by rounding only
    expect(Math.abs(sum(categories.map((c) => c.value)) - gep.value!)).toBeLessThanOrEqual(0.02);
    // every category's services add up to it, and the summary API says the same GEP
    for (const [i, cat] of categories.entries()) {
      const start = lines.indexOf(cat);
      const end = i + 1 < categories.length ? lines.indexOf(categories[i + 1]) : lines.length - 1;
      const services = lines.slice(start + 1, end).filter((l) => l.b);
      expect(services.length).toBeGreaterThan(0);
      const counted = services.filter((l) => l.value !== null);
      expect(Math.abs(sum(counted.map((x) => x.value)) - cat.value!)).toBeLessThanOrEqual(
        0.01 * counted.length,
      );
    }
    const summary = await t.http
      .get(`/accounting/runs/${rows[0].id}/summary`)
      .set(as(accountant))
      .expect(200);
    expect(gep.value).toBe(Number((Number(summary.body.gep) / 10000).toFixed(2)));
    // indexed items are rows of their own, under their indicator
    expect(lines.some((l) => l.d !== '')).toBe(true);
    // a priced item reads quantity × price = value: 水源涵养 in m³ × 元/m³ (quantity unit 万m³)
    const priced = lines.filter((l) => l.price !== null && l.quantity !== null && l.c);
    expect(priced.length).toBeGreaterThan(3);
    expect(priced.every((l) => /^元\//.test(l.priceUnit))).toBe(true);
    const water = lines.find((l) => l.c === '水源涵养')!;
    expect(water.priceUnit).toBe('元/m³');
    // 万m³ × 元/m³ = 万元: the row's own numbers multiply to its value
    expect(Math.abs(water.quantity! * water.price! - water.value!)).toBeLessThan(
      0.01 * water.value!,
    );
    // SO₂, NOₓ and dust are not one quantity: the item rows carry tonnes, the indicator none
    const air = lines.findIndex((l) => l.c === '空气净化');
    expect(air).toBeGreaterThan(0);
    expect(lines[air].quantity).toBeNull();
    expect(lines[air].value).not.toBeNull();
    const pollutants = lines.slice(air + 1, air + 4);
    expect(pollutants.map((l) => l.d)).toEqual(['二氧化硫', '氮氧化物', '工业粉尘']);
    expect(pollutants.every((l) => l.quantity !== null && l.price !== null)).toBe(true);
    const note = table.getRow(4 + air).getCell(col('备注')).text;
    expect(note).toContain('实物量按分项列示');
    const api = await t.http
      .get(`/accounting/runs/${rows[0].id}/results?regionCode=361130&indicator=air_purification`)
      .set(as(accountant));
    const result = api.body.items[0];
    expect(result.quantity).toBeNull();
    expect(Object.keys(result.quantityByIndex).sort()).toEqual(['dust', 'nox', 'so2']); // jsonb keeps no order
  });

  it('a corrected year is a new run that supersedes the old one, which stays readable', async () => {
    const second = await t.http
      .post('/accounting/runs')
      .set(as(accountant))
      .send({ standardId: STD, regionCode: '361130', year: 2024 });
    await t.http
      .post(`/accounting/runs/${second.body.id}/publish`)
      .set(as(accountant))
      .send({ incompleteReason: '测试：更正后仍缺乡镇数据' })
      .expect(200);
    const old = await t.http.get(`/accounting/runs/${runId}`).set(as(accountant));
    expect(old.body).toMatchObject({ status: 'superseded', supersededBy: second.body.id });
    expect((await t.http.get(`/accounting/runs/${runId}/summary`).set(as(accountant))).status).toBe(
      200,
    );
  });

  it('refuses a run on an unknown or unpublished methodology (422) and outside the scope (403)', async () => {
    expectProblem(
      await t.http
        .post('/accounting/runs')
        .set(as(accountant))
        .send({ standardId: 'nope', regionCode: '361130', year: 2024 }),
      422,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.http
        .post('/accounting/runs')
        .set(as(accountant))
        .send({ standardId: STD, version: 99, regionCode: '361130', year: 2024 }),
      422,
      'VALIDATION_FAILED',
    );
    const outside = expectProblem(
      await t.http
        .post('/accounting/runs')
        .set(as(accountant))
        .set('accept-language', 'zh-CN')
        .send({ standardId: STD, regionCode: '361181', year: 2024 }),
      403,
      'OUT_OF_REGION_SCOPE',
    );
    // the region asked for and the caller's, named as people know them
    expect(outside.detail).toBe(
      '行政区 德兴市（361181）不在您的地区权限范围（婺源县（361130））内',
    );
  });

  it('filters results by category', async () => {
    const all = await t.http
      .get(`/accounting/runs/${runId}/results?regionCode=361130&pageSize=500`)
      .set(as(accountant));
    const cultural = await t.http
      .get(`/accounting/runs/${runId}/results?regionCode=361130&category=cultural&pageSize=500`)
      .set(as(accountant));
    expect(cultural.status).toBe(200);
    const codes = (cultural.body.items as { indicatorCode: string }[]).map((r) => r.indicatorCode);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.length).toBeLessThan(all.body.items.length);
    expect(codes).toEqual(expect.arrayContaining(['recreation']));
    expectProblem(
      await t.http.get(`/accounting/runs/${runId}/results?category=spiritual`).set(as(accountant)),
      422,
      'VALIDATION_FAILED',
    );
  });

  it('runs in the background with Prefer: respond-async, reporting progress until the run exists', async () => {
    const accepted = await t.http
      .post('/accounting/runs')
      .set(as(accountant))
      .set('prefer', 'respond-async')
      .send({ standardId: STD, regionCode: '361130', year: 2021 });
    expect(accepted.status).toBe(202);
    expect(accepted.headers['preference-applied']).toBe('respond-async');
    expect(accepted.headers.location).toBe(`/jobs/${accepted.body.id}`);
    expect(accepted.body).toMatchObject({ kind: 'accounting_run' });
    // queued, or already started on a busy machine
    expect(['queued', 'running']).toContain(accepted.body.status);
    let job = accepted.body as {
      status: string;
      result: { runId: string } | null;
      progress: object;
    };
    for (let i = 0; i < 100 && !['succeeded', 'failed'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await t.http.get(accepted.headers.location).set(as(accountant))).body;
    }
    expect(job).toMatchObject({ status: 'succeeded', percent: 100, phase: 'done' });
    expect(job.progress).toMatchObject({
      resultsStored: expect.any(Number),
      resultsTotal: expect.any(Number),
    });
    const run = await t.http.get(`/accounting/runs/${job.result!.runId}`).set(as(accountant));
    expect(run.body).toMatchObject({ status: 'draft', rootRegionCode: '361130', year: 2021 });
    // the request is checked before anything is queued
    expectProblem(
      await t.http
        .post('/accounting/runs')
        .set(as(accountant))
        .set('prefer', 'respond-async')
        .send({ standardId: 'nope', regionCode: '361130', year: 2021 }),
      422,
      'VALIDATION_FAILED',
    );
  });

  it('ranks the townships of the demo county run by GEP and by GEP per km²', async () => {
    const viewer = await t.token('viewer');
    const demo = await t.http
      .get('/accounting/runs?regionCode=361130&year=2021&standardId=ndrc-nbs-2022-trial')
      .set(as(viewer));
    const id = demo.body.items.find((r: { createdBy: string }) => r.createdBy === 'system:seed')
      .id as string;
    const byGep = (await t.http.get(`/accounting/runs/${id}/ranking`).set(as(viewer))).body;
    expect(byGep).toHaveLength(17);
    expect(byGep.map((r: { rank: number }) => r.rank)).toEqual(
      Array.from({ length: 17 }, (_, i) => i + 1),
    );
    for (let i = 1; i < byGep.length; i++)
      expect(new D(byGep[i - 1].gep).gte(byGep[i].gep)).toBe(true);
    const perKm2 = (await t.http.get(`/accounting/runs/${id}/ranking?by=gepPerKm2`).set(as(viewer)))
      .body;
    for (let i = 1; i < perKm2.length; i++)
      expect(new D(perKm2[i - 1].gepPerKm2).gte(perKm2[i].gepPerKm2)).toBe(true);
    expectProblem(
      await t.http.get(`/accounting/runs/${id}/ranking?by=colour`).set(as(viewer)),
      422,
      'VALIDATION_FAILED',
    );
  });

  it('lists runs newest first, runs created together latest year first', async () => {
    const res = await t.http
      .get('/accounting/runs?regionCode=361130&pageSize=100')
      .set(as(accountant))
      .expect(200);
    const items = res.body.items as { createdAt: string; year: number }[];
    expect(items.length).toBeGreaterThan(3);
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]];
      expect(a.createdAt >= b.createdAt).toBe(true);
      if (a.createdAt === b.createdAt) expect(a.year).toBeGreaterThanOrEqual(b.year);
    }
  });

  it('hides draft runs from viewers', async () => {
    const draft = await t.http
      .post('/accounting/runs')
      .set(as(accountant))
      .send({ standardId: STD, regionCode: ZIYANG, year: 2024 });
    const viewer = await t.token('viewer');
    expectProblem(
      await t.http.get(`/accounting/runs/${draft.body.id}`).set(as(viewer)),
      404,
      'NOT_FOUND',
    );
    const list = await t.http.get('/accounting/runs?pageSize=100').set(as(viewer));
    expect(list.body.items.every((r: { status: string }) => r.status !== 'draft')).toBe(true);
  });

  it("keeps a published run's figures, but answers its status and region names as they are now; a repeated read is 304", async () => {
    const viewer = as(await t.token('viewer'));
    const admin = as(await t.token('admin'));
    const demo = await t.http
      .get('/accounting/runs?regionCode=361130&year=2021&standardId=ndrc-nbs-2022-trial')
      .set(viewer);
    const id = demo.body.items.find(
      (r: { createdBy: string; status: string }) =>
        r.createdBy === 'system:seed' && r.status === 'published',
    ).id as string;
    const first = await t.http.get(`/accounting/runs/${id}/summary`).set(viewer).expect(200);
    const etag = first.headers.etag;
    expect(etag).toBeTruthy();
    await t.http
      .get(`/accounting/runs/${id}/summary`)
      .set(viewer)
      .set('if-none-match', etag)
      .expect(304);
    const township = await t.http
      .get(`/accounting/runs/${id}/summary?regionCode=361130101`)
      .set(viewer)
      .expect(200);
    await t.http.get(`/accounting/runs/${id}/ranking`).set(viewer).expect(200);

    await t.http
      .patch('/regions/361130101')
      .set(admin)
      .send({ name: '清华镇（测试改名）' })
      .expect(200);
    await t.http
      .post(`/accounting/runs/${id}/withdraw`)
      .set(admin)
      .send({ reason: '测试：撤回后读到的状态' })
      .expect(200);
    const renamed = await t.http
      .get(`/accounting/runs/${id}/summary?regionCode=361130101`)
      .set(viewer)
      .expect(200);
    expect(renamed.body.regionName).toBe('清华镇（测试改名）');
    expect(renamed.body.run.status).toBe('withdrawn');
    expect(renamed.body.gep).toBe(township.body.gep);
    expect(renamed.body.byService).toEqual(township.body.byService);
    const ranking = await t.http.get(`/accounting/runs/${id}/ranking`).set(viewer).expect(200);
    expect(
      ranking.body.find((r: { regionCode: string }) => r.regionCode === '361130101').name,
    ).toBe('清华镇（测试改名）');
    const again = await t.http.get(`/accounting/runs/${id}/summary`).set(viewer).expect(200);
    expect(again.headers.etag).not.toBe(etag); // the status changed, so the answer did
    expect(again.body.gep).toBe(first.body.gep);
    await t.http.patch('/regions/361130101').set(admin).send({ name: '清华镇' }).expect(200);
  });

  it('refuses a run over more regions than one run can hold, naming how many (422), before any work', async () => {
    // 11 townships with 950 villages each below 婺源县: 10,450 regions more
    await t.db.query(`
      INSERT INTO regions (code, name, level, parent_code, path)
      SELECT c.code || lpad(g::text, 3, '0'), '测试镇' || g, 'township', c.code,
             c.path || (c.code || lpad(g::text, 3, '0'))::ltree
        FROM regions c, generate_series(901, 911) g WHERE c.code = '361130'`);
    await t.db.query(`
      INSERT INTO regions (code, name, level, parent_code, path)
      SELECT tw.code || lpad(g::text, 3, '0'), '测试村' || g, 'village', tw.code,
             tw.path || (tw.code || lpad(g::text, 3, '0'))::ltree
        FROM regions tw, generate_series(1, 950) g
       WHERE tw.parent_code = '361130' AND tw.code BETWEEN '361130901' AND '361130911'`);
    try {
      const jobsBefore = await t.db.query('SELECT count(*)::int AS n FROM jobs');
      for (const prefer of ['', 'respond-async']) {
        const res = await t.http
          .post('/accounting/runs')
          .set(as(accountant))
          .set('accept-language', 'zh-CN')
          .set('prefer', prefer)
          .send({ standardId: STD, regionCode: '361130', year: 2024 });
        expectProblem(res, 422, 'VALIDATION_FAILED');
        const problem = res.body.errors.find((e: { path: string }) => e.path === 'regionCode');
        expect(problem.message).toMatch(
          /共 \d+ 个地区，超过一次核算的上限 10000 个；请对其下级地区分别核算/,
        );
      }
      expect((await t.db.query('SELECT count(*)::int AS n FROM jobs')).rows).toEqual(
        jobsBefore.rows,
      );
      // a township of it is still run
      const one = await t.http
        .post('/accounting/runs')
        .set(as(accountant))
        .send({ standardId: STD, regionCode: ZIYANG, year: 2024 });
      expect(one.status).toBe(201);
    } finally {
      await t.db.query(
        `DELETE FROM regions WHERE level = 'village' AND parent_code BETWEEN '361130901' AND '361130911'`,
      );
      await t.db.query(`DELETE FROM regions WHERE code BETWEEN '361130901' AND '361130911'`);
    }
  });

  it('keeps every result on an existing run, checked once per statement: no result names a missing run, and a run with results is not deleted, even by a deletion that waited for them', async () => {
    const draft = async () => {
      const res = await t.http
        .post('/accounting/runs')
        .set(as(accountant))
        .send({ standardId: STD, regionCode: ZIYANG, year: 2024 })
        .expect(201);
      return res.body.id as string;
    };
    const resultFor = (run: string, indicator = 'carbon_fixation') =>
      `INSERT INTO accounting_results (run_id, region_code, indicator_code, status)
       VALUES ('${run}', '${ZIYANG}', '${indicator}', 'not_computable')`;
    const refusal = (e: { code?: string; constraint?: string; detail?: string }) => ({
      code: e.code,
      constraint: e.constraint,
      detail: e.detail,
    });
    const missing = '00000000-0000-4000-8000-00000000abcd';
    const first = await draft();
    const stored = async (run: string) =>
      (
        await t.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM accounting_results WHERE run_id = $1',
          [run],
        )
      ).rows[0].n;
    const results = await stored(first);
    expect(results).toBeGreaterThan(0);

    // one row of a statement names no run: the whole statement is refused, under the FK's name
    const mixed = await t.db
      .query(`${resultFor(first, 'x1')}, ('${missing}', '${ZIYANG}', 'x2', 'not_computable')`)
      .then(() => null, refusal);
    expect(mixed).toEqual({
      code: '23503',
      constraint: 'accounting_results_run_fk',
      detail: `Key (run_id)=(${missing}) is not present in table "accounting_runs".`,
    });
    expect(await stored(first)).toBe(results);
    // nor can a result move to a missing run
    const moved = await t.db
      .query(`UPDATE accounting_results SET run_id = '${missing}' WHERE run_id = $1`, [first])
      .then(() => null, refusal);
    expect(moved).toMatchObject({ code: '23503', constraint: 'accounting_results_run_fk' });

    // a run with results is not deleted, nor its id changed
    const deleted = await t.db
      .query('DELETE FROM accounting_runs WHERE id = $1', [first])
      .then(() => null, refusal);
    expect(deleted).toEqual({
      code: '23503',
      constraint: 'accounting_results_run_fk',
      detail: `Key (id)=(${first}) is still referenced from table "accounting_results".`,
    });
    const renamed = await t.db
      .query(`UPDATE accounting_runs SET id = '${missing}' WHERE id = $1`, [first])
      .then(() => null, refusal);
    expect(renamed).toMatchObject({ code: '23503', constraint: 'accounting_results_run_fk' });

    // a result written in an open transaction holds its run: the deletion waits, then is refused
    const second = await draft();
    await t.db.query('DELETE FROM accounting_results WHERE run_id = $1', [second]);
    expect(
      await removalAfterOpenWrite(t.dbUrl, resultFor(second), {
        sql: 'DELETE FROM accounting_runs WHERE id = $1',
        params: [second],
      }),
    ).toEqual({ waited: true, outcome: '23503' });

    // a run without results is deleted, and a result for it is then refused
    await t.db.query('DELETE FROM accounting_results WHERE run_id = $1', [second]);
    await t.db.query('DELETE FROM accounting_runs WHERE id = $1', [second]);
    const late = await t.db.query(resultFor(second)).then(() => null, refusal);
    expect(late).toMatchObject({ code: '23503', constraint: 'accounting_results_run_fk' });
    await t.db.query('DELETE FROM accounting_results WHERE run_id = $1', [first]);
    await t.db.query('DELETE FROM accounting_runs WHERE id = $1', [first]);
  });
});
