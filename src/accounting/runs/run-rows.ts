import { copyField, CopyText } from '../../database/copy';
import { MethodologyContent } from '../methodology/methodology-content';
import { compileMethodology } from '../methodology/methodology-model';
import { RunCompleteness, RunCoverage } from './accounting-run.entity';
import { mergeCompleteness, runCompleteness } from './run-completeness';
import {
  assembleRun,
  ComputedResult,
  evaluateRegionsForStorage,
  RunSnapshot,
} from './run-computation';
import { CompiledModel } from '../../formula/model';

/** Some of a run's results as they are stored: `accounting_results` rows in COPY text. */
export interface RunRows {
  /**
   * The COPY text as UTF-8 in pieces of about 1 MiB, each with the number of results in it: made
   * as they are read (while the previous piece is being stored), and handed over without copying
   * when made on another thread. Can be read more than once.
   */
  chunks: Iterable<RowsChunk>;
  /** The number of results. */
  results: number;
  coverage: RunCoverage;
  completeness: RunCompleteness;
}

export interface RowsChunk {
  data: Uint8Array;
  results: number;
  /**
   * Given to a piece made on another thread: called once the piece has been stored and is not
   * read again, it hands the memory back to that thread for its next rows (its `data` is empty
   * from then on). Pieces handed over and dropped were what started the calling thread's full
   * collections: in a national run, 16 of its ~440 MB heap, ~10 s of marking.
   */
  release?: () => void;
}

/** The COPY columns of {@link RunRows}' text. */
export const RESULT_COPY_COLUMNS =
  'run_id, region_code, indicator_code, status, quantity, quantity_unit, quantity_by_index, value, by_index, missing, trace';

/** A text[] literal of COPY's text format (before {@link copyField}). */
const arrayLiteral = (items: string[]): string =>
  `{${items.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;

const json = (x: object | null) => copyField(x === null ? null : JSON.stringify(x));
const text = (x: { toString(): string } | null) => copyField(x === null ? null : x.toString());

/** `results` of run `runId` as stored: their rows (made when read), coverage and completeness. */
export function runRows(
  content: MethodologyContent,
  runId: string,
  results: ComputedResult<string>[],
  /** Where the rows' pieces come from (see {@link CopyText}). */
  newPiece?: () => Buffer,
): RunRows {
  const coverage: RunCoverage = { computed: 0, aggregated: 0, notComputable: 0 };
  for (const r of results) {
    if (r.status === 'computed') coverage.computed++;
    else if (r.status === 'aggregated') coverage.aggregated++;
    else coverage.notComputable++;
  }
  // each row written as UTF-8 as it is made: a province's rows joined into strings of 1 MiB and
  // then encoded took 215–300 ms against 130–200 ms (scratch, the same 43 MB of rows)
  function* chunks(): Generator<RowsChunk> {
    const filled: Buffer[] = [];
    const out = new CopyText((piece) => filled.push(piece), newPiece);
    let inPiece = 0;
    for (const r of results) {
      out.add(
        `${[
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
        ].join('\t')}\n`,
      );
      // a filled piece holds the rows before this one
      if (filled.length) {
        yield { data: filled.pop()!, results: inPiece };
        inPiece = 0;
      }
      inPiece++;
    }
    for (const rest of out.bytes()) yield { data: rest, results: inPiece };
  }
  return {
    chunks: { [Symbol.iterator]: chunks },
    results: results.length,
    coverage,
    completeness: runCompleteness(content, results),
  };
}

/** {@link RunRows} made to cross to another thread: its pieces made, to be handed over. */
export function rowsAsBytes(rows: RunRows): RunRows & { chunks: RowsChunk[] } {
  return { ...rows, chunks: [...rows.chunks] };
}

/** The rows of a run made of parts (disjoint sets of its results). */
export function mergeRunRows(parts: RunRows[]): RunRows {
  const coverage: RunCoverage = { computed: 0, aggregated: 0, notComputable: 0 };
  for (const p of parts) {
    coverage.computed += p.coverage.computed;
    coverage.aggregated += p.coverage.aggregated;
    coverage.notComputable += p.coverage.notComputable;
  }
  return {
    chunks: {
      *[Symbol.iterator]() {
        for (const p of parts) yield* p.chunks;
      },
    },
    results: parts.reduce((n, p) => n + p.results, 0),
    coverage,
    completeness: mergeCompleteness(parts.map((p) => p.completeness)),
  };
}

/**
 * Computes some subtrees of a run (the snapshot's regions: whole subtrees, each with its root)
 * and makes their stored rows: what a thread of the pool does with its part of a run. Returns
 * also the results of `roots`, for the regions above them.
 */
export function computeRunRows(
  content: MethodologyContent,
  snapshot: RunSnapshot,
  runId: string,
  priceYear: number,
  roots: string[],
  model: CompiledModel = compileMethodology(content),
  /** Where the rows' pieces come from (see {@link CopyText}). */
  newPiece?: () => Buffer,
): { rows: RunRows; roots: ComputedResult<string>[] } {
  const own = evaluateRegionsForStorage(content, snapshot, snapshot.regions, priceYear, model);
  const results = assembleRun(content, snapshot, priceYear, model.order, own, (trace) =>
    JSON.stringify(trace),
  );
  const wanted = new Set(roots);
  return {
    rows: runRows(content, runId, results, newPiece),
    roots: results.filter((r) => wanted.has(r.regionCode)),
  };
}
