import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Boundary } from '../common/geometry/geometry';
import { Region } from './region.entity';

/**
 * A region's outline (行政区界线) as GeoJSON in WGS 84 longitude/latitude, drawn under registry
 * units and parcels on the console's maps. Optional: most regions never get one, and nothing is
 * computed from it. `source` says where it came from (e.g. 第三次全国国土调查 county boundary).
 */
@Entity('region_boundaries')
export class RegionBoundary {
  @PrimaryColumn({
    name: 'region_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'region_boundaries_pkey',
  })
  regionCode!: string;

  @OneToOne(() => Region, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'region_boundaries_region_fk' })
  region?: Region;

  @Column({ type: 'jsonb' })
  boundary!: Boundary;

  @Column({ type: 'varchar', length: 500 })
  source!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
