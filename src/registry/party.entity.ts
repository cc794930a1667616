import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Region } from '../regions/region.entity';
import { PARTY_KINDS, PartyKind } from './registry-types';

/**
 * A party that holds or exercises rights: a state body (自然资源部, a county government, a
 * protected-area administration), a collective (农民集体, via its village committee), an
 * enterprise or an individual. Parties are referred to by rights and ownership; never deleted.
 */
@Entity('registry_parties')
@Index('registry_parties_id_number_key', ['kind', 'idNumber'], {
  unique: true,
  where: 'id_number IS NOT NULL',
})
export class RegistryParty {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'registry_parties_pkey' })
  id!: string;

  @Column({ type: 'enum', enum: PARTY_KINDS, enumName: 'registry_party_kind' })
  kind!: PartyKind;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** 统一社会信用代码 for bodies, collectives and enterprises; 身份证件号 for individuals. */
  @Column({ name: 'id_number', type: 'varchar', length: 64, nullable: true })
  idNumber!: string | null;

  @Column({ name: 'region_code', type: 'varchar', length: 12, nullable: true })
  regionCode!: string | null;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'registry_parties_region_fk' })
  region?: Region;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
