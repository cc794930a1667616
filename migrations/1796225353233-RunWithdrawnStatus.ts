import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A value added to an enum cannot be used in the transaction that adds it, so `withdrawn` gets a
 * migration of its own before {@link MissingIsNeverZero1796225353234} uses it.
 */
export class RunWithdrawnStatus1796225353233 implements MigrationInterface {
  name = 'RunWithdrawnStatus1796225353233';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."run_status" ADD VALUE 'withdrawn'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."accounting_runs_one_published"`);
    await queryRunner.query(
      `CREATE TYPE "public"."run_status_old" AS ENUM('draft', 'published', 'superseded')`,
    );
    await queryRunner.query(`ALTER TABLE "accounting_runs" ALTER COLUMN "status" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ALTER COLUMN "status" TYPE "public"."run_status_old" USING "status"::"text"::"public"."run_status_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."run_status"`);
    await queryRunner.query(`ALTER TYPE "public"."run_status_old" RENAME TO "run_status"`);
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ALTER COLUMN "status" SET DEFAULT 'draft'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "accounting_runs_one_published" ON "accounting_runs"  ("standard_id", "root_region_code", "year") WHERE status = 'published'`,
    );
  }
}
