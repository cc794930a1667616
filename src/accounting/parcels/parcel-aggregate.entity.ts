import { Column, Entity, PrimaryColumn } from 'typeorm';
import { decimalColumn } from '../../database/decimal-column';
import type { Dec } from '../../common/decimal';

/**
 * Sums of a parcel run's stored results per township and parcel type, and per county and type
 * (`area_code` = the county): exact sums of the per-parcel values, so a county equals the sum of
 * its townships and of its parcels digit for digit. `quantity`/`value` are NULL when some parcel
 * of the group has no result (`missing` + `failed` > 0) — a partial sum is never presented as a
 * total.
 *
 * No foreign key to `parcel_runs`: a run's parts write its township sums before the run's row
 * exists (see `parcel_runs_pending`).
 */
@Entity('parcel_aggregates')
export class ParcelAggregate {
  @PrimaryColumn({
    name: 'region_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'parcel_aggregates_pkey',
  })
  regionCode!: string;

  @PrimaryColumn({
    name: 'run_id',
    type: 'uuid',
    primaryKeyConstraintName: 'parcel_aggregates_pkey',
  })
  runId!: string;

  /** A township of the county, or the county itself. */
  @PrimaryColumn({
    name: 'area_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'parcel_aggregates_pkey',
  })
  areaCode!: string;

  @PrimaryColumn({
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'parcel_aggregates_pkey',
  })
  ecosystem!: string;

  @PrimaryColumn({
    name: 'indicator_code',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'parcel_aggregates_pkey',
  })
  indicatorCode!: string;

  @Column({ type: 'integer' })
  parcels!: number;

  /** hm². */
  @Column(decimalColumn({ name: 'area_ha' }))
  areaHa!: Dec;

  @Column(decimalColumn({ nullable: true }))
  quantity!: Dec | null;

  /** 元. */
  @Column(decimalColumn({ nullable: true }))
  value!: Dec | null;

  @Column({ type: 'integer' })
  missing!: number;

  @Column({ type: 'integer' })
  failed!: number;
}
