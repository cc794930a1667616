import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { writeParcelCsv } from '../../scripts/parcel-csv';
import { D } from '../../src/common/decimal';
import { changedTables, fingerprint } from '../support/fingerprint';
import {
  alive,
  postmasterPid,
  Service,
  servicePlace,
  startService,
  waitForListening,
} from '../support/service-process';

/**
 * The service killed with SIGKILL in the middle of writing — a large parcel import, an accounting
 * run, a compensation run, a registry batch — and started again: nothing committed is lost,
 * nothing half-written is visible, the interrupted job says so, and the same request then gives
 * the same result as it would have.
 *
 * To kill at the worst moment deterministically, the test holds a lock on the audit log: every
 * one of these operations writes its audit entry last, in its own transaction, so it waits there
 * with all its rows written but not committed. The test checks that it is waiting there, holding
 * the tables it wrote, and kills the process.
 */
const place = servicePlace('crash-test', 22000);
const PARCELS = 200_000;
const STD = 'ndrc-nbs-2022-trial';
const UNCHECKED = { jobs: 'true' }; // job rows: checked separately

describe('crash safety: SIGKILL in the middle of a write', () => {
  let service: Service;
  let db: Client;
  const tokens: Record<string, string> = {};
  const url = (path: string) => `http://127.0.0.1:${place.httpPort}${path}`;

  const connect = async () => {
    const password = readFileSync(join(place.dataDir, 'postgres-password'), 'utf8').trim();
    const client = new Client({
      connectionString: `postgres://postgres:${password}@127.0.0.1:${place.pgPort}/gep`,
    });
    client.on('error', () => undefined); // the server goes away when the service restarts
    await client.connect();
    return client;
  };

  const start = async () => {
    service = startService(place, { DEMO_DATA: 'true' });
    await waitForListening(service, 300_000);
    db = await connect();
  };

  /** SIGKILL, and a start of a new process on the same data (which stops the orphaned server). */
  const killAndRestart = async () => {
    service.child.kill('SIGKILL');
    await service.exited;
    await db.end().catch(() => undefined);
    await start();
  };

  const call = async (
    user: string,
    method: string,
    path: string,
    body?: string | object,
    contentType = 'application/json',
  ) => {
    const res = await fetch(url(path), {
      method,
      headers: {
        authorization: `Bearer ${tokens[user]}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const jobEnd = async (user: string, id: string) => {
    for (let i = 0; i < 2400; i++) {
      const job = await call(user, 'GET', `/jobs/${id}`);
      if (job.body.status === 'succeeded' || job.body.status === 'failed') return job.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} did not end`);
  };

  beforeAll(async () => {
    rmSync(place.dataDir, { recursive: true, force: true });
    await start();
    for (const user of ['wuyuan.stat', 'wuyuan.accountant', 'wuyuan.finance', 'wuyuan.registrar']) {
      const res = await fetch(url('/auth/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user, password: 'gep-demo-2026' }),
      });
      tokens[user] = ((await res.json()) as { accessToken: string }).accessToken;
    }
  }, 360_000);

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    service?.child.kill('SIGINT');
    await service?.exited;
    const pid = postmasterPid(place);
    if (pid && alive(pid)) process.kill(pid, 'SIGINT');
  });

  /**
   * Starts `operation`, waits until its transaction is blocked on the audit log holding a write
   * lock on `table`, kills the service, restarts it, and checks that nothing changed.
   */
  async function crashBeforeCommit(operation: () => Promise<unknown>, table: string) {
    const before = await fingerprint(db, UNCHECKED);
    const locker = await connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE');
    const pending = operation().catch(() => undefined); // its connection dies with the process
    let holding: string[] = [];
    for (let i = 0; i < 1200 && !holding.includes(table); i++) {
      await new Promise((r) => setTimeout(r, 100));
      holding = (
        await db.query<{ relname: string }>(
          `SELECT c.relname FROM pg_stat_activity a
             JOIN pg_locks l ON l.pid = a.pid AND l.granted AND l.mode = 'RowExclusiveLock'
             JOIN pg_class c ON c.oid = l.relation
            WHERE a.wait_event_type = 'Lock' AND a.query ILIKE '%audit_log%' AND a.backend_xid IS NOT NULL`,
        )
      ).rows.map((r) => r.relname);
    }
    expect(holding).toContain(table); // written, not committed, waiting for the audit log
    await killAndRestart();
    await locker.end().catch(() => undefined);
    await pending;
    expect(changedTables(before, await fingerprint(db, UNCHECKED))).toEqual([]);
  }

  it('a large parcel import killed half-way leaves no trace; the retry loads every parcel', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gep-crash-'));
    try {
      const csv = join(dir, 'parcels.csv');
      const townships = (
        await db.query<{ code: string }>(
          `SELECT code FROM regions WHERE parent_code = '361130' ORDER BY code`,
        )
      ).rows.map((r) => r.code);
      await writeParcelCsv(csv, townships, PARCELS);
      const body = readFileSync(csv, 'utf8');
      const importIt = () =>
        call(
          'wuyuan.stat',
          'POST',
          `/parcels/imports?regionCode=361130&year=2024&standardId=${STD}&name=crash`,
          body,
          'text/csv',
        );
      const before = await fingerprint(db, UNCHECKED);
      const started = await importIt();
      expect(started.status).toBe(202);
      const jobId = started.body.id as string;
      // kill while the load is under way (after the upload, before the end)
      let percent = 0;
      for (let i = 0; i < 600 && percent < 10; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const row = await db.query<{ status: string; percent: number }>(
          `SELECT status, percent FROM jobs WHERE id = $1`,
          [jobId],
        );
        expect(row.rows[0].status).not.toBe('succeeded');
        percent = row.rows[0].percent;
      }
      const killedAt = (
        await db.query<{ phase: string; percent: number }>(
          `SELECT phase, percent FROM jobs WHERE id = $1`,
          [jobId],
        )
      ).rows[0];
      expect(killedAt.percent).toBeLessThan(100);
      await killAndRestart();
      expect(changedTables(before, await fingerprint(db, UNCHECKED))).toEqual([]);
      const job = await call('wuyuan.stat', 'GET', `/jobs/${jobId}`);
      expect(job.body).toMatchObject({ status: 'failed', problem: { status: 409 } });
      expect(JSON.stringify(job.body.problem)).toMatch(/此任务未保存任何内容/); // Chinese by default

      const retried = await importIt();
      const done = await jobEnd('wuyuan.stat', retried.body.id as string);
      expect(done.status).toBe('succeeded');
      const setId = (done.result as { setId: string }).setId;
      const stored = await db.query<{ n: string; area: string }>(
        `SELECT count(*) AS n, sum(area_ha)::text AS area FROM parcels WHERE set_id = $1`,
        [setId],
      );
      // areas have 4 decimals in the file: the stored sum is exact
      const expectedArea = body
        .trim()
        .split('\n')
        .slice(1)
        .reduce((sum, line) => sum.plus(line.split(',')[3]), new D(0));
      expect(Number(stored.rows[0].n)).toBe(PARCELS);
      expect(new D(stored.rows[0].area).eq(expectedArea)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it('an accounting run killed before commit leaves no run; the retry equals an uninterrupted run', async () => {
    const { rows } = await db.query<{ year: number }>(
      `SELECT year FROM accounting_runs WHERE root_region_code = '361130' AND status = 'published' ORDER BY year DESC LIMIT 1`,
    );
    const input = { standardId: STD, regionCode: '361130', year: rows[0].year };
    const reference = await call('wuyuan.accountant', 'POST', '/accounting/runs', input);
    expect(reference.status).toBe(201);
    await crashBeforeCommit(
      () => call('wuyuan.accountant', 'POST', '/accounting/runs', input),
      'accounting_results',
    );
    const retried = await call('wuyuan.accountant', 'POST', '/accounting/runs', input);
    expect(retried.status).toBe(201);
    const results = async (runId: unknown) =>
      (
        await db.query(
          `SELECT region_code, indicator_code, status, quantity::text, value::text, by_index
             FROM accounting_results WHERE run_id = $1 ORDER BY region_code, indicator_code`,
          [runId],
        )
      ).rows;
    const expected = await results(reference.body.id);
    expect(expected.length).toBeGreaterThan(10);
    expect(await results(retried.body.id)).toEqual(expected);
    expect(retried.body.snapshotSha256).toBe(reference.body.snapshotSha256);
  }, 600_000);

  it('a compensation run killed before commit leaves no run; the retry allocates the same amounts', async () => {
    // the demo's approved budget allocation over Wuyuan's townships, computed again
    const { rows } = await db.query<{
      scheme_id: string;
      budget_year: number;
      gep_year: number;
      budget: string;
    }>(
      `SELECT r.scheme_id, r.budget_year, r.gep_year, r.budget::text FROM compensation_runs r
         JOIN compensation_schemes s ON s.id = r.scheme_id
        WHERE r.root_region_code = '361130' AND r.status = 'approved' AND s.type = 'budget_allocation'
        ORDER BY r.budget_year DESC LIMIT 1`,
    );
    const input = {
      schemeId: rows[0].scheme_id,
      regionCode: '361130',
      budgetYear: rows[0].budget_year,
      gepYear: rows[0].gep_year,
      budget: rows[0].budget,
    };
    const reference = await call('wuyuan.finance', 'POST', '/assessment/compensation/runs', input);
    expect(reference.status).toBe(201);
    await crashBeforeCommit(
      () => call('wuyuan.finance', 'POST', '/assessment/compensation/runs', input),
      'compensation_amounts',
    );
    const retried = await call('wuyuan.finance', 'POST', '/assessment/compensation/runs', input);
    expect(retried.status).toBe(201);
    const amounts = async (runId: unknown) =>
      (
        await db.query(
          `SELECT region_code, eligible, weight::text, amount::text FROM compensation_amounts
            WHERE run_id = $1 ORDER BY region_code`,
          [runId],
        )
      ).rows;
    const expected = await amounts(reference.body.id);
    expect(expected.length).toBeGreaterThan(1);
    expect(await amounts(retried.body.id)).toEqual(expected);
  }, 600_000);

  it('a registry batch killed before commit registers nothing; the retry registers the whole batch', async () => {
    const rect = (x: number) => ({
      type: 'Polygon',
      coordinates: [
        [
          [x, 25],
          [x + 0.01, 25],
          [x + 0.01, 25.01],
          [x, 25.01],
          [x, 25],
        ],
      ],
    });
    const batch = JSON.stringify({
      type: 'FeatureCollection',
      features: Array.from({ length: 40 }, (_, i) => ({
        type: 'Feature',
        geometry: rect(113 + i * 0.02),
        properties: {
          kind: 'unit',
          ref: `c${i}`,
          regionCode: '361130',
          unitType: 'forest',
          name: `崩溃测试单元 ${i}`,
          ownership: { model: 'state', representative: '自然资源部' },
        },
      })),
    });
    const importIt = () =>
      call(
        'wuyuan.registrar',
        'POST',
        '/registry/imports?date=2024-01-02',
        batch,
        'application/geo+json',
      );
    let crashedJob = '';
    await crashBeforeCommit(async () => {
      const res = await importIt();
      crashedJob = res.body.id as string;
    }, 'registration_units');
    const job = await db.query<{ status: string }>(`SELECT status FROM jobs WHERE id = $1`, [
      crashedJob,
    ]);
    expect(job.rows[0].status).toBe('failed');
    const retried = await importIt();
    const done = await jobEnd('wuyuan.registrar', retried.body.id as string);
    expect(done).toMatchObject({ status: 'succeeded', result: { units: 40 } });
    const units = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM registration_unit_versions WHERE name LIKE '崩溃测试单元 %'`,
    );
    expect(Number(units.rows[0].n)).toBe(40);
  }, 600_000);
});
