import fc from 'fast-check';
import { DataSource, EntityManager } from 'typeorm';
import { Methodology } from '../src/accounting/methodology/methodology.entity';
import { AccountingResult } from '../src/accounting/runs/accounting-result.entity';
import { regionGep } from '../src/accounting/runs/comparison';
import { buildRunSnapshot, insertRun } from '../src/accounting/runs/run-snapshot';
import { computeCompensation } from '../src/assessment/compensation/compensation-computation';
import { PublishedGep } from '../src/accounting/runs/published-gep';
import { CompensationScheme } from '../src/assessment/compensation/compensation-scheme.entity';
import { DEFAULT_RULESET, evaluateTenure } from '../src/assessment/officials/tenure-evaluation';
import { Tenure } from '../src/assessment/officials/tenure.entity';
import { buildReportContent } from '../src/assessment/reports/report-content';
import { reportBlocks } from '../src/assessment/reports/report-document';
import { D } from '../src/common/decimal';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Property (issue 18): whatever forms are missing, no number the service puts out was computed as
 * if a missing value were 0. Each example removes a random set of (township, department) forms
 * from the demo's 2022 data, publishes that run in place of the complete one — in a transaction
 * that is rolled back — and reads it the way each module does: the summary of every region
 * (GEP, categories, services), the demo budget allocation, the evaluation of the demo tenure that
 * ends in 2022, and the grade paragraph of its departure-audit report. A number that is present
 * must then be the number the complete data gives: a figure that depends on a missing value can
 * only be absent. A partial sum, a 0 paid for a missing GEP, or a grade over a partial total
 * breaks it.
 */
const STD = 'ndrc-nbs-2022-trial';
const COUNTY = '361130';
const YEAR = 2022;

class Rollback extends Error {}

type Leaves = Record<string, string | null>;

describe('property: no output is computed as if a missing form were 0', () => {
  let t: TestApp;
  let ds: DataSource;
  let methodology: Methodology;
  let townships: string[];
  let departments: string[];
  let full: Leaves;

  beforeAll(async () => {
    t = await startTestApp();
    ds = t.app.get(DataSource);
    methodology = await ds.getRepository(Methodology).findOneByOrFail({
      standardId: STD,
      status: 'published',
    });
    townships = (
      await t.db.query<{ code: string }>(
        'SELECT code FROM regions WHERE parent_code = $1 ORDER BY code',
        [COUNTY],
      )
    ).rows.map((r) => r.code);
    departments = [...new Set(methodology.content.variables.map((v) => v.department ?? ''))];
    full = await outputsWithout([]);
  }, 120_000);
  afterAll(() => t.close());

  /** Every number the modules put out for 2022 when these forms are missing (rolled back after). */
  async function outputsWithout(missing: [number, string][]): Promise<Leaves> {
    let out: Leaves = {};
    await ds
      .transaction(async (manager) => {
        const snapshot = await buildRunSnapshot(manager, methodology, COUNTY, YEAR);
        for (const [i, department] of missing) {
          const inputs = snapshot.inputs[townships[i]] ?? {};
          for (const v of methodology.content.variables)
            if ((v.department ?? '') === department) delete inputs[v.code];
        }
        const runId = await insertRun(manager, methodology, snapshot, 'property-test');
        await manager.query(
          `UPDATE accounting_runs SET status = 'superseded', superseded_by = $1
            WHERE standard_id = $2 AND root_region_code = $3 AND year = $4 AND status = 'published'`,
          [runId, STD, COUNTY, YEAR],
        );
        await manager.query(
          `UPDATE accounting_runs SET status = 'published', published_by = 'property-test',
                  published_at = now(), incomplete_reason = '性质测试' WHERE id = $1`,
          [runId],
        );
        out = await readOutputs(manager, runId);
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
    return out;
  }

  async function readOutputs(manager: EntityManager, runId: string): Promise<Leaves> {
    const leaves: Leaves = {};
    const put = (key: string, x: { toString(): string } | null | undefined) => {
      leaves[key] = x === null || x === undefined ? null : x.toString();
    };
    // summary of every region: GEP, categories, services
    const stored = await manager.findBy(AccountingResult, { runId });
    for (const code of [COUNTY, ...townships]) {
      const g = regionGep(methodology.content, stored, code);
      if (g.incomplete.length === 0) put(`summary.${code}.gep`, g.total);
      else put(`summary.${code}.gep`, null);
      for (const [k, v] of Object.entries(g.byCategory)) put(`summary.${code}.category.${k}`, v);
      for (const [k, v] of Object.entries(g.byService)) put(`summary.${code}.service.${k}`, v);
    }
    // the demo allocation of the 2023 budget from the 2022 GEP
    const scheme = await manager.findOneByOrFail(CompensationScheme, {
      type: 'budget_allocation',
      status: 'published',
    });
    const comp = await computeCompensation(
      manager,
      new PublishedGep(),
      scheme,
      COUNTY,
      YEAR,
      new D('50000000.00'),
    );
    for (const a of comp.amounts) put(`compensation.${a.regionCode}`, a.amount);
    // the evaluation of the demo county head in office since 2021-07 (baseline 2020, end 2022)
    const tenure = await manager
      .createQueryBuilder(Tenure, 'x')
      .where('x.regionCode = :c AND x.endDate IS NULL', { c: COUNTY })
      .getOneOrFail();
    const e = await evaluateTenure(manager, new PublishedGep(), tenure, DEFAULT_RULESET);
    put('evaluation.score', e.score);
    put('evaluation.grade', e.grade);
    put('evaluation.gep.end', e.gep.end);
    put('evaluation.gep.realChange', e.gep.realChange);
    put('evaluation.gep.change', e.gep.change);
    put('evaluation.effects.total', e.gep.effects?.total);
    for (const [k, v] of Object.entries(e.gep.byCategory)) put(`evaluation.category.${k}`, v.end);
    for (const s of e.series) put(`evaluation.series.${s.year}`, s.gep);
    if (e.score !== null)
      put('evaluation.findings', e.findings.map((f) => f.code).join(',') || 'none');
    // the report's conclusion, as printed
    const blocks = reportBlocks(
      await buildReportContent(manager, new PublishedGep(), tenure, DEFAULT_RULESET),
    );
    const verdict = blocks.find((b) => b.kind === 'paragraph' && /评价等级为/.test(b.text)) as
      { text: string } | undefined;
    put('report.verdict', verdict?.text);
    return leaves;
  }

  it('every number present with forms missing equals the number from the complete data', async () => {
    expect(full['summary.361130.gep']).toMatch(/^\d/);
    expect(full['evaluation.grade']).not.toBeNull();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.tuple(
            fc.integer({ min: 0, max: townships.length - 1 }),
            fc.constantFrom(...departments),
          ),
          { minLength: 1, maxLength: 6, selector: ([i, d]) => `${i}|${d}` },
        ),
        async (missing) => {
          const gapped = await outputsWithout(missing);
          const wrong = Object.entries(gapped)
            .filter(([k, v]) => v !== null && v !== full[k])
            .map(([k, v]) => `${k}: ${v} (complete data: ${full[k]})`);
          expect(wrong).toEqual([]);
        },
      ),
      { numRuns: 15, seed: Number(process.env.PROPERTY_SEED ?? 20261202) },
    );
  }, 300_000);
});
