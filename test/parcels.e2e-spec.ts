import fc from 'fast-check';
import { D } from '../src/common/decimal';
import { resolveParameters } from '../src/accounting/methodology/methodology-model';
import {
  compileParcelModel,
  evaluateParcel,
  PARCEL_STORED_DECIMALS,
} from '../src/accounting/parcels/parcel-model';
import { CONVERTED_DECIMALS, isDecimal } from '../src/accounting/parcels/parcel-load';
import { runParcelsSql } from '../src/accounting/parcels/parcel-runs.service';
import { NDRC_NBS_2022_TRIAL } from '../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { rect } from './support/geo';
import { expectProblem, Problem, startTestApp, TestApp } from './support/test-app';

interface JobBody {
  id: string;
  status: string;
  result: Record<string, unknown> | null;
  problem: Problem | null;
}

const HEADER =
  'parcel_id,township,ecosystem,area[亩],precipitation,storm_runoff,evapotranspiration,rusle_r,rusle_k,rusle_ls,rusle_c,rusle_p,potential_wind_erosion,actual_wind_erosion,carbon_fixed';
const model = compileParcelModel(NDRC_NBS_2022_TRIAL);
const params = resolveParameters(NDRC_NBS_2022_TRIAL, ['360000', '361100', '361130'], 2024);

/** A parcel row: inputs drawn from realistic ranges of a humid subtropical county. */
const parcelArb = fc.record({
  township: fc.constantFrom('361130100', '361130101', '361130102'),
  ecosystem: fc.constantFrom(
    'forest',
    'shrub',
    'grassland',
    'wetland',
    'farmland',
    'urban',
    'water',
  ),
  areaMu: fc.integer({ min: 1, max: 3_000_000 }).map((x) => (x / 1000).toFixed(3)),
  precipitation: fc.integer({ min: 12_000, max: 22_000 }).map((x) => (x / 10).toFixed(1)),
  runoff: fc.integer({ min: 0, max: 4000 }).map((x) => (x / 10).toFixed(1)),
  et: fc.integer({ min: 3000, max: 9000 }).map((x) => (x / 10).toFixed(1)),
  r: fc.integer({ min: 1000, max: 9000 }).map(String),
  k: fc.integer({ min: 50, max: 600 }).map((x) => (x / 10000).toFixed(4)),
  ls: fc.integer({ min: 0, max: 20_000 }).map((x) => (x / 1000).toFixed(3)),
  c: fc.integer({ min: 1, max: 1000 }).map((x) => (x / 1000).toFixed(3)),
  p: fc.integer({ min: 100, max: 1000 }).map((x) => (x / 1000).toFixed(3)),
  wind: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
  carbon: fc.option(
    fc.integer({ min: 0, max: 100_000 }).map((x) => (x / 1000).toFixed(3)),
    {
      nil: null,
    },
  ),
});
type ParcelRow = typeof parcelArb extends fc.Arbitrary<infer T> ? T : never;

const csvLine = (id: string, p: ParcelRow) =>
  [
    id,
    p.township,
    p.ecosystem,
    p.areaMu,
    p.precipitation,
    p.runoff,
    p.et,
    p.r,
    p.k,
    p.ls,
    p.c,
    p.p,
    p.wind === null ? '' : String(p.wind * 2),
    p.wind === null ? '' : String(p.wind),
    p.carbon ?? '',
  ].join(',');

describe('Parcel-level accounting', () => {
  let t: TestApp;
  let stat: string;
  let accountant: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  async function waitFor(res: { status: number; body: unknown }, token: string): Promise<JobBody> {
    expect(res.status).toBe(202);
    for (let i = 0; i < 1200; i++) {
      const polled = await t.http.get(`/jobs/${(res.body as JobBody).id}`).set(as(token));
      const now = polled.body as JobBody;
      if (now.status === 'succeeded' || now.status === 'failed') return now;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('job did not end');
  }

  const load = async (body: string, type = 'text/csv', query = '') =>
    waitFor(
      await t.http
        .post(
          `/parcels/imports?regionCode=361130&year=2024&standardId=ndrc-nbs-2022-trial&name=${encodeURIComponent('测试图斑')}${query}`,
        )
        .set(as(stat))
        .set('content-type', type)
        .send(body),
      stat,
    );

  const run = async (setId: string) => {
    const job = await waitFor(
      await t.http.post('/parcels/runs').set(as(accountant)).send({ setId }),
      accountant,
    );
    expect(job.problem).toBeNull();
    return job.result!.runId as string;
  };

  /** A run's parcels as a subquery: the statement the run stored, over all of its set. */
  const parcelsOf = async (runId: string) => {
    const stored = await t.db.query(
      `SELECT region_code, set_id, compiled_sql FROM parcel_runs WHERE id = $1`,
      [runId],
    );
    const { region_code, set_id, compiled_sql } = stored.rows[0];
    const params = [`'${region_code}'`, `'${set_id}'::uuid`, 'NULL', '1', '0'];
    return runParcelsSql(compiled_sql as string).replace(
      /\$(\d)/g,
      (_, n: string) => params[Number(n) - 1],
    );
  };

  beforeAll(async () => {
    t = await startTestApp();
    stat = await t.token('wuyuan.stat');
    accountant = await t.token('wuyuan.accountant');
  });
  afterAll(() => t.close());

  it('loads a CSV with units in the header, converting once; townships by code or name', async () => {
    const csv = [
      HEADER.replace('precipitation', 'precipitation[m]'),
      'P1,361130100,forest,15,1.8,200,600,4000,0.03,2,0.02,0.5,,,',
      'P2,紫阳镇,森林,30,1.6,150,700,3500,0.02,1.5,0.01,1,,,4.5',
      'P3,361130101,farmland,7.5,1.7,300,500,4200,0.04,0.5,0.3,0.8,,,',
    ].join('\r\n');
    const job = await load(csv);
    expect(job.problem).toBeNull();
    const setId = job.result!.setId as string;
    const set = await t.http.get(`/parcels/sets/${setId}`).set(as(stat));
    expect(set.body).toMatchObject({ parcelCount: 3, totalArea: '3.5', sourceFormat: 'csv' });
    expect(set.body.inputsGiven).toContain('carbon_fixed');
    const parcels = await t.http
      .get(`/parcels/sets/${setId}/parcels?ecosystem=forest`)
      .set(as(stat));
    expect(parcels.body.total).toBe(2);
    const p1 = (
      parcels.body.items as {
        parcelId: string;
        areaHa: string;
        inputs: string[];
        townshipCode: string;
      }[]
    ).find((p) => p.parcelId === 'P1')!;
    expect(p1.areaHa).toBe('1'); // 15 亩 = 1 hm²
    expect(p1.inputs[0]).toBe('1800'); // 1.8 m of precipitation, stored in mm
    const p2 = (parcels.body.items as { parcelId: string; townshipCode: string }[]).find(
      (p) => p.parcelId === 'P2',
    )!;
    expect(p2.townshipCode).toBe('361130100');
  });

  it('refuses a file with bad parcels, listing every problem by line and field; nothing is loaded', async () => {
    const before = await t.db.query('SELECT count(*)::int AS n FROM parcels');
    const csv = [
      HEADER,
      'A1,361130100,forest,10,1800,200,600,4000,0.03,2,0.02,0.5,,,',
      'A2,361130100,moonrock,10,1800,200,600,4000,0.03,2,0.02,0.5,,,', // unknown type
      'A3,361130100,forest,-4,1800,200,600,4000,0.03,2,0.02,0.5,,,', // negative area
      'A1,361130100,forest,10,1800,200,600,4000,0.03,2,0.02,0.5,,,', // duplicate id
      'A5,360100100,forest,10,1800,200,600,4000,0.03,2,0.02,0.5,,,', // outside the county
      'A6,361130100,forest,10,abc,200,600,4000,0.03,2,0.02,0.5,,,', // not a number
      'A7,361130100,forest,10,9000,200,600,4000,0.03,2,0.02,0.5,,,', // outside the methodology's range
    ].join('\n');
    const job = await load(csv);
    expect(job.status).toBe('failed');
    const problem = job.problem!;
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((e) => e.path)).toEqual([
      'line 3.ecosystem',
      'line 4.area',
      'line 5.parcel_id',
      'line 6.township',
      'line 7.precipitation',
      'line 8.precipitation',
    ]);
    expect(problem.errors[2].message).toContain('first on line 2');
    expect(problem.errors[3].message).toContain('outside the region');
    expect(problem.errors[5].message).toContain('0–5000 mm');
    const after = await t.db.query('SELECT count(*)::int AS n FROM parcels');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const sets = await t.db.query(
      `SELECT count(*)::int AS n FROM parcel_sets WHERE name = '测试图斑' AND parcel_count = 0`,
    );
    expect(sets.rows[0].n).toBe(0);
  });

  it('reads a decimal as numeric does, on any PostgreSQL: what the check accepts always casts', async () => {
    const texts = [
      '0',
      '-1',
      '+2.5',
      '.5',
      '5.',
      '1e3',
      '1E-3',
      '-1.5e+10',
      '007',
      '1e9999',
      '',
      '.',
      '-',
      '+-1',
      '1.2.3',
      'e5',
      '1e',
      '1e+',
      'NaN',
      'Infinity',
      '-inf',
      '1_000',
      '0x1F',
      '1,5',
      ' 1',
      '1 ',
      '１２',
      '1e99999',
      '9'.repeat(1001),
    ];
    const [{ version }] = (
      await t.db.query<{ version: number }>(
        "SELECT current_setting('server_version_num')::int AS version",
      )
    ).rows;
    for (const text of texts) {
      const [{ ok }] = (
        await t.db.query<{ ok: boolean }>(`SELECT ${isDecimal('$1::text')} AS ok`, [text])
      ).rows;
      if (ok) await t.db.query('SELECT $1::text::numeric', [text]); // never a data error
      if (version >= 160000) {
        // where PostgreSQL can say, it agrees — except the lengths the check caps
        const [{ valid }] = (
          await t.db.query<{ valid: boolean }>(
            `SELECT pg_input_is_valid($1, 'numeric') AND $1 !~* '(nan|inf|_|x)' AS valid`,
            [text],
          )
        ).rows;
        if (text.length <= 1000 && !/e\d{5}/.test(text) && !/^\s|\s$/.test(text))
          expect({ text, ok }).toEqual({ text, ok: valid });
      }
    }
  });

  it('refuses inputs in incompatible units and unknown columns in the header', async () => {
    const job = await load(
      `${HEADER.replace('precipitation', 'precipitation[kg]')},colour\nB1,361130100,forest,1,1,1,1,1,1,1,1,1,,,,red`,
    );
    expect(job.problem!.errors).toEqual([
      expect.objectContaining({
        path: 'header[4]',
        message: expect.stringContaining('precipitation is given in kg'),
      }),
      expect.objectContaining({
        path: 'header[15]',
        message: expect.stringContaining('unknown column colour'),
      }),
    ]);
    const noCounty = await t.http
      .post('/parcels/imports?regionCode=361130100&year=2024&standardId=ndrc-nbs-2022-trial&name=x')
      .set(as(stat))
      .set('content-type', 'text/csv')
      .send(`${HEADER}\n`);
    expect(expectProblem(noCounty, 422).errors[0].path).toBe('regionCode');
    const other = await t.http
      .post('/parcels/imports?regionCode=361181&year=2024&standardId=ndrc-nbs-2022-trial&name=x')
      .set(as(stat))
      .set('content-type', 'text/csv')
      .send(`${HEADER}\n`);
    expectProblem(other, 403, 'OUT_OF_REGION_SCOPE');
    const baiyangdian = await t.http
      .post('/parcels/imports?regionCode=361130&year=2024&standardId=rcees-baiyangdian-2017&name=x')
      .set(as(stat))
      .set('content-type', 'text/csv')
      .send(`${HEADER}\n`);
    expect(expectProblem(baiyangdian, 422).detail).toContain('declares no parcel-level indicators');
  });

  it('computes set-based results that agree with the decimal evaluator; aggregates are exact sums', async () => {
    const rows = fc.sample(fc.array(parcelArb, { minLength: 300, maxLength: 300 }), {
      numRuns: 1,
      seed: 20261122,
    })[0];
    const csv = [HEADER, ...rows.map((p, i) => csvLine(`R${i}`, p))].join('\n');
    const job = await load(csv);
    expect(job.problem).toBeNull();
    const setId = job.result!.setId as string;
    const runId = await run(setId);

    // the run's parcels, computed again from the statement it stored
    const results = await t.db.query(
      `SELECT parcel_id, quantities::text[] AS q, values::text[] AS v FROM ${await parcelsOf(runId)} r`,
    );
    expect(results.rowCount).toBe(300);
    const byId = new Map(
      results.rows.map((r: { parcel_id: string; q: (string | null)[]; v: (string | null)[] }) => [
        r.parcel_id,
        r,
      ]),
    );
    let compared = 0;
    rows.forEach((p, i) => {
      const ref = evaluateParcel(model, params, {
        ecosystem: p.ecosystem,
        areaHa: new D(p.areaMu)
          .div(15)
          .toDecimalPlaces(CONVERTED_DECIMALS, D.ROUND_HALF_UP)
          .toString(), // as stored
        inputs: {
          precipitation: p.precipitation,
          storm_runoff: p.runoff,
          evapotranspiration: p.et,
          rusle_r: p.r,
          rusle_k: p.k,
          rusle_ls: p.ls,
          rusle_c: p.c,
          rusle_p: p.p,
          potential_wind_erosion: p.wind === null ? null : String(p.wind * 2),
          actual_wind_erosion: p.wind === null ? null : String(p.wind),
          carbon_fixed: p.carbon,
        },
      });
      const row = byId.get(`R${i}`)!;
      model.indicators.forEach((code, k) => {
        const r = ref.get(code)!;
        const unit = model.compiled.indicators.get(code)!.value.unit.factor;
        const want = r.value ? r.value.total.times(unit) : null;
        if (want === null) {
          expect({ code, parcel: i, v: row.v[k] }).toEqual({ code, parcel: i, v: null });
          return;
        }
        // Tolerance: one unit in the 6th decimal (PostgreSQL divides and folds units at ≥16 significant digits).
        const got = new D(row.v[k]!);
        const diff = got.minus(want.toDecimalPlaces(PARCEL_STORED_DECIMALS, D.ROUND_HALF_UP)).abs();
        expect({ code, parcel: i, ok: diff.lte('0.000001') }).toEqual({
          code,
          parcel: i,
          ok: true,
        });
        const q = r.quantity!.total.toDecimalPlaces(PARCEL_STORED_DECIMALS, D.ROUND_HALF_UP);
        expect(new D(row.q[k]!).minus(q).abs().lte('0.000001')).toBe(true);
        compared++;
      });
    });
    expect(compared).toBeGreaterThan(900);

    // County = Σ townships = Σ parcels, digit for digit, per indicator and type.
    const check = await t.db.query(
      `WITH parcels AS (
         SELECT r.ecosystem, i.k, sum(r.values[i.k]) AS v, count(*) FILTER (WHERE r.values[i.k] IS NULL) AS n
           FROM ${await parcelsOf(runId)} r CROSS JOIN generate_series(1, 5) i(k) GROUP BY 1, 2),
       agg AS (SELECT a.*, array_position(run.indicator_codes, a.indicator_code::text) AS k
                 FROM parcel_aggregates a JOIN parcel_runs run ON run.id = a.run_id WHERE a.run_id = $1)
       SELECT c.indicator_code, c.ecosystem, c.value::text AS county, p.v::text AS parcels, p.n,
              (SELECT sum(t.value)::text FROM agg t WHERE t.area_code <> '361130' AND t.k = c.k AND t.ecosystem = c.ecosystem) AS townships
         FROM agg c JOIN parcels p ON p.k = c.k AND p.ecosystem = c.ecosystem
        WHERE c.area_code = '361130'`,
      [runId],
    );
    expect(check.rowCount).toBeGreaterThan(20);
    for (const r of check.rows as {
      county: string | null;
      parcels: string;
      townships: string | null;
      n: string;
    }[]) {
      if (Number(r.n) > 0) expect(r.county).toBeNull();
      else expect([r.county, r.townships]).toEqual([r.parcels, r.parcels]);
    }

    // A parcel explained: inputs, parameters, recomputation.
    const explained = await t.http.get(`/parcels/runs/${runId}/parcels/R0`).set(as(stat));
    expect(explained.status).toBe(200);
    expect(explained.body.inputs[0]).toMatchObject({ code: 'precipitation', unit: 'mm' });
    for (const ind of explained.body.indicators as {
      status: string;
      agrees: boolean;
      missing: string[] | null;
    }[]) {
      expect(ind.agrees).toBe(true);
      if (ind.status === 'missing') expect(ind.missing!.length).toBeGreaterThan(0);
    }
    const summary = await t.http.get(`/parcels/runs/${runId}`).set(as(stat));
    const carbon = (
      summary.body.summary as { code: string; computed: number; missing: number }[]
    ).find((s) => s.code === 'carbon')!;
    expect(carbon.computed + carbon.missing).toBe(300);
    expect(carbon.missing).toBe(rows.filter((r) => r.carbon === null).length);
  });

  it('sums its parts into townships exactly, and stores a run whole or not at all', async () => {
    const rows = fc.sample(fc.array(parcelArb, { minLength: 200, maxLength: 200 }), {
      numRuns: 1,
      seed: 20261204,
    })[0];
    const job = await load([HEADER, ...rows.map((p, i) => csvLine(`S${i}`, p))].join('\n'));
    expect(job.problem).toBeNull();
    const setId = job.result!.setId as string;
    // the set's parcels and its townships' parcels fall in both parts of a run (PARCEL_RUN_CONNECTIONS = 2)
    const parts = await t.db.query(
      `SELECT township_code, count(DISTINCT (hashtext(parcel_id) & 2147483647) % 2)::int AS parts
         FROM parcels WHERE set_id = $1 GROUP BY 1`,
      [setId],
    );
    expect(parts.rows.filter((r: { parts: number }) => r.parts === 2).length).toBeGreaterThan(0);

    // Each township × type × indicator: the stored sums are those of its parcels, digit for digit;
    // a group with a parcel not computed has no total.
    const runId = await run(setId);
    const compare = await t.db.query(
      `WITH p AS (SELECT r.township_code, r.ecosystem, i.k, count(*)::int AS parcels, sum(r.area_ha) AS area,
                         sum(r.quantities[i.k]) AS q, sum(r.values[i.k]) AS v,
                         count(*) FILTER (WHERE r.values[i.k] IS NULL)::int AS gaps
                    FROM ${await parcelsOf(runId)} r CROSS JOIN generate_series(1, 5) i(k) GROUP BY 1, 2, 3),
            a AS (SELECT a.*, array_position(run.indicator_codes, a.indicator_code::text) AS k
                    FROM parcel_aggregates a JOIN parcel_runs run ON run.id = a.run_id
                   WHERE a.run_id = $1 AND a.area_code <> a.region_code)
       SELECT count(*)::int AS groups,
              count(*) FILTER (WHERE a.k IS NULL OR p.k IS NULL)::int AS unmatched,
              count(*) FILTER (WHERE a.parcels <> p.parcels OR a.area_ha <> p.area
                                  OR a.missing + a.failed <> p.gaps
                                  OR (p.gaps = 0 AND (a.value IS DISTINCT FROM p.v OR a.quantity IS DISTINCT FROM p.q))
                                  OR (p.gaps > 0 AND (a.value IS NOT NULL OR a.quantity IS NOT NULL)))::int AS different,
              count(*) FILTER (WHERE p.gaps > 0)::int AS incomplete
         FROM a FULL JOIN p ON p.township_code = a.area_code AND p.ecosystem = a.ecosystem AND p.k = a.k`,
      [runId],
    );
    expect(compare.rows[0]).toMatchObject({ unmatched: 0, different: 0 });
    expect(compare.rows[0].groups).toBeGreaterThan(20);
    expect(compare.rows[0].incomplete).toBeGreaterThan(0);

    const stored = async () =>
      (
        await t.db.query(
          `SELECT (SELECT count(*)::int FROM parcel_runs) AS runs,
                  (SELECT count(*)::int FROM parcel_aggregates) AS aggregates`,
        )
      ).rows[0] as { runs: number; aggregates: number };
    const before = await stored();
    // A data error while the run is stored (at one township's sums): nothing of it stays.
    await t.db.query(`CREATE FUNCTION test_parcel_sums_fail() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.area_code = '361130100' THEN
            RAISE EXCEPTION 'value overflows numeric format' USING ERRCODE = '22003';
          END IF;
          RETURN NEW;
        END $$`);
    await t.db.query(`CREATE TRIGGER test_parcel_sums_fail BEFORE INSERT ON parcel_aggregates
        FOR EACH ROW EXECUTE FUNCTION test_parcel_sums_fail()`);
    try {
      const failed = await waitFor(
        await t.http.post('/parcels/runs').set(as(accountant)).send({ setId }),
        accountant,
      );
      expect(failed.status).toBe('failed');
      expect(failed.problem!.errors[0]).toMatchObject({ path: 'setId' });
    } finally {
      await t.db.query('DROP TRIGGER test_parcel_sums_fail ON parcel_aggregates');
      await t.db.query('DROP FUNCTION test_parcel_sums_fail()');
    }
    expect(await stored()).toEqual(before);
  });

  it('evaluates a project: the GEP of its parcels before and after forest → construction land', async () => {
    const features = [0, 1, 2, 3].map((i) => ({
      type: 'Feature',
      geometry: rect(117.8 + i * 0.01, 29.2, 117.805 + i * 0.01, 29.205),
      properties: {
        parcel_id: `G${i}`,
        township: '361130100',
        ecosystem: 'forest',
        precipitation: 1800,
        storm_runoff: 200,
        evapotranspiration: 700,
        rusle_r: 4000,
        rusle_k: 0.03,
        rusle_ls: 2,
        rusle_c: 0.02,
        rusle_p: 1,
        carbon_fixed: 10,
      },
    }));
    const job = await load(
      JSON.stringify({ type: 'FeatureCollection', features }),
      'application/geo+json',
    );
    expect(job.problem).toBeNull();
    const setId = job.result!.setId as string;
    const set = await t.http.get(`/parcels/sets/${setId}`).set(as(stat));
    expect(Number(set.body.totalArea)).toBeGreaterThan(4 * 20); // ~0.5 km × 0.55 km each
    // the centroids for a map; an even sample beyond the limit
    const pts = await t.http.get(`/parcels/sets/${setId}/points`).set(as(accountant)).expect(200);
    expect(pts.body).toMatchObject({ total: 4, withoutCentroid: 0, sampled: false });
    expect(pts.body.points.map((p: unknown[]) => p[0])).toEqual(['G0', 'G1', 'G2', 'G3']);
    expect(pts.body.points[0][3]).toBe('forest');
    expect(pts.body.points[0][4]).toMatch(/^361130\d{3}$/); // its township, for the map by township
    const [west, south, east, north] = pts.body.bounds as number[];
    expect(west).toBeCloseTo(117.8025, 3);
    expect(east).toBeCloseTo(117.8325, 3);
    expect(south).toBeCloseTo(29.2025, 3);
    expect(north).toBeCloseTo(29.2025, 3);
    const few = await t.http
      .get(`/parcels/sets/${setId}/points?limit=2`)
      .set(as(accountant))
      .expect(200);
    expect(few.body.sampled).toBe(true);
    expect(few.body.points.map((p: unknown[]) => p[0])).toEqual(['G0', 'G2']);
    const zero = await t.http.get(`/parcels/sets/${setId}/points?limit=0`).set(as(accountant));
    expectProblem(zero, 422, 'VALIDATION_FAILED');
    expect(JSON.stringify(zero.body)).toContain('limit must be at least 1');
    const neighbour = await t.http
      .get(`/parcels/sets/${setId}/points`)
      .set(as(await t.token('ziyang.stat')));
    expectProblem(neighbour, 403, 'OUT_OF_REGION_SCOPE');
    const runId = await run(setId);
    const scenario = {
      ecosystem: 'urban',
      inputs: { rusle_c: '1', carbon_fixed: '0', evapotranspiration: '300', storm_runoff: '1200' },
    };
    const byPolygon = await t.http
      .post(`/parcels/runs/${runId}/projects`)
      .set(as(accountant))
      .send({ name: '工业园区', polygon: rect(117.79, 29.19, 117.825, 29.21), scenario });
    expect(byPolygon.status).toBe(200);
    expect(byPolygon.body.parcels).toBe(3); // G0–G2: G3's centroid is east of the polygon
    const water = (
      byPolygon.body.indicators as {
        code: string;
        before: { value: string };
        after: { value: string };
        change: { value: string };
      }[]
    ).find((i) => i.code === 'water_conservation')!;
    expect(new D(water.after.value).lt(water.before.value)).toBe(true);
    expect(new D(water.after.value).minus(water.before.value).toFixed()).toBe(water.change.value);
    expect(new D(byPolygon.body.gep.change).isNeg()).toBe(true);
    // no wind erosion was reported: sand fixation is named, not counted as zero
    expect(byPolygon.body.gep.incomplete).toEqual(['sand_fixation']);

    const byIds = await t.http
      .post(`/parcels/runs/${runId}/projects`)
      .set(as(accountant))
      .send({ parcelIds: ['G0', 'G1', 'G2'], scenario });
    expect(byIds.body.gep).toEqual(byPolygon.body.gep);
    // the before figures are the run's own (its statement, over these parcels)
    const stored = await t.db.query(
      `SELECT sum(values[1])::text AS v FROM ${await parcelsOf(runId)} r WHERE parcel_id IN ('G0', 'G1', 'G2')`,
    );
    expect(water.before.value).toBe(new D(stored.rows[0].v).toFixed());

    const bad = await t.http
      .post(`/parcels/runs/${runId}/projects`)
      .set(as(accountant))
      .send({
        parcelIds: ['G0', 'nope'],
        scenario: { ecosystem: 'lava', inputs: { colour: '1' } },
      });
    expect(expectProblem(bad, 422).errors.map((e) => e.path)).toEqual([
      'scenario.ecosystem',
      'scenario.inputs.colour',
    ]);
    const unknown = await t.http
      .post(`/parcels/runs/${runId}/projects`)
      .set(as(accountant))
      .send({ parcelIds: ['G0', 'nope'], scenario });
    expect(expectProblem(unknown, 422).errors).toEqual([
      { path: 'parcelIds[1]', message: 'no parcel nope in the set' },
    ]);
  });

  it('feeds its township and county sums into a region run, recorded as derived', async () => {
    const rows = fc.sample(fc.array(parcelArb, { minLength: 40, maxLength: 40 }), {
      numRuns: 1,
      seed: 7,
    })[0];
    const job = await load([HEADER, ...rows.map((p, i) => csvLine(`F${i}`, p))].join('\n'));
    const parcelRunId = await run(job.result!.setId as string);
    const body = {
      standardId: 'ndrc-nbs-2022-trial',
      regionCode: '361130',
      year: 2024,
      parcelRunId,
    };
    const started = await t.http.post('/accounting/runs').set(as(accountant)).send(body);
    expect(started.status).toBe(201);
    const runId = started.body.id as string;
    const results = await t.http
      .get(`/accounting/runs/${runId}/results?indicator=water_conservation&pageSize=100`)
      .set(as(accountant));
    const county = (
      await t.http
        .get(`/accounting/runs/${runId}/results/361130/water_conservation`)
        .set(as(accountant))
    ).body as { status: string; value: string; trace: { derivedFrom?: object } };
    expect(county.status).toBe('computed');
    expect(county.trace.derivedFrom).toMatchObject({ parcelRun: parcelRunId, parcels: 40 });
    const sum = await t.db.query(
      `SELECT sum(values[1])::text AS v FROM ${await parcelsOf(parcelRunId)} r`,
    );
    expect(new D(county.value).eq(sum.rows[0].v)).toBe(true);
    const township = (results.body.items as { regionCode: string; status: string }[]).find(
      (r) => r.regionCode === '361130100',
    )!;
    expect(township.status).toBe('computed');
    // the run reproduces from its snapshot, digit for digit
    const verified = await t.http.post(`/accounting/runs/${runId}/verify`).set(as(accountant));
    expect(verified.body).toMatchObject({
      identical: true,
      tracesIdentical: true,
      hashMatches: true,
    });

    const wrongYear = await t.http
      .post('/accounting/runs')
      .set(as(accountant))
      .send({ ...body, year: 2023 });
    expect(expectProblem(wrongYear, 422).errors[0]).toMatchObject({
      path: 'parcelRunId',
      message: expect.stringContaining('is for 2024'),
    });
  });

  it('keeps parcel data inside the region scope', async () => {
    const list = await t.http.get('/parcels/sets').set(as(await t.token('ziyang.stat')));
    expect(list.status).toBe(200);
    const sets = await t.db.query(`SELECT id FROM parcel_sets LIMIT 1`);
    const other = await t.http
      .get(`/parcels/sets/${sets.rows[0].id}`)
      .set(as(await t.token('ziyang.stat')));
    expectProblem(other, 403, 'OUT_OF_REGION_SCOPE');
  });

  it('refuses to delete a township that parcels are in (parcels name townships without a foreign key)', async () => {
    const [{ n }] = (
      await t.db.query(`SELECT count(*)::int AS n FROM parcels WHERE township_code = '361130101'`)
    ).rows;
    expect(n).toBeGreaterThan(0);
    const admin = as(await t.token('admin'));
    const res = await t.http
      .delete('/regions/361130101')
      .set(admin)
      .set('accept-language', 'zh-CN');
    expectProblem(res, 409, 'STILL_IN_USE');
    expect(res.body.detail).toContain('图斑数据集或图斑仍属于行政区 361130101 清华镇');
    expect((await t.http.get('/regions/361130101').set(admin)).status).toBe(200);
  });
});
