/**
 * `npm run bench`: performance figures, printed (no pass/fail thresholds here; targets are in the
 * issues and the closing notes).
 *
 *  1. Compile once, evaluate the full national methodology (24 indicators, decimal arithmetic)
 *     for 1,600 regions with different inputs: evaluations/s and total time (target < 10 s).
 *  2. Compiling the methodology (parse, allow-list, unit checks, dependency order).
 */
import { performance } from 'node:perf_hooks';
import { demoNationalInputs } from '../seeds/demo/national-inputs';
import { benchUncertainty } from './bench-uncertainty';
import { NDRC_NBS_2022_TRIAL } from '../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { D } from '../src/common/decimal';
import { evaluateModel } from '../src/formula/model';
import { allocate } from '../src/assessment/compensation/allocation';
import {
  compileMethodology,
  resolveParameters,
  summarize,
} from '../src/accounting/methodology/methodology-model';

const REGIONS = Number(process.env.BENCH_REGIONS ?? 1600);
const only = process.env.BENCH_ONLY;
const content = NDRC_NBS_2022_TRIAL;

let t = performance.now();
const COMPILES = 20;
for (let i = 0; i < COMPILES; i++) compileMethodology(content);
const compileMs = (performance.now() - t) / COMPILES;

const model = compileMethodology(content);
const params = resolveParameters(content, ['360000', '361100', '361130'], 2021);
const inputs = Array.from({ length: REGIONS }, (_, i) => ({
  ...params,
  ...demoNationalInputs((i + 0.5) / REGIONS),
}));

evaluateModel(model, inputs[0]); // warm-up
t = performance.now();
let indicators = 0;
let checksum = 0;
for (const input of inputs) {
  const results = evaluateModel(model, input);
  indicators += results.size;
  checksum += summarize(content, results).total?.isPositive() ? 1 : 0;
}
const seconds = (performance.now() - t) / 1000;

console.log(
  `methodology: ${content.standardId} v${content.version}, ${content.indicators.length} indicators, decimal (50 digits)`,
);
console.log(`compile (parse + allow-list + units + graph): ${compileMs.toFixed(1)} ms`);
console.log(
  `evaluate ${REGIONS} regions: ${seconds.toFixed(2)} s = ${(REGIONS / seconds).toFixed(0)} region evaluations/s, ${(indicators / seconds).toFixed(0)} indicator evaluations/s (target: 1600 regions < 10 s)`,
);
if (checksum !== REGIONS) throw new Error('some regions did not produce a GEP');

// Budget allocation (compensation) over 1,600 regions with floors and caps, to the fen.
{
  const claims = Array.from({ length: 1600 }, (_, i) => ({
    code: String(i).padStart(4, '0'),
    weight: new D(1 + ((i * 7919) % 1000)).div(7),
    ...(i % 10 === 0 ? { floor: new D(50_000) } : {}),
    ...(i % 13 === 0 ? { cap: new D(900_000) } : {}),
  }));
  const t1 = performance.now();
  allocate(new D('1234567890.12'), claims);
  console.log(
    `budget allocation over 1600 regions (floors, caps, largest remainder): ${(performance.now() - t1).toFixed(0)} ms (target ≤ 2 s)`,
  );
}

/*
 * 3. A province-sized accounting run: 1 province, 11 cities, 110 counties, 1,540 townships with
 *    inputs, the full national methodology, computed and stored (draft) in a scratch database —
 *    the embedded PostgreSQL in .data/postgres-tools, or DATABASE_URL's server.
 *    `BENCH_ONLY=national`: the same over 40,000 townships (50 × 80 counties × 10).
 *    `BENCH_ONLY=bulk`: the province's bulk loads (section 4) without the run.
 */
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { recreateDatabase, startToolServer } from '../src/database/database-server';
import { Methodology } from '../src/accounting/methodology/methodology.entity';
import { computeRun, RunRegion, RunSnapshot } from '../src/accounting/runs/run-computation';
import { insertRun } from '../src/accounting/runs/run-snapshot';
import { RunEvaluationPool } from '../src/accounting/runs/run-evaluation-pool';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSeeds } from '../seeds';
import { Like } from 'typeorm';
import { Official } from '../src/assessment/officials/official.entity';
import { Tenure } from '../src/assessment/officials/tenure.entity';
import { DEFAULT_RULESET } from '../src/assessment/officials/tenure-evaluation';
import { AuditReport } from '../src/assessment/reports/audit-report.entity';
import { buildReportContent } from '../src/assessment/reports/report-content';
import { contentHash } from '../src/common/canonical-json';
import { PublishedGep } from '../src/accounting/runs/published-gep';
import { renderReport } from '../src/assessment/reports/reports.service';
import { demoFormRows } from '../seeds/demo/national-inputs';
import { bulkLoad } from '../src/accounting/survey/bulk-load';
import { csvSource, LOAD_COLUMNS, xlsxSource } from '../src/accounting/survey/load-sources';
import { registryBench } from './bench-registry';
import { parcelBench } from './bench-parcels';
import { cpuNow, cpuSince } from './bench-cpu';

/** A generated region tree: one root, `cities` × `counties` × `towns` below it. */
interface TreeShape {
  label: string;
  cities: number;
  counties: number;
  towns: number;
  target: string;
  /** Whether the bulk loads follow, over the tree's townships. */
  bulk: boolean;
}

const PROVINCE: TreeShape = {
  label: 'province run',
  cities: 11,
  counties: 10,
  towns: 14,
  target: '≤ 1 s',
  bulk: true,
};

/**
 * 40,000 townships in 50 × 80 county groups under one root: the size of the country's township
 * level (region codes leave no room for a national level above provinces, so the root stands in
 * for it; the work is the same — every township evaluated, every level above summed).
 */
const NATIONAL: TreeShape = {
  label: 'national run',
  cities: 50,
  counties: 80,
  towns: Number(process.env.BENCH_NATIONAL_TOWNS ?? 10),
  target: '≤ 15 s',
  bulk: false,
};

async function treeRun(shape: TreeShape): Promise<void> {
  const config = loadConfig(process.env);
  const server = await startToolServer(config, 'tools', config.EMBEDDED_PG_PORT + 2);
  const url = await recreateDatabase(server.adminUrl, 'gep_bench');
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    await ds.runMigrations();
    await runSeeds(ds, { demo: false });
    // keys in sorted order, as buildRunSnapshot makes them (canonical JSON copies no object)
    const regions: RunRegion[] = [{ code: '440000', lineage: ['440000'], parentCode: null }];
    const rows: [string, string, string, string, string][] = [
      ['440000', '基准省', 'province', '', '440000'],
    ];
    for (let c = 1; c <= shape.cities; c++) {
      const city = `44${String(c).padStart(2, '0')}00`;
      regions.push({ code: city, lineage: ['440000', city], parentCode: '440000' });
      rows.push([city, `市${c}`, 'city', '440000', `440000.${city}`]);
      for (let k = 1; k <= shape.counties; k++) {
        const county = `44${String(c).padStart(2, '0')}${String(k).padStart(2, '0')}`;
        regions.push({ code: county, lineage: ['440000', city, county], parentCode: city });
        rows.push([county, `县${c}-${k}`, 'county', city, `440000.${city}.${county}`]);
        for (let tw = 1; tw <= shape.towns; tw++) {
          const town = `${county}${String(100 + tw)}`;
          regions.push({ code: town, lineage: ['440000', city, county, town], parentCode: county });
          rows.push([
            town,
            `镇${c}-${k}-${tw}`,
            'township',
            county,
            `440000.${city}.${county}.${town}`,
          ]);
        }
      }
    }
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await ds.query(
        `INSERT INTO regions (code, name, level, parent_code, path) VALUES ${chunk.map((_, j) => `($${j * 5 + 1}, $${j * 5 + 2}, $${j * 5 + 3}::region_level, NULLIF($${j * 5 + 4}, ''), $${j * 5 + 5}::ltree)`).join(', ')}`,
        chunk.flat(),
      );
    }
    const methodology = await ds
      .getRepository(Methodology)
      .findOneByOrFail({ standardId: content.standardId, status: 'published' });
    const towns = regions.filter((r) => r.lineage.length === 4);
    const snapshot: RunSnapshot = {
      methodology: {
        id: methodology.id,
        standardId: methodology.standardId,
        version: methodology.version,
      },
      year: 2021,
      rootRegion: '440000',
      regions,
      inputs: Object.fromEntries(
        towns.map((r, i) => [r.code, demoNationalInputs((i + 0.5) / towns.length, 1 / 14)]),
      ),
    };
    if (only === 'bulk') {
      await bulkLoadBench(
        ds,
        methodology,
        towns.map((t) => t.code),
      );
      return;
    }
    if (regions.length < 5000) {
      // the decimal evaluation alone, in memory (median of three): what a SQL path would replace
      const times: number[] = [];
      for (let k = 0; k < 3; k++) {
        const c0 = performance.now();
        computeRun(content, snapshot);
        times.push((performance.now() - c0) / 1000);
      }
      times.sort((a, b) => a - b);
      console.log(
        `${shape.label}, evaluation and aggregation alone (computeRun, median of 3): ${times[1].toFixed(2)} s`,
      );
    }
    // The run as the service computes it: its regions evaluated on RUN_EVALUATION_THREADS worker
    // threads (from the TypeScript sources here), then on the event loop alone, alternately;
    // the longest the event loop was held (every other request of the instance waits that long).
    const threads = config.RUN_EVALUATION_THREADS;
    const pool = new RunEvaluationPool(threads, {
      path: join(__dirname, '../src/accounting/runs/run-evaluation.worker.ts'),
      execArgv: ['--require', 'ts-node/register/transpile-only'],
    });
    const modes = [
      { label: `${threads} evaluation threads`, pool },
      { label: 'on the event loop', pool: new RunEvaluationPool(0) },
    ];
    // the threads started and compiled before the first timing
    await pool.computeForStorage(content, { ...snapshot, regions: snapshot.regions.slice(0, 200) });
    for (let round = 0; round < 2; round++)
      for (const mode of threads > 0 ? modes : modes.slice(1)) {
        // the longest gap between ticks of a 5 ms timer (monitorEventLoopDelay misses a block that
        // starts before its first sample)
        let held = 0;
        let tick = performance.now();
        const probe = setInterval(() => {
          held = Math.max(held, performance.now() - tick);
          tick = performance.now();
        }, 5);
        const cpu = cpuNow();
        const t0 = performance.now();
        let computed = 0; // when the run's row was written, and its results begin to be stored
        const runId = await ds.transaction((manager) =>
          insertRun(
            manager,
            methodology,
            snapshot,
            'bench',
            {
              report: (phase) => {
                if (phase === 'storing' && !computed) computed = performance.now();
              },
            },
            mode.pool,
          ),
        );
        const s = (performance.now() - t0) / 1000;
        await new Promise((resolve) => setTimeout(resolve, 20));
        clearInterval(probe);
        const split = `the run with its snapshot written ${((computed - t0) / 1000).toFixed(2)} s, then its results stored as they are computed and committed ${((performance.now() - computed) / 1000).toFixed(2)} s; ${cpuSince(cpu)}; event loop held at most ${held.toFixed(0)} ms`;
        const stored: { n: string }[] = await ds.query(
          'SELECT count(*) AS n FROM accounting_results WHERE run_id = $1',
          [runId],
        );
        console.log(
          `${shape.label} (${mode.label}): ${regions.length} regions (${towns.length} townships with inputs) × ${content.indicators.length} indicators = ${stored[0].n} results computed, aggregated and stored in ${s.toFixed(2)} s (${split}; target ${shape.target})`,
        );
      }
    await pool.close();
    if (shape.bulk)
      await bulkLoadBench(
        ds,
        methodology,
        towns.map((t) => t.code),
      );
  } finally {
    await ds.destroy();
    await server.stop();
  }
}

/*
 * 4. Bulk loads of survey values through the same code as `POST /survey/imports`: a CSV of about
 *    1,000,000 rows (every township × department × variable × item, for as many years as it takes)
 *    and an xlsx of 100,000 rows, into empty forms; then the same xlsx again (no changes).
 */
async function bulkLoadBench(ds: DataSource, methodology: Methodology, towns: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'gep-bench-'));
  const actor = {
    user: {
      id: randomUUID(),
      username: 'bench',
      displayName: 'bench',
      roles: ['statistician' as const],
      regionCode: null,
    },
  };
  const departments = [
    ...new Set(methodology.content.variables.map((v) => v.department ?? '未指定')),
  ];
  const header = LOAD_COLUMNS.join(',');
  /** Data rows for a year, township by township. */
  function* rowsOf(year: number): Iterable<string[]> {
    for (const [i, town] of towns.entries()) {
      const inputs = demoNationalInputs(((i * 37 + year * 11) % 100) / 100, 1 / 14);
      for (const department of departments)
        for (const r of demoFormRows(methodology.content, inputs, department))
          yield [
            methodology.standardId,
            department,
            town,
            String(year),
            r.variable,
            r.item,
            r.value ?? '',
            r.unit,
            'bench (synthetic)',
            '',
          ];
    }
  }
  const findPublished = (standardId: string) =>
    ds.getRepository(Methodology).findOneBy({ standardId, status: 'published' });
  const timed = async (label: string, path: string, format: 'csv' | 'xlsx', target: string) => {
    const { size } = await stat(path);
    const source =
      format === 'csv' ? csvSource(createReadStream(path), size) : xlsxSource(path, size);
    let last = 0;
    const cpu = cpuNow();
    const t0 = performance.now();
    const result = await bulkLoad(
      ds,
      findPublished,
      actor,
      source,
      {
        report: (phase, percent) => {
          if (percent >= last + 25 || (phase !== 'reading' && percent > last)) {
            last = percent;
            process.stdout.write(
              `  … ${phase} ${Math.floor(percent)}% at ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
            );
          }
        },
      },
      loadConfig(process.env).IMPORT_BATCH_ROWS,
    );
    const s = (performance.now() - t0) / 1000;
    console.log(
      `${label}: ${result.rows} rows (${(size / 1e6).toFixed(0)} MB) → ${result.formsCreated} forms opened, ${result.valuesChanged} values written in ${s.toFixed(1)} s = ${(result.rows / s).toFixed(0)} rows/s (${cpuSince(cpu)}; target ${target})`,
    );
  };
  try {
    const perYear = [...rowsOf(2001)].length;
    const csvRows = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);
    const years = Math.ceil(csvRows / perYear);
    const csvPath = join(dir, 'bulk.csv');
    const out = createWriteStream(csvPath);
    out.write(`${header}\n`);
    let written = 0;
    for (let y = 0; y < years; y++) {
      let chunk = '';
      for (const r of rowsOf(2000 + y)) {
        if (written++ >= csvRows) break;
        chunk += `${r.join(',')}\n`;
      }
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await timed('CSV bulk load', csvPath, 'csv', '1,000,000 rows ≤ 15 s');

    const xlsxPath = join(dir, 'bulk.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: xlsxPath,
      useSharedStrings: true,
    });
    const sheet = workbook.addWorksheet('数据');
    sheet.addRow([...LOAD_COLUMNS]).commit();
    let n = 0;
    for (let y = 0; n < 100_000; y++)
      for (const r of rowsOf(2100 + y)) {
        if (n++ >= 100_000) break;
        const row = [...r] as (string | number)[];
        if (row[6] !== '') row[6] = Number(row[6]);
        row[3] = Number(row[3]);
        sheet.addRow(row).commit();
      }
    await workbook.commit();
    await timed('xlsx bulk load', xlsxPath, 'xlsx', '100,000 values ≤ 5 s');
    await timed('the same xlsx again (nothing changes)', xlsxPath, 'xlsx', 'a no-op');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/*
 * 5. A departure-audit report on the demo data: the content built from published runs (with the
 *    appendix traces), then the PDF and the DOCX rendered, five times each.
 */
async function reportBench(): Promise<void> {
  const config = loadConfig(process.env);
  const server = await startToolServer(config, 'tools', config.EMBEDDED_PG_PORT + 2);
  const url = await recreateDatabase(server.adminUrl, 'gep_bench_report');
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    await ds.runMigrations();
    await runSeeds(ds, { demo: true });
    const official = await ds.getRepository(Official).findOneByOrFail({ name: Like('甲某%') });
    const tenure = await ds.getRepository(Tenure).findOneByOrFail({ officialId: official.id });
    const times = { content: [] as number[], pdf: [] as number[], docx: [] as number[] };
    let pages = 0;
    let bytes = { pdf: 0, docx: 0 };
    for (let i = 0; i < 5; i++) {
      let t0 = performance.now();
      const content = await buildReportContent(
        ds.manager,
        new PublishedGep(),
        tenure,
        DEFAULT_RULESET,
      );
      times.content.push(performance.now() - t0);
      const report = Object.assign(new AuditReport(), {
        id: '00000000-0000-4000-8000-000000000000',
        content,
        contentSha256: contentHash(content),
        createdAt: new Date(0),
      });
      t0 = performance.now();
      const pdf = await renderReport(report, 'pdf');
      times.pdf.push(performance.now() - t0);
      t0 = performance.now();
      const docx = await renderReport(report, 'docx');
      times.docx.push(performance.now() - t0);
      pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
      bytes = { pdf: pdf.length, docx: docx.length };
    }
    const fmt = (xs: number[]) =>
      `first ${(xs[0] / 1000).toFixed(2)} s, then median ${(
        [...xs.slice(1)].sort((a, b) => a - b)[2] / 1000
      ).toFixed(2)} s`;
    console.log(`departure-audit report content (evaluation + traces): ${fmt(times.content)}`);
    console.log(
      `departure-audit PDF (${pages} pages, ${(bytes.pdf / 1024).toFixed(0)} KiB): ${fmt(times.pdf)} (target ≤ 3 s)`,
    );
    console.log(`departure-audit DOCX (${(bytes.docx / 1024).toFixed(0)} KiB): ${fmt(times.docx)}`);
  } finally {
    await ds.destroy();
    await server.stop();
  }
}

const provinceRun = () => treeRun(PROVINCE);
(only === 'province' || only === 'bulk'
  ? provinceRun()
  : only === 'national'
    ? treeRun(NATIONAL)
    : only === 'report'
      ? reportBench()
      : only === 'registry'
        ? registryBench()
        : only === 'parcels'
          ? parcelBench()
          : only === 'uncertainty'
            ? Promise.resolve(benchUncertainty()).then(() => undefined)
            : provinceRun()
                .then(reportBench)
                .then(registryBench)
                .then(parcelBench)
                .then(() => void benchUncertainty())
)
  // a pool or a stream of some benchmark can keep the process alive once the figures are printed
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
