import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Methodology } from '../src/accounting/methodology/methodology.entity';
import { snapshotHash } from '../src/accounting/runs/run-computation';
import { RunEvaluationPool } from '../src/accounting/runs/run-evaluation-pool';
import { buildRunSnapshot, insertRun } from '../src/accounting/runs/run-snapshot';
import { canonicalJson } from '../src/common/canonical-json';
import { startTestApp, TestApp } from './support/test-app';

class Rollback extends Error {}

/**
 * A run's row is written by COPY, its snapshot streamed as JSON text a region at a time and hashed
 * on the way: what is stored must read back as the snapshot it was computed from, with the hash of
 * that snapshot, whatever its text holds (COPY's own escapes: tab, newline, backslash).
 */
describe('a run stored with its snapshot', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    ds = t.app.get(DataSource);
  }, 120_000);
  afterAll(() => t.close());

  it('reads back as the snapshot it was computed from, with its hash', async () => {
    const methodology = await ds.getRepository(Methodology).findOneByOrFail({
      standardId: 'ndrc-nbs-2022-trial',
      status: 'published',
    });
    await ds
      .transaction(async (manager) => {
        const snapshot = await buildRunSnapshot(manager, methodology, '361130', 2022);
        const [region, inputs] = Object.entries(snapshot.inputs).find(
          ([, x]) => Object.keys(x).length > 1,
        )!;
        const [first, second] = Object.keys(inputs);
        inputs[first] = {
          ...inputs[first],
          source: '表\t一\n"二"\\三\r四 \\N 五',
        };
        inputs[second] = { ...inputs[second], value: null };
        const runId = await insertRun(manager, methodology, snapshot, 'snapshot-test');
        const [row] = await manager.query<
          {
            text: string;
            sha256: string;
            status: string;
            created_by: string;
            year: number;
            root_region_code: string;
            coverage: { computed: number; notComputable: number };
            completeness: { complete: boolean };
          }[]
        >(
          `SELECT snapshot::text AS text, snapshot_sha256 AS sha256, status, created_by, year,
                  root_region_code, coverage, completeness
             FROM accounting_runs WHERE id = $1`,
          [runId],
        );
        expect(row.text).toBe(canonicalJson(snapshot));
        const stored = JSON.parse(row.text) as typeof snapshot;
        expect(stored.inputs[region][first].source).toBe('表\t一\n"二"\\三\r四 \\N 五');
        expect(stored.inputs[region][second].value).toBeNull();
        expect(row.sha256).toBe(snapshotHash(snapshot));
        expect(row).toMatchObject({
          status: 'draft',
          created_by: 'snapshot-test',
          year: 2022,
          root_region_code: '361130',
          completeness: { complete: false },
        });
        // the input left out makes some results not computable; the coverage says so
        expect(row.coverage.computed).toBeGreaterThan(0);
        expect(row.coverage.notComputable).toBeGreaterThan(0);
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
  });

  it('stores a run’s results as its threads make them; a part that fails stops the run, and nothing of it is kept', async () => {
    const methodology = await ds.getRepository(Methodology).findOneByOrFail({
      standardId: 'ndrc-nbs-2022-trial',
      status: 'published',
    });
    /** Fails a run after handing over `failAt - 1` parts (0: never). */
    class Pool extends RunEvaluationPool {
      failAt = 0;
      override storageRows(
        ...[content, snapshot, runId, priceYear, onPart]: Parameters<
          RunEvaluationPool['storageRows']
        >
      ) {
        let parts = 0;
        return super.storageRows(content, snapshot, runId, priceYear, (rows) => {
          if (++parts === this.failAt) throw new Error(`part ${parts} failed`);
          onPart?.(rows);
        });
      }
    }
    // threads from the first region on: each township of the county is a part of its own
    const pool = new Pool(
      2,
      {
        path: join(process.cwd(), 'src/accounting/runs/run-evaluation.worker.ts'),
        execArgv: ['--require', 'ts-node/register/transpile-only'],
      },
      0,
    );
    try {
      const store = (failAt: number, on: RunEvaluationPool = pool) =>
        ds.transaction(async (manager) => {
          pool.failAt = failAt;
          const snapshot = await buildRunSnapshot(manager, methodology, '361130', 2022);
          const stored: number[] = [];
          const progress = {
            report: (phase: string, _: number, c?: Record<string, number>) => {
              if (phase === 'storing') stored.push(c!.resultsStored);
            },
          };
          const runId = await insertRun(
            manager,
            methodology,
            snapshot,
            on === pool ? 'parts-test' : 'parts-test-here',
            progress,
            on,
          );
          const [{ n, digest }] = await manager.query<{ n: number; digest: string }[]>(
            `SELECT count(*)::int AS n,
                    md5(string_agg(concat_ws('|', region_code, indicator_code, status, quantity,
                      quantity_unit, quantity_by_index::text, value, by_index::text, missing,
                      trace::text), E'\n' ORDER BY region_code, indicator_code)) AS digest
               FROM accounting_results WHERE run_id = $1`,
            [runId],
          );
          return { n, digest, stored, regions: snapshot.regions.length };
        });
      const whole = await store(0);
      expect(whole.n).toBe(whole.regions * methodology.content.indicators.length);
      // the rows made on the threads, in pieces each handed back to its thread once written and
      // used again for a later part's rows, are those made here
      expect(whole.digest).toBe((await store(0, new RunEvaluationPool(0))).digest);
      // progress rose through several values to all of them (that parts are handed over as they
      // are made is checked in run-evaluation-pool.spec; when the COPY takes them depends on timing)
      expect(new Set(whole.stored).size).toBeGreaterThan(3);
      expect(whole.stored[whole.stored.length - 1]).toBe(whole.n);
      for (const failAt of [1, 4, 8])
        await expect(store(failAt)).rejects.toThrow(`part ${failAt} failed`);
      const [{ runs }] = await ds.query<{ runs: number }[]>(
        `SELECT count(*)::int AS runs FROM accounting_runs WHERE created_by = 'parts-test'`,
      );
      expect(runs).toBe(1); // the whole one; of the broken one, neither the run nor a result
      const [{ results }] = await ds.query<{ results: number }[]>(
        `SELECT count(*)::int AS results FROM accounting_results r
           JOIN accounting_runs a ON a.id = r.run_id WHERE a.created_by = 'parts-test'`,
      );
      expect(results).toBe(whole.n);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
