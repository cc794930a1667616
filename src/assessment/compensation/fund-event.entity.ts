import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { CompensationAmount } from './compensation-amount.entity';
import { Dec } from '../../common/decimal';
import { decimalColumn } from '../../database/decimal-column';

/** Fund states after approval (生态保护补偿条例 art. 31: 缓拨、减拨、停拨、追回; and paid). */
export const FUND_STATES = ['paid', 'withheld', 'reduced', 'stopped', 'recovered'] as const;
export type FundState = (typeof FUND_STATES)[number];

/**
 * One step in the life of an approved amount: paid, withheld (缓拨), reduced (减拨), stopped (停拨),
 * recovered (追回). Append-only (trigger); the amount's state is its latest event.
 */
@Entity('compensation_fund_events')
@Index('compensation_fund_events_amount_idx', ['runId', 'regionCode', 'id'])
export class FundEvent {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    primaryKeyConstraintName: 'compensation_fund_events_pkey',
  })
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode!: string;

  @ManyToOne(() => CompensationAmount, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'run_id',
      referencedColumnName: 'runId',
      foreignKeyConstraintName: 'compensation_fund_events_amount_fk',
    },
    { name: 'region_code', referencedColumnName: 'regionCode' },
  ])
  target?: CompensationAmount;

  @Column({ type: 'enum', enum: FUND_STATES, enumName: 'compensation_fund_state' })
  state!: FundState;

  /** 元: the amount paid, the reduced amount, or the amount recovered. */
  @Column(decimalColumn({ nullable: true }))
  amount!: Dec | null;

  /** The decision or payment document. */
  @Column({ type: 'text' })
  document!: string;

  @Column({ name: 'recorded_by', type: 'varchar', length: 64 })
  recordedBy!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
