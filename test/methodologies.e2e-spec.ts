import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BAIYANGDIAN_2011_INPUTS } from '../seeds/reference/methodologies/rcees-baiyangdian-2017';
import { MethodologyContent } from '../src/accounting/methodology/methodology-content';
import {
  compileMethodology,
  resolveParameters,
  summarize,
} from '../src/accounting/methodology/methodology-model';
import { D } from '../src/common/decimal';
import { evaluateModel } from '../src/formula/model';
import { parseUnit } from '../src/formula/units';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

const SMALL: MethodologyContent = {
  indexSets: [
    {
      code: 'ecosystem',
      name: '生态系统类型',
      items: [
        { code: 'forest', name: '森林' },
        { code: 'wetland', name: '湿地' },
      ],
    },
  ],
  services: [
    {
      code: 'water_conservation',
      category: 'regulating',
      nameZh: '水源涵养',
      nameEn: 'water conservation',
    },
  ],
  variables: [
    { code: 'precip', nameZh: '降水量', unit: 'mm', index: 'ecosystem' },
    { code: 'et', nameZh: '蒸散发', unit: 'mm', index: 'ecosystem' },
    { code: 'area', nameZh: '面积', unit: 'km²', index: 'ecosystem' },
  ],
  parameters: [
    {
      code: 'runoff_coef',
      nameZh: '暴雨径流系数',
      unit: '1',
      index: 'ecosystem',
      values: [{ value: { forest: '0.1', wetland: '0' }, source: 'test', evidence: 'unconfirmed' }],
    },
    {
      code: 'reservoir_cost',
      nameZh: '水库单位库容工程造价',
      unit: '元/m³',
      values: [{ value: '7.06', priceYear: 2010, source: 'LY/T 1721-2008', evidence: 'verified' }],
    },
  ],
  indicators: [
    {
      code: 'wc',
      service: 'water_conservation',
      nameZh: '水源涵养',
      nameEn: 'water conservation',
      quantity: { formula: '(precip - precip .* runoff_coef - et) .* area', unit: '万m³' },
      value: { formula: 'Q * reservoir_cost', unit: '万元' },
      valuationMethod: 'shadow_project',
      citation: '白玛卓嘎 et al. 2017',
      evidence: 'verified',
      counted: true,
    },
  ],
};

describe('methodologies', () => {
  let t: TestApp;
  let accountant: string;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    accountant = await t.token('wuyuan.accountant');
    admin = await t.token('admin');
  });
  afterAll(() => t.close());
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const count = async () =>
    Number((await t.db.query('SELECT count(*) FROM methodologies')).rows[0].count);

  it('lists the seeded published methodologies and reproduces Baiyangdian 2011 (35.55 亿元) from the stored one', async () => {
    const list = await t.http
      .get('/methodologies?standardId=rcees-baiyangdian-2017')
      .set(as(await t.token('viewer')));
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({
      status: 'published',
      version: 1,
      counts: { indicators: 8 },
    });
    const m = await t.http.get(`/methodologies/${list.body.items[0].id}`).set(as(accountant));
    const content = m.body.content as MethodologyContent;
    // the list counts the content without sending it
    expect(list.body.items[0].content).toBeUndefined();
    expect(list.body.items[0].counts).toEqual({
      indicators: content.indicators.length,
      variables: content.variables.length,
      parameters: content.parameters.length,
    });
    const { content: _content, ...listed } = m.body as { content: unknown };
    expect(list.body.items[0]).toEqual({ ...listed, counts: list.body.items[0].counts });
    const results = evaluateModel(compileMethodology(content), {
      ...resolveParameters(content, ['130000'], 2011),
      ...BAIYANGDIAN_2011_INPUTS,
    });
    const s = summarize(content, results);
    expect(
      s.total?.div(parseUnit('亿元').factor).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2),
    ).toBe('35.55');
  });

  it('refuses invalid content with 422 listing every problem with its path, and saves nothing', async () => {
    const before = await count();
    const bad: MethodologyContent = JSON.parse(JSON.stringify(SMALL));
    bad.indicators.push(
      {
        ...bad.indicators[0],
        code: 'syntax',
        value: { formula: 'Q * (reservoir_cost', unit: '万元' },
      },
      {
        ...bad.indicators[0],
        code: 'unknown',
        value: { formula: 'Q * price_of_water', unit: '万元' },
      },
      { ...bad.indicators[0], code: 'units', quantity: { formula: 'precip .* area', unit: 't' } },
      {
        ...bad.indicators[0],
        code: 'forbidden',
        value: { formula: 'cos(Q) * reservoir_cost', unit: '万元' },
      },
      {
        ...bad.indicators[0],
        code: 'cyc_a',
        quantity: null,
        value: { formula: 'cyc_b_value', unit: '元' },
      },
      {
        ...bad.indicators[0],
        code: 'cyc_b',
        quantity: null,
        value: { formula: 'cyc_a_value', unit: '元' },
      },
      { ...bad.indicators[0] },
    );
    bad.parameters[1].values[0].source = '';
    const res = await t.http
      .post('/methodologies')
      .set(as(accountant))
      .send({ standardId: 'test-bad', name: 'bad', sourceDocument: 'none', content: bad });
    const p = expectProblem(res, 422, 'METHODOLOGY_INVALID');
    const text = p.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
    expect(text).toMatch(/content\.indicators\[\d\]\.code: code wc is already used/);
    expect(text).toMatch(
      /content\.parameters\[1\]\.values\[0\]\.source: a value of reservoir_cost has no source citation/,
    );
    expect(text).toMatch(/cycle: cyc_a → cyc_b → cyc_a/);
    expect(await count()).toBe(before);

    const noCycle = JSON.parse(JSON.stringify(bad)) as MethodologyContent;
    noCycle.indicators = noCycle.indicators
      .filter((i) => !i.code.startsWith('cyc') && i.code !== 'wc')
      .concat(SMALL.indicators[0]);
    noCycle.parameters[1].values[0].source = 'LY/T 1721-2008';
    const res2 = await t.http
      .post('/methodologies')
      .set(as(accountant))
      .send({ standardId: 'test-bad', name: 'bad', sourceDocument: 'none', content: noCycle });
    const errs = expectProblem(res2, 422, 'METHODOLOGY_INVALID').errors.map(
      (e) => `${e.path}: ${e.message}`,
    );
    expect(errs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^content\.indicators\[0\]\.value\.formula: syntax error: .*\(at character \d+\)$/,
        ),
        'content.indicators[1].value.formula: unknown identifier price_of_water (at character 5)',
        expect.stringMatching(
          /^content\.indicators\[2\]\.quantity\.formula: the formula gives m³ but the quantity is declared in t \(kg\)$/,
        ),
        expect.stringMatching(
          /^content\.indicators\[3\]\.value\.formula: function cos is not allowed/,
        ),
      ]),
    );
    expect(await count()).toBe(before);
  });

  it('runs the draft → publish lifecycle: optimistic edits, validation, admin-only publish, immutability', async () => {
    const created = await t.http
      .post('/methodologies')
      .set(as(accountant))
      .send({ standardId: 'test-small', name: '小测试', sourceDocument: 'test', content: SMALL });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      version: 1,
      revision: 1,
      createdBy: 'wuyuan.accountant',
    });
    const id = created.body.id as string;

    const edited = await t.http
      .patch(`/methodologies/${id}`)
      .set(as(accountant))
      .send({ name: '小测试 v1', revision: 1 });
    expect(edited.body.revision).toBe(2);
    expectProblem(
      await t.http
        .patch(`/methodologies/${id}`)
        .set(as(accountant))
        .send({ name: 'stale', revision: 1 }),
      409,
      'STALE_REVISION',
    );

    const report = await t.http.post(`/methodologies/${id}/validate`).set(as(accountant));
    expect(report.body).toEqual({ valid: true, problems: [] });
    expectProblem(
      await t.http.post(`/methodologies/${id}/publish`).set(as(accountant)),
      403,
      'FORBIDDEN',
    );
    const published = await t.http.post(`/methodologies/${id}/publish`).set(as(admin));
    expect(published.body).toMatchObject({ status: 'published', publishedBy: 'admin' });

    expectProblem(
      await t.http
        .patch(`/methodologies/${id}`)
        .set(as(accountant))
        .send({ name: 'changed', revision: 2 }),
      409,
      'METHODOLOGY_PUBLISHED',
    );
    expectProblem(
      await t.http.delete(`/methodologies/${id}`).set(as(accountant)),
      409,
      'METHODOLOGY_PUBLISHED',
    );
    await expect(
      t.db.query('UPDATE methodologies SET name = $1 WHERE id = $2', ['forged', id]),
    ).rejects.toThrow(/is published and cannot be changed/);
    await expect(t.db.query('DELETE FROM methodologies WHERE id = $1', [id])).rejects.toThrow(
      /is published and cannot be changed/,
    );

    const log = await t.db.query(
      "SELECT action FROM audit_log WHERE entity_type = 'methodology' AND entity_id = $1 ORDER BY id",
      [id],
    );
    expect(log.rows.map((r) => r.action)).toEqual([
      'methodology.create',
      'methodology.update',
      'methodology.publish',
    ]);
  });

  it('publishing needs a national default for every parameter', async () => {
    const local: MethodologyContent = JSON.parse(JSON.stringify(SMALL));
    local.parameters[1].values[0].region = '361130';
    const created = await t.http
      .post('/methodologies')
      .set(as(accountant))
      .send({ standardId: 'test-local', name: 'local', sourceDocument: 'test', content: local });
    const p = expectProblem(
      await t.http.post(`/methodologies/${created.body.id}/publish`).set(as(admin)),
      422,
      'METHODOLOGY_INVALID',
    );
    expect(p.errors).toEqual([
      {
        path: 'content.parameters[1].values',
        message: 'reservoir_cost has no national default value (region null)',
      },
    ]);
  });

  it('clones a published version into a new draft and diffs the two', async () => {
    const list = await t.http.get('/methodologies?standardId=test-small').set(as(accountant));
    const v1 = list.body.items[0].id as string;
    const clone = await t.http.post(`/methodologies/${v1}/clone`).set(as(accountant));
    expect(clone.body).toMatchObject({ version: 2, status: 'draft' });
    const content: MethodologyContent = clone.body.content;
    content.indicators[0].value.formula = 'Q * reservoir_cost * 1';
    content.parameters[1].values[0].value = '6.11';
    content.variables.push({ code: 'evap', nameZh: '水面蒸发', unit: 'm³' });
    await t.http
      .patch(`/methodologies/${clone.body.id}`)
      .set(as(accountant))
      .send({ content, revision: 1 })
      .expect(200);
    const diff = await t.http.get(`/methodologies/${v1}/diff/${clone.body.id}`).set(as(accountant));
    expect(diff.body.changes).toEqual([
      { kind: 'variable', code: 'evap', change: 'added' },
      {
        kind: 'parameter',
        code: 'reservoir_cost',
        change: 'changed',
        fields: [{ field: 'values', from: expect.any(Array), to: expect.any(Array) }],
      },
      {
        kind: 'indicator',
        code: 'wc',
        change: 'changed',
        fields: [
          {
            field: 'value',
            from: { formula: 'Q * reservoir_cost', unit: '万元' },
            to: { formula: 'Q * reservoir_cost * 1', unit: '万元' },
          },
        ],
      },
    ]);
  });

  it('exports a package as YAML and imports it back losslessly', async () => {
    const list = await t.http
      .get('/methodologies?standardId=rcees-baiyangdian-2017')
      .set(as(accountant));
    const id = list.body.items[0].id as string;
    const yamlRes = await t.http
      .get(`/methodologies/${id}/package?format=yaml`)
      .set(as(accountant))
      .buffer(true)
      .parse((res, cb) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => cb(null, data));
      });
    expect(yamlRes.headers['content-type']).toMatch(/application\/yaml/);
    const text = (yamlRes.body as string).replace('version: 1\n', 'version: 7\n');
    expect(text).toContain('format: gep-methodology/1');
    // keys in reading order, not jsonb's
    expect(text).toContain(
      '  - code: reed\n    service: raw_materials\n    nameZh: 原材料生产（芦苇）\n',
    );
    const imported = await t.http
      .post('/methodologies/import')
      .set(as(accountant))
      .set('content-type', 'application/yaml')
      .send(text);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      standardId: 'rcees-baiyangdian-2017',
      version: 7,
      status: 'draft',
    });
    const original = await t.http.get(`/methodologies/${id}`).set(as(accountant));
    expect(imported.body.content).toEqual(original.body.content);
    const json = await t.http.get(`/methodologies/${imported.body.id}/package`).set(as(accountant));
    expect(parseYaml(text)).toEqual({ ...json.body, version: 7 });
    // importing the same standard and version again is a duplicate, said in words with the way out
    const again = expectProblem(
      await t.http
        .post('/methodologies/import')
        .set(as(accountant))
        .set('content-type', 'application/yaml')
        .set('accept-language', 'zh-CN')
        .send(text),
      409,
      'DUPLICATE',
    );
    expect(again.detail).toBe(
      'rcees-baiyangdian-2017 第 7 版已存在；要导入为新版本，请用 ?version=next（将成为第 8 版）或改包中的 version',
    );
    expect(again.errors[0].path).toBe('version');
    // …and with ?version=next it becomes the standard's next version
    const next = await t.http
      .post('/methodologies/import?version=next')
      .set(as(accountant))
      .set('content-type', 'application/yaml')
      .send(text);
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ version: 8, status: 'draft' });
    expect(next.body.content).toEqual(original.body.content);
  });

  it('imports the example of docs/methodology-package.md', async () => {
    const doc = readFileSync(join(process.cwd(), 'docs', 'methodology-package.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/
      .exec(doc)![1]
      .replace('standardId: rcees-baiyangdian-2017', 'standardId: docs-example');
    const res = await t.http
      .post('/methodologies/import')
      .set(as(accountant))
      .set('content-type', 'application/yaml')
      .send(example);
    expect(res.status).toBe(201);
    const report = await t.http.post(`/methodologies/${res.body.id}/validate`).set(as(accountant));
    expect(report.body).toEqual({ valid: true, problems: [] });
  });

  it('rejects a malformed package: bad YAML (400) and bad fields (422 with paths)', async () => {
    expectProblem(
      await t.http
        .post('/methodologies/import')
        .set(as(accountant))
        .set('content-type', 'application/yaml')
        .send('format: [unclosed'),
      400,
      'MALFORMED_REQUEST',
    );
    const res = await t.http
      .post('/methodologies/import')
      .set(as(accountant))
      .send({
        format: 'gep-methodology/1',
        standardId: 'X',
        version: 0,
        indicators: [{ code: '1bad' }],
      });
    const paths = expectProblem(res, 422, 'VALIDATION_FAILED').errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'standardId',
        'version',
        'name',
        'indicators[0].code',
        'indicators[0].value',
      ]),
    );
  });

  it('validates content not yet saved (as the accountant types), naming the nearest names for an unknown one', async () => {
    const list = await t.http.get('/methodologies?status=published').set(as(accountant));
    const id = (list.body.items as { id: string; standardId: string }[]).find(
      (m) => m.standardId === 'ndrc-nbs-2022-trial',
    )!.id;
    const stored = await t.http.get(`/methodologies/${id}`).set(as(accountant));
    const content = structuredClone(stored.body.content) as {
      indicators: { code: string; quantity?: { formula: string } }[];
    };
    const i = content.indicators.findIndex((x) => x.quantity?.formula.includes('precipitation'));
    content.indicators[i].quantity!.formula = content.indicators[i].quantity!.formula.replace(
      'precipitation',
      'precipitaton',
    );
    const typed = await t.http
      .post(`/methodologies/${id}/validate`)
      .set(as(accountant))
      .set('accept-language', 'zh-CN')
      .send({ content });
    expect(typed.status).toBe(200);
    expect(typed.body.valid).toBe(false);
    const problem = (typed.body.problems as { path: string; message: string }[]).find(
      (p) => p.path === `indicators[${i}].quantity.formula`,
    )!;
    expect(problem.message).toMatch(/未知的名称 precipitaton.*是否指 precipitation？/);
    expect(problem.message).toMatch(/第 \d+ 个字符/);
    // the stored methodology is unchanged and still valid
    const storedReport = await t.http.post(`/methodologies/${id}/validate`).set(as(accountant));
    expect(storedReport.body).toEqual({ valid: true, problems: [] });
    // structurally broken content is a 422 naming the field, not a 500
    const broken = await t.http
      .post(`/methodologies/${id}/validate`)
      .set(as(accountant))
      .send({ content: { ...content, indicators: 'x' } });
    expect(broken.status).toBe(422);
  });
});
