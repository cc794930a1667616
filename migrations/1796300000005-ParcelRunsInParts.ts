import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parcel runs computed in parts, each part in its own transaction on its own connection (one
 * PostgreSQL backend per core; an INSERT … SELECT never runs in parallel by itself):
 * - `parcel_aggregates` loses its foreign key to `parcel_runs`, as `parcel_results` never had one:
 *   the township sums are written by the parts, before the run's row, which is written last, in
 *   the transaction that makes the run visible;
 * - `parcel_runs_pending` lists the runs whose parts may have written rows while the run itself
 *   is not (yet) stored. The process computing a run holds an advisory lock on it; a run listed
 *   here whose lock is free was abandoned (its process stopped), and its rows are deleted by the
 *   next parcel run.
 */
export class ParcelRunsInParts1796300000005 implements MigrationInterface {
  name = 'ParcelRunsInParts1796300000005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "parcel_aggregates" DROP CONSTRAINT "parcel_aggregates_run_fk"`,
    );
    await queryRunner.query(`CREATE TABLE "parcel_runs_pending" (
            "region_code" character varying(12) NOT NULL,
            "run_id" uuid NOT NULL,
            "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
            CONSTRAINT "parcel_runs_pending_pkey" PRIMARY KEY ("region_code", "run_id"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "parcel_runs_pending"`);
    await queryRunner.query(`ALTER TABLE "parcel_aggregates" ADD CONSTRAINT "parcel_aggregates_run_fk"
            FOREIGN KEY ("region_code", "run_id") REFERENCES "parcel_runs"("region_code", "id") ON DELETE CASCADE`);
  }
}
