import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Dec } from '../../common/decimal';
import { decimalColumn } from '../../database/decimal-column';
import { Region } from '../../regions/region.entity';
import {
  FOREST_LEVELS,
  FOREST_OWNERSHIPS,
  ForestLevel,
  ForestOwnership,
} from './forest-compensation';

/**
 * Area of public-welfare forest (公益林, 亩) of a region in a year, by designation level, ownership
 * and zone class, as the forestry bureau reports it; what forest compensation schemes pay on.
 */
@Entity('forest_areas')
@Check('forest_areas_area_check', 'area_mu > 0')
export class ForestAreaRow {
  @PrimaryColumn({
    name: 'region_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'forest_areas_pkey',
  })
  regionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'forest_areas_region_fk' })
  region?: Region;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'forest_areas_pkey' })
  year!: number;

  @PrimaryColumn({
    name: 'forest_level',
    type: 'enum',
    enum: FOREST_LEVELS,
    enumName: 'forest_level',
    primaryKeyConstraintName: 'forest_areas_pkey',
  })
  forestLevel!: ForestLevel;

  @PrimaryColumn({
    type: 'enum',
    enum: FOREST_OWNERSHIPS,
    enumName: 'forest_ownership',
    primaryKeyConstraintName: 'forest_areas_pkey',
  })
  ownership!: ForestOwnership;

  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'forest_areas_pkey' })
  zone!: string;

  /** 亩 */
  @Column(decimalColumn({ name: 'area_mu' }))
  areaMu!: Dec;

  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'entered_by', type: 'varchar', length: 64, nullable: true })
  enteredBy!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
