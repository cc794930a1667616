import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ParcelRun } from './parcel-run.entity';

/**
 * A parcel's results in one run, compactly: one row per parcel, quantities and values as
 * numeric[] in the run's `indicator_codes` order (quantities in each indicator's unit, values in
 * 元, at the stored precision; NULL = not computable), and the positions of indicators that hit a
 * data error. Township and type are copied from the parcel so aggregation needs no join. Read
 * arrays as `::text[]`: node-postgres parses numeric[] into floats by default.
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

  @ManyToOne(() => ParcelRun, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'region_code',
      referencedColumnName: 'regionCode',
      foreignKeyConstraintName: 'parcel_results_run_fk',
    },
    { name: 'run_id', referencedColumnName: 'id' },
  ])
  run?: ParcelRun;

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
