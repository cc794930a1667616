import { execSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { Service, servicePlace, startService, waitForListening } from '../support/service-process';

/**
 * No request stalls the service (issue 19): the built service, as `npm start` runs it, answers
 * /health while a 49,999-vertex boundary is checked and clipped against another (seconds of
 * exact polygon clipping, now in a worker thread; it was 44 s on the event loop), while an import
 * of two such units runs, and refuses a large CSV on the synchronous route at once (413, pointing
 * to the job route) instead of reading 50 MB into memory.
 */
const place = servicePlace('stall-test', 28000);
const base = `http://127.0.0.1:${place.httpPort}`;

function circle(cx: number, cy: number, n = 49_998): number[][] {
  const ring = Array.from({ length: n }, (_, i) => [
    cx + 0.05 * Math.cos((2 * Math.PI * i) / n),
    cy + 0.05 * Math.sin((2 * Math.PI * i) / n),
  ]);
  ring.push(ring[0]);
  return ring;
}

describe('no request stalls the service', () => {
  let service: Service;
  let token: string;

  beforeAll(async () => {
    if (!existsSync('dist/src/registry/geometry.worker.js'))
      execSync('npx nest build', { stdio: 'ignore' });
    rmSync(place.dataDir, { recursive: true, force: true }); // the units below must be new
    service = startService(place, { DEMO_DATA: 'true' }, true);
    await waitForListening(service, 300_000);
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'wuyuan.registrar', password: 'gep-demo-2026' }),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
  }, 360_000);
  afterAll(async () => {
    service?.child.kill('SIGTERM');
    await service?.exited;
  });

  /** Runs `work` while /health is asked every 10 ms; the latencies, sorted. */
  async function healthDuring<T>(work: () => Promise<T>): Promise<{ result: T; ms: number[] }> {
    let done = false;
    const ms: number[] = [];
    const pinger = (async () => {
      while (!done) {
        const t = performance.now();
        const res = await fetch(`${base}/health`);
        await res.arrayBuffer();
        ms.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const result = await work();
    done = true;
    await pinger;
    return { result, ms: ms.sort((a, b) => a - b) };
  }
  const report = (what: string, ms: number[]) => {
    const p95 = ms[Math.floor(ms.length * 0.95)];
    console.log(
      `stall: ${what}: /health ${ms.length} answers, p50 ${ms[Math.floor(ms.length / 2)].toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${ms[ms.length - 1].toFixed(1)} ms`,
    );
    return { p95, max: ms[ms.length - 1] };
  };

  /** The request, its body serialised beforehand: the client must not stall its own pings. */
  const unit = (name: string, ring: number[][]) => {
    const body = JSON.stringify({
      regionCode: '361130',
      unitType: 'forest',
      name,
      boundary: { type: 'Polygon', coordinates: [ring] },
      ownership: { model: 'state', representative: '自然资源部' },
      date: '2024-01-02',
    });
    return () =>
      fetch(`${base}/registry/units`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
  };

  it('answers /health while 49,999-vertex boundaries are checked and clipped', async () => {
    const first = await healthDuring(unit('大边界单元一', circle(117.2, 29.2)));
    expect(first.result.status).toBe(201);
    const a = report('a 49,999-vertex unit created', first.ms);
    // the second overlaps the first: the exact clipping of the two takes seconds
    const second = await healthDuring(unit('大边界单元二', circle(117.23, 29.2)));
    expect(second.result.status).toBe(422);
    const b = report('a 49,999-vertex unit clipped against another', second.ms);
    expect(second.ms.length).toBeGreaterThan(50); // /health kept answering throughout
    // the create is over in a few hundred ms (a few answers): its pauses are bounded; the clipping
    // takes seconds, and there the typical answer must stay fast
    // measured here: max 35–100 ms for both (was 42.5 s); the bound leaves room for a shared CI box
    expect(a.max).toBeLessThan(250);
    expect(b.p95).toBeLessThan(100);
    expect(b.max).toBeLessThan(250);
  });

  it('answers /health while an import of two such units runs', async () => {
    const feature = (ref: string, ring: number[][]) => ({
      type: 'Feature',
      properties: {
        kind: 'unit',
        ref,
        regionCode: '361130',
        unitType: 'forest',
        name: `导入大单元 ${ref}`,
        ownership: { model: 'state', representative: '自然资源部' },
      },
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
    const file = JSON.stringify({
      type: 'FeatureCollection',
      features: [feature('a', circle(118.2, 29.2)), feature('b', circle(118.23, 29.2))],
    });
    const { result, ms } = await healthDuring(async () => {
      const res = await fetch(`${base}/registry/imports?date=2024-01-02`, {
        method: 'POST',
        headers: { 'content-type': 'application/geo+json', authorization: `Bearer ${token}` },
        body: file,
      });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      for (;;) {
        const job = (await (
          await fetch(`${base}/jobs/${id}`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { status: string; problem: { status: number } | null };
        if (job.status === 'succeeded' || job.status === 'failed') return job;
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    expect(result).toMatchObject({ status: 'failed', problem: { status: 422 } }); // they overlap
    const x = report('an import of two overlapping 49,999-vertex units', ms);
    expect(x.p95).toBeLessThan(100);
    // the file is parsed in the geometry worker and handed back per feature (parsing 4 MB at once
    // held the event loop 50–65 ms; max was 114–147 ms): max 44–92 ms alone, but /health pings
    // PostgreSQL, which writes the two boundaries meanwhile — one 257 ms answer inside the full CI
    // run on two cores. The typical answer is the claim (p95 above); the bound catches a stall.
    expect(x.max).toBeLessThan(500);
  });

  it('refuses a large CSV on the synchronous route with 413, pointing to the job route', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 'a,');
    const t = performance.now();
    const res = await fetch(`${base}/survey/forms/load-csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body: big,
    });
    const took = performance.now() - t;
    expect(res.status).toBe(413);
    const problem = (await res.json()) as { detail: string };
    expect(problem.detail).toContain('POST /survey/imports');
    console.log(`stall: a 50 MB CSV on the synchronous route refused in ${took.toFixed(0)} ms`);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
  });
});
