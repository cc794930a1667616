import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { writeParcelCsv } from '../../scripts/parcel-csv';
import { recreateDatabase } from '../../src/database/database-server';
import { Service, servicePlace, startService, waitForListening } from '../support/service-process';
import { TEMPLATE_DB, TEST_JWT_SECRET } from '../support/test-env';

/**
 * Two service instances on loopback against one database, as behind a load balancer: a job
 * started on one is watched from the other; the bounded job queue and the login rate limit count
 * across both; an instance killed in the middle of a parcel run has its run finished by the
 * other (once, nothing doubled), and one killed in the middle of an import has the import marked
 * failed by the other (nothing stored).
 */
const PARCELS = 300_000;
const QUEUE_LIMIT = 2;
const LOGIN_LIMIT = 8;
const ENV = {
  JWT_SECRET: TEST_JWT_SECRET, // every instance signs and checks tokens with the same secret
  JOB_QUEUE_LIMIT: String(QUEUE_LIMIT),
  LOGIN_RATE_LIMIT: String(LOGIN_LIMIT),
  EXPENSIVE_RATE_LIMIT: '100000',
};

interface JobBody {
  id: string;
  status: string;
  percent: number;
  instance: string;
  attempts: number;
  result: Record<string, unknown> | null;
  problem: { code: string } | null;
}

describe('several instances on one database', () => {
  const places = [servicePlace('instance-a', 24000), servicePlace('instance-b', 26000)];
  const services: (Service | undefined)[] = [];
  let dbUrl: string;
  let db: Client;
  let dir: string;
  let csv: Buffer;
  const tokens: Record<string, string> = {};

  const start = async (i: number) => {
    services[i] = startService(places[i], { ...ENV, DATABASE_URL: dbUrl });
    await waitForListening(services[i], 120_000);
  };
  const kill = async (i: number) => {
    services[i]!.child.kill('SIGKILL');
    await services[i]!.exited;
  };
  const call = async (
    i: number,
    user: string | null,
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
  ) => {
    const res = await fetch(`http://127.0.0.1:${places[i].httpPort}${path}`, {
      method,
      headers: {
        ...(user ? { authorization: `Bearer ${tokens[user]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': type }),
      },
      body: body === undefined || body instanceof Buffer ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const job = async (i: number, id: string) =>
    (await call(i, 'wuyuan.stat', 'GET', `/jobs/${id}`)).body as unknown as JobBody;
  const runJob = async (i: number, id: string) =>
    (await call(i, 'wuyuan.accountant', 'GET', `/jobs/${id}`)).body as unknown as JobBody;
  const until = async (read: () => Promise<JobBody>, done: (j: JobBody) => boolean) => {
    for (let n = 0; n < 1200; n++) {
      const j = await read();
      if (done(j)) return j;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('job did not reach the expected state');
  };
  const ended = (j: JobBody) => j.status === 'succeeded' || j.status === 'failed';
  /** Waits until the job is under way (as B sees it), kills A, and answers the job as B ends it. */
  const killMidway = async (read: (i: number, id: string) => Promise<JobBody>, id: string) => {
    await until(
      () => read(1, id),
      (j) => j.status === 'running' && j.percent >= 5,
    );
    await kill(0);
    return until(() => read(1, id), ended);
  };
  const importOn = (i: number) =>
    call(
      i,
      'wuyuan.stat',
      'POST',
      `/parcels/imports?regionCode=361130&year=2024&standardId=ndrc-nbs-2022-trial&name=${encodeURIComponent('两实例')}`,
      csv,
      'text/csv',
    );
  const count = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

  beforeAll(async () => {
    dbUrl = await recreateDatabase(
      process.env.GEP_TEST_ADMIN_URL!,
      'gep_two_instances',
      TEMPLATE_DB,
    );
    db = new Client({ connectionString: dbUrl });
    await db.connect();
    dir = await mkdtemp(join(tmpdir(), 'gep-instances-'));
    await writeParcelCsv(join(dir, 'p.csv'), ['361130100', '361130101', '361130102'], PARCELS);
    csv = await readFile(join(dir, 'p.csv'));
    await Promise.all([start(0), start(1)]);
    for (const user of ['wuyuan.stat', 'wuyuan.accountant']) {
      const r = await call(0, null, 'POST', '/auth/login', {
        username: user,
        password: 'gep-demo-2026',
      });
      tokens[user] = r.body.accessToken as string;
    }
  });

  afterAll(async () => {
    for (const s of services) if (s && s.child.exitCode === null) s.child.kill('SIGTERM');
    for (const s of services) if (s) await s.exited;
    await db?.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts login attempts from one address across both instances', async () => {
    // two sign-ins above, then wrong passwords on both instances in turn
    for (let n = 2; n < LOGIN_LIMIT; n++) {
      const r = await call(n % 2, null, 'POST', '/auth/login', {
        username: 'wuyuan.stat',
        password: 'wrong-password',
      });
      expect(r.status).toBe(401);
    }
    for (const i of [0, 1]) {
      const r = await call(i, null, 'POST', '/auth/login', {
        username: 'wuyuan.stat',
        password: 'gep-demo-2026',
      });
      expect(r.status).toBe(429);
      expect(r.body.code).toBe('RATE_LIMITED');
    }
  });

  it('bounds the job queue across instances and lets either instance watch any job', async () => {
    // Both uploaded at once, then the bound asked at once: sent one after the other, the first job
    // could end while the second file was still uploading (a CI run saw 202 below, then a full
    // queue for the next three tests). The bound is checked before a byte of the upload is read.
    const [first, second] = await Promise.all([importOn(0), importOn(1)]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body.instance).not.toBe(second.body.instance);
    for (const i of [0, 1]) {
      const refused = await importOn(i);
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('BUSY');
    }
    // each instance reports the other's job as it progresses
    const watched = await until(
      () => job(1, first.body.id as string),
      (j) => j.status !== 'queued',
    );
    expect(watched.instance).toBe(first.body.instance);
    const done = await Promise.all([
      until(() => job(1, first.body.id as string), ended),
      until(() => job(0, second.body.id as string), ended),
    ]);
    expect(done.map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
    expect(await count('parcel_sets')).toBe(2);
    const again = await importOn(1); // room again
    expect(again.status).toBe(202);
    expect((await until(() => job(0, again.body.id as string), ended)).status).toBe('succeeded');
  });

  it('finishes a parcel run on the other instance when the one doing it is killed, once', async () => {
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM parcel_sets ORDER BY created_at LIMIT 1`,
    );
    const setId = rows[0].id;
    const started = await call(0, 'wuyuan.accountant', 'POST', '/parcels/runs', { setId });
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const done = await killMidway(runJob, id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(done.instance).not.toBe(started.body.instance);
    const runs = await db.query<{ id: string; parcel_count: number }>(
      `SELECT id, parcel_count FROM parcel_runs WHERE set_id = $1`,
      [setId],
    );
    expect(runs.rows).toHaveLength(1);
    expect(runs.rows[0].id).toBe(done.result!.runId);
    const counted = await db.query<{ n: number }>(
      `SELECT sum(parcels)::int AS n FROM parcel_aggregates
        WHERE run_id = $1 AND area_code = region_code AND indicator_code = (SELECT indicator_codes[1] FROM parcel_runs WHERE id = $1)`,
      [runs.rows[0].id],
    );
    expect(counted.rows[0].n).toBe(PARCELS);
    // the killed instance stored nothing: a run's rows are written in one transaction, at its end
    const stray = await db.query<{ aggregates: number }>(
      `SELECT count(*)::int AS aggregates FROM parcel_aggregates a WHERE NOT EXISTS
         (SELECT 1 FROM parcel_runs x WHERE x.region_code = a.region_code AND x.id = a.run_id)`,
    );
    expect(stray.rows[0]).toEqual({ aggregates: 0 });
  });

  it('leaves a running job with the instance doing it while only its instance session is lost', async () => {
    const a = services[0]?.child;
    if (!a || a.exitCode !== null || a.signalCode !== null) await start(0); // killed above
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM accounting_runs WHERE root_region_code = '361130' AND status = 'published'
        ORDER BY year DESC LIMIT 1`,
    );
    const started = await call(
      0,
      'wuyuan.accountant',
      'POST',
      `/accounting/runs/${rows[0].id}/uncertainty`,
      {
        draws: 4000,
      },
    );
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const instance = started.body.instance as string;
    await until(
      () => runJob(1, id),
      (j) => j.status === 'running',
    );
    // A's instance session is ended again and again (as a flaky network would) for longer than
    // two of B's sweeps, while A's pool connections, and so the job, carry on
    const blackout = Date.now();
    let last: JobBody = await runJob(1, id);
    while (Date.now() - blackout < 5_000 && !ended(last)) {
      await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
        [`gep-instance:${instance}`],
      );
      await new Promise((r) => setTimeout(r, 100));
      last = await runJob(1, id);
    }
    expect(last).toMatchObject({ status: 'running', instance, attempts: 1 }); // not taken over
    const done = await until(() => runJob(1, id), ended);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, instance });
  });

  it('marks an import failed from the other instance when the one receiving it is killed; nothing is stored', async () => {
    const sets = await count('parcel_sets');
    const parcels = await count('parcels');
    const started = await importOn(0);
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const done = await killMidway(job, id);
    expect(done.status).toBe('failed');
    expect(done.problem!.code).toBe('JOB_INTERRUPTED');
    expect(await count('parcel_sets')).toBe(sets);
    expect(await count('parcels')).toBe(parcels);
  });
});
