import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lock on values of submitted and approved forms, checked once per statement over the rows it
 * touched (transition tables) instead of once per row: a bulk load writes a million values in one
 * statement, and the per-row lookup of the form's status was 40 % of its time.
 */
export class SurveyValuesStatementTrigger1795376400000 implements MigrationInterface {
  name = 'SurveyValuesStatementTrigger1795376400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER survey_values_locked ON "survey_values"`);
    await queryRunner.query(`DROP FUNCTION survey_values_refuse_locked()`);
    await queryRunner.query(`CREATE FUNCTION survey_values_refuse_locked() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await queryRunner.query(`CREATE TRIGGER survey_values_locked_insert AFTER INSERT ON "survey_values"
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION survey_values_refuse_locked()`);
    await queryRunner.query(`CREATE TRIGGER survey_values_locked_update AFTER UPDATE ON "survey_values"
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION survey_values_refuse_locked()`);
    await queryRunner.query(`CREATE TRIGGER survey_values_locked_delete AFTER DELETE ON "survey_values"
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION survey_values_refuse_locked()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER survey_values_locked_delete ON "survey_values"`);
    await queryRunner.query(`DROP TRIGGER survey_values_locked_update ON "survey_values"`);
    await queryRunner.query(`DROP TRIGGER survey_values_locked_insert ON "survey_values"`);
    await queryRunner.query(`DROP FUNCTION survey_values_refuse_locked()`);
    await queryRunner.query(`CREATE FUNCTION survey_values_refuse_locked() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE st survey_form_status;
            BEGIN
                SELECT status INTO st FROM survey_forms WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.form_id ELSE NEW.form_id END;
                IF st IN ('submitted', 'approved') THEN
                    RAISE EXCEPTION 'the form is %: its values are locked', st USING ERRCODE = 'object_not_in_prerequisite_state';
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER survey_values_locked BEFORE INSERT OR UPDATE OR DELETE ON "survey_values"
            FOR EACH ROW EXECUTE FUNCTION survey_values_refuse_locked()`);
  }
}
