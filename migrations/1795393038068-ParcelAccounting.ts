import { MigrationInterface, QueryRunner } from 'typeorm';

export class ParcelAccounting1795393038068 implements MigrationInterface {
  name = 'ParcelAccounting1795393038068';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "parcel_sets" ("region_code" character varying(12) NOT NULL, "id" uuid NOT NULL, "year" integer NOT NULL, "name" character varying(200) NOT NULL, "methodology_id" uuid NOT NULL, "input_codes" text array NOT NULL, "input_units" text array NOT NULL, "inputs_given" text array NOT NULL, "parcel_count" integer NOT NULL, "total_area" numeric NOT NULL, "source_format" character varying(16) NOT NULL, "source_filename" character varying(255), "source_sha256" character(64) NOT NULL, "created_by" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "parcel_sets_year_check" CHECK (year BETWEEN 1949 AND 2200), CONSTRAINT "parcel_sets_pkey" PRIMARY KEY ("region_code", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "parcel_sets_lookup_idx" ON "parcel_sets"  ("region_code", "year") `,
    );
    await queryRunner.query(
      `CREATE TABLE "parcel_runs" ("region_code" character varying(12) NOT NULL, "id" uuid NOT NULL, "set_id" uuid NOT NULL, "methodology_id" uuid NOT NULL, "standard_id" character varying(64) NOT NULL, "methodology_version" integer NOT NULL, "year" integer NOT NULL, "indicator_codes" text array NOT NULL, "parameters" jsonb NOT NULL, "compiled_sql" text NOT NULL, "compiled_sql_sha256" character(64) NOT NULL, "parcel_count" integer NOT NULL, "summary" jsonb NOT NULL, "created_by" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "parcel_runs_pkey" PRIMARY KEY ("region_code", "id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "parcel_aggregates" ("region_code" character varying(12) NOT NULL, "run_id" uuid NOT NULL, "area_code" character varying(12) NOT NULL, "ecosystem" character varying(64) NOT NULL, "indicator_code" character varying(64) NOT NULL, "parcels" integer NOT NULL, "area_ha" numeric NOT NULL, "quantity" numeric, "value" numeric, "missing" integer NOT NULL, "failed" integer NOT NULL, CONSTRAINT "parcel_aggregates_pkey" PRIMARY KEY ("region_code", "run_id", "area_code", "ecosystem", "indicator_code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "parcels" ("region_code" character varying(12) NOT NULL, "set_id" uuid NOT NULL, "parcel_id" character varying(64) NOT NULL, "township_code" character varying(12) NOT NULL, "ecosystem" character varying(64) NOT NULL, "area_ha" numeric NOT NULL, "lon" numeric, "lat" numeric, "inputs" numeric array NOT NULL, CONSTRAINT "parcels_centroid_check" CHECK ((lon IS NULL) = (lat IS NULL)), CONSTRAINT "parcels_area_check" CHECK (area_ha > 0), CONSTRAINT "parcels_pkey" PRIMARY KEY ("region_code", "set_id", "parcel_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "parcel_results" ("region_code" character varying(12) NOT NULL, "run_id" uuid NOT NULL, "parcel_id" character varying(64) NOT NULL, "township_code" character varying(12) NOT NULL, "ecosystem" character varying(64) NOT NULL, "area_ha" numeric NOT NULL, "quantities" numeric array NOT NULL, "values" numeric array NOT NULL, "failed" smallint array, CONSTRAINT "parcel_results_pkey" PRIMARY KEY ("region_code", "run_id", "parcel_id"))`,
    );
    await queryRunner.query(`ALTER TYPE "public"."job_kind" ADD VALUE 'parcel_import'`);
    await queryRunner.query(`ALTER TYPE "public"."job_kind" ADD VALUE 'parcel_run'`);
    await queryRunner.query(
      `ALTER TABLE "parcel_sets" ADD CONSTRAINT "parcel_sets_region_fk" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "parcel_sets" ADD CONSTRAINT "parcel_sets_methodology_fk" FOREIGN KEY ("methodology_id") REFERENCES "methodologies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "parcel_runs" ADD CONSTRAINT "parcel_runs_set_fk" FOREIGN KEY ("region_code", "set_id") REFERENCES "parcel_sets"("region_code","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "parcel_runs" ADD CONSTRAINT "parcel_runs_methodology_fk" FOREIGN KEY ("methodology_id") REFERENCES "methodologies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "parcel_aggregates" ADD CONSTRAINT "parcel_aggregates_run_fk" FOREIGN KEY ("region_code", "run_id") REFERENCES "parcel_runs"("region_code","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "parcel_aggregates" DROP CONSTRAINT "parcel_aggregates_run_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "parcel_runs" DROP CONSTRAINT "parcel_runs_methodology_fk"`,
    );
    await queryRunner.query(`ALTER TABLE "parcel_runs" DROP CONSTRAINT "parcel_runs_set_fk"`);
    await queryRunner.query(
      `ALTER TABLE "parcel_sets" DROP CONSTRAINT "parcel_sets_methodology_fk"`,
    );
    await queryRunner.query(`ALTER TABLE "parcel_sets" DROP CONSTRAINT "parcel_sets_region_fk"`);
    await queryRunner.query(
      `CREATE TYPE "public"."job_kind_old" AS ENUM('survey_import', 'accounting_run', 'registry_import')`,
    );
    await queryRunner.query(
      `ALTER TABLE "jobs" ALTER COLUMN "kind" TYPE "public"."job_kind_old" USING "kind"::"text"::"public"."job_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."job_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."job_kind_old" RENAME TO "job_kind"`);
    await queryRunner.query(`DROP TABLE "parcel_results"`);
    await queryRunner.query(`DROP TABLE "parcels"`);
    await queryRunner.query(`DROP TABLE "parcel_aggregates"`);
    await queryRunner.query(`DROP TABLE "parcel_runs"`);
    await queryRunner.query(`DROP INDEX "public"."parcel_sets_lookup_idx"`);
    await queryRunner.query(`DROP TABLE "parcel_sets"`);
  }
}
