import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run's snapshot and its results' traces stored as `json` (the text as written, checked to be
 * JSON) instead of `jsonb` (parsed into a binary tree on the way in). Both are written once and
 * read whole; nothing queries inside them but one key test (`trace -> 'inputs'`, which `json`
 * has). The COPY of the 39,888 results of the bench's province run (30 MB of traces) took
 * 0.73–0.90 s into jsonb and 0.35–0.43 s into json on the 2-core development machine; the 8 MB
 * snapshot is parsed likewise. Existing values keep their text as jsonb wrote it.
 */
export class RunTracesAndSnapshotsAsJson1796300000007 implements MigrationInterface {
  name = 'RunTracesAndSnapshotsAsJson1796300000007';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "accounting_results" ALTER COLUMN "trace" TYPE json USING "trace"::json`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ALTER COLUMN "snapshot" TYPE json USING "snapshot"::json`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ALTER COLUMN "snapshot" TYPE jsonb USING "snapshot"::jsonb`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_results" ALTER COLUMN "trace" TYPE jsonb USING "trace"::jsonb`,
    );
  }
}
