import { MigrationInterface, QueryRunner } from 'typeorm';

export class RunUncertaintyJobs1796300000003 implements MigrationInterface {
  name = 'RunUncertaintyJobs1796300000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."job_kind" ADD VALUE 'run_uncertainty'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."job_kind_old" AS ENUM('survey_import', 'accounting_run', 'registry_import', 'parcel_import', 'parcel_run')`,
    );
    await queryRunner.query(
      `ALTER TABLE "jobs" ALTER COLUMN "kind" TYPE "public"."job_kind_old" USING "kind"::"text"::"public"."job_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."job_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."job_kind_old" RENAME TO "job_kind"`);
  }
}
