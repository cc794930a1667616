import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  COUNTY_AGGREGATES_INSERT_SQL,
  partSumsSql,
  runParcelsSql,
} from '../../src/accounting/parcels/parcel-runs.service';
import { PARCEL_TABLES } from '../../src/database/citus';
import { writeParcelCsv } from '../../scripts/parcel-csv';
import { Service, servicePlace, startService, waitForListening } from '../support/service-process';

/**
 * The service on a three-node Citus cluster (`npm run test:citus`; scripts/with-citus.sh names
 * the cluster's database in CITUS_URL): first start on the coordinator, the project's
 * distribution step (`npm run db:distribute`), a second start, then two counties' parcels
 * loaded and run through the API — and the same done on the single-node service with its
 * embedded PostgreSQL. The figures must be identical, the bulk statements must run on the
 * workers, and region scope and the guards must hold as they do on one server.
 */
const CITUS_URL = process.env.CITUS_URL ?? '';
const PARCELS_PER_COUNTY = Number(process.env.CITUS_TEST_PARCELS ?? 20_000);
const PASSWORD = 'gep-demo-2026';
const WORK = join(process.cwd(), '.data', 'citus-test');
const WUYUAN_TOWNSHIPS = ['361130100', '361130101', '361130102', '361130103'];
const DEXING_TOWNSHIPS = [
  { code: '361181101', name: '花桥镇' },
  { code: '361181102', name: '绕二镇' },
];

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A signed-in client of one service process. */
class Api {
  private tokens = new Map<string, string>();
  constructor(readonly base: string) {}

  async as(username: string): Promise<string> {
    if (!this.tokens.has(username)) {
      const r = await this.call('', 'POST', '/auth/login', { username, password: PASSWORD });
      if (r.status !== 200 && r.status !== 201) throw new Error(`login ${username}: ${r.status}`);
      this.tokens.set(username, r.body.accessToken);
    }
    return this.tokens.get(username)!;
  }

  async call(
    user: string,
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
  ): Promise<Reply> {
    const headers: Record<string, string> = { 'accept-language': 'zh-CN' };
    if (user) headers.authorization = `Bearer ${await this.as(user)}`;
    if (body !== undefined) headers['content-type'] = type;
    const res = await fetch(this.base + path, {
      method,
      headers,
      body:
        body === undefined
          ? undefined
          : typeof body === 'string' || body instanceof Buffer
            ? body
            : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** Posts a job and waits for it; the job's result (fails the test when the job failed). */
  async job(
    user: string,
    path: string,
    body: unknown,
    type?: string,
  ): Promise<Record<string, unknown>> {
    const started = await this.call(user, 'POST', path, body, type);
    expect(started.status).toBe(202);
    for (let i = 0; i < 1200; i++) {
      const job = await this.call(user, 'GET', `/jobs/${started.body.id}`);
      if (job.body.status === 'failed') throw new Error(JSON.stringify(job.body.problem));
      if (job.body.status === 'succeeded') return job.body.result as Record<string, unknown>;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`job ${path} did not end`);
  }
}

interface Counties {
  wuyuan: { setId: string; runId: string };
  dexing: { setId: string; runId: string };
}

/** What an operator does for a second county, then loads and runs both counties' parcels. */
async function loadAndRun(api: Api): Promise<Counties> {
  for (const t of DEXING_TOWNSHIPS)
    expect(
      (
        await api.call('admin', 'POST', '/regions', {
          ...t,
          level: 'township',
          parentCode: '361181',
        })
      ).status,
    ).toBe(201);
  for (const [username, role] of [
    ['dexing.stat', 'statistician'],
    ['dexing.accountant', 'accountant'],
  ])
    expect(
      (
        await api.call('admin', 'POST', '/users', {
          username,
          displayName: username,
          password: PASSWORD,
          roles: [role],
          regionCode: '361181',
        })
      ).status,
    ).toBe(201);
  const county = async (code: string, file: string, stat: string, accountant: string) => {
    const loaded = await api.job(
      stat,
      `/parcels/imports?regionCode=${code}&year=2024&standardId=ndrc-nbs-2022-trial&name=${encodeURIComponent('图斑 2024')}`,
      readFileSync(join(WORK, file)),
      'text/csv',
    );
    expect(loaded.parcels).toBe(PARCELS_PER_COUNTY);
    const ran = await api.job(accountant, '/parcels/runs', { setId: loaded.setId });
    return { setId: loaded.setId as string, runId: ran.runId as string };
  };
  return {
    wuyuan: await county('361130', 'wuyuan.csv', 'wuyuan.stat', 'wuyuan.accountant'),
    dexing: await county('361181', 'dexing.csv', 'dexing.stat', 'dexing.accountant'),
  };
}

/** A run's aggregates without the run's id (which differs between the two services). */
async function aggregates(api: Api, user: string, runId: string): Promise<unknown[]> {
  const r = await api.call(user, 'GET', `/parcels/runs/${runId}/aggregates`);
  expect(r.status).toBe(200);
  return (r.body as Record<string, unknown>[]).map(({ runId: _id, ...row }) => row);
}

/** The statement with its parameters as typed literals (EXPLAIN of a generic plan is refused). */
const literal = (sql: string, params: (string | null)[]): string =>
  sql.replace(/\$(\d+)/g, (_, n: string) => {
    const p = params[Number(n) - 1];
    return p === null ? 'NULL' : `'${p}'`;
  });

describe('The service on a Citus cluster', () => {
  const citusPlace = servicePlace('citus-coordinator', 12000);
  const singlePlace = servicePlace('citus-single-node', 14000);
  let citus: Service | undefined;
  let single: Service | undefined;
  let db: Client;
  let onCitus: Api;
  let onOne: Api;
  let citusRuns: Counties;
  let singleRuns: Counties;

  const start = async (env: Record<string, string>, place = citusPlace): Promise<Service> => {
    const s = startService(place, { DEMO_DATA: 'true', ...env });
    await waitForListening(s, 240_000);
    return s;
  };
  const stop = async (s: Service | undefined) => {
    if (!s || s.child.exitCode !== null) return;
    s.child.kill('SIGTERM');
    await s.exited;
  };
  const distributeCommand = () =>
    spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'scripts/citus-distribute.ts'],
      { env: { ...process.env, DATABASE_URL: CITUS_URL }, encoding: 'utf8' },
    );

  beforeAll(async () => {
    if (!CITUS_URL)
      throw new Error('CITUS_URL is not set: run this suite with `npm run test:citus`');
    rmSync(WORK, { recursive: true, force: true });
    rmSync(singlePlace.dataDir, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    await writeParcelCsv(join(WORK, 'wuyuan.csv'), WUYUAN_TOWNSHIPS, PARCELS_PER_COUNTY);
    await writeParcelCsv(
      join(WORK, 'dexing.csv'),
      DEXING_TOWNSHIPS.map((t) => t.code),
      PARCELS_PER_COUNTY,
    );
    db = new Client({ connectionString: CITUS_URL });
    await db.connect();
    // the single-node reference starts (initdb, migrations, seeds) while the cluster is prepared
    const reference = start({}, singlePlace);
    citus = await start({ DATABASE_URL: CITUS_URL });
    await stop(citus);
    const first = distributeCommand();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('applied step(s) 1');
    citus = await start({ DATABASE_URL: CITUS_URL });
    single = await reference;
    onCitus = new Api(`http://127.0.0.1:${citusPlace.httpPort}`);
    onOne = new Api(`http://127.0.0.1:${singlePlace.httpPort}`);
    [citusRuns, singleRuns] = await Promise.all([loadAndRun(onCitus), loadAndRun(onOne)]);
  });

  afterAll(async () => {
    await Promise.all([stop(citus), stop(single)]);
    await db?.end();
    rmSync(WORK, { recursive: true, force: true });
    rmSync(singlePlace.dataDir, { recursive: true, force: true });
    rmSync(citusPlace.dataDir, { recursive: true, force: true });
  });

  it('distributes the parcel tables by county, co-located, with the rows on the workers; repeating the step does nothing', async () => {
    const { rows } = await db.query<{ table: string; column: string; colocation: number }>(
      `SELECT logicalrelid::text AS table, column_to_column_name(logicalrelid, partkey) AS column,
              colocationid AS colocation
         FROM pg_dist_partition WHERE partmethod = 'h' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table).sort()).toEqual([...PARCEL_TABLES].sort());
    expect(new Set(rows.map((r) => r.column))).toEqual(new Set(['region_code']));
    expect(new Set(rows.map((r) => r.colocation)).size).toBe(1);
    const nodes = await db.query<{ port: number; rows: string }>(
      `SELECT s.nodeport AS port, sum(r.result::bigint)::text AS rows
         FROM run_command_on_shards('parcels', 'SELECT count(*) FROM %s') r
         JOIN citus_shards s USING (shardid) GROUP BY 1 ORDER BY 1`,
    );
    expect(nodes.rows.every((n) => n.port !== 56001)).toBe(true);
    expect(nodes.rows.reduce((n, r) => n + Number(r.rows), 0)).toBe(2 * PARCELS_PER_COUNTY);
    const again = distributeCommand();
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('nothing to do; distribution is at step 1');
  });

  it('gives the same aggregates, parcel explanations and project what-ifs as the single-node service, to the last digit', async () => {
    for (const [county, stat] of [
      ['wuyuan', 'wuyuan.stat'],
      ['dexing', 'dexing.stat'],
    ] as const) {
      const distributed = await aggregates(onCitus, stat, citusRuns[county].runId);
      const reference = await aggregates(onOne, stat, singleRuns[county].runId);
      expect(distributed.length).toBeGreaterThan(40);
      expect(distributed).toEqual(reference);
    }
    const parcel = async (api: Api, runs: Counties) => {
      const r = await api.call(
        'wuyuan.stat',
        'GET',
        `/parcels/runs/${runs.wuyuan.runId}/parcels/WY0000042`,
      );
      expect(r.status).toBe(200);
      const { runId: _r, ...rest } = r.body;
      return rest;
    };
    expect(await parcel(onCitus, citusRuns)).toEqual(await parcel(onOne, singleRuns));
    const project = async (api: Api, runs: Counties) => {
      const r = await api.call(
        'dexing.accountant',
        'POST',
        `/parcels/runs/${runs.dexing.runId}/projects`,
        { parcelIds: ['WY0000001', 'WY0000002', 'WY0000003'], scenario: { ecosystem: 'urban' } },
      );
      expect(r.status).toBe(200);
      const { runId: _r, ...rest } = r.body;
      return rest;
    };
    expect(await project(onCitus, citusRuns)).toEqual(await project(onOne, singleRuns));
  });

  it("runs each statement of a parcel run over parcels on the worker holding the county's shards", async () => {
    const { rows } = await db.query<{
      region_code: string;
      set_id: string;
      compiled_sql: string;
      indicator_codes: string[];
    }>(`SELECT region_code, set_id, compiled_sql, indicator_codes FROM parcel_runs WHERE id = $1`, [
      citusRuns.wuyuan.runId,
    ]);
    const run = rows[0];
    const newRun = '00000000-0000-4000-8000-000000000001';
    // (the township sums are then written from the parts' few rows, through the coordinator)
    const plans = {
      part: literal(partSumsSql(run.compiled_sql, run.indicator_codes), [
        run.region_code,
        run.set_id,
        null,
        '2',
        '1',
      ]),
      parcel: literal(`SELECT * FROM ${runParcelsSql(run.compiled_sql)} r`, [
        run.region_code,
        run.set_id,
        '{WY0000001}',
        '1',
        '0',
      ]),
      county: literal(COUNTY_AGGREGATES_INSERT_SQL, [run.region_code, newRun]),
    };
    for (const [name, sql] of Object.entries(plans)) {
      const plan = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${sql}`)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      expect({ name, plan }).toEqual({ name, plan: expect.stringContaining('Task Count: 1') });
      expect({ name, plan }).toEqual({
        name,
        plan: expect.stringMatching(/Node: host=127\.0\.0\.1 port=5600[23]/),
      });
      expect({ name, plan }).toEqual({
        name,
        plan: expect.not.stringMatching(/pull to coordinator|repartition/),
      });
    }
  });

  it("keeps a county's parcels from the neighbouring county's users", async () => {
    const set = await onCitus.call('wuyuan.stat', 'GET', `/parcels/sets/${citusRuns.dexing.setId}`);
    expect(set.status).toBe(403);
    expect(set.body.code).toBe('OUT_OF_REGION_SCOPE');
    const sums = await onCitus.call(
      'wuyuan.accountant',
      'GET',
      `/parcels/runs/${citusRuns.dexing.runId}/aggregates`,
    );
    expect(sums.status).toBe(403);
    const list = await onCitus.call('dexing.stat', 'GET', '/parcels/sets');
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { regionCode: string }) => s.regionCode)).toEqual(['361181']);
  });

  it('keeps the guards: a township with parcels, a published methodology and a published run cannot be removed or changed', async () => {
    for (const api of [onCitus, onOne]) {
      const r = await api.call('admin', 'DELETE', `/regions/${DEXING_TOWNSHIPS[0].code}`);
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('STILL_IN_USE');
      expect(r.body.detail).toContain('图斑');
    }
    await expect(
      db.query(`DELETE FROM methodologies WHERE standard_id = 'ndrc-nbs-2022-trial'`),
    ).rejects.toThrow(/published/);
    await expect(
      db.query(`UPDATE accounting_runs SET created_by = 'x' WHERE status = 'published'`),
    ).rejects.toThrow();
  });

  it('restarts cleanly on the distributed database and serves the same figures', async () => {
    const before = await aggregates(onCitus, 'wuyuan.stat', citusRuns.wuyuan.runId);
    await stop(citus);
    citus = await start({ DATABASE_URL: CITUS_URL });
    expect(citus.output()).not.toMatch(/"level":50/);
    expect(await aggregates(onCitus, 'wuyuan.stat', citusRuns.wuyuan.runId)).toEqual(before);
  });
});
