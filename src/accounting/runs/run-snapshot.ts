import { runCompleteness } from './run-completeness';
import { EntityManager } from 'typeorm';
import { D } from '../../common/decimal';
import { InputSource } from '../../formula/model';
import { convert, parseUnit } from '../../formula/units';
import { Methodology } from '../methodology/methodology.entity';
import { AccountingRun } from './accounting-run.entity';
import type { PoolClient } from 'pg';
import { copyField, copyIn } from '../../database/copy';
import { RunEvaluationPool } from './run-evaluation-pool';
import { ComputedResult, RunRegion, RunSnapshot, snapshotHash } from './run-computation';
import { NO_PROGRESS, Progress } from '../../jobs/progress';
import { RegionsRepository } from '../../regions/regions.repository';

/**
 * Collects what a run computes from: the region subtree and the values of approved forms of the
 * methodology's standard for the year, converted to each variable's unit, each with its survey
 * record as source.
 */
export async function buildRunSnapshot(
  manager: EntityManager,
  methodology: Methodology,
  rootRegion: string,
  year: number,
): Promise<RunSnapshot> {
  const regions: RunRegion[] = (await RegionsRepository.subtree(manager, rootRegion)).map((r) => ({
    ...r,
    parentCode: r.code === rootRegion ? null : r.parentCode,
  }));
  const rows: {
    region_code: string;
    variable: string;
    item: string;
    value: string | null;
    unit: string;
    form_id: string;
    department: string;
    revision: number;
  }[] = await manager.query(
    `SELECT f.region_code, v.variable, v.item, v.value::text AS value, v.unit, f.id AS form_id, f.department, f.revision
         FROM survey_values v JOIN survey_forms f ON f.id = v.form_id
        WHERE f.standard_id = $1 AND f.year = $2 AND f.status = 'approved' AND f.region_code = ANY($3)
        ORDER BY f.region_code, v.variable, v.item`,
    [methodology.standardId, year, regions.map((r) => r.code)],
  );
  const declared = new Map(methodology.content.variables.map((v) => [v.code, v]));
  const inputs: Record<string, Record<string, InputSource>> = {};
  for (const row of rows) {
    const v = declared.get(row.variable);
    if (!v) continue;
    const value =
      row.value === null
        ? null
        : convert(new D(row.value), parseUnit(row.unit), parseUnit(v.unit)).toString();
    const region = (inputs[row.region_code] ??= {});
    const source = `survey form ${row.form_id} (${row.department}, revision ${row.revision})`;
    if (v.index) {
      const entry = (region[row.variable] ??= { value: {}, unit: v.unit, source });
      (entry.value as Record<string, string | null>)[row.item] = value;
    } else {
      region[row.variable] = { value, unit: v.unit, source };
    }
  }
  return {
    methodology: {
      id: methodology.id,
      standardId: methodology.standardId,
      version: methodology.version,
    },
    year,
    rootRegion,
    regions,
    inputs,
  };
}

/** Evaluates on the calling thread (see {@link RunEvaluationPool}). */
const THIS_THREAD = new RunEvaluationPool(0);

/** Computes a run from its snapshot and stores it (draft) with its results; returns its id. */
export async function insertRun(
  manager: EntityManager,
  methodology: Methodology,
  snapshot: RunSnapshot,
  createdBy: string,
  progress: Progress = NO_PROGRESS,
  /** Where the regions are evaluated; on the calling thread by default. */
  pool: RunEvaluationPool = THIS_THREAD,
): Promise<string> {
  progress.report('computing', 10, { regions: snapshot.regions.length });
  const results = await pool.computeForStorage(methodology.content, snapshot);
  const coverage = {
    computed: results.filter((r) => r.status === 'computed').length,
    aggregated: results.filter((r) => r.status === 'aggregated').length,
    notComputable: results.filter((r) => r.status === 'not_computable').length,
  };
  const { identifiers } = await manager.insert(AccountingRun, {
    methodologyId: methodology.id,
    standardId: methodology.standardId,
    methodologyVersion: methodology.version,
    rootRegionCode: snapshot.rootRegion,
    year: snapshot.year,
    status: 'draft',
    snapshot,
    snapshotSha256: snapshotHash(snapshot),
    coverage,
    completeness: runCompleteness(methodology.content, results),
    createdBy,
  });
  const runId = identifiers[0].id as string;
  progress.report('storing', 40, { resultsStored: 0, resultsTotal: results.length });
  await storeResults(manager, runId, results, (stored) =>
    progress.report('storing', 40 + (59 * stored) / results.length, {
      resultsStored: stored,
      resultsTotal: results.length,
    }),
  );
  return runId;
}

/** A text[] literal of COPY's text format (before {@link copyField}). */
const arrayLiteral = (items: string[]): string =>
  `{${items.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;

/**
 * Writes a run's results with one COPY, in the transaction of `manager` (which must be one): a
 * province's 40,000 results with their traces were 500-row INSERTs taking seconds.
 */
async function storeResults(
  manager: EntityManager,
  runId: string,
  results: ComputedResult<string>[],
  stored: (n: number) => void,
): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive)
    throw new Error('run results are stored inside a transaction');
  const client = (await manager.queryRunner.connect()) as PoolClient;
  const json = (x: object | null) => copyField(x === null ? null : JSON.stringify(x));
  const text = (x: { toString(): string } | null) => copyField(x === null ? null : x.toString());
  function* rows(): Iterable<string> {
    let chunk = '';
    for (const [i, r] of results.entries()) {
      chunk += `${[
        runId,
        copyField(r.regionCode),
        copyField(r.indicatorCode),
        r.status,
        text(r.quantity),
        text(r.quantityUnit),
        json(r.quantityByIndex),
        text(r.value),
        json(r.byIndex),
        copyField(r.missing === null ? null : arrayLiteral(r.missing)),
        copyField(r.trace),
      ].join('\t')}\n`;
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = '';
        stored(i + 1);
      }
    }
    if (chunk) yield chunk;
  }
  await copyIn(
    client,
    `COPY accounting_results (run_id, region_code, indicator_code, status, quantity, quantity_unit,
       quantity_by_index, value, by_index, missing, trace) FROM STDIN`,
    rows(),
  );
}
