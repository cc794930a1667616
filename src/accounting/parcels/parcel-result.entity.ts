import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A parcel's results in one run, compactly: one row per parcel, quantities and values as
 * numeric[] in the run's `indicator_codes` order (quantities in each indicator's unit, values in
 * 元, at the stored precision; NULL = not computable), and the positions of indicators that hit a
 * data error. Township and type are copied from the parcel so aggregation needs no join. Read
 * arrays as `::text[]`: node-postgres parses numeric[] into floats by default.
 *
 * No foreign key to `parcel_runs`, for the same reason as `parcels`: a run writes its row and
 * all its results in one transaction; a row-level FK check per result would add ~13 s per
 * million parcels.
 */
@Entity('parcel_results')
export class ParcelResult {
  @PrimaryColumn({
    name: 'region_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'parcel_results_pkey',
  })
  regionCode!: string;

  @PrimaryColumn({ name: 'run_id', type: 'uuid', primaryKeyConstraintName: 'parcel_results_pkey' })
  runId!: string;

  @PrimaryColumn({
    name: 'parcel_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'parcel_results_pkey',
  })
  parcelId!: string;

  @Column({ name: 'township_code', type: 'varchar', length: 12 })
  townshipCode!: string;

  @Column({ type: 'varchar', length: 64 })
  ecosystem!: string;

  /** hm², copied from the parcel. */
  @Column({ name: 'area_ha', type: 'numeric' })
  areaHa!: string;

  @Column({ type: 'numeric', array: true })
  quantities!: (string | null)[];

  @Column({ type: 'numeric', array: true })
  values!: (string | null)[];

  @Column({ type: 'smallint', array: true, nullable: true })
  failed!: number[] | null;
}
