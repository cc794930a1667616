import { MigrationInterface, QueryRunner } from 'typeorm';

export class OnePublishedRun1795396597943 implements MigrationInterface {
  name = 'OnePublishedRun1795396597943';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX "accounting_runs_one_published" ON "accounting_runs"  ("standard_id", "root_region_code", "year") WHERE status = 'published'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."accounting_runs_one_published"`);
  }
}
