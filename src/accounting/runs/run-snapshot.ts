import { runCompleteness } from './run-completeness';
import { EntityManager } from 'typeorm';
import { D } from '../../common/decimal';
import { InputSource } from '../../formula/model';
import { convert, parseUnit } from '../../formula/units';
import { Methodology } from '../methodology/methodology.entity';
import { AccountingResult } from './accounting-result.entity';
import { AccountingRun } from './accounting-run.entity';
import { computeRun, RunRegion, RunSnapshot, snapshotHash } from './run-computation';
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

/** Computes a run from its snapshot and stores it (draft) with its results; returns its id. */
export async function insertRun(
  manager: EntityManager,
  methodology: Methodology,
  snapshot: RunSnapshot,
  createdBy: string,
  progress: Progress = NO_PROGRESS,
): Promise<string> {
  progress.report('computing', 10, { regions: snapshot.regions.length });
  const results = computeRun(methodology.content, snapshot);
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
  for (let i = 0; i < results.length; i += 500) {
    progress.report('storing', 40 + (59 * i) / results.length, {
      resultsStored: i,
      resultsTotal: results.length,
    });
    await manager.insert(
      AccountingResult,
      results.slice(i, i + 500).map((r) => ({ ...r, runId })),
    );
  }
  return runId;
}
