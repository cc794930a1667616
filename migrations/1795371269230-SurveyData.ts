import { MigrationInterface, QueryRunner } from 'typeorm';

export class SurveyData1795371269230 implements MigrationInterface {
  name = 'SurveyData1795371269230';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."survey_form_status" AS ENUM('draft', 'submitted', 'approved', 'returned')`,
    );
    await queryRunner.query(
      `CREATE TABLE "survey_forms" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "standard_id" character varying(64) NOT NULL, "department" character varying(100) NOT NULL, "region_code" character varying(12) NOT NULL, "year" integer NOT NULL, "status" "public"."survey_form_status" NOT NULL DEFAULT 'draft', "comment" text, "corrections" integer NOT NULL DEFAULT '0', "submitted_by" character varying(64), "submitted_at" TIMESTAMP WITH TIME ZONE, "reviewed_by" character varying(64), "reviewed_at" TIMESTAMP WITH TIME ZONE, "created_by" character varying(64), "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "survey_forms_instance_key" UNIQUE ("standard_id", "department", "region_code", "year"), CONSTRAINT "survey_forms_year_check" CHECK (year BETWEEN 1949 AND 2200), CONSTRAINT "survey_forms_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "survey_forms_region_year_idx" ON "survey_forms"  ("region_code", "year") `,
    );
    await queryRunner.query(
      `CREATE TABLE "survey_values" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "form_id" uuid NOT NULL, "variable" character varying(64) NOT NULL, "item" character varying(64) NOT NULL DEFAULT '', "value" numeric, "unit" character varying(50) NOT NULL, "source" text, "note" text, "updated_by" character varying(64), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "survey_values_cell_key" UNIQUE ("form_id", "variable", "item"), CONSTRAINT "survey_values_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_forms" ADD CONSTRAINT "survey_forms_region_fk" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_values" ADD CONSTRAINT "survey_values_form_fk" FOREIGN KEY ("form_id") REFERENCES "survey_forms"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Values of a submitted or approved form are locked: corrections reopen the form first.
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

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER survey_values_locked ON "survey_values"`);
    await queryRunner.query(`DROP FUNCTION survey_values_refuse_locked()`);
    await queryRunner.query(`ALTER TABLE "survey_values" DROP CONSTRAINT "survey_values_form_fk"`);
    await queryRunner.query(`ALTER TABLE "survey_forms" DROP CONSTRAINT "survey_forms_region_fk"`);
    await queryRunner.query(`DROP TABLE "survey_values"`);
    await queryRunner.query(`DROP INDEX "public"."survey_forms_region_year_idx"`);
    await queryRunner.query(`DROP TABLE "survey_forms"`);
    await queryRunner.query(`DROP TYPE "public"."survey_form_status"`);
  }
}
