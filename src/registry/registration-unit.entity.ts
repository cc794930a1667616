import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Region } from '../regions/region.entity';
import { UNIT_STATUSES, UNIT_TYPES, UnitStatus, UnitType } from './registry-types';

/**
 * A registration unit (登记单元): its identity (code, type, region) and where it stands in the
 * workflow. What it is at a date — name, boundary, owners, areas — lives in its versions; how it
 * got there, in the ledger. The database lets only the status columns change and refuses any
 * change to a cancelled unit.
 */
@Entity('registration_units')
@Unique('registration_units_code_key', ['code'])
@Index('registration_units_region_idx', ['regionCode'])
export class RegistrationUnit {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'registration_units_pkey' })
  id!: string;

  /** See `unitCode` in registry-rules.ts. */
  @Column({ type: 'varchar', length: 20 })
  code!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'registration_units_region_fk' })
  region?: Region;

  @Column({ name: 'unit_type', type: 'enum', enum: UNIT_TYPES, enumName: 'registry_unit_type' })
  unitType!: UnitType;

  @Column({ type: 'enum', enum: UNIT_STATUSES, enumName: 'registry_unit_status' })
  status!: UnitStatus;

  /** Last day on which objections to the public notice (公告) can be raised. */
  @Column({ name: 'objection_deadline', type: 'date', nullable: true })
  objectionDeadline!: string | null;

  @Column({ name: 'registered_on', type: 'date', nullable: true })
  registeredOn!: string | null;

  @Column({ name: 'cancelled_on', type: 'date', nullable: true })
  cancelledOn!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
