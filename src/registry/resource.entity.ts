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
import { RESOURCE_TYPES, ResourceType } from './registry-types';
import { RegistrationUnit } from './registration-unit.entity';

/**
 * A natural resource recorded in a unit (a forest stand, a wetland, a river stretch…): identity
 * only; its attributes at a date are in its versions. A resource made by a split or a merge names
 * the resources it came from. Append-only.
 */
@Entity('registry_resources')
@Unique('registry_resources_code_key', ['code'])
@Index('registry_resources_unit_idx', ['unitId'])
export class RegistryResource {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'registry_resources_pkey' })
  id!: string;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId!: string;

  @ManyToOne(() => RegistrationUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'registry_resources_unit_fk' })
  unit?: RegistrationUnit;

  /** The unit's code and a sequence within it (`resourceCode`). */
  @Column({ type: 'varchar', length: 30 })
  code!: string;

  @Column({
    name: 'resource_type',
    type: 'enum',
    enum: RESOURCE_TYPES,
    enumName: 'registry_resource_type',
  })
  resourceType!: ResourceType;

  @Column({ name: 'derived_from', type: 'uuid', array: true, default: () => "'{}'" })
  derivedFrom!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
