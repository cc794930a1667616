import {
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Dec } from '../../common/decimal';
import { decimalColumn } from '../../database/decimal-column';
import { SurveyForm } from './survey-form.entity';

/**
 * One reported value: a variable (and index item, e.g. an ecosystem type) of a form, as entered —
 * value and unit exactly as given, converted to the variable's unit only when used. A null value
 * is "not reported"; zero is an explicit value.
 */
@Entity('survey_values')
@Unique('survey_values_cell_key', ['formId', 'variable', 'item'])
export class SurveyValue {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'survey_values_pkey' })
  id!: string;

  @Column({ name: 'form_id', type: 'uuid' })
  formId!: string;

  /**
   * Not a declared foreign key: the form is checked (and locked against deletion) once per
   * statement by trigger, under the name `survey_values_form_fk` — see migration
   * SurveyValuesFormCheckPerStatement.
   */
  @ManyToOne(() => SurveyForm, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'form_id' })
  form?: SurveyForm;

  @Column({ type: 'varchar', length: 64 })
  variable!: string;

  /** Index item code (e.g. `forest`), or '' for a variable that is not indexed. */
  @Column({ type: 'varchar', length: 64, default: '' })
  item!: string;

  @Column(decimalColumn({ nullable: true }))
  value!: Dec | null;

  @Column({ type: 'varchar', length: 50 })
  unit!: string;

  /** Source document reference (文件、报表、监测数据). */
  @Column({ type: 'text', nullable: true })
  source!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'updated_by', type: 'varchar', length: 64, nullable: true })
  updatedBy!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
