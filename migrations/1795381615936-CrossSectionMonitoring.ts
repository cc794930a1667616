import { MigrationInterface, QueryRunner } from 'typeorm';

export class CrossSectionMonitoring1795381615936 implements MigrationInterface {
  name = 'CrossSectionMonitoring1795381615936';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "monitoring_sections" ("code" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "river" character varying(100) NOT NULL, "upstream_region_code" character varying(12) NOT NULL, "downstream_region_code" character varying(12) NOT NULL, "note" text, "created_by" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "monitoring_sections_regions_check" CHECK (upstream_region_code <> downstream_region_code), CONSTRAINT "monitoring_sections_pkey" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."pollutant" AS ENUM('COD', 'CODMn', 'NH3N', 'TP', 'TN')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."section_state" AS ENUM('normal', 'dry', 'frozen')`,
    );
    await queryRunner.query(
      `CREATE TABLE "monitoring_values" ("section_code" character varying(64) NOT NULL, "year" integer NOT NULL, "month" integer NOT NULL, "pollutant" "public"."pollutant" NOT NULL, "state" "public"."section_state" NOT NULL DEFAULT 'normal', "concentration" numeric, "inflow" numeric, "source" text NOT NULL, "entered_by" character varying(64), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "monitoring_values_concentration_check" CHECK (concentration >= 0 AND inflow >= 0), CONSTRAINT "monitoring_values_state_check" CHECK ((state = 'normal') = (concentration IS NOT NULL)), CONSTRAINT "monitoring_values_month_check" CHECK (month BETWEEN 1 AND 12), CONSTRAINT "monitoring_values_pkey" PRIMARY KEY ("section_code", "year", "month", "pollutant"))`,
    );
    await queryRunner.query(
      `ALTER TYPE "public"."compensation_scheme_type" ADD VALUE 'cross_section'`,
    );
    await queryRunner.query(
      `ALTER TABLE "monitoring_sections" ADD CONSTRAINT "monitoring_sections_upstream_fk" FOREIGN KEY ("upstream_region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "monitoring_sections" ADD CONSTRAINT "monitoring_sections_downstream_fk" FOREIGN KEY ("downstream_region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "monitoring_values" ADD CONSTRAINT "monitoring_values_section_fk" FOREIGN KEY ("section_code") REFERENCES "monitoring_sections"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "monitoring_values" DROP CONSTRAINT "monitoring_values_section_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "monitoring_sections" DROP CONSTRAINT "monitoring_sections_downstream_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "monitoring_sections" DROP CONSTRAINT "monitoring_sections_upstream_fk"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."compensation_scheme_type_old" AS ENUM('budget_allocation')`,
    );
    await queryRunner.query(
      `ALTER TABLE "compensation_schemes" ALTER COLUMN "type" TYPE "public"."compensation_scheme_type_old" USING "type"::"text"::"public"."compensation_scheme_type_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."compensation_scheme_type"`);
    await queryRunner.query(
      `ALTER TYPE "public"."compensation_scheme_type_old" RENAME TO "compensation_scheme_type"`,
    );
    await queryRunner.query(`DROP TABLE "monitoring_values"`);
    await queryRunner.query(`DROP TYPE "public"."section_state"`);
    await queryRunner.query(`DROP TYPE "public"."pollutant"`);
    await queryRunner.query(`DROP TABLE "monitoring_sections"`);
  }
}
