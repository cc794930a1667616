import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountingRuns1795371544823 implements MigrationInterface {
  name = 'AccountingRuns1795371544823';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."run_status" AS ENUM('draft', 'published', 'superseded')`,
    );
    await queryRunner.query(
      `CREATE TABLE "accounting_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "methodology_id" uuid NOT NULL, "standard_id" character varying(64) NOT NULL, "methodology_version" integer NOT NULL, "root_region_code" character varying(12) NOT NULL, "year" integer NOT NULL, "status" "public"."run_status" NOT NULL DEFAULT 'draft', "snapshot" jsonb NOT NULL, "snapshot_sha256" character(64) NOT NULL, "coverage" jsonb NOT NULL, "created_by" character varying(64), "published_by" character varying(64), "published_at" TIMESTAMP WITH TIME ZONE, "superseded_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "accounting_runs_year_check" CHECK (year BETWEEN 1949 AND 2200), CONSTRAINT "accounting_runs_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "accounting_runs_lookup_idx" ON "accounting_runs"  ("standard_id", "root_region_code", "year") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."result_status" AS ENUM('computed', 'aggregated', 'not_computable')`,
    );
    await queryRunner.query(
      `CREATE TABLE "accounting_results" ("run_id" uuid NOT NULL, "region_code" character varying(12) NOT NULL, "indicator_code" character varying(64) NOT NULL, "status" "public"."result_status" NOT NULL, "quantity" numeric, "quantity_unit" character varying(50), "value" numeric, "by_index" jsonb, "missing" text array, "trace" jsonb, CONSTRAINT "accounting_results_pkey" PRIMARY KEY ("run_id", "region_code", "indicator_code"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ADD CONSTRAINT "accounting_runs_methodology_fk" FOREIGN KEY ("methodology_id") REFERENCES "methodologies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ADD CONSTRAINT "accounting_runs_region_fk" FOREIGN KEY ("root_region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_results" ADD CONSTRAINT "accounting_results_run_fk" FOREIGN KEY ("run_id") REFERENCES "accounting_runs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // A published run is immutable; the only change allowed is being superseded by a newer run.
    await queryRunner.query(`CREATE FUNCTION accounting_runs_refuse_published_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.status = 'draft' THEN
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END IF;
                IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND NEW.status = 'superseded'
                   AND (to_jsonb(NEW) - 'status' - 'superseded_by') = (to_jsonb(OLD) - 'status' - 'superseded_by') THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'accounting run % is % and cannot be changed', OLD.id, OLD.status
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END $$`);
    await queryRunner.query(`CREATE TRIGGER accounting_runs_published_immutable BEFORE UPDATE OR DELETE ON "accounting_runs"
            FOR EACH ROW EXECUTE FUNCTION accounting_runs_refuse_published_change()`);
    // Results of a published or superseded run can be neither changed, deleted nor added to.
    await queryRunner.query(`CREATE FUNCTION accounting_results_refuse_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE st run_status;
            BEGIN
                SELECT status INTO st FROM accounting_runs WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.run_id ELSE NEW.run_id END;
                IF st <> 'draft' THEN
                    RAISE EXCEPTION 'results of a % run cannot be changed', st USING ERRCODE = 'object_not_in_prerequisite_state';
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER accounting_results_frozen BEFORE INSERT OR UPDATE OR DELETE ON "accounting_results"
            FOR EACH ROW EXECUTE FUNCTION accounting_results_refuse_frozen()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER accounting_results_frozen ON "accounting_results"`);
    await queryRunner.query(`DROP FUNCTION accounting_results_refuse_frozen()`);
    await queryRunner.query(
      `DROP TRIGGER accounting_runs_published_immutable ON "accounting_runs"`,
    );
    await queryRunner.query(`DROP FUNCTION accounting_runs_refuse_published_change()`);
    await queryRunner.query(
      `ALTER TABLE "accounting_results" DROP CONSTRAINT "accounting_results_run_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" DROP CONSTRAINT "accounting_runs_region_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" DROP CONSTRAINT "accounting_runs_methodology_fk"`,
    );
    await queryRunner.query(`DROP TABLE "accounting_results"`);
    await queryRunner.query(`DROP TYPE "public"."result_status"`);
    await queryRunner.query(`DROP INDEX "public"."accounting_runs_lookup_idx"`);
    await queryRunner.query(`DROP TABLE "accounting_runs"`);
    await queryRunner.query(`DROP TYPE "public"."run_status"`);
  }
}
