import { MigrationInterface, QueryRunner } from 'typeorm';

export class ForestCompensation1795382944576 implements MigrationInterface {
  name = 'ForestCompensation1795382944576';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."forest_level" AS ENUM('national', 'provincial', 'local')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."forest_ownership" AS ENUM('state', 'collective', 'individual')`,
    );
    await queryRunner.query(
      `CREATE TABLE "forest_areas" ("region_code" character varying(12) NOT NULL, "year" integer NOT NULL, "forest_level" "public"."forest_level" NOT NULL, "ownership" "public"."forest_ownership" NOT NULL, "zone" character varying(32) NOT NULL, "area_mu" numeric NOT NULL, "source" text NOT NULL, "entered_by" character varying(64), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "forest_areas_area_check" CHECK (area_mu > 0), CONSTRAINT "forest_areas_pkey" PRIMARY KEY ("region_code", "year", "forest_level", "ownership", "zone"))`,
    );
    await queryRunner.query(`ALTER TYPE "public"."compensation_scheme_type" ADD VALUE 'forest'`);
    await queryRunner.query(
      `ALTER TABLE "forest_areas" ADD CONSTRAINT "forest_areas_region_fk" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "forest_areas" DROP CONSTRAINT "forest_areas_region_fk"`);
    await queryRunner.query(
      `CREATE TYPE "public"."compensation_scheme_type_old" AS ENUM('budget_allocation', 'cross_section', 'reward_deduction')`,
    );
    await queryRunner.query(
      `ALTER TABLE "compensation_schemes" ALTER COLUMN "type" TYPE "public"."compensation_scheme_type_old" USING "type"::"text"::"public"."compensation_scheme_type_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."compensation_scheme_type"`);
    await queryRunner.query(
      `ALTER TYPE "public"."compensation_scheme_type_old" RENAME TO "compensation_scheme_type"`,
    );
    await queryRunner.query(`DROP TABLE "forest_areas"`);
    await queryRunner.query(`DROP TYPE "public"."forest_ownership"`);
    await queryRunner.query(`DROP TYPE "public"."forest_level"`);
  }
}
