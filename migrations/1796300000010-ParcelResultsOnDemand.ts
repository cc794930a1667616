import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A parcel run no longer stores each parcel's results: it stores its township and county sums,
 * and a parcel's figures are computed again from the run's statement (`compiled_sql`, with its
 * parameter values as literals) over the set's parcels, which never change. Storing 1,000,000
 * results rows and their primary key cost more than computing them (2-core machine, PostgreSQL
 * 18: the parts' INSERT … SELECT 6.0–6.5 s and their township sums 1.9 s, against 4.3–4.5 s for
 * the parts' grouped SELECT alone).
 * - `parcel_results` is dropped;
 * - `parcel_runs_pending` is dropped: a run's parts only read now, and everything it stores is
 *   written in one transaction.
 * The statements of stored runs are left as they were (with their hashes); those written before
 * runs took the parcels to compute as `$3` get that condition where they are run
 * (`runParcelsSql`). Down recreates the tables empty: the runs' results are not brought back.
 */
export class ParcelResultsOnDemand1796300000010 implements MigrationInterface {
  name = 'ParcelResultsOnDemand1796300000010';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "parcel_results"`);
    await queryRunner.query(`DROP TABLE "parcel_runs_pending"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "parcel_runs_pending" (
            "region_code" character varying(12) NOT NULL,
            "run_id" uuid NOT NULL,
            "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
            CONSTRAINT "parcel_runs_pending_pkey" PRIMARY KEY ("region_code", "run_id"))`);
    await queryRunner.query(
      `CREATE TABLE "parcel_results" ("region_code" character varying(12) NOT NULL, "run_id" uuid NOT NULL, "parcel_id" character varying(64) NOT NULL, "township_code" character varying(12) NOT NULL, "ecosystem" character varying(64) NOT NULL, "area_ha" numeric NOT NULL, "quantities" numeric array NOT NULL, "values" numeric array NOT NULL, "failed" smallint array, CONSTRAINT "parcel_results_pkey" PRIMARY KEY ("region_code", "run_id", "parcel_id"))`,
    );
  }
}
