import { extractText, getDocumentProxy } from 'unpdf';
import { binary } from './support/download';
import { rect } from './support/geo';
import { expectProblem, Problem, startTestApp, TestApp } from './support/test-app';

interface JobBody {
  id: string;
  status: string;
  result: {
    units: number;
    resources: number;
    codes: { feature: number; ref: string | null; code: string }[];
  } | null;
  problem: Problem | null;
}

const unitFeature = (ref: string, geometry: object, extra: object = {}) => ({
  type: 'Feature',
  geometry,
  properties: {
    kind: 'unit',
    ref,
    regionCode: '361130',
    unitType: 'forest',
    name: `导入单元 ${ref}`,
    ownership: { model: 'state', representative: '自然资源部' },
    ...extra,
  },
});

/** The registry's files and links: GeoJSON import, the register extract (JSON, PDF), extent as survey data. */
describe('Registry import, extract and extent', () => {
  let t: TestApp;
  let clerk: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  async function importGeoJson(body: object | string, token = clerk): Promise<JobBody> {
    const res = await t.http
      .post('/registry/imports?date=2024-01-02')
      .set(as(token))
      .set('content-type', 'application/geo+json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));
    expect(res.status).toBe(202);
    for (let i = 0; i < 400; i++) {
      const polled = await t.http.get(`/jobs/${(res.body as JobBody).id}`).set(as(token));
      const now = polled.body as JobBody;
      if (now.status === 'succeeded' || now.status === 'failed') return now;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('import did not end');
  }

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await t.token('wuyuan.registrar');
  });
  afterAll(() => t.close());

  it('imports units and their resources from GeoJSON, all or nothing, naming every bad feature', async () => {
    const count = async () =>
      Number((await t.db.query(`SELECT count(*) AS n FROM registration_units`)).rows[0].n);
    const before = await count();
    const bad = await importGeoJson({
      type: 'FeatureCollection',
      features: [
        unitFeature('u1', rect(114.0, 25.0, 114.01, 25.01)),
        unitFeature('u2', rect(114.005, 25.0, 114.015, 25.01)), // overlaps u1
        unitFeature('u3', rect(114.1, 25.0, 114.11, 25.01), { unitType: 'volcano' }),
        {
          type: 'Feature',
          geometry: null,
          properties: {
            kind: 'resource',
            unitRef: 'nope',
            resourceType: 'forest',
            ecosystemType: 'forest',
            areaHa: '-1',
          },
        },
        unitFeature('u5', {
          type: 'Polygon',
          coordinates: [
            [
              [114.2, 25],
              [114.3, 25.1],
              [114.3, 25],
              [114.2, 25.1],
              [114.2, 25],
            ],
          ],
        }),
      ],
    });
    expect(bad.status).toBe('failed');
    const paths = bad.problem!.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'features[1].geometry',
        'features[2].properties.unitType',
        'features[3].properties.areaHa',
        'features[4].geometry.coordinates',
      ]),
    );
    expect(bad.problem!.errors.find((e) => e.path === 'features[1].geometry')!.message).toMatch(
      /overlaps features\[0\]/,
    );
    expect(await count()).toBe(before);

    const good = await importGeoJson({
      type: 'FeatureCollection',
      features: [
        unitFeature('u1', rect(114.0, 25.0, 114.01, 25.01)),
        unitFeature('u2', rect(114.01, 25.0, 114.02, 25.01)), // shares an edge with u1
        {
          type: 'Feature',
          geometry: rect(114.001, 25.001, 114.005, 25.005),
          properties: {
            kind: 'resource',
            unitRef: 'u1',
            resourceType: 'forest',
            ecosystemType: 'forest',
            areaHa: '18.5',
            attributes: { totalStockM3: '1500' },
          },
        },
      ],
    });
    expect(good.status).toBe('succeeded');
    expect(good.result).toMatchObject({ units: 2, resources: 1 });
    expect(await count()).toBe(before + 2);
    const code = good.result!.codes[0].code;
    const [unit] = (
      await t.db.query(`SELECT id, status FROM registration_units WHERE code = $1`, [code])
    ).rows as { id: string; status: string }[];
    expect(unit.status).toBe('pre_delimited');
    const read = await t.http.get(`/registry/units/${unit.id}`).set(as(clerk));
    expect(read.body.resources).toMatchObject([
      { areaHa: '18.5', attributes: { totalStockM3: '1500' } },
    ]);
    // the same file again overlaps what it created: refused, nothing written
    const again = await importGeoJson({
      type: 'FeatureCollection',
      features: [unitFeature('u1', rect(114.0, 25.0, 114.01, 25.01))],
    });
    expect(again.problem!.errors[0]).toMatchObject({
      path: 'features[0].geometry',
      message: expect.stringMatching(/overlaps registered unit/),
    });
    // resources are checked against their unit in full before anything is refused: both named
    const badResources = await importGeoJson({
      type: 'FeatureCollection',
      features: [
        unitFeature('r1', rect(114.3, 25.0, 114.31, 25.01)),
        ...[0, 1].map(() => ({
          type: 'Feature',
          geometry: null,
          properties: {
            kind: 'resource',
            unitRef: 'r1',
            resourceType: 'forest',
            ecosystemType: 'forest',
            areaHa: '10',
            attributes: { colour: 'green' },
          },
        })),
      ],
    });
    expect(badResources.problem!.errors.map((e) => e.path)).toEqual([
      'features[1].properties.attributes.colour',
      'features[2].properties.attributes.colour',
    ]);
    // not GeoJSON at all
    expect((await importGeoJson('{"type":')).problem!.code).toBe('MALFORMED_REQUEST');
    expect((await importGeoJson({ type: 'Feature' })).problem!.errors[0].path).toBe('type');
    expectProblem(
      await t.http
        .post('/registry/imports')
        .set(as(clerk))
        .set('content-type', 'text/csv')
        .send('a,b'),
      415,
    );
  });

  it('ends a job on a file of one NUL byte: failed, naming it, never left running', async () => {
    const job = await importGeoJson('\u0000');
    expect(job.status).toBe('failed');
    expect(job.problem).toMatchObject({ code: 'MALFORMED_REQUEST', status: 400 });
    // the NUL quoted from the file is stored as U+FFFD (jsonb refuses NUL)
    expect(JSON.stringify(job.problem)).not.toContain('\\u0000');
  });

  it('exports the register extract as JSON and as a PDF a person can read', async () => {
    const list = await t.http
      .get(`/registry/units?q=${encodeURIComponent('晓起村')}`)
      .set(as(clerk));
    expect(list.body.total).toBe(1);
    const id = list.body.items[0].id as string;
    const extract = await t.http
      .get(`/registry/units/${id}/extract?asOf=2024-01-01`)
      .set(as(clerk));
    expect(extract.status).toBe(200);
    expect(extract.body).toMatchObject({
      title: '自然资源登记簿（摘录）',
      asOf: '2024-01-01',
      regionName: '江湾镇',
    });
    expect(extract.body.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    const kinds = (extract.body.entries as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['first_registration', 'mortgage', 'split']));
    // the same date twice gives the same hash; a date before the split, another
    const again = await t.http.get(`/registry/units/${id}/extract?asOf=2024-01-01`).set(as(clerk));
    expect(again.body.contentSha256).toBe(extract.body.contentSha256);
    const earlier = await t.http
      .get(`/registry/units/${id}/extract?asOf=2023-01-01`)
      .set(as(clerk));
    expect(earlier.body.contentSha256).not.toBe(extract.body.contentSha256);
    expect(earlier.body.unit.resources).toHaveLength(3);
    expect(extract.body.unit.resources).toHaveLength(4);

    const pdf = await binary(
      t.http.get(`/registry/units/${id}/extract.pdf?asOf=2024-01-01`).set(as(clerk)),
    );
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const doc = await getDocumentProxy(new Uint8Array(pdf.body as Buffer));
    const { text } = await extractText(doc, { mergePages: true });
    const flat = text.replace(/\s+/g, '');
    for (const s of [
      '自然资源登记簿（摘录）',
      '江湾镇晓起村集体林',
      '集体所有',
      '江湾镇晓起村农民集体',
      '抵押权',
      '婺源县某农村商业银行',
      '毛竹林小班B-1',
      '已登簿',
      '商品林',
      '分割',
    ])
      expect([s, flat.includes(s)]).toEqual([s, true]);
  });

  it('turns registry extent into eco_area survey data citing the register', async () => {
    const extent = await t.http
      .get('/registry/extent?regionCode=361130&asOf=2024-12-31')
      .set(as(clerk));
    expect(extent.status).toBe(200);
    const byType = Object.fromEntries(
      (extent.body.areaByEcosystem as { ecosystemType: string; areaHa: string }[]).map((a) => [
        a.ecosystemType,
        a.areaHa,
      ]),
    );
    // demo register on 2024-12-31: reserve 8500 + park 600 + 晓起 120 + 80 (split 50 + 30) + 200 + 西冲 150 forest
    expect(byType).toMatchObject({ forest: '9650', wetland: '1200', water: '780' });
    expect(extent.body.forest.totalStockM3).toBe('1129400');
    // the township sees only its own units
    const jiangwan = await t.http
      .get('/registry/extent?regionCode=361130103&asOf=2024-12-31')
      .set(as(clerk));
    expect(jiangwan.body.areaByEcosystem).toEqual([
      expect.objectContaining({ ecosystemType: 'forest', areaHa: '400' }),
    ]);

    const stat = await t.token('wuyuan.stat');
    const submitted = await t.http
      .post('/registry/extent/survey-data')
      .set(as(stat))
      .send({ standardId: 'ndrc-nbs-2022-trial', regionCode: '361130103', year: 2024 });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      variable: 'eco_area',
      values: [{ item: 'forest', value: '400', unit: 'hm²' }],
    });
    const rows = (
      await t.db.query(
        `SELECT v.value::text, v.unit, v.source, f.department FROM survey_values v JOIN survey_forms f ON f.id = v.form_id
          WHERE f.id = $1 AND v.variable = 'eco_area'`,
        [submitted.body.formId],
      )
    ).rows as { value: string; unit: string; source: string; department: string }[];
    expect(rows).toEqual([
      {
        value: '400',
        unit: 'hm²',
        source: expect.stringMatching(/自然资源统一确权登记簿.*截至 2024-12-31/),
        department: '自然资源局',
      },
    ]);
    // a township without registered units: nothing to submit, the township named
    const none = await t.http
      .post('/registry/extent/survey-data')
      .set(as(stat))
      .set('accept-language', 'zh-CN')
      .send({ standardId: 'ndrc-nbs-2022-trial', regionCode: '361130107', year: 2024 });
    expect(expectProblem(none, 409, 'NOTHING_TO_SUBMIT').detail).toMatch(
      /^2024-12-31 [^\d（]+（361130107）内没有已登记且含自然资源的登记单元/,
    );
    // not a methodology with eco_area
    expectProblem(
      await t.http
        .post('/registry/extent/survey-data')
        .set(as(stat))
        .send({ standardId: 'no-such-standard', regionCode: '361130103', year: 2024 }),
      422,
    );
  });
});
