import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Methodology } from '../methodology/methodology.entity';
import { ParcelSet } from './parcel-set.entity';
import type { ResolvedParameters } from './parcel-model';

/** Per indicator of a parcel run: how many parcels have a result, lack inputs, or hit a data error. */
export interface ParcelRunIndicatorSummary {
  code: string;
  quantityUnit: string | null;
  computed: number;
  missing: number;
  failed: number;
}

/**
 * A parcel-level accounting run: a parcel set × a published methodology version, computed
 * set-based, in parts, and stored at once (its row is written last; see ParcelRunsService). It
 * keeps what it computed from — the parameter values (per
 * parcel type) and the generated SQL with its hash — so any parcel's figures can be recomputed
 * and explained. Written once, never updated.
 */
@Entity('parcel_runs')
export class ParcelRun {
  @PrimaryColumn({
    name: 'region_code',
    type: 'varchar',
    length: 12,
    primaryKeyConstraintName: 'parcel_runs_pkey',
  })
  regionCode!: string;

  @PrimaryColumn({
    type: 'uuid',
    primaryKeyConstraintName: 'parcel_runs_pkey',
  })
  id!: string;

  @Column({ name: 'set_id', type: 'uuid' })
  setId!: string;

  @ManyToOne(() => ParcelSet, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'region_code',
      referencedColumnName: 'regionCode',
      foreignKeyConstraintName: 'parcel_runs_set_fk',
    },
    { name: 'set_id', referencedColumnName: 'id' },
  ])
  set?: ParcelSet;

  @Column({ name: 'methodology_id', type: 'uuid' })
  methodologyId!: string;

  @ManyToOne(() => Methodology, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'methodology_id', foreignKeyConstraintName: 'parcel_runs_methodology_fk' })
  methodology?: Methodology;

  @Column({ name: 'standard_id', type: 'varchar', length: 64 })
  standardId!: string;

  @Column({ name: 'methodology_version', type: 'integer' })
  methodologyVersion!: number;

  @Column({ type: 'integer' })
  year!: number;

  /** Indicators in the order of the `quantities` / `values` arrays of its statement (`compiledSql`). */
  @Column({ name: 'indicator_codes', type: 'text', array: true })
  indicatorCodes!: string[];

  /** The parameter values used (as resolved for the county and year), with sources. */
  @Column({ type: 'jsonb' })
  parameters!: ResolvedParameters;

  /**
   * The SELECT that computes the run's parcels, and its SHA-256: the county $1, the set $2, the
   * parcels $3 (text[] of ids; NULL: all) and which part of them, $5 (from 0) of $4. The run
   * summed it in parts; a parcel's results are computed again from it when asked for. Statements
   * of runs stored before they took $3 (or $4, $5) are kept as they were; `runParcelsSql` adds
   * those conditions where they are run.
   */
  @Column({ name: 'compiled_sql', type: 'text' })
  compiledSql!: string;

  @Column({ name: 'compiled_sql_sha256', type: 'char', length: 64 })
  compiledSqlSha256!: string;

  @Column({ name: 'parcel_count', type: 'integer' })
  parcelCount!: number;

  @Column({ type: 'jsonb' })
  summary!: ParcelRunIndicatorSummary[];

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
