import {
  Check,
  Column,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Dec } from '../common/decimal';
import { decimalColumn } from '../database/decimal-column';
import type { Boundary } from '../common/geometry/geometry';
import { LedgerEntry } from './ledger-entry.entity';
import { ECOSYSTEM_TYPES, EcosystemType } from './registry-types';
import { RegistryResource } from './resource.entity';

/**
 * A resource during `valid`: ecosystem type, area (hectares) and its state / collective /
 * disputed parts, patch count, optional geometry and the per-type attributes of the register
 * (`resource-attributes.ts`). Versions of a resource never overlap in time; a split or a merge
 * ends the parts' versions.
 */
@Entity('registry_resource_versions')
@Index('registry_resource_versions_resource_idx', ['resourceId'])
@Exclusion(
  'registry_resource_versions_no_overlap',
  `USING gist (resource_id WITH =, valid WITH &&)`,
)
@Check(
  'registry_resource_versions_areas_check',
  'area_ha > 0 AND coalesce(state_area_ha, 0) >= 0 AND coalesce(collective_area_ha, 0) >= 0 AND coalesce(disputed_area_ha, 0) >= 0',
)
export class ResourceVersion {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'registry_resource_versions_pkey' })
  id!: string;

  @Column({ name: 'resource_id', type: 'uuid' })
  resourceId!: string;

  @ManyToOne(() => RegistryResource, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'resource_id',
    foreignKeyConstraintName: 'registry_resource_versions_resource_fk',
  })
  resource?: RegistryResource;

  @Column({ type: 'daterange' })
  valid!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  @Column({
    name: 'ecosystem_type',
    type: 'enum',
    enum: ECOSYSTEM_TYPES,
    enumName: 'registry_ecosystem_type',
  })
  ecosystemType!: EcosystemType;

  @Column(decimalColumn({ name: 'area_ha' }))
  areaHa!: Dec;

  @Column(decimalColumn({ name: 'state_area_ha', nullable: true }))
  stateAreaHa!: Dec | null;

  @Column(decimalColumn({ name: 'collective_area_ha', nullable: true }))
  collectiveAreaHa!: Dec | null;

  @Column(decimalColumn({ name: 'disputed_area_ha', nullable: true }))
  disputedAreaHa!: Dec | null;

  /** 包含图斑数量 */
  @Column({ name: 'patch_count', type: 'integer', nullable: true })
  patchCount!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  geometry!: Boundary | null;

  /** Per-type register fields, decimals as strings (`resource-attributes.ts`). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  attributes!: Record<string, string | number | string[]>;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @ManyToOne(() => LedgerEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'registry_resource_versions_entry_fk' })
  entry?: LedgerEntry;
}
