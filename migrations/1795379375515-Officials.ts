import { MigrationInterface, QueryRunner } from 'typeorm';

export class Officials1795379375515 implements MigrationInterface {
  name = 'Officials1795379375515';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // btree_gist (contrib, a trusted extension) lets the exclusion constraint compare region and post with =.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(
      `CREATE TABLE "officials" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(50) NOT NULL, "note" text, "created_by" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "officials_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "tenures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "official_id" uuid NOT NULL, "region_code" character varying(12) NOT NULL, "post" character varying(100) NOT NULL, "start_date" date NOT NULL, "end_date" date, "acting" boolean NOT NULL DEFAULT false, "note" text, "created_by" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "tenures_dates_check" CHECK (end_date IS NULL OR end_date >= start_date), CONSTRAINT "tenures_no_overlap" EXCLUDE USING gist (region_code WITH =, post WITH =, daterange(start_date, end_date, '[]') WITH &&), CONSTRAINT "tenures_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "tenures_official_idx" ON "tenures"  ("official_id") `);
    await queryRunner.query(
      `ALTER TABLE "tenures" ADD CONSTRAINT "tenures_official_fk" FOREIGN KEY ("official_id") REFERENCES "officials"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "tenures" ADD CONSTRAINT "tenures_region_fk" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tenures" DROP CONSTRAINT "tenures_region_fk"`);
    await queryRunner.query(`ALTER TABLE "tenures" DROP CONSTRAINT "tenures_official_fk"`);
    await queryRunner.query(`DROP INDEX "public"."tenures_official_idx"`);
    await queryRunner.query(`DROP TABLE "tenures"`);
    await queryRunner.query(`DROP TABLE "officials"`);
  }
}
