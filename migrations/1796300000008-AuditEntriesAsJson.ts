import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An audit entry's `before` and `after` stored as `json` (the text as written) instead of `jsonb`:
 * written once, read whole, and queried inside only by key (`after ->> 'via'`, which `json`
 * has). A bulk load writes one entry per changed form listing every change; for 1,000,000 changes
 * in 55,556 forms the statement building and inserting them took 2.8–3.6 s into jsonb and 1.8–2.8 s
 * into json (the same entries: compared as jsonb, none differ; 2-core machine, PostgreSQL 18).
 * Existing entries keep their text as jsonb wrote it. The table is append-only; its triggers
 * refuse row changes, not this rewrite.
 */
export class AuditEntriesAsJson1796300000008 implements MigrationInterface {
  name = 'AuditEntriesAsJson1796300000008';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_log" ALTER COLUMN "before" TYPE json USING "before"::json,
                               ALTER COLUMN "after" TYPE json USING "after"::json`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_log" ALTER COLUMN "before" TYPE jsonb USING "before"::jsonb,
                               ALTER COLUMN "after" TYPE jsonb USING "after"::jsonb`,
    );
  }
}
