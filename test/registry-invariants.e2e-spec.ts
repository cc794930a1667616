import { square } from './support/geo';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

interface Right {
  id: string;
  rightType: string;
  resourceId: string;
  period: { from: string; to: string | null };
  holders: { partyId: string; share: string }[];
  encumbersRightId: string | null;
  derivedFromRightId: string | null;
}

/**
 * Every registry invariant is refused by the service with a message naming the rule, and — where
 * PostgreSQL can enforce it — by the database when attempted in raw SQL.
 */
describe('Registry invariants', () => {
  let t: TestApp;
  let clerk: string;
  let reviewer: string;
  let x = 115.0;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const state = { model: 'state', representative: '自然资源部' };
  const parties: Record<string, string> = {};

  const post = (path: string, body: object, token = clerk) =>
    t.http.post(path).set(as(token)).send(body);

  /** A registered unit with one resource of `areaHa` hm², registered on 2024-04-01. */
  const registered = async (resourceType = 'forest', areaHa = '100') => {
    const u = await post('/registry/units', {
      regionCode: '361130',
      unitType: resourceType === 'wetland' ? 'wetland' : 'forest',
      name: `不变量测试 ${(x += 0.02).toFixed(2)}`,
      boundary: square(x, 26.0),
      ownership: state,
      date: '2024-01-02',
    });
    expect(u.status).toBe(201);
    const id = u.body.id as string;
    await post(`/registry/units/${id}/notice`, { date: '2024-01-03', document: { type: '通告' } });
    const r = await post(`/registry/units/${id}/resources`, {
      resourceType,
      ecosystemType: resourceType === 'wetland' ? 'wetland' : 'forest',
      areaHa,
      stateAreaHa: areaHa,
      date: '2024-01-04',
      attributes: resourceType === 'forest' ? { totalStockM3: '5000', forestType: '杉木林' } : {},
    });
    await post(`/registry/units/${id}/survey`, { date: '2024-01-04' });
    await post(
      `/registry/units/${id}/review`,
      { decision: 'approve', date: '2024-01-05' },
      reviewer,
    );
    await post(`/registry/units/${id}/public-notice`, { date: '2024-01-08' });
    const reg = await post(`/registry/units/${id}/register`, { date: '2024-04-01' }, reviewer);
    expect(reg.status).toBe(200);
    return { unitId: id, resourceId: r.body.id as string };
  };

  const grant = (body: object) =>
    post('/registry/rights', { document: { type: '合同' }, date: '2024-05-01', ...body });

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await t.token('wuyuan.registrar');
    reviewer = await t.token('wuyuan.reviewer');
    for (const [key, kind, name] of [
      ['a', 'individual', '李四'],
      ['b', 'individual', '王五'],
      ['bank', 'enterprise', '婺源农商银行'],
      ['state', 'state_body', '婺源县林业局'],
    ]) {
      const res = await post('/registry/parties', { kind, name });
      parties[key] = res.body.id as string;
    }
  });
  afterAll(() => t.close());

  it('lists parties by pinyin, as a clerk looks a name up (not by code point)', async () => {
    const res = await t.http
      .get('/registry/parties?pageSize=100')
      .set({ authorization: `Bearer ${clerk}` })
      .expect(200);
    const mine = ['李四', '王五', '婺源农商银行', '婺源县林业局'];
    // code-point order would put 婺 (U+5A7A) before 李 (U+674E) and 王 (U+738B)
    const names = (res.body.items as { name: string }[]).map((p) => p.name);
    expect([...new Set(names.filter((n) => mine.includes(n)))]).toEqual(mine); // 婺源县林业局 is also seeded
  });

  it('refuses overlapping exclusive rights, in the service and in the database', async () => {
    const { resourceId } = await registered();
    const first = await grant({
      resourceId,
      rightType: 'management',
      holders: [{ partyId: parties.a }],
    });
    expect(first.status).toBe(201);
    const second = await grant({
      resourceId,
      rightType: 'management',
      holders: [{ partyId: parties.b }],
      date: '2024-06-01',
    });
    const overlap = expectProblem(second, 409, 'RIGHTS_OVERLAP').errors[0];
    expect(overlap.path).toBe('rightType');
    expect(overlap.message).toMatch(/overlaps the .* \(\d{4}-\d{2}-\d{2} to /); // names the right, not the constraint
    // A non-exclusive right (water withdrawal) may coexist.
    expect(
      (
        await grant({
          resourceId,
          rightType: 'water_withdrawal',
          holders: [{ partyId: parties.b }],
        })
      ).status,
    ).toBe(201);
    await expect(
      t.db.query(
        `INSERT INTO registry_rights (resource_id, right_type, exclusive, active, document, created_entry_id)
         SELECT resource_id, right_type, exclusive, daterange('2030-01-01', NULL), document, created_entry_id
           FROM registry_rights WHERE id = $1`,
        [first.body.id],
      ),
    ).rejects.toThrow(/registry_rights_exclusive_no_overlap/);
  });

  it('refuses shares over 100 %, in the service and in the database', async () => {
    const { resourceId } = await registered();
    const over = await grant({
      resourceId,
      rightType: 'contract',
      holders: [
        { partyId: parties.a, share: '60' },
        { partyId: parties.b, share: '50' },
      ],
    });
    expect(expectProblem(over, 422).errors[0]).toMatchObject({
      path: 'holders',
      message: expect.stringMatching(/110 %/),
    });
    const ok = await grant({
      resourceId,
      rightType: 'contract',
      holders: [
        { partyId: parties.a, share: '60' },
        { partyId: parties.b, share: '40' },
      ],
    });
    expect(ok.status).toBe(201);
    await expect(
      t.db.query(
        `INSERT INTO registry_right_holders (right_id, party_id, share) VALUES ($1, $2, 1)`,
        [ok.body.id, parties.bank],
      ),
    ).rejects.toThrow(/more than 100 %/);
    // A co-holder sells half of her share: the successor right has three holders.
    const partial = await post(`/registry/rights/${ok.body.id}/transfer`, {
      kind: 'transfer',
      fromPartyId: parties.a,
      toPartyId: parties.bank,
      share: '30',
      date: '2024-07-01',
      document: { type: '转让合同' },
    });
    expect(partial.status).toBe(201);
    expect(
      Object.fromEntries((partial.body as Right).holders.map((h) => [h.partyId, h.share])),
    ).toEqual({
      [parties.a]: '30.0000',
      [parties.b]: '40.0000',
      [parties.bank]: '30.0000',
    });
  });

  it('mortgages only a live mortgageable right; the mortgage ends with it and blocks its transfer', async () => {
    const { unitId, resourceId } = await registered();
    const ownership = await grant({
      resourceId,
      rightType: 'ownership',
      holders: [{ partyId: parties.state }],
    });
    const onOwnership = await grant({
      resourceId,
      rightType: 'mortgage',
      holders: [{ partyId: parties.bank }],
      encumbersRightId: ownership.body.id,
    });
    expect(expectProblem(onOwnership, 422, 'CONSTRAINT_VIOLATED').errors[0].message).toMatch(
      /registry_rights_mortgageable/,
    );
    const mgmt = await grant({
      resourceId,
      rightType: 'forest_land_management',
      holders: [{ partyId: parties.a }],
      endDate: '2034-05-01',
    });
    const tooLong = await grant({
      resourceId,
      rightType: 'mortgage',
      holders: [{ partyId: parties.bank }],
      encumbersRightId: mgmt.body.id,
      endDate: '2040-01-01',
    });
    expect(expectProblem(tooLong, 422).errors[0].message).toMatch(
      /registry_rights_within_encumbered/,
    );
    const mortgage = await grant({
      resourceId,
      rightType: 'mortgage',
      holders: [{ partyId: parties.bank }],
      encumbersRightId: mgmt.body.id,
      date: '2024-06-01',
      priceYuan: '500000',
    });
    expect(mortgage.status).toBe(201);
    expect((mortgage.body as Right).period).toEqual({ from: '2024-06-01', to: '2034-05-01' });
    // the database refuses a mortgage over the ownership, too
    await expect(
      t.db.query(`UPDATE registry_rights SET encumbers_right_id = $1 WHERE id = $2`, [
        ownership.body.id,
        mortgage.body.id,
      ]),
    ).rejects.toThrow(/registry history/);
    await expect(
      t.db.query(
        `INSERT INTO registry_rights (resource_id, right_type, exclusive, active, encumbers_right_id, document, created_entry_id)
         SELECT resource_id, 'mortgage', false, daterange('2024-07-01', NULL), $1, document, created_entry_id FROM registry_rights WHERE id = $2`,
        [ownership.body.id, mortgage.body.id],
      ),
    ).rejects.toThrow(/cannot be mortgaged/);
    const blocked = await post(`/registry/rights/${mgmt.body.id}/transfer`, {
      kind: 'transfer',
      fromPartyId: parties.a,
      toPartyId: parties.b,
      date: '2024-07-01',
      document: { type: '转让合同' },
    });
    expect(expectProblem(blocked, 409).detail).toMatch(/encumbered/);
    // ending the right ends its mortgage on the same day
    const ended = await post(`/registry/rights/${mgmt.body.id}/end`, {
      kind: 'end',
      date: '2024-08-01',
      reason: '合同解除',
    });
    expect(ended.status).toBe(200);
    const rights = await t.http.get(`/registry/rights?resourceId=${resourceId}`).set(as(clerk));
    const m = (rights.body.items as Right[]).find((r) => r.id === mortgage.body.id)!;
    expect(m.period).toEqual({ from: '2024-06-01', to: '2024-08-01' });
    const live = await t.http.get(`/registry/units/${unitId}?asOf=2024-08-01`).set(as(clerk));
    expect((live.body.rights as Right[]).map((r) => r.rightType)).toEqual(['ownership']);
    // and the right cannot be ended behind its mortgage's back in SQL
    const mgmt2 = await grant({
      resourceId,
      rightType: 'forest_land_management',
      holders: [{ partyId: parties.b }],
      date: '2024-09-01',
    });
    await grant({
      resourceId,
      rightType: 'mortgage',
      holders: [{ partyId: parties.bank }],
      encumbersRightId: mgmt2.body.id,
      date: '2024-09-01',
    });
    await expect(
      t.db.query(
        `UPDATE registry_rights SET active = daterange(lower(active), '2025-01-01') WHERE id = $1`,
        [mgmt2.body.id],
      ),
    ).rejects.toThrow(/still encumbered/);
  });

  it('splits a resource conserving area and carrying its rights; refuses a split that loses area', async () => {
    const { unitId, resourceId } = await registered('forest', '100');
    const contract = await grant({
      resourceId,
      rightType: 'contract',
      holders: [{ partyId: parties.a }],
    });
    const lossy = await post(`/registry/resources/${resourceId}/split`, {
      date: '2024-06-01',
      parts: [{ areaHa: '60' }, { areaHa: '39.99' }],
    });
    expect(expectProblem(lossy, 422, 'CONSTRAINT_VIOLATED').detail).toMatch(
      /conserve area: the parts add up to 99.99 hm², the resource has 100 hm²/,
    );
    const split = await post(`/registry/resources/${resourceId}/split`, {
      date: '2024-06-01',
      reason: '分户',
      parts: [
        {
          areaHa: '60',
          stateAreaHa: '60',
          attributes: { totalStockM3: '3000', forestType: '杉木林' },
        },
        { areaHa: '40', stateAreaHa: '40' },
      ],
    });
    expect(split.status).toBe(201);
    const parts = split.body as {
      id: string;
      areaHa: string;
      derivedFrom: string[];
      attributes: Record<string, string>;
    }[];
    expect(parts.map((p) => p.areaHa)).toEqual(['60', '40']);
    expect(parts[0].derivedFrom).toEqual([resourceId]);
    // the stock is the first part's own; the second keeps the descriptive fields only
    expect(parts[1].attributes).toEqual({ forestType: '杉木林' });
    const before = await t.http.get(`/registry/units/${unitId}?asOf=2024-05-31`).set(as(clerk));
    const after = await t.http.get(`/registry/units/${unitId}?asOf=2024-06-01`).set(as(clerk));
    expect(before.body.resources.map((r: { id: string }) => r.id)).toEqual([resourceId]);
    expect(after.body.resources).toHaveLength(2);
    const carried = (after.body.rights as Right[]).filter((r) => r.rightType === 'contract');
    expect(
      carried.map((r) => [r.resourceId, r.derivedFromRightId, r.holders[0].partyId]).sort(),
    ).toEqual(parts.map((p) => [p.id, contract.body.id, parties.a]).sort());
    // merge refuses parcels with live rights, then merges once they are ended
    const mergeBlocked = await post('/registry/resources/merge', {
      resourceIds: parts.map((p) => p.id),
      date: '2024-07-01',
    });
    expectProblem(mergeBlocked, 409);
    for (const r of carried)
      await post(`/registry/rights/${r.id}/end`, {
        kind: 'end',
        date: '2024-07-01',
        reason: '收回',
      });
    const merged = await post('/registry/resources/merge', {
      resourceIds: parts.map((p) => p.id),
      date: '2024-07-01',
      reason: '整合',
    });
    expect(merged.status).toBe(201);
    expect(merged.body).toMatchObject({
      areaHa: '100',
      stateAreaHa: '100',
      derivedFrom: parts.map((p) => p.id),
    });
    expect(merged.body.attributes).toEqual({ forestType: '杉木林' });
    const resourcesOn = async (date: string) =>
      (
        (await t.http.get(`/registry/units/${unitId}?asOf=${date}`).set(as(clerk))).body
          .resources as { id: string; areaHa: string }[]
      )
        .map((r) => [r.id, r.areaHa])
        .sort();
    expect(await resourcesOn('2024-06-30')).toEqual(parts.map((p) => [p.id, p.areaHa]).sort());
    expect(await resourcesOn('2024-07-01')).toEqual([[merged.body.id, '100']]);
    // the parts are still readable as they were
    const part = await t.http
      .get(`/registry/resources/${parts[0].id}?asOf=2024-06-15`)
      .set(as(clerk));
    expect(part.body).toMatchObject({
      areaHa: '60',
      period: { from: '2024-06-01', to: '2024-07-01' },
    });
    const ledger = await t.http
      .get(`/registry/units/${unitId}/entries?subject=${resourceId}`)
      .set(as(clerk));
    expect(ledger.body.items.map((e: { kind: string }) => e.kind)).toEqual([
      'resource_added',
      'grant',
      'split',
    ]);
  });

  it('refuses resources that add up to more than the unit (1 % allowance for projection)', async () => {
    const { unitId } = await registered('forest', '100');
    // a 0.01° square at 26° N is about 111 hm²: 100 recorded, 12.5 more would exceed 111 × 1.01
    const over = await post(`/registry/units/${unitId}/resources`, {
      resourceType: 'grassland',
      ecosystemType: 'grassland',
      areaHa: '12.5',
      date: '2024-05-01',
    });
    const p = expectProblem(over, 422, 'CONSTRAINT_VIOLATED');
    expect(p.errors[0]).toMatchObject({
      path: 'areaHa',
      message: expect.stringMatching(/^at most \d+(\.\d+)? hm² fit in the unit$/),
    });
    const fits = await post(`/registry/units/${unitId}/resources`, {
      resourceType: 'grassland',
      ecosystemType: 'grassland',
      areaHa: '5',
      date: '2024-05-01',
    });
    expect(fits.status).toBe(201);
  });

  it('caps offset credits at the wetland area and sells one to a developer', async () => {
    const { resourceId } = await registered('wetland', '20');
    const developer = (await post('/registry/parties', { kind: 'enterprise', name: '某开发公司' }))
      .body.id as string;
    const credit = await grant({
      resourceId,
      rightType: 'wetland_offset_credit',
      holders: [{ partyId: parties.state }],
      areaHa: '15',
    });
    expect(credit.status).toBe(201);
    const tooMuch = await grant({
      resourceId,
      rightType: 'wetland_offset_credit',
      holders: [{ partyId: parties.state }],
      areaHa: '6',
    });
    expect(expectProblem(tooMuch, 422).errors[0]).toMatchObject({
      path: 'areaHa',
      message: 'at most 5 hm²',
    });
    const sold = await post(`/registry/rights/${credit.body.id}/transfer`, {
      kind: 'transfer',
      fromPartyId: parties.state,
      toPartyId: developer,
      date: '2024-06-01',
      priceYuan: '1320000',
      document: { type: '湿地占补平衡指标交易合同' },
    });
    expect(sold.body).toMatchObject({
      areaHa: '15',
      priceYuan: '1320000',
      holders: [{ partyId: developer }],
    });
  });

  it('buys back a commercial forest for the state only', async () => {
    const { resourceId } = await registered();
    const trees = await grant({
      resourceId,
      rightType: 'tree_ownership',
      holders: [{ partyId: parties.a }],
    });
    const wrongBuyer = await post(`/registry/rights/${trees.body.id}/transfer`, {
      kind: 'buy_back',
      fromPartyId: parties.a,
      toPartyId: parties.b,
      date: '2024-06-01',
      document: { type: '赎买协议' },
    });
    expect(expectProblem(wrongBuyer, 422).errors[0].path).toBe('toPartyId');
    const bought = await post(`/registry/rights/${trees.body.id}/transfer`, {
      kind: 'buy_back',
      fromPartyId: parties.a,
      toPartyId: parties.state,
      date: '2024-06-01',
      priceYuan: '300000',
      document: { type: '重点生态区位商品林赎买协议' },
    });
    expect(bought.status).toBe(201);
  });

  it('takes nothing more on a cancelled unit, in the service and in the database', async () => {
    const { unitId, resourceId } = await registered();
    await grant({ resourceId, rightType: 'contract', holders: [{ partyId: parties.a }] });
    const cancelled = await post(`/registry/units/${unitId}/cancellation`, {
      date: '2024-06-01',
      reason: '并入国家公园',
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', resources: [], rights: [] });
    const more = await grant({
      resourceId,
      rightType: 'management',
      holders: [{ partyId: parties.b }],
      date: '2024-06-02',
    });
    expect(expectProblem(more, 409).detail).toMatch(/cancelled/);
    await expect(
      t.db.query(
        `INSERT INTO registry_entries (unit_id, kind, effective_date, payload, recorded_by) VALUES ($1, 'change', '2024-07-01', '{}', 'sql')`,
        [unitId],
      ),
    ).rejects.toThrow(/is cancelled/);
    await expect(
      t.db.query(`UPDATE registration_units SET status = 'registered' WHERE id = $1`, [unitId]),
    ).rejects.toThrow(/is cancelled/);
    // still readable as it was
    const past = await t.http.get(`/registry/units/${unitId}?asOf=2024-05-31`).set(as(clerk));
    expect(past.body).toMatchObject({ statusAsOf: 'registered', status: 'cancelled' });
    expect(past.body.rights).toHaveLength(1);
  });

  it('keeps history: ledger rows, versions and unit codes cannot be rewritten', async () => {
    const { unitId } = await registered();
    await expect(
      t.db.query(`UPDATE registry_entries SET reason = 'x' WHERE unit_id = $1`, [unitId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.query(`DELETE FROM registry_entries WHERE unit_id = $1`, [unitId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.query(`UPDATE registration_unit_versions SET name = 'x' WHERE unit_id = $1`, [unitId]),
    ).rejects.toThrow(/registry history/);
    await expect(
      t.db.query(
        `UPDATE registration_unit_versions SET valid = daterange('2000-01-01', NULL) WHERE unit_id = $1`,
        [unitId],
      ),
    ).rejects.toThrow(/can only end earlier/);
    await expect(
      t.db.query(`UPDATE registration_units SET code = 'x' WHERE id = $1`, [unitId]),
    ).rejects.toThrow(/registry history/);
    const [{ code }] = (
      await t.db.query(`SELECT code FROM registration_units WHERE id = $1`, [unitId])
    ).rows as { code: string }[];
    await expect(
      t.db.query(
        `INSERT INTO registration_units (code, region_code, unit_type, status, created_by) VALUES ($1, '361130', 'forest', 'pre_delimited', 'sql')`,
        [code],
      ),
    ).rejects.toThrow(/registration_units_code_key/);
    // backdating before the unit's latest entry is refused: corrections take effect now
    const backdated = await post(`/registry/units/${unitId}/changes`, {
      kind: 'correction',
      date: '2024-03-01',
      reason: '名称有误',
      name: '更正后',
    });
    expect(expectProblem(backdated, 409).errors[0]).toMatchObject({
      path: 'date',
      message: 'must be 2024-04-01 or later',
    });
    const corrected = await post(`/registry/units/${unitId}/changes`, {
      kind: 'correction',
      date: '2024-04-02',
      reason: '名称有误',
      name: '更正后',
    });
    expect(corrected.body.version.name).toBe('更正后');
    const old = await t.http.get(`/registry/units/${unitId}?asOf=2024-04-01`).set(as(clerk));
    expect(old.body.version.name).toMatch(/^不变量测试/);
  });

  it('keeps clerks to their region', async () => {
    const { unitId } = await registered();
    const dexing = await t.token('dexing.registrar');
    expectProblem(
      await t.http.get(`/registry/units/${unitId}`).set(as(dexing)),
      403,
      'OUT_OF_REGION_SCOPE',
    );
    const change = await t.http
      .post(`/registry/units/${unitId}/changes`)
      .set(as(dexing))
      .send({ kind: 'change', reason: 'x', name: 'y' });
    expectProblem(change, 403, 'OUT_OF_REGION_SCOPE');
    const list = await t.http.get('/registry/units?pageSize=500').set(as(dexing));
    expect(
      list.body.items.every((u: { regionCode: string }) => u.regionCode.startsWith('361181')),
    ).toBe(true);
  });
});
