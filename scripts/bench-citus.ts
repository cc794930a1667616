/*
 * `npm run bench:citus`: a national-shaped parcel load on the three-node Citus cluster that
 * scripts/with-citus.sh starts (CITUS_URL). The schema and reference data are created, the
 * distribution step applied, synthetic counties added (each with its townships), and for each
 * county a parcel CSV loaded and run through the same services as `POST /parcels/imports` and
 * `POST /parcels/runs`. Prints per-county and total times, how the rows spread over the workers,
 * and a cross-county query. BENCH_CITUS_COUNTIES (default 8) × BENCH_CITUS_PARCELS (250,000).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { runSeeds } from '../seeds';
import { MethodologiesService } from '../src/accounting/methodology/methodologies.service';
import { ParcelRunsService } from '../src/accounting/parcels/parcel-runs.service';
import { ParcelSetsService } from '../src/accounting/parcels/parcel-sets.service';
import { ParcelsModule } from '../src/accounting/parcels/parcels.module';
import { distribute } from '../src/database/citus';
import { NO_PROGRESS } from '../src/jobs/progress';
import { dataSourceOptions } from '../src/database/data-source-options';
import { standaloneContext } from '../src/standalone';
import { writeParcelCsv } from './parcel-csv';

const COUNTIES = Number(process.env.BENCH_CITUS_COUNTIES ?? 8);
const PARCELS = Number(process.env.BENCH_CITUS_PARCELS ?? 250_000);
const TOWNSHIPS = 12;
const seconds = (since: number) => (performance.now() - since) / 1000;

async function main(): Promise<void> {
  const url = process.env.CITUS_URL;
  if (!url) throw new Error('CITUS_URL is not set: run `npm run bench:citus`');
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  const dir = await mkdtemp(join(tmpdir(), 'gep-citus-bench-'));
  try {
    await ds.runMigrations();
    await runSeeds(ds, { demo: false });
    const report = await distribute(url);
    const [{ v }] = await ds.query<{ v: string }[]>('SELECT version() AS v');
    console.log(
      `machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${v.split(' on ')[0]}, citus ${report.citusVersion}, coordinator + 2 workers on one machine; distribution step ${report.current}`,
    );
    // synthetic counties under 江西省, each with its townships (codes 3699NN, 3699NN1TT)
    const counties = Array.from({ length: COUNTIES }, (_, i) => `3699${String(i + 10)}`);
    for (const c of counties) {
      await ds.query(
        `INSERT INTO regions (code, name, level, parent_code, path)
         VALUES ($1::varchar, $2, 'county', '360000',
                 (SELECT path FROM regions WHERE code = '360000') || text2ltree($1::varchar))`,
        [c, `测试县${c}`],
      );
      for (let t = 0; t < TOWNSHIPS; t++) {
        const code = `${c}${100 + t}`;
        await ds.query(
          `INSERT INTO regions (code, name, level, parent_code, path)
           VALUES ($1::varchar, $2, 'township', $3::varchar, (SELECT path FROM regions WHERE code = $3::varchar) || text2ltree($1::varchar))`,
          [code, `测试镇${code}`, c],
        );
      }
    }
    const context = await standaloneContext(ds, [ParcelsModule]);
    const sets = context.get(ParcelSetsService);
    const runs = context.get(ParcelRunsService);
    const methodology = (await context
      .get(MethodologiesService)
      .findPublished('ndrc-nbs-2022-trial'))!;
    const actor = {
      user: {
        id: randomUUID(),
        username: 'bench',
        displayName: 'bench',
        roles: ['statistician' as const, 'accountant' as const],
        regionCode: null,
      },
    };
    const total = performance.now();
    let loadS = 0;
    let runS = 0;
    for (const [i, county] of counties.entries()) {
      const csv = join(dir, `${county}.csv`);
      const townships = Array.from({ length: TOWNSHIPS }, (_, t) => `${county}${100 + t}`);
      await writeParcelCsv(csv, townships, PARCELS, `C${i}`);
      const bytes = (await stat(csv)).size;
      let t = performance.now();
      const set = await sets.load(
        actor,
        { regionCode: county, year: 2024, standardId: methodology.standardId, name: 'bench' },
        methodology,
        { path: csv, sizeBytes: bytes, sha256: '0'.repeat(64), format: 'csv' },
        NO_PROGRESS,
      );
      const l = seconds(t);
      t = performance.now();
      const run = await runs.run(actor, set);
      const r = seconds(t);
      loadS += l;
      runS += r;
      await rm(csv);
      console.log(
        `county ${county}: ${set.parcelCount.toLocaleString('en')} parcels loaded in ${l.toFixed(1)} s (${Math.round(set.parcelCount / l).toLocaleString('en')}/s), run (${run.indicatorCodes.length} indicators, computed and summed) in ${r.toFixed(1)} s (${Math.round(set.parcelCount / r).toLocaleString('en')}/s)`,
      );
    }
    const n = COUNTIES * PARCELS;
    console.log(
      `total: ${n.toLocaleString('en')} parcels in ${COUNTIES} counties in ${seconds(total).toFixed(1)} s — load ${loadS.toFixed(1)} s (${Math.round(n / loadS).toLocaleString('en')}/s), run ${runS.toFixed(1)} s (${Math.round(n / runS).toLocaleString('en')}/s)`,
    );
    const spread = await ds.query<{ port: number; shards: number; size: string }[]>(
      `SELECT nodeport AS port, count(*)::int AS shards, pg_size_pretty(sum(shard_size)) AS size
         FROM citus_shards WHERE table_name::text IN ('parcels', 'parcel_aggregates')
        GROUP BY 1 ORDER BY 1`,
    );
    console.log(
      `workers: ${spread.map((s) => `:${s.port} ${s.shards} shards, ${s.size}`).join('; ')}`,
    );
    let t = performance.now();
    const sums = await ds.query<{ counties: number }[]>(
      `SELECT count(DISTINCT region_code)::int AS counties FROM parcel_aggregates
        WHERE area_code = region_code AND indicator_code = 'water_conservation'`,
    );
    console.log(
      `cross-county read (county totals of one indicator, all shards in parallel): ${sums[0].counties} counties in ${(seconds(t) * 1000).toFixed(0)} ms`,
    );
    t = performance.now();
    await ds.query(`SELECT region_code, sum(area_ha) FROM parcels GROUP BY region_code`);
    console.log(
      `cross-county scan of every parcel (${n.toLocaleString('en')} rows, grouped by county on the workers): ${seconds(t).toFixed(1)} s`,
    );
    await context.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
