import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { decimalColumn } from '../../database/decimal-column';
import type { Dec } from '../../common/decimal';

/**
 * One parcel: its county (distribution key), set, id as given, township, type (an item of the
 * methodology's parcel index set), area in hm², optional centroid, and its per-parcel inputs as
 * one numeric[] in the set's `input_codes` order (each in its declared unit; NULL = not reported).
 * Written only by a load, in bulk; read by set-based SQL. Read arrays as `::text[]`: node-postgres
 * parses numeric[] into floats by default.
 *
 * No foreign key to `parcel_sets`: a load writes its set row and all its parcels in one
 * transaction, and a row-level FK check costs about as much as the rest of the insert (13 s per
 * million parcels, measured). The primary key starts with (region_code, set_id).
 */
@Entity('parcels')
@Check('parcels_area_check', 'area_ha > 0')
@Check('parcels_centroid_check', '(lon IS NULL) = (lat IS NULL)')
export class Parcel {
  @PrimaryColumn({
    name: 'region_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'parcels_pkey',
  })
  regionCode!: string;

  @PrimaryColumn({ name: 'set_id', type: 'uuid', primaryKeyConstraintName: 'parcels_pkey' })
  setId!: string;

  @PrimaryColumn({
    name: 'parcel_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'parcels_pkey',
  })
  parcelId!: string;

  @Column({ name: 'township_code', type: 'varchar', length: 12 })
  townshipCode!: string;

  @Column({ type: 'varchar', length: 64 })
  ecosystem!: string;

  @Column(decimalColumn({ name: 'area_ha' }))
  areaHa!: Dec;

  @Column(decimalColumn({ nullable: true }))
  lon!: Dec | null;

  @Column(decimalColumn({ nullable: true }))
  lat!: Dec | null;

  @Column({ type: 'numeric', array: true })
  inputs!: (string | null)[];
}
