import {
  Column,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  CreateDateColumn,
} from 'typeorm';
import { ENTRY_KINDS, EntryKind } from './registry-types';
import { RegistrationUnit } from './registration-unit.entity';

/** The document behind an entry or a right: a notice, a contract, a certificate, a decision. */
export interface EntryDocument {
  type: string;
  number?: string;
  date?: string;
  issuer?: string;
}

/**
 * One entry of the registry's ledger: a registration event or a rights transaction on a unit,
 * effective on a date, with what it changed (`payload`: the new versions and rights as written)
 * and the ids it touched (`subjects`). Append-only — the database refuses UPDATE and DELETE, and
 * any entry on a cancelled unit. Entries of a unit are in effective-date order (`seq` breaks
 * ties), so the versions they wrote reconstruct the unit at any date.
 */
@Entity('registry_entries')
@Unique('registry_entries_seq_key', ['seq'])
@Index('registry_entries_unit_idx', ['unitId', 'seq'])
@Index('registry_entries_subjects_idx', { synchronize: false })
export class LedgerEntry {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'registry_entries_pkey' })
  id!: string;

  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId!: string;

  @ManyToOne(() => RegistrationUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'registry_entries_unit_fk' })
  unit?: RegistrationUnit;

  @Column({ type: 'enum', enum: ENTRY_KINDS, enumName: 'registry_entry_kind' })
  kind!: EntryKind;

  @Column({ name: 'effective_date', type: 'date' })
  effectiveDate!: string;

  @Column({ type: 'jsonb', nullable: true })
  document!: EntryDocument | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Units, resources, rights and objections the entry touched. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  subjects!: string[];

  @Column({ type: 'jsonb' })
  payload!: object;

  @Column({ name: 'recorded_by', type: 'varchar', length: 64 })
  recordedBy!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
