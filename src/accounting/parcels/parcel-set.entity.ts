import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { decimalColumn } from '../../database/decimal-column';
import type { Dec } from '../../common/decimal';
import { Region } from '../../regions/region.entity';
import { Methodology } from '../methodology/methodology.entity';

/**
 * A loaded set of land-survey parcels of one county and year, with the per-parcel inputs of one
 * methodology's parcel model. Every parcel table is keyed by the county code (`region_code`) —
 * the distribution column when the parcel tables run on Citus (see README, "Parcel-level
 * accounting at national scale").
 */
@Entity('parcel_sets')
@Check('parcel_sets_year_check', 'year BETWEEN 1949 AND 2200')
@Index('parcel_sets_lookup_idx', ['regionCode', 'year'])
export class ParcelSet {
  @PrimaryColumn({
    name: 'region_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'parcel_sets_pkey',
  })
  regionCode!: string;

  @PrimaryColumn({
    type: 'uuid',
    primaryKeyConstraintName: 'parcel_sets_pkey',
  })
  id!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'parcel_sets_region_fk' })
  region?: Region;

  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'methodology_id', type: 'uuid' })
  methodologyId!: string;

  @ManyToOne(() => Methodology, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'methodology_id', foreignKeyConstraintName: 'parcel_sets_methodology_fk' })
  methodology?: Methodology;

  /** The per-parcel variables, in the order of `parcels.inputs`. */
  @Column({ name: 'input_codes', type: 'text', array: true })
  inputCodes!: string[];

  /** The unit each input is stored in (the methodology's declared unit). */
  @Column({ name: 'input_units', type: 'text', array: true })
  inputUnits!: string[];

  /** Inputs that had a column in the file (the others are not reported for any parcel). */
  @Column({ name: 'inputs_given', type: 'text', array: true })
  inputsGiven!: string[];

  @Column({ name: 'parcel_count', type: 'integer' })
  parcelCount!: number;

  /** hm². */
  @Column(decimalColumn({ name: 'total_area' }))
  totalArea!: Dec;

  @Column({ name: 'source_format', type: 'varchar', length: 16 })
  sourceFormat!: 'csv' | 'geojson';

  @Column({ name: 'source_filename', type: 'varchar', length: 255, nullable: true })
  sourceFilename!: string | null;

  @Column({ name: 'source_sha256', type: 'char', length: 64 })
  sourceSha256!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
