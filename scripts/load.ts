/**
 * Load test (`npm run load`): the service built and started as `npm start` runs it (its own embedded
 * PostgreSQL with the demo data, in .data/load), then read endpoints at a fixed rate on loopback
 * with autocannon. Prints latency percentiles, throughput and errors.
 *
 *   LOAD_RATE      requests per second (default 200)
 *   LOAD_DURATION  seconds (default 60)
 *
 * Target (issue 8): p99 ≤ 50 ms and no errors at 200 requests/s for 60 s.
 */
import autocannon from 'autocannon';
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { servicePlace, startService, waitForListening } from '../test/support/service-process';

const RATE = Number(process.env.LOAD_RATE ?? 200);
const DURATION = Number(process.env.LOAD_DURATION ?? 60);

async function main(): Promise<void> {
  const place = servicePlace('load', 45000);
  rmSync(place.dataDir, { recursive: true, force: true });
  const service = startService(place, { DEMO_DATA: 'true', LOG_LEVEL: 'info' }, true);
  try {
    const startup = await waitForListening(service, 300_000);
    const base = `http://127.0.0.1:${place.httpPort}`;
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'wuyuan.accountant', password: 'gep-demo-2026' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const runs = (await (
      await fetch(`${base}/accounting/runs?regionCode=361130&pageSize=1`, { headers: auth })
    ).json()) as { items: { id: string }[] };
    const runId = runs.items[0].id;
    const paths = [
      '/health',
      '/auth/me',
      '/regions?parentCode=361130',
      '/regions/361130/lineage',
      '/methodologies',
      '/accounting/runs?regionCode=361130',
      `/accounting/runs/${runId}`,
      `/accounting/runs/${runId}/summary`,
      `/accounting/runs/${runId}/results?regionCode=361130`,
      `/accounting/runs/${runId}/ranking`,
      '/survey/forms?regionCode=361130',
      '/registry/units?regionCode=361130',
      '/registry/rights',
      '/jobs',
    ];
    for (const p of paths) {
      const res = await fetch(`${base}${p}`, { headers: auth });
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    }
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; service started in ${(startup / 1000).toFixed(1)} s`,
    );
    // where the time goes: each endpoint alone, sequentially (after a warm-up request)
    const each: string[] = [];
    for (const p of paths) {
      const times: number[] = [];
      for (let i = 0; i < 21; i++) {
        const t0 = performance.now();
        await (await fetch(`${base}${p}`, { headers: auth })).arrayBuffer();
        if (i > 0) times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      each.push(`${p.replace(runId, ':id')} ${times[10].toFixed(1)}`);
    }
    console.log(`median ms per endpoint alone (20 sequential requests): ${each.join('; ')}`);
    console.log(
      `load: ${RATE} requests/s for ${DURATION} s over ${paths.length} read endpoints (10 connections)…`,
    );
    const result = await autocannon({
      url: base,
      connections: 10,
      overallRate: RATE,
      duration: DURATION,
      headers: auth,
      requests: paths.map((path) => ({ method: 'GET', path })),
    });
    const l = result.latency;
    console.log(
      `latency ms: p50 ${l.p50}, p90 ${l.p90}, p99 ${l.p99}, max ${l.max} (mean ${l.average.toFixed(1)})`,
    );
    console.log(
      `requests: ${result.requests.total} in ${result.duration} s (${result.requests.average.toFixed(0)}/s); ` +
        `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}`,
    );
    const ok = l.p99 <= 50 && result.errors === 0 && result.non2xx === 0 && result.timeouts === 0;
    console.log(`target p99 ≤ 50 ms, 0 errors: ${ok ? 'met' : 'MISSED'}`);
  } finally {
    service.child.kill('SIGINT');
    await service.exited;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
