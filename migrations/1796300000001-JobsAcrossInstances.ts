import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several service instances on one database: a job records the instance running it (whose
 * PostgreSQL session says whether it is alive) and how many times it was started; rate-limit
 * windows are counted in a table every instance shares (unlogged: a crash may forget a minute's
 * counts, never a figure).
 */
export class JobsAcrossInstances1796300000001 implements MigrationInterface {
  name = 'JobsAcrossInstances1796300000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "jobs" ADD "instance" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "jobs" ADD "attempts" smallint NOT NULL DEFAULT '1'`);
    await queryRunner.query(
      `CREATE INDEX "jobs_open_idx" ON "jobs" ("status") WHERE status IN ('queued', 'running')`,
    );
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "rate_windows" ("key" character varying(200) NOT NULL, "resets_at" TIMESTAMP WITH TIME ZONE NOT NULL, "hits" integer NOT NULL, CONSTRAINT "rate_windows_pkey" PRIMARY KEY ("key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_windows"`);
    await queryRunner.query(`DROP INDEX "public"."jobs_open_idx"`);
    await queryRunner.query(`ALTER TABLE "jobs" DROP COLUMN "attempts"`);
    await queryRunner.query(`ALTER TABLE "jobs" DROP COLUMN "instance"`);
  }
}
