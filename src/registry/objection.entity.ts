import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { LedgerEntry } from './ledger-entry.entity';
import { RegistrationUnit } from './registration-unit.entity';

export const OBJECTION_STATUSES = ['open', 'upheld', 'dismissed'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

/**
 * An objection (异议) to a unit's registration: raised during the public notice of a first
 * registration, where an open one blocks registration, or later as an 异议登记 on a registered
 * unit. Resolved once (upheld or dismissed, 异议处理告知书); the database refuses any other change.
 */
@Entity('registry_objections')
@Index('registry_objections_unit_idx', ['unitId'])
@Check('registry_objections_resolution_check', `(status = 'open') = (resolved_on IS NULL)`)
export class RegistryObjection {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'registry_objections_pkey' })
  id!: string;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId!: string;

  @ManyToOne(() => RegistrationUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'registry_objections_unit_fk' })
  unit?: RegistrationUnit;

  @Column({ name: 'raised_on', type: 'date' })
  raisedOn!: string;

  @Column({ type: 'varchar', length: 200 })
  objector!: string;

  @Column({ type: 'text' })
  content!: string;

  @Column({
    type: 'enum',
    enum: OBJECTION_STATUSES,
    enumName: 'registry_objection_status',
    default: 'open',
  })
  status!: ObjectionStatus;

  @Column({ type: 'text', nullable: true })
  resolution!: string | null;

  @Column({ name: 'resolved_on', type: 'date', nullable: true })
  resolvedOn!: string | null;

  @Column({ name: 'resolved_by', type: 'varchar', length: 64, nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @ManyToOne(() => LedgerEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'registry_objections_entry_fk' })
  entry?: LedgerEntry;

  @Column({ name: 'resolution_entry_id', type: 'uuid', nullable: true })
  resolutionEntryId!: string | null;

  @ManyToOne(() => LedgerEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'resolution_entry_id',
    foreignKeyConstraintName: 'registry_objections_resolution_entry_fk',
  })
  resolutionEntry?: LedgerEntry;
}
