import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Dec } from '../../common/decimal';
import { decimalColumn } from '../../database/decimal-column';
import { Region } from '../../regions/region.entity';
import { POLLUTANTS, Pollutant } from './cross-section';

/** A cross-boundary water-quality monitoring section (跨界考核断面) between two regions. */
@Entity('monitoring_sections')
@Check('monitoring_sections_regions_check', 'upstream_region_code <> downstream_region_code')
export class MonitoringSection {
  /** e.g. `letan-yutan-bridge`. */
  @PrimaryColumn({
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'monitoring_sections_pkey',
  })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 100 })
  river!: string;

  @Column({ name: 'upstream_region_code', type: 'varchar', length: 12 })
  upstreamRegionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'upstream_region_code',
    foreignKeyConstraintName: 'monitoring_sections_upstream_fk',
  })
  upstreamRegion?: Region;

  @Column({ name: 'downstream_region_code', type: 'varchar', length: 12 })
  downstreamRegionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'downstream_region_code',
    foreignKeyConstraintName: 'monitoring_sections_downstream_fk',
  })
  downstreamRegion?: Region;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export const SECTION_STATES = ['normal', 'dry', 'frozen'] as const;
export type SectionState = (typeof SECTION_STATES)[number];

/** A month's state at a section as the monitoring station records it. */
export const SECTION_STATE_ZH: Record<SectionState, string> = {
  normal: '正常',
  dry: '断流',
  frozen: '冰冻',
};

/**
 * A month's reading of one pollutant at a section (mg/L): the outflow concentration and, where
 * the river enters the upstream region from further up, the inflow one. A dry (断流) or frozen
 * (冰冻) month has no concentration and is not scored.
 */
@Entity('monitoring_values')
@Check('monitoring_values_month_check', 'month BETWEEN 1 AND 12')
@Check('monitoring_values_state_check', `(state = 'normal') = (concentration IS NOT NULL)`)
@Check('monitoring_values_concentration_check', 'concentration >= 0 AND inflow >= 0')
export class MonitoringValue {
  @PrimaryColumn({
    name: 'section_code',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'monitoring_values_pkey',
  })
  sectionCode!: string;

  @ManyToOne(() => MonitoringSection, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'section_code', foreignKeyConstraintName: 'monitoring_values_section_fk' })
  section?: MonitoringSection;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'monitoring_values_pkey' })
  year!: number;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'monitoring_values_pkey' })
  month!: number;

  @PrimaryColumn({
    type: 'enum',
    enum: POLLUTANTS,
    enumName: 'pollutant',
    primaryKeyConstraintName: 'monitoring_values_pkey',
  })
  pollutant!: Pollutant;

  @Column({ type: 'enum', enum: SECTION_STATES, enumName: 'section_state', default: 'normal' })
  state!: SectionState;

  /** mg/L */
  @Column(decimalColumn({ nullable: true }))
  concentration!: Dec | null;

  /** mg/L at the upstream region's inflow section, where there is one. */
  @Column(decimalColumn({ nullable: true }))
  inflow!: Dec | null;

  /** e.g. 上饶市生态环境局 2023 年 7 月断面水质月报. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'entered_by', type: 'varchar', length: 64, nullable: true })
  enteredBy!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
