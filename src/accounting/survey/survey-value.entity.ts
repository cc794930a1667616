import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Dec } from '../../common/decimal';
import { decimalColumn } from '../../database/decimal-column';
import { SurveyForm } from './survey-form.entity';

/**
 * One reported value: a variable (and index item, e.g. an ecosystem type) of a form, as entered —
 * value and unit exactly as given, converted to the variable's unit only when used. A null value
 * is "not reported"; zero is an explicit value. A value is its cell: the form, the variable and
 * the item are its key (see migration SurveyValuesKeyedByCell).
 */
@Entity('survey_values')
export class SurveyValue {
  @PrimaryColumn({ name: 'form_id', type: 'uuid', primaryKeyConstraintName: 'survey_values_pkey' })
  formId!: string;

  /**
   * Not a declared foreign key: the form is checked (and locked against deletion) once per
   * statement by trigger, under the name `survey_values_form_fk` — see migration
   * SurveyValuesFormCheckPerStatement.
   */
  @ManyToOne(() => SurveyForm, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'form_id' })
  form?: SurveyForm;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'survey_values_pkey' })
  variable!: string;

  /** Index item code (e.g. `forest`), or '' for a variable that is not indexed. */
  @PrimaryColumn({
    type: 'varchar',
    length: 64,
    default: '',
    primaryKeyConstraintName: 'survey_values_pkey',
  })
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
