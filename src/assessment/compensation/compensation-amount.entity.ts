import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Dec } from '../../common/decimal';
import { decimalColumn } from '../../database/decimal-column';
import { CompensationRun } from './compensation-run.entity';

/** What one recipient gets from a compensation run, with how it was reached. */
@Entity('compensation_amounts')
@Check('compensation_amounts_amount_check', 'amount >= 0')
export class CompensationAmount {
  @PrimaryColumn({
    name: 'run_id',
    type: 'uuid',
    primaryKeyConstraintName: 'compensation_amounts_pkey',
  })
  runId!: string;

  @ManyToOne(() => CompensationRun, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'compensation_amounts_run_fk' })
  run?: CompensationRun;

  @PrimaryColumn({
    name: 'region_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'compensation_amounts_pkey',
  })
  regionCode!: string;

  @Column({ type: 'boolean' })
  eligible!: boolean;

  /** Value of the scheme's weight formula (base units); null when not computable. */
  @Column(decimalColumn({ nullable: true }))
  weight!: Dec | null;

  /**
   * 元, to the fen; null when not computable (a figure the scheme needs is missing and the scheme
   * declares no rule for it). A run with such an amount cannot be approved.
   */
  @Column(decimalColumn({ nullable: true }))
  amount!: Dec | null;

  /** Formula, figures with their GEP runs, λ, exact share, bound, rounding. */
  @Column({ type: 'jsonb' })
  explanation!: object;
}
