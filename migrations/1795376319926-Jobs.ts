import { MigrationInterface, QueryRunner } from 'typeorm';

export class Jobs1795376319926 implements MigrationInterface {
  name = 'Jobs1795376319926';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."job_kind" AS ENUM('survey_import', 'accounting_run')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."job_status" AS ENUM('queued', 'running', 'succeeded', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" "public"."job_kind" NOT NULL, "status" "public"."job_status" NOT NULL DEFAULT 'queued', "phase" character varying(32), "percent" smallint NOT NULL DEFAULT '0', "progress" jsonb, "input" jsonb NOT NULL, "result" jsonb, "problem" jsonb, "created_by" character varying(64) NOT NULL, "request_id" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "jobs_percent_check" CHECK (percent BETWEEN 0 AND 100), CONSTRAINT "jobs_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "jobs_created_by_idx" ON "jobs"  ("created_by", "created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."jobs_created_by_idx"`);
    await queryRunner.query(`DROP TABLE "jobs"`);
    await queryRunner.query(`DROP TYPE "public"."job_status"`);
    await queryRunner.query(`DROP TYPE "public"."job_kind"`);
  }
}
