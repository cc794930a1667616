/** What long work tells its job while it runs (see JobsService); free of Nest and the database. */
export interface Progress {
  /** `percent` 0–100 of the whole job; counters of the phase (rows read, bytes read…). */
  report(phase: string, percent: number, counters?: Record<string, number>): void;
}

/** Progress that goes nowhere: the same work run inside a request. */
export const NO_PROGRESS: Progress = { report: () => undefined };
