import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { decimalColumn } from '../../database/decimal-column';
import { Dec } from '../../common/decimal';
import { AccountingRun } from './accounting-run.entity';

export const RESULT_STATUSES = ['computed', 'aggregated', 'not_computable'] as const;

/** One indicator for one region in a run. Values in 元, unrounded; quantities in the indicator's unit. */
@Entity('accounting_results')
export class AccountingResult {
  @PrimaryColumn({
    name: 'run_id',
    type: 'uuid',
    primaryKeyConstraintName: 'accounting_results_pkey',
  })
  runId!: string;

  /**
   * Not a declared foreign key: the run is checked (and locked against deletion) once per
   * statement by trigger, under the name `accounting_results_run_fk` — see migration
   * ResultsRunCheckPerStatement.
   */
  @ManyToOne(() => AccountingRun, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'run_id' })
  run?: AccountingRun;

  @PrimaryColumn({
    name: 'region_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'accounting_results_pkey',
  })
  regionCode!: string;

  @PrimaryColumn({
    name: 'indicator_code',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'accounting_results_pkey',
  })
  indicatorCode!: string;

  @Column({ type: 'enum', enum: RESULT_STATUSES, enumName: 'result_status' })
  status!: (typeof RESULT_STATUSES)[number];

  @Column(decimalColumn({ nullable: true }))
  quantity!: Dec | null;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 50, nullable: true })
  quantityUnit!: string | null;

  /** Quantity per index item; the only quantity of a set whose quantities do not add up. */
  @Column({ name: 'quantity_by_index', type: 'jsonb', nullable: true })
  quantityByIndex!: Record<string, string> | null;

  /** 元 */
  @Column(decimalColumn({ nullable: true }))
  value!: Dec | null;

  @Column({ name: 'by_index', type: 'jsonb', nullable: true })
  byIndex!: Record<string, string> | null;

  @Column({ type: 'text', array: true, nullable: true })
  missing!: string[] | null;

  /** `json`, not `jsonb`: written once, read whole (migration RunTracesAndSnapshotsAsJson). */
  @Column({ type: 'json', nullable: true })
  trace!: object | null;
}
