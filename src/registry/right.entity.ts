import {
  Check,
  Column,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Dec } from '../common/decimal';
import { decimalColumn } from '../database/decimal-column';
import { EntryDocument, LedgerEntry } from './ledger-entry.entity';
import { RIGHT_RULES, RIGHT_TYPES, RightType } from './registry-types';
import { RegistryResource } from './resource.entity';
import type { RightHolder } from './right-holder.entity';

const typesWhere = (test: (t: RightType) => boolean): string =>
  RIGHT_TYPES.filter(test)
    .map((t) => `'${t}'`)
    .join(',');

/**
 * A right over a resource, held by one or more parties (with shares), for `active` — a date range
 * from its start to its term end, brought forward when it is transferred, released or ended.
 * Handing a right on ends it and creates the successor (`derivedFromRightId`), so every holder
 * set is a row of its own and history is never overwritten. Mortgages, leases and custody
 * encumber another right (`encumbersRightId`) and cannot outlive it.
 *
 * The database refuses: two exclusive rights of one type over one resource on the same day;
 * `exclusive`, `encumbers_right_id` and `area_ha` inconsistent with the type; a mortgage over a
 * right that cannot be mortgaged or outside its term (trigger); holders' shares over 100 %
 * (trigger); any change except bringing the end forward.
 */
@Entity('registry_rights')
@Index('registry_rights_resource_idx', ['resourceId'])
@Index('registry_rights_encumbers_idx', ['encumbersRightId'])
@Exclusion(
  'registry_rights_exclusive_no_overlap',
  `USING gist (resource_id WITH =, right_type WITH =, active WITH &&) WHERE (exclusive)`,
)
@Check(
  'registry_rights_type_check',
  `exclusive = (right_type::text NOT IN (${typesWhere((t) => !RIGHT_RULES[t].exclusive)})) AND (encumbers_right_id IS NOT NULL) = (right_type::text IN (${typesWhere((t) => RIGHT_RULES[t].encumbrance)})) AND (area_ha IS NOT NULL) = (right_type::text IN (${typesWhere((t) => RIGHT_RULES[t].hasArea)}))`,
)
@Check(
  'registry_rights_active_check',
  'NOT lower_inf(active) AND coalesce(area_ha, 1) > 0 AND coalesce(price_yuan, 0) >= 0',
)
export class RegistryRight {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'registry_rights_pkey' })
  id!: string;

  @Column({ name: 'resource_id', type: 'uuid' })
  resourceId!: string;

  @ManyToOne(() => RegistryResource, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'registry_rights_resource_fk' })
  resource?: RegistryResource;

  @Column({ name: 'right_type', type: 'enum', enum: RIGHT_TYPES, enumName: 'registry_right_type' })
  rightType!: RightType;

  @Column({ type: 'boolean' })
  exclusive!: boolean;

  /** `[start,end)`; end empty for a right without term. */
  @Column({ type: 'daterange' })
  active!: string;

  @Column({ name: 'encumbers_right_id', type: 'uuid', nullable: true })
  encumbersRightId!: string | null;

  @ManyToOne(() => RegistryRight, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'encumbers_right_id',
    foreignKeyConstraintName: 'registry_rights_encumbers_fk',
  })
  encumbers?: RegistryRight;

  @Column({ name: 'derived_from_right_id', type: 'uuid', nullable: true })
  derivedFromRightId!: string | null;

  @ManyToOne(() => RegistryRight, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'derived_from_right_id',
    foreignKeyConstraintName: 'registry_rights_derived_fk',
  })
  derivedFrom?: RegistryRight;

  /** Area the right carries (hectares), for wetland offset credits. */
  @Column(decimalColumn({ name: 'area_ha', nullable: true }))
  areaHa!: Dec | null;

  /** Price or consideration of the transaction that created it, 元. */
  @Column(decimalColumn({ name: 'price_yuan', nullable: true }))
  priceYuan!: Dec | null;

  /** The contract, certificate or decision that created the right. */
  @Column({ type: 'jsonb' })
  document!: EntryDocument;

  @Column({ name: 'created_entry_id', type: 'uuid' })
  createdEntryId!: string;

  @ManyToOne(() => LedgerEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'created_entry_id',
    foreignKeyConstraintName: 'registry_rights_created_entry_fk',
  })
  createdEntry?: LedgerEntry;

  @Column({ name: 'ended_entry_id', type: 'uuid', nullable: true })
  endedEntryId!: string | null;

  @ManyToOne(() => LedgerEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'ended_entry_id',
    foreignKeyConstraintName: 'registry_rights_ended_entry_fk',
  })
  endedEntry?: LedgerEntry;

  @OneToMany('RightHolder', 'right')
  holders?: RightHolder[];
}
