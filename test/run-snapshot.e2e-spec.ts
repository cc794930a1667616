import { DataSource } from 'typeorm';
import { Methodology } from '../src/accounting/methodology/methodology.entity';
import { snapshotHash } from '../src/accounting/runs/run-computation';
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
});
