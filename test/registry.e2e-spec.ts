import { clock } from '../src/common/clock';
import { square } from './support/geo';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

/** A square boundary of `size` degrees with its south-west corner at (x, y). */

interface Unit {
  id: string;
  code: string;
  status: string;
  statusAsOf: string | null;
  objectionDeadline: string | null;
  version: { name: string; areaHa: string; ownership: { model: string } } | null;
  resources: {
    id: string;
    code: string;
    areaHa: string;
    ecosystemType: string;
    derivedFrom: string[];
  }[];
  rights: Right[];
}
interface Right {
  id: string;
  rightType: string;
  resourceId: string;
  period: { from: string; to: string | null };
  holders: { partyId: string; share: string }[];
  encumbersRightId: string | null;
}

describe('Registry: units, first registration, rights and the ledger', () => {
  let t: TestApp;
  let clerk: string;
  let reviewer: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  // Far from the demo units (which lie around 117.6–118.1 E, 29.2–29.5 N).
  let x = 116.0;
  const nextSquare = () => square((x += 0.02), 28.0);

  const party = async (kind: string, name: string) => {
    const res = await t.http.post('/registry/parties').set(as(clerk)).send({ kind, name });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  const state = { model: 'state', representative: '自然资源部', proxy: '江西省人民政府' };

  /** A unit taken through first registration to 登簿 on 2024-04-01, with one forest resource. */
  it('dates by the clock in China: today there is not the future, tomorrow is (the clock fixed)', async () => {
    // 16:30 UTC on 30 June is already 1 July in China
    clock.set('2031-06-30T16:30:00Z');
    try {
      const unit = (date?: string) =>
        t.http
          .post('/registry/units')
          .set(as(clerk))
          .send({
            regionCode: '361130',
            unitType: 'forest',
            name: `时钟测试单元 ${date ?? '默认'}`,
            boundary: nextSquare(),
            ownership: state,
            ...(date ? { date } : {}),
          });
      expect((await unit('2031-07-01')).status).toBe(201);
      const p = expectProblem(await unit('2031-07-02'), 422, 'VALIDATION_FAILED');
      expect(JSON.stringify(p)).toContain('2031-07-01');
      const byDefault = await unit();
      expect(byDefault.status).toBe(201);
      const ledger = await t.http
        .get(`/registry/units/${byDefault.body.id}/entries`)
        .set(as(clerk));
      expect(JSON.stringify(ledger.body)).toContain('2031-07-01');
    } finally {
      clock.set();
    }
  });

  const registeredUnit = async (boundary = nextSquare(), areaHa = '100') => {
    const created = await t.http
      .post('/registry/units')
      .set(as(clerk))
      .send({
        regionCode: '361130',
        unitType: 'forest',
        name: `测试森林单元 ${x.toFixed(2)}`,
        boundary,
        ownership: state,
        date: '2024-01-02',
      });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const step = async (path: string, body: object, token = clerk) => {
      const res = await t.http.post(`/registry/units/${id}/${path}`).set(as(token)).send(body);
      expect({ path, status: res.status, body: res.status >= 400 ? res.body : null }).toEqual({
        path,
        status: path === 'resources' ? 201 : 200,
        body: null,
      });
      return res.body as Unit & { id: string };
    };
    await step('notice', {
      date: '2024-01-05',
      document: { type: '首次登记通告', number: '婺府告〔2024〕1号' },
    });
    const resource = await step('resources', {
      resourceType: 'forest',
      ecosystemType: 'forest',
      areaHa,
      date: '2024-02-01',
      attributes: { forestCategory: 'commercial', totalStockM3: '8000', mainSpecies: ['杉木'] },
    });
    await step('survey', { date: '2024-02-01' });
    await step('review', { decision: 'approve', date: '2024-02-10' }, reviewer);
    const noticed = await step('public-notice', { date: '2024-03-01' });
    expect(noticed.objectionDeadline).toBe('2024-03-22');
    const registered = await step('register', { date: '2024-04-01' }, reviewer);
    expect(registered.status).toBe('registered');
    return { id, code: created.body.code as string, resourceId: resource.id };
  };

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await t.token('wuyuan.registrar');
    reviewer = await t.token('wuyuan.reviewer');
  });
  afterAll(() => t.close());

  it('names its codes for people: the vocabulary the console shows', async () => {
    const v = await t.http.get('/registry/vocabulary').set(as(clerk)).expect(200);
    expect(v.body.ecosystemTypes.forest).toBe('森林');
    expect(v.body.rightTypes.mortgage).toBe('抵押权');
    expect(v.body.unitStatuses.registered).toBe('已登簿');
    expect(v.body.partyKinds.collective).toBe('农村集体经济组织');
    expect(Object.keys(v.body)).toEqual([
      'unitTypes',
      'unitStatuses',
      'resourceTypes',
      'ecosystemTypes',
      'rightTypes',
      'entryKinds',
      'partyKinds',
    ]);
  });

  it('lists units with their boundaries for the map only when asked (include=boundary)', async () => {
    const plain = await t.http.get('/registry/units?pageSize=3').set(as(clerk)).expect(200);
    expect(plain.body.items.length).toBeGreaterThan(0);
    expect(plain.body.items[0]).not.toHaveProperty('boundary');
    const drawn = await t.http
      .get('/registry/units?pageSize=3&include=boundary')
      .set(as(clerk))
      .expect(200);
    for (const u of drawn.body.items as { id: string; boundary: unknown }[]) {
      const one = await t.http.get(`/registry/units/${u.id}`).set(as(clerk)).expect(200);
      expect(u.boundary).toEqual(one.body.version.boundary);
    }
    const bad = expectProblem(
      await t.http.get('/registry/units?include=geometry').set(as(clerk)),
      422,
      'VALIDATION_FAILED',
    );
    expect(bad.errors[0].path).toBe('include');
  });

  it('takes a unit through first registration and reads it as of any date', async () => {
    const { id, code } = await registeredUnit();
    expect(code).toMatch(/^361130SL\d{5}$/);
    const before = await t.http.get(`/registry/units/${id}?asOf=2024-01-03`).set(as(clerk));
    expect(before.body).toMatchObject({ statusAsOf: 'pre_delimited', resources: [] });
    const during = await t.http.get(`/registry/units/${id}?asOf=2024-03-10`).set(as(clerk));
    expect(during.body.statusAsOf).toBe('public_notice');
    expect(during.body.resources).toHaveLength(1);
    const earlier = await t.http.get(`/registry/units/${id}?asOf=2023-12-31`).set(as(clerk));
    expect(earlier.body).toMatchObject({ statusAsOf: null, version: null });
    const ledger = await t.http.get(`/registry/units/${id}/entries`).set(as(clerk));
    expect(ledger.body.items.map((e: { kind: string }) => e.kind)).toEqual([
      'pre_delimitation',
      'notice',
      'resource_added',
      'survey',
      'review',
      'public_notice',
      'first_registration',
    ]);
    // people read names: who recorded each entry, by the name the user goes by
    expect(ledger.body.items[0]).toMatchObject({
      recordedBy: 'wuyuan.registrar',
      recordedByName: '婺源县自然资源局 登记员',
    });
  });

  it('refuses registration before the objection period ends and while an objection is open', async () => {
    const created = await t.http.post('/registry/units').set(as(clerk)).send({
      regionCode: '361130',
      unitType: 'wetland',
      name: '异议测试湿地',
      boundary: nextSquare(),
      ownership: state,
      date: '2024-01-02',
    });
    const id = created.body.id as string;
    const post = (path: string, body: object, token = clerk) =>
      t.http.post(`/registry/units/${id}/${path}`).set(as(token)).send(body);
    await post('notice', { date: '2024-01-05', document: { type: '首次登记通告' } });
    expectProblem(await post('survey', { date: '2024-01-06' }), 409, 'UNIT_HAS_NO_RESOURCES');
    await post('resources', {
      resourceType: 'wetland',
      ecosystemType: 'wetland',
      areaHa: '50',
      date: '2024-01-06',
    });
    await post('survey', { date: '2024-01-06' });
    await post('review', { decision: 'approve', date: '2024-01-08' }, reviewer);
    await post('public-notice', { date: '2024-01-10', workingDays: 15 });
    // 2024-01-10 + 15 working days = 2024-01-31
    const early = expectProblem(await post('register', { date: '2024-01-31' }, reviewer), 409);
    expect(early.errors[0]).toMatchObject({ path: 'date', message: 'must be after 2024-01-31' });
    const objection = await post('objections', {
      date: '2024-01-20',
      objector: '江湾镇某村民委员会',
      content: '东侧边界与本村集体林地重叠',
    });
    expect(objection.status).toBe(201);
    const blocked = expectProblem(await post('register', { date: '2024-02-05' }, reviewer), 409);
    expect(blocked.detail).toMatch(/unresolved objection/);
    const dismissed = await post(`objections/${objection.body.id}/resolution`, {
      date: '2024-02-05',
      decision: 'dismissed',
      resolution: '经核实，边界以勘界成果为准，异议不成立',
    });
    expect(dismissed.body).toMatchObject({ status: 'dismissed', resolvedOn: '2024-02-05' });
    const registered = await post('register', { date: '2024-02-06' }, reviewer);
    expect(registered.status).toBe(200);
    expect(registered.body.status).toBe('registered');
    // the objection's resolution cannot be rewritten, even in SQL
    await expect(
      t.db.query(`UPDATE registry_objections SET resolution = 'x' WHERE id = $1`, [
        objection.body.id,
      ]),
    ).rejects.toThrow(/registry history/);
  });

  it('refuses overlapping boundaries but accepts units that share an edge', async () => {
    const a = await registeredUnit(square(116.5, 27.0, 0.05));
    expect(a.code).toBeDefined();
    const neighbour = await t.http
      .post('/registry/units')
      .set(as(clerk))
      .send({
        regionCode: '361130',
        unitType: 'grassland',
        name: '相邻单元',
        boundary: square(116.55, 27.0, 0.05),
        ownership: state,
      });
    expect(neighbour.status).toBe(201);
    const overlapping = await t.http
      .post('/registry/units')
      .set(as(clerk))
      .send({
        regionCode: '361130',
        unitType: 'grassland',
        name: '重叠单元',
        boundary: square(116.52, 27.02, 0.05),
        ownership: state,
      });
    const p = expectProblem(overlapping, 422, 'CONSTRAINT_VIOLATED');
    expect(p.errors.map((e) => e.path)).toEqual(['boundary', 'boundary']);
    expect(p.errors[0].message).toMatch(/overlaps unit 361130/);
    // A mineral area lies in another layer (分层标示) and may underlie surface units.
    const mineral = await t.http
      .post('/registry/units')
      .set(as(clerk))
      .send({
        regionCode: '361130',
        unitType: 'mineral_area',
        name: '测试矿区',
        boundary: square(116.52, 27.02, 0.05),
        ownership: state,
      });
    expect(mineral.status).toBe(201);
  });

  it('refuses bad boundaries, naming the coordinate', async () => {
    const bow = {
      type: 'Polygon',
      coordinates: [
        [
          [117, 26],
          [117.1, 26.1],
          [117.1, 26],
          [117, 26.1],
          [117, 26],
        ],
      ],
    };
    const post = (boundary: object) =>
      t.http.post('/registry/units').set(as(clerk)).send({
        regionCode: '361130',
        unitType: 'forest',
        name: '坏边界',
        boundary,
        ownership: state,
      });
    expect(expectProblem(await post(bow), 422).errors[0].message).toMatch(/intersects itself/);
    const open = square(117, 26);
    open.coordinates[0][4] = [117, 26.5];
    expect(expectProblem(await post(open), 422).errors[0]).toMatchObject({
      path: 'boundary.coordinates[0]',
    });
    expect(expectProblem(await post(square(200, 26)), 422).errors[0].path).toBe(
      'boundary.coordinates[0][0][0]',
    );
    const none = await t.db.query(
      `SELECT 1 FROM registry_entries WHERE payload->'version'->>'name' = '坏边界'`,
    );
    expect(none.rowCount).toBe(0);
  });

  it('transfers a right, refuses a transfer by a non-holder, and reads owners before and after', async () => {
    const { id, resourceId } = await registeredUnit();
    const village = await party('collective', '测试村农民集体');
    const farmer = await party('individual', '张三');
    const buyer = await party('enterprise', '婺源县某林业公司');
    const grant = await t.http
      .post('/registry/rights')
      .set(as(clerk))
      .send({
        resourceId,
        rightType: 'forest_land_management',
        holders: [{ partyId: farmer }],
        date: '2024-05-01',
        endDate: '2054-05-01',
        document: { type: '林地承包合同', number: 'HT-2024-001' },
      });
    expect(grant.status).toBe(201);
    const notHolder = await t.http
      .post(`/registry/rights/${grant.body.id}/transfer`)
      .set(as(clerk))
      .send({
        kind: 'transfer',
        fromPartyId: village,
        toPartyId: buyer,
        date: '2024-06-01',
        document: { type: '林权流转合同' },
      });
    expect(expectProblem(notHolder, 422, 'CONSTRAINT_VIOLATED').errors[0].path).toBe('fromPartyId');
    const sold = await t.http
      .post(`/registry/rights/${grant.body.id}/transfer`)
      .set(as(clerk))
      .send({
        kind: 'transfer',
        fromPartyId: farmer,
        toPartyId: buyer,
        date: '2024-06-01',
        priceYuan: '120000',
        document: { type: '林权流转合同', number: 'LZ-2024-007' },
      });
    expect(sold.status).toBe(201);
    expect(sold.body).toMatchObject({
      derivedFromRightId: grant.body.id,
      period: { from: '2024-06-01', to: '2054-05-01' },
      holders: [{ partyId: buyer, share: '100.0000' }],
    });
    const holderOn = async (date: string) => {
      const unit = (await t.http.get(`/registry/units/${id}?asOf=${date}`).set(as(clerk)))
        .body as Unit;
      return unit.rights
        .filter((r) => r.rightType === 'forest_land_management')
        .map((r) => r.holders[0].partyId);
    };
    expect(await holderOn('2024-05-31')).toEqual([farmer]);
    expect(await holderOn('2024-06-01')).toEqual([buyer]);
    // the ledger says who → whom
    const ledger = await t.http.get(`/registry/units/${id}/entries`).set(as(clerk)).expect(200);
    const said = (ledger.body.items as { kind: string; summary?: string }[])
      .filter((e) => e.summary)
      .map((e) => [e.kind, e.summary]);
    expect(said).toEqual(
      expect.arrayContaining([
        ['transfer', '张三 → 婺源县某林业公司：林地经营权'],
        ['grant', '林地经营权，权利人 张三'],
      ]),
    );
    // the same right again: the seller no longer holds it
    const again = await t.http
      .post(`/registry/rights/${grant.body.id}/transfer`)
      .set(as(clerk))
      .send({
        kind: 'transfer',
        fromPartyId: farmer,
        toPartyId: buyer,
        date: '2024-06-02',
        document: { type: '林权流转合同' },
      });
    expectProblem(again, 409, 'RIGHT_NOT_LIVE');
  });
});
