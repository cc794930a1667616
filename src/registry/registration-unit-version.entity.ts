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
import { RegistryParty } from './party.entity';
import { LinkKind, OWNER_MODELS, OwnerModel } from './registry-types';
import { RegistrationUnit } from './registration-unit.entity';

/** 四至: what borders the unit to the east, south, west and north. */
export interface FourBounds {
  east?: string;
  south?: string;
  west?: string;
  north?: string;
}

/** Public-control attributes (公共管制): red line, protected-area zoning, planned use. */
export interface UnitControls {
  /** 生态保护红线 area inside the unit, hectares (decimal string). */
  redLineAreaHa?: string;
  /** Protected-area zone (核心保护区 / 一般控制区…). */
  protectedAreaZone?: string;
  /** Use fixed by the territorial spatial plan (国土空间规划用途). */
  plannedUse?: string;
  /** Special protection rules (特殊保护要求). */
  specialRules?: string;
}

/** A reference to a record kept elsewhere (关联信息): real-estate right, permit, mining right. */
export interface UnitLink {
  kind: LinkKind;
  reference: string;
  note?: string;
}

/**
 * What a unit was during `valid` (a date range, upper bound open while current): the register's
 * natural status (name, boundary, computed area, 四至), ownership status (全民所有 with its
 * representative and proxy exercisers, or 集体所有 with the collective) and linked information.
 * Written by ledger entries only; the database lets a version's period end earlier, never change
 * otherwise, and refuses two versions of a unit over the same day.
 */
@Entity('registration_unit_versions')
@Index('registration_unit_versions_unit_idx', ['unitId'])
@Index('registration_unit_versions_bbox_idx', { synchronize: false })
@Exclusion('registration_unit_versions_no_overlap', `USING gist (unit_id WITH =, valid WITH &&)`)
@Check(
  'registration_unit_versions_owner_check',
  `(owner_model = 'collective') = (collective_party_id IS NOT NULL) AND (owner_model = 'collective' OR representative IS NOT NULL)`,
)
@Check(
  'registration_unit_versions_areas_check',
  'area_ha > 0 AND coalesce(state_area_ha, 0) >= 0 AND coalesce(collective_area_ha, 0) >= 0 AND coalesce(disputed_area_ha, 0) >= 0',
)
export class RegistrationUnitVersion {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'registration_unit_versions_pkey' })
  id!: string;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId!: string;

  @ManyToOne(() => RegistrationUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'registration_unit_versions_unit_fk' })
  unit?: RegistrationUnit;

  /** `[from,to)` as PostgreSQL prints a daterange; `to` empty while current. */
  @Column({ type: 'daterange' })
  valid!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'jsonb' })
  boundary!: Boundary;

  /** Bounding box of the boundary, for the `&&` prefilter of the overlap check. */
  @Column({ type: 'box' })
  bbox!: string;

  /** Geodesic area of the boundary, hectares. */
  @Column(decimalColumn({ name: 'area_ha' }))
  areaHa!: Dec;

  @Column({ name: 'four_bounds', type: 'jsonb', nullable: true })
  fourBounds!: FourBounds | null;

  @Column({
    name: 'owner_model',
    type: 'enum',
    enum: OWNER_MODELS,
    enumName: 'registry_owner_model',
  })
  ownerModel!: OwnerModel;

  /** 集体所有: the collective owner. */
  @Column({ name: 'collective_party_id', type: 'uuid', nullable: true })
  collectivePartyId!: string | null;

  @ManyToOne(() => RegistryParty, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'collective_party_id',
    foreignKeyConstraintName: 'registration_unit_versions_collective_fk',
  })
  collectiveParty?: RegistryParty;

  /** 所有权代表行使主体 (全民所有: 国务院自然资源主管部门). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  representative!: string | null;

  /** 所有权代理行使主体 (e.g. the provincial or city government entrusted). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  proxy!: string | null;

  /** 日常管理主体: the managing agency. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  manager!: string | null;

  /** 权利行使方式 */
  @Column({ name: 'exercise_mode', type: 'text', nullable: true })
  exerciseMode!: string | null;

  /** 行使内容 */
  @Column({ name: 'exercise_content', type: 'text', nullable: true })
  exerciseContent!: string | null;

  /** 国有面积, hectares; null = not reported. */
  @Column(decimalColumn({ name: 'state_area_ha', nullable: true }))
  stateAreaHa!: Dec | null;

  /** 集体面积, hectares. */
  @Column(decimalColumn({ name: 'collective_area_ha', nullable: true }))
  collectiveAreaHa!: Dec | null;

  /** 争议区面积, hectares. */
  @Column(decimalColumn({ name: 'disputed_area_ha', nullable: true }))
  disputedAreaHa!: Dec | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  controls!: UnitControls;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  links!: UnitLink[];

  /** 附记 */
  @Column({ type: 'text', nullable: true })
  remarks!: string | null;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @ManyToOne(() => LedgerEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'registration_unit_versions_entry_fk' })
  entry?: LedgerEntry;
}
