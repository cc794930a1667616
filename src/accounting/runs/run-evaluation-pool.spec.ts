import { join } from 'node:path';
import { canonicalJson } from '../../common/canonical-json';
import { demoNationalInputs } from '../../../seeds/demo/national-inputs';
import { NDRC_NBS_2022_TRIAL } from '../../../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { D } from '../../common/decimal';
import { computeRun, RunRegion, RunSnapshot } from './run-computation';
import { POOL_CALLS } from './run-evaluation-calls';
import { RunEvaluationPool } from './run-evaluation-pool';
import { runUncertainty } from './run-uncertainty';
import { mergeRunRows, RunRows, runRows } from './run-rows';

/** The 2022 trial with the reservoir cost set for 2021 on, and for one county of its own. */
const content = {
  ...NDRC_NBS_2022_TRIAL,
  parameters: NDRC_NBS_2022_TRIAL.parameters.map((p) =>
    p.code === 'reservoir_cost'
      ? {
          ...p,
          values: [
            { ...p.values[0], validTo: 2020 },
            { value: '8.5', validFrom: 2021, source: 'test', evidence: 'verified' as const },
            { value: '9.25', region: '360103', source: 'test', evidence: 'verified' as const },
          ],
        }
      : p,
  ),
};

/**
 * A city of 4 counties × 6 townships: most townships complete; one without its ecosystem areas,
 * one with its hydropower in a unit of the wrong kind (an input error), one with nothing; one county with
 * inputs of its own (computed there, not summed).
 */
function snapshot(): RunSnapshot {
  const regions: RunRegion[] = [{ code: '360100', parentCode: null, lineage: ['360100'] }];
  const inputs: RunSnapshot['inputs'] = {};
  for (let c = 1; c <= 4; c++) {
    const county = `3601${String(c).padStart(2, '0')}`;
    regions.push({ code: county, parentCode: '360100', lineage: ['360100', county] });
    if (c === 4) inputs[county] = demoNationalInputs(0.5, 1 / 3);
    for (let t = 1; t <= 6; t++) {
      const town = `${county}${100 + t}`;
      regions.push({ code: town, parentCode: county, lineage: ['360100', county, town] });
      const k = (c * 6 + t) / 30;
      if (c === 2 && t === 6) continue;
      const own = demoNationalInputs(k, 1 / 20);
      if (c === 1 && t === 2) delete own.eco_area;
      if (c === 3 && t === 4) own.hydro_generation = { ...own.hydro_generation, unit: 'kg' };
      inputs[town] = own;
    }
  }
  return {
    methodology: { id: 'm', standardId: content.standardId, version: 1 },
    year: 2021,
    rootRegion: '360100',
    regions,
    inputs,
  };
}

/** computeRun's results with each trace as the JSON text that is stored. */
const expected = (snap: RunSnapshot, priceYear?: number) =>
  canonicalJson(
    computeRun(content, snap, priceYear).map((r) => ({
      ...r,
      trace: r.trace === null ? null : JSON.stringify(r.trace),
    })),
  );

describe('RunEvaluationPool', () => {
  // the worker script from the TypeScript sources, as the compiled service runs its .js
  const pool = new RunEvaluationPool(
    2,
    {
      path: join(process.cwd(), 'src/accounting/runs/run-evaluation.worker.ts'),
      execArgv: ['--require', 'ts-node/register/transpile-only'],
    },
    0,
  );
  afterAll(() => pool.close());

  it('gives computeRun’s results, digit for digit and trace for trace, from its threads', async () => {
    const snap = snapshot();
    const results = await pool.computeForStorage(content, snap);
    const statuses = new Set(results.map((r) => r.status));
    // the case covers every kind of result
    expect([...statuses].sort()).toEqual(['aggregated', 'computed', 'not_computable']);
    expect(results.some((r) => r.missing?.some((m) => m.startsWith('error: ')))).toBe(true);
    expect(canonicalJson(results)).toBe(expected(snap));
    // at another year's prices too, and again on the same threads
    const earlier = await pool.computeForStorage(content, snap, 2020);
    expect(canonicalJson(earlier)).not.toBe(canonicalJson(results));
    expect(canonicalJson(earlier)).toBe(expected(snap, 2020));
  }, 60_000);

  it('makes a run’s stored rows on its threads as on the calling thread: rows, coverage, completeness; hands them over part by part as they are made', async () => {
    // counties of different sizes: some are sent whole, others cut into townships, so the city
    // is summed from parts that do not come in the run's order (its trace lists the run's)
    const full = snapshot();
    const dropped = (code: string) => /^360101(10[3-6])$|^360102(10[5-6])$/.test(code);
    const snap: RunSnapshot = {
      ...full,
      regions: full.regions.filter((r) => !dropped(r.code)),
      inputs: Object.fromEntries(Object.entries(full.inputs).filter(([c]) => !dropped(c))),
    };
    const here = new RunEvaluationPool(0);
    const id = '00000000-0000-4000-8000-000000000001';
    const lines = (rows: RunRows) =>
      [...rows.chunks]
        .flatMap((c) => Buffer.from(c.data).toString().split('\n').filter(Boolean))
        .sort();
    for (const priceYear of [2021, 2020]) {
      const parts: RunRows[][] = [[], []];
      const [threads, one] = [
        await pool.storageRows(content, snap, id, priceYear, (p) => parts[0].push(p)),
        await here.storageRows(content, snap, id, priceYear, (p) => parts[1].push(p)),
      ];
      // the parts handed over are all the rows, each once: the subtrees', then those above them
      expect(parts[0].length).toBeGreaterThan(2);
      expect(parts[1]).toHaveLength(1);
      expect(lines(mergeRunRows(parts[0]))).toEqual(lines(threads));
      expect(lines(mergeRunRows(parts[1]))).toEqual(lines(one));
      // the rows of computeForStorage's results, as stored
      const expectedRows = runRows(
        content,
        id,
        JSON.parse(JSON.stringify(await here.computeForStorage(content, snap, priceYear))),
      );
      expect(lines(one)).toEqual(lines(expectedRows));
      expect(lines(threads)).toEqual(lines(one));
      expect(lines(threads)).toHaveLength(snap.regions.length * content.indicators.length);
      for (const rows of [threads, one]) {
        expect([...rows.chunks].reduce((n, c) => n + c.results, 0)).toBe(lines(one).length);
        expect(rows.results).toBe(lines(one).length);
      }
      expect(threads.coverage).toEqual(one.coverage);
      expect(threads.coverage.aggregated).toBeGreaterThan(0);
      expect(threads.coverage.notComputable).toBeGreaterThan(0);
      expect(canonicalJson(threads.completeness)).toBe(canonicalJson(one.completeness));
      expect(threads.completeness.complete).toBe(false);
    }
  }, 60_000);

  it('draws a run’s uncertainty on a thread, with progress, as runUncertainty does', async () => {
    const snap = snapshot();
    const options = { draws: 60, seed: 7 };
    const seen: number[] = [];
    const result = await pool.uncertainty(content, snap, '360100', options, (done) =>
      seen.push(done),
    );
    expect(result.parameters.length).toBeGreaterThan(0);
    expect(canonicalJson(result)).toBe(
      canonicalJson(runUncertainty(content, snap, '360100', options)),
    );
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  }, 60_000);

  it('compares, crosswalks and recomputes GEP on a thread as on the calling thread, decimals as decimals', async () => {
    const later = snapshot();
    // the earlier year: other quantities (a town more without data) at 2020's prices
    const earlier: RunSnapshot = {
      ...snapshot(),
      year: 2020,
      inputs: Object.fromEntries(
        Object.entries(later.inputs)
          .filter(([code]) => code !== '360103101')
          .map(([code]) => [code, { ...later.inputs[code], ...demoNationalInputs(0.3, 1 / 20) }]),
      ),
    };
    const [from, to] = [
      { content, snapshot: earlier },
      { content, snapshot: later },
    ];
    const cases = [
      ['compareRuns', from, to, '360100'],
      ['compareRuns', from, to, '360102'],
      ['crosswalkRuns', [from, to], '360101'],
      ['gepsAt', content, later, 2020, ['360100', '360101', '360103']],
      ['changeUncertaintyDraws', from, to, '360104', { draws: 25, seed: 3 }, undefined],
      ['changeUncertaintyDraws', from, to, '360100', { draws: 5, seed: 4 }, new Set(['gepEnd'])],
    ] as const;
    for (const [fn, ...args] of cases) {
      const here = (POOL_CALLS[fn] as (...a: unknown[]) => unknown)(...args);
      const there = await (
        pool.call as (f: string, a: unknown[], regions: number) => Promise<unknown>
      )(fn, args, 1000);
      expect({ fn, result: canonicalJson(there) }).toEqual({ fn, result: canonicalJson(here) });
    }
    // the decimals come back as decimals, the gaps as gaps
    const county = await pool.call('compareRuns', [from, to, '360104'], 1000);
    expect(county.to.total).toBeInstanceOf(D);
    expect(county.effects!.total).toBeInstanceOf(D);
    expect(county.effects!.total.eq(county.to.total!.minus(county.from.total!))).toBe(true);
    const city = await pool.call('compareRuns', [from, to, '360100'], 1000);
    expect(city.to.total).toBeNull(); // towns without data, or with an input error
    expect(city.effects).toBeNull();
    const [own] = await pool.call('gepsAt', [content, later, 2020, ['360104']], 1000);
    expect(own.byCategory.regulating).toBeInstanceOf(D);
    // each draw's figures come back, in order, as decimals (or null where a gap makes them so)
    const drawn = await pool.call(
      'changeUncertaintyDraws',
      [from, to, '360104', { draws: 25, seed: 3 }, undefined],
      1000,
    );
    expect(drawn.draws).toHaveLength(25);
    expect(drawn.draws[0].realChange).toBeInstanceOf(D);
    expect(new Set(drawn.draws.map((d) => d.realChange!.toString())).size).toBeGreaterThan(1);
    expect(drawn.result.realChange.p05).not.toBeNull();
  }, 60_000);

  it('starts its threads again after they were stopped', async () => {
    const snap = snapshot();
    await pool.close();
    expect(canonicalJson(await pool.computeForStorage(content, snap))).toBe(expected(snap));
  }, 60_000);

  it('fails the run, not the process, when a thread cannot start', async () => {
    const broken = new RunEvaluationPool(2, { path: '/nonexistent/run-evaluation.worker.js' }, 0);
    await expect(broken.computeForStorage(content, snapshot())).rejects.toThrow();
    await broken.close();
  });

  it('evaluates on the calling thread without threads, below its threshold, or without a worker script', async () => {
    const snap = snapshot();
    for (const p of [
      new RunEvaluationPool(0),
      new RunEvaluationPool(2, undefined, 0),
      new RunEvaluationPool(2, { path: '/nonexistent.js' }, snap.regions.length + 1),
    ])
      expect(canonicalJson(await p.computeForStorage(content, snap))).toBe(expected(snap));
    // a call below the threshold never reaches the (missing) thread
    const small = new RunEvaluationPool(2, { path: '/nonexistent.js' }, snap.regions.length + 1);
    const args: Parameters<typeof POOL_CALLS.gepsAt> = [content, snap, undefined, ['360104']];
    expect(canonicalJson(await small.call('gepsAt', [...args], snap.regions.length))).toBe(
      canonicalJson(POOL_CALLS.gepsAt(...args)),
    );
  });
});
