import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Region } from '../regions/region.entity';
import { ROLES, Role } from '../auth/roles';

const roleList = ROLES.map((r) => `'${r}'`).join(',');

@Entity('users')
@Unique('users_username_key', ['username'])
@Check('users_roles_check', `cardinality(roles) > 0 AND roles <@ ARRAY[${roleList}]::text[]`)
export class User {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'users_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName!: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash!: string;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  /** Root of the region subtree the user may act in; null = every region (national). */
  @Column({ name: 'region_code', type: 'varchar', length: 12, nullable: true })
  regionCode!: string | null;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'users_region_fk' })
  region?: Region | null;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  /** Bumped on password reset, role or scope change and disabling: older tokens stop working. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @VersionColumn({ default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
