import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegionBoundaries1796300000002 implements MigrationInterface {
  name = 'RegionBoundaries1796300000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "region_boundaries" ("region_code" character varying(12) NOT NULL, "boundary" jsonb NOT NULL, "source" character varying(500) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "region_boundaries_pkey" PRIMARY KEY ("region_code"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "region_boundaries" ADD CONSTRAINT "region_boundaries_region_fk" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "region_boundaries" DROP CONSTRAINT "region_boundaries_region_fk"`,
    );
    await queryRunner.query(`DROP TABLE "region_boundaries"`);
  }
}
