import { EntityManager } from 'typeorm';
import { decimalOf } from '../../common/decimal';
import { InputSource } from '../../formula/model';
import { convert, parseUnit } from '../../formula/units';
import { Methodology } from '../methodology/methodology.entity';
import { AccountingRun } from './accounting-run.entity';
import type { PoolClient } from 'pg';
import { copyField, copyIn, CopyPieces, CopyText } from '../../database/copy';
import { RunEvaluationPool } from './run-evaluation-pool';
import { RunRegion, RunSnapshot, snapshotJsonChunks } from './run-computation';
import { RESULT_COPY_COLUMNS, RunRows } from './run-rows';
import { createHash, randomUUID } from 'node:crypto';
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
    code: r.code,
    lineage: r.lineage,
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
        ORDER BY f.region_code, v.variable COLLATE "C", v.item COLLATE "C"`,
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
        : convert(decimalOf(row.value), parseUnit(row.unit), parseUnit(v.unit)).toString();
    const region = (inputs[row.region_code] ??= {});
    const source = `survey form ${row.form_id} (${row.department}, revision ${row.revision})`;
    // keys in sorted order: the snapshot's canonical JSON then writes them without sorting a copy
    if (v.index) {
      const entry = (region[row.variable] ??= { source, unit: v.unit, value: {} });
      (entry.value as Record<string, string | null>)[row.item] = value;
    } else {
      region[row.variable] = { source, unit: v.unit, value };
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

/**
 * Characters of snapshot JSON at a time. A string of 32 Ki characters is at most 64 KB, below
 * V8's 128 KB for large objects, so each dies young; chunks of 1 Mi characters went to the old
 * generation and started a national run's full collections of this thread (with the buffers
 * each was encoded into, 4 of them; none since). A {@link CopyText} piece takes several.
 */
const SNAPSHOT_CHUNK = 1 << 15;

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
  if (!manager.queryRunner?.isTransactionActive)
    throw new Error('run results are stored inside a transaction');
  progress.report('computing', 10, { regions: snapshot.regions.length });
  // the id first: the results' rows are written out with it as they are computed
  const runId = randomUUID();
  const made = partsAsMade<RunRows>();
  const computing = pool.storageRows(methodology.content, snapshot, runId, undefined, made.add);
  computing.then(made.end, made.fail);
  computing.catch(() => undefined); // its failure is met where it is awaited, below
  // while the pool's threads compute (large runs): the run row written with its snapshot, streamed
  // as JSON text a region at a time and hashed on the way (TypeORM's JSON.stringify of a snapshot
  // of 40,000 townships, and its 220 MB parameter, held the event loop for seconds); its coverage
  // and completeness once known
  const client = (await manager.queryRunner.connect()) as PoolClient;
  const sha256 = createHash('sha256');
  const pieces = new CopyPieces();
  const pending = { computed: 0, aggregated: 0, notComputable: 0 };
  const head = [
    runId,
    methodology.id,
    methodology.standardId,
    String(methodology.version),
    snapshot.rootRegion,
    String(snapshot.year),
    'draft',
    JSON.stringify(pending),
    JSON.stringify({ complete: false, expected: 0, gaps: [] }),
    createdBy,
  ];
  await copyIn(
    client,
    `COPY accounting_runs (id, methodology_id, standard_id, methodology_version, root_region_code,
       year, status, coverage, completeness, created_by, snapshot, snapshot_sha256) FROM STDIN`,
    // typed, not inferred from copyIn's parameter: inferring it made the type checker cache that
    // union's element type as `any`, and `eslint .` then failed the CSV reader, which iterates it
    (async function* (): AsyncGenerator<Buffer> {
      // as UTF-8 into pieces used again once written, not a new buffer for each chunk (see
      // CopyPieces)
      const filled: Buffer[] = [];
      const text = new CopyText((piece) => filled.push(piece), pieces.take);
      text.add(`${head.map(copyField).join('\t')}\t`);
      for await (const chunk of snapshotJsonChunks(snapshot, SNAPSHOT_CHUNK)) {
        sha256.update(chunk);
        text.add(copyField(chunk));
        yield* filled.splice(0);
      }
      text.add(`\t${sha256.digest('hex')}\n`);
      yield* filled.splice(0);
      yield* text.bytes();
    })(),
    pieces.written,
  );
  // then the results, each part as soon as it is made (the threads compute the rest meanwhile)
  const total = snapshot.regions.length * methodology.content.indicators.length;
  progress.report('storing', 40, { resultsStored: 0, resultsTotal: total });
  let stored = 0;
  // each piece made on a thread handed back once written out (see RowsChunk.release)
  const releases = new Map<Buffer, () => void>();
  await copyIn(
    client,
    `COPY accounting_results (${RESULT_COPY_COLUMNS}) FROM STDIN`,
    (async function* (): AsyncGenerator<string | Buffer> {
      for await (const part of made.parts)
        for (const chunk of part.chunks) {
          const { data } = chunk;
          const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
          if (chunk.release) releases.set(bytes, chunk.release);
          yield bytes;
          stored += chunk.results;
          progress.report('storing', 40 + (59 * stored) / total, {
            resultsStored: stored,
            resultsTotal: total,
          });
        }
    })(),
    (bytes) => {
      releases.get(bytes)?.();
      releases.delete(bytes);
    },
  );
  const rows = await computing;
  await manager.update(AccountingRun, runId, {
    coverage: rows.coverage,
    completeness: rows.completeness,
  });
  return runId;
}

/**
 * Parts as they are made, read in that order by `for await`: `add` one, `end` after the last,
 * or `fail` (the reader then throws the error, after the parts added before it).
 */
function partsAsMade<T>(): {
  add: (part: T) => void;
  end: () => void;
  fail: (e: unknown) => void;
  parts: AsyncIterable<T>;
} {
  const ready: T[] = [];
  let ended = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  return {
    add: (part) => {
      ready.push(part);
      poke();
    },
    end: () => {
      ended = true;
      poke();
    },
    fail: (error) => {
      failure = { error };
      poke();
    },
    parts: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const part = ready.shift();
          if (part !== undefined) yield part;
          else if (failure) throw failure.error;
          else if (ended) return;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    },
  };
}
