import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A parcel run being computed: its parts (one transaction each, on their own connections) may
 * have stored results and township sums while the run's row — written last, with the county's
 * sums, in the transaction that removes this entry — does not exist yet. The process computing
 * the run holds a session advisory lock on it ({@link pendingRunLockKey}); an entry whose lock is
 * free belongs to a process that stopped, and the next parcel run deletes its rows.
 */
@Entity('parcel_runs_pending')
export class ParcelRunPending {
  @PrimaryColumn({
    name: 'region_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'parcel_runs_pending_pkey',
  })
  regionCode!: string;

  @PrimaryColumn({
    name: 'run_id',
    type: 'uuid',
    primaryKeyConstraintName: 'parcel_runs_pending_pkey',
  })
  runId!: string;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;
}

/** The advisory lock key (SQL, over a `run_id` expression) held while a run is computed. */
export const pendingRunLockKey = (runId: string): string =>
  `hashtextextended('gep:parcel-run:' || ${runId}, 0)`;
