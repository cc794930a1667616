import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeParcelCsv } from '../../scripts/parcel-csv';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Fifty imports sent at the same moment by two statisticians: each is either accepted and
 * completes, or is refused cleanly — 429 once a user's minute of expensive requests is used up,
 * 503 once the job queue is full — with problem+json and Retry-After. None corrupts data: every
 * accepted import stored all its parcels, the refused ones nothing, and the service takes new work
 * afterwards.
 */
const BURST = 50;
const PARCELS = 500;
const QUEUE_LIMIT = 12;
const RATE_LIMIT = 20;
const PASSWORD = 'burst-test-password-2026';

describe('a burst of concurrent imports', () => {
  let t: TestApp;
  let base: string;
  let csv: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      JOB_QUEUE_LIMIT: String(QUEUE_LIMIT),
      EXPENSIVE_RATE_LIMIT: String(RATE_LIMIT),
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const admin = await t.token('admin');
    await t.http
      .post('/users')
      .set('authorization', `Bearer ${admin}`)
      .send({
        username: 'wuyuan.stat2',
        displayName: 'wuyuan.stat2',
        password: PASSWORD,
        roles: ['statistician'],
        regionCode: '361130',
      })
      .expect(201);
    tokens.push(await t.token('wuyuan.stat'), await t.token('wuyuan.stat2', PASSWORD));
    const dir = await mkdtemp(join(tmpdir(), 'gep-burst-'));
    const townships = (
      await t.db.query<{ code: string }>(`SELECT code FROM regions WHERE parent_code = '361130'`)
    ).rows.map((r) => r.code);
    await writeParcelCsv(join(dir, 'p.csv'), townships, PARCELS);
    csv = readFileSync(join(dir, 'p.csv'), 'utf8');
    await rm(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    // keep-alive connections of fetch would hold the listening server open
    (t.app.getHttpServer() as Server).closeAllConnections();
    await t.close();
  });

  const importAs = (token: string, name: string) =>
    fetch(
      `${base}/parcels/imports?regionCode=361130&year=2024&standardId=ndrc-nbs-2022-trial&name=${encodeURIComponent(name)}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/csv',
          connection: 'close',
        },
        body: csv,
      },
    );

  const jobEnd = async (id: string) => {
    for (let i = 0; i < 3000; i++) {
      const { rows } = await t.db.query<{ status: string; result: { setId: string } | null }>(
        `SELECT status, result FROM jobs WHERE id = $1`,
        [id],
      );
      if (rows[0].status === 'succeeded' || rows[0].status === 'failed') return rows[0];
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} did not end`);
  };

  it(`${BURST} imports at once: accepted ones all complete, the rest get 429 or 503, nothing half-stored`, async () => {
    const responses = await Promise.all(
      Array.from({ length: BURST }, (_, i) => importAs(tokens[i % 2], `burst ${i}`)),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => [202, 429, 503].includes(s))).toBe(true);
    const accepted: string[] = [];
    for (const res of responses) {
      const body = (await res.json()) as { id?: string; status?: number };
      if (res.status === 202) accepted.push(body.id!);
      else {
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(body.status).toBe(res.status);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    const count = (s: number) => statuses.filter((x) => x === s).length;
    console.log(
      `burst: ${BURST} imports → ${count(202)} accepted, ${count(429)} × 429, ${count(503)} × 503`,
    );
    // each user may send RATE_LIMIT a minute; the queue holds QUEUE_LIMIT at a time
    expect(count(429)).toBe(BURST - 2 * RATE_LIMIT);
    expect(count(202)).toBeGreaterThanOrEqual(QUEUE_LIMIT);
    expect(count(503)).toBeGreaterThan(0);

    const ends = await Promise.all(accepted.map(jobEnd));
    expect(ends.map((e) => e.status)).toEqual(accepted.map(() => 'succeeded'));
    const sets = await t.db.query<{ name: string; n: string }>(
      `SELECT s.name, count(p.*) AS n FROM parcel_sets s LEFT JOIN parcels p ON p.set_id = s.id
        WHERE s.name LIKE 'burst %' GROUP BY s.id, s.name`,
    );
    expect(sets.rows).toHaveLength(accepted.length);
    expect(sets.rows.every((r) => Number(r.n) === PARCELS)).toBe(true);
    expect(ends.map((e) => e.result!.setId).sort((a, b) => a.localeCompare(b))).toEqual(
      (
        await t.db.query<{ id: string }>(`SELECT id FROM parcel_sets WHERE name LIKE 'burst %'`)
      ).rows
        .map((r) => r.id)
        .sort((a, b) => a.localeCompare(b)),
    );
    // the queue drained: new work is taken again (by the user with allowance left this minute)
    const admin = await t.token('admin');
    await t.http
      .post('/users')
      .set('authorization', `Bearer ${admin}`)
      .send({
        username: 'wuyuan.stat3',
        displayName: 'wuyuan.stat3',
        password: PASSWORD,
        roles: ['statistician'],
        regionCode: '361130',
      })
      .expect(201);
    const after = await importAs(await t.token('wuyuan.stat3', PASSWORD), 'after the burst');
    expect(after.status).toBe(202);
    const afterBody = (await after.json()) as { id: string };
    expect((await jobEnd(afterBody.id)).status).toBe('succeeded');
  });
});
