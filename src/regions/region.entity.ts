import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';

export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/**
 * An administrative division, keyed by its statistical division code (统计用区划代码):
 * 6 digits for province, city and county, 9 for a township, 12 for a village.
 * `path` is the ltree of ancestor codes (`360000.361100.361130`) for subtree queries.
 */
@Entity('regions')
@Index('regions_path_gist', { synchronize: false })
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 12, primaryKeyConstraintName: 'regions_pkey' })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'enum', enum: REGION_LEVELS, enumName: 'region_level' })
  level!: RegionLevel;

  @Column({ name: 'parent_code', type: 'varchar', length: 12, nullable: true })
  parentCode!: string | null;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_code', foreignKeyConstraintName: 'regions_parent_fk' })
  parent?: Region | null;

  @Column({ type: 'ltree' })
  path!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
