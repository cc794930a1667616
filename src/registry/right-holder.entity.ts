import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Dec } from '../common/decimal';
import { decimalColumn } from '../database/decimal-column';
import { RegistryParty } from './party.entity';
import { RegistryRight } from './right.entity';

/**
 * A holder of a right and its share (percent). Co-held rights have several holders; the database
 * refuses shares that add up to more than 100 %. Append-only: a new holder set is a new right.
 */
@Entity('registry_right_holders')
@Index('registry_right_holders_party_idx', ['partyId'])
@Check('registry_right_holders_share_check', 'share > 0 AND share <= 100')
export class RightHolder {
  @PrimaryColumn({
    name: 'right_id',
    type: 'uuid',
    primaryKeyConstraintName: 'registry_right_holders_pkey',
  })
  rightId!: string;

  @ManyToOne(() => RegistryRight, (r) => r.holders, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'right_id', foreignKeyConstraintName: 'registry_right_holders_right_fk' })
  right?: RegistryRight;

  @PrimaryColumn({
    name: 'party_id',
    type: 'uuid',
    primaryKeyConstraintName: 'registry_right_holders_pkey',
  })
  partyId!: string;

  @ManyToOne(() => RegistryParty, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'party_id', foreignKeyConstraintName: 'registry_right_holders_party_fk' })
  party?: RegistryParty;

  /** Percent, up to 4 decimals. */
  @Column(decimalColumn({ precision: 7, scale: 4 }))
  share!: Dec;
}
