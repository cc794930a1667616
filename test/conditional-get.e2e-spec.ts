import { startTestApp, TestApp } from './support/test-app';

/**
 * Conditional GET: a published run never changes, so a client that has its summary sends the
 * ETag back and gets 304 with no body; a changed resource gets a new ETag.
 */
describe('Conditional GET (ETag)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token('wuyuan.accountant');
  });
  afterAll(() => t.close());

  it('answers 304 to a request whose ETag still matches, and 200 with the body otherwise', async () => {
    const [run] = (
      await t.db.query<{ id: string }>(
        `SELECT id FROM accounting_runs WHERE status = 'published' AND root_region_code = '361130' LIMIT 1`,
      )
    ).rows;
    const url = `/accounting/runs/${run.id}/summary`;
    const first = await t.http.get(url).set('authorization', `Bearer ${token}`).expect(200);
    const etag = first.headers.etag;
    expect(etag).toBeTruthy();
    const again = await t.http
      .get(url)
      .set('authorization', `Bearer ${token}`)
      .set('if-none-match', etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    const stale = await t.http
      .get(url)
      .set('authorization', `Bearer ${token}`)
      .set('if-none-match', '"not-this-one"');
    expect(stale.status).toBe(200);
    expect(stale.body).toEqual(first.body);
  });

  it('never answers 304 to someone not allowed to read it', async () => {
    // a draft is the county's own: the neighbouring county's clerk is refused before any ETag
    const draft = await t.http
      .post('/accounting/runs')
      .set('authorization', `Bearer ${token}`)
      .send({ standardId: 'ndrc-nbs-2022-trial', regionCode: '361130', year: 2024 })
      .expect(201);
    const url = `/accounting/runs/${draft.body.id as string}/summary`;
    const mine = await t.http.get(url).set('authorization', `Bearer ${token}`).expect(200);
    const neighbour = await t.token('dexing.registrar');
    const other = await t.http
      .get(url)
      .set('authorization', `Bearer ${neighbour}`)
      .set('if-none-match', mine.headers.etag);
    expect([403, 404]).toContain(other.status);
    const none = await t.http.get(url).set('if-none-match', mine.headers.etag);
    expect(none.status).toBe(401);
  });
});
