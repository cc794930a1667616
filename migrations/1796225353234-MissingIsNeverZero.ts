import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Missing is never zero across modules: a run records which counted results it lacks, an
 * incomplete run is published only with a written reason, a published run can be withdrawn, and
 * compensation amounts, their totals and report grades can be absent instead of 0.
 */
export class MissingIsNeverZero1796225353234 implements MigrationInterface {
  name = 'MissingIsNeverZero1796225353234';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "accounting_runs" ADD "completeness" jsonb`);
    await queryRunner.query(`ALTER TABLE "accounting_runs" ADD "incomplete_reason" text`);
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ADD "withdrawn_by" character varying(64)`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ADD "withdrawn_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(`ALTER TABLE "accounting_runs" ADD "withdrawal_reason" text`);
    // Existing runs: their gaps from their stored results (counted indicators not computable).
    // Published runs are immutable by trigger; this one-time backfill adds a record, changes none.
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" DISABLE TRIGGER accounting_runs_published_immutable`,
    );
    await queryRunner.query(`
      UPDATE accounting_runs r SET completeness = jsonb_build_object(
        'complete', g.gaps = '[]'::jsonb, 'expected', g.expected, 'gaps', g.gaps)
      FROM (
        SELECT a.id,
               (SELECT count(*) FROM accounting_results x
                  JOIN jsonb_array_elements(m.content->'indicators') i ON i->>'code' = x.indicator_code
                 WHERE x.run_id = a.id AND (i->>'counted')::boolean) AS expected,
               COALESCE((SELECT jsonb_agg(jsonb_build_object(
                         'regionCode', x.region_code, 'indicatorCode', x.indicator_code,
                         'missing', to_jsonb(COALESCE(x.missing, '{}'::text[])))
                         ORDER BY x.region_code, x.indicator_code)
                  FROM accounting_results x
                  JOIN jsonb_array_elements(m.content->'indicators') i ON i->>'code' = x.indicator_code
                 WHERE x.run_id = a.id AND x.status = 'not_computable' AND (i->>'counted')::boolean),
                 '[]'::jsonb) AS gaps
          FROM accounting_runs a JOIN methodologies m ON m.id = a.methodology_id) g
      WHERE g.id = r.id`);
    await queryRunner.query(`
      UPDATE accounting_runs SET incomplete_reason = '本系统记录完整性之前发布，发布时未说明理由'
       WHERE status <> 'draft' AND NOT (completeness->>'complete')::boolean`);
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ENABLE TRIGGER accounting_runs_published_immutable`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ALTER COLUMN "completeness" SET NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ADD CONSTRAINT "accounting_runs_incomplete_reason_check" CHECK (status = 'draft' OR (completeness->>'complete')::boolean OR incomplete_reason IS NOT NULL)`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" ADD CONSTRAINT "accounting_runs_withdrawal_check" CHECK (status <> 'withdrawn' OR (withdrawal_reason IS NOT NULL AND withdrawn_by IS NOT NULL AND withdrawn_at IS NOT NULL))`,
    );
    // A published run is immutable; it may only be superseded by a newer run or withdrawn.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION accounting_runs_refuse_published_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.status = 'draft' THEN
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END IF;
                IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND NEW.status = 'superseded'
                   AND (to_jsonb(NEW) - 'status' - 'superseded_by') = (to_jsonb(OLD) - 'status' - 'superseded_by') THEN
                    RETURN NEW;
                END IF;
                IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND NEW.status = 'withdrawn'
                   AND (to_jsonb(NEW) - 'status' - 'withdrawn_by' - 'withdrawn_at' - 'withdrawal_reason')
                     = (to_jsonb(OLD) - 'status' - 'withdrawn_by' - 'withdrawn_at' - 'withdrawal_reason') THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'accounting run % is % and cannot be changed', OLD.id, OLD.status
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END $$`);
    await queryRunner.query(`ALTER TABLE "compensation_runs" ALTER COLUMN "budget" DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "compensation_amounts" ALTER COLUMN "amount" DROP NOT NULL`,
    );
    // An approved compensation run pays every recipient a computed amount: a gap blocks approval.
    await queryRunner.query(`CREATE FUNCTION compensation_runs_refuse_incomplete_approval() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.status = 'approved' AND (NEW.budget IS NULL OR EXISTS (
                       SELECT 1 FROM compensation_amounts WHERE run_id = NEW.id AND amount IS NULL)) THEN
                    RAISE EXCEPTION 'compensation run % has amounts that are not computable and cannot be approved', NEW.id
                        USING ERRCODE = 'object_not_in_prerequisite_state';
                END IF;
                RETURN NEW;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER compensation_runs_complete_on_approval BEFORE UPDATE ON "compensation_runs"
            FOR EACH ROW EXECUTE FUNCTION compensation_runs_refuse_incomplete_approval()`);
    await queryRunner.query(`ALTER TABLE "audit_reports" ALTER COLUMN "grade" DROP NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "audit_reports" WHERE "grade" IS NULL`);
    await queryRunner.query(`ALTER TABLE "audit_reports" ALTER COLUMN "grade" SET NOT NULL`);
    await queryRunner.query(
      `DROP TRIGGER compensation_runs_complete_on_approval ON "compensation_runs"`,
    );
    await queryRunner.query(`DROP FUNCTION compensation_runs_refuse_incomplete_approval()`);
    await queryRunner.query(
      `ALTER TABLE "compensation_amounts" ALTER COLUMN "amount" SET NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "compensation_runs" ALTER COLUMN "budget" SET NOT NULL`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION accounting_runs_refuse_published_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.status = 'draft' THEN
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END IF;
                IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND NEW.status = 'superseded'
                   AND (to_jsonb(NEW) - 'status' - 'superseded_by') = (to_jsonb(OLD) - 'status' - 'superseded_by') THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'accounting run % is % and cannot be changed', OLD.id, OLD.status
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END $$`);
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" DROP CONSTRAINT "accounting_runs_withdrawal_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounting_runs" DROP CONSTRAINT "accounting_runs_incomplete_reason_check"`,
    );
    await queryRunner.query(`ALTER TABLE "accounting_runs" DROP COLUMN "withdrawal_reason"`);
    await queryRunner.query(`ALTER TABLE "accounting_runs" DROP COLUMN "withdrawn_at"`);
    await queryRunner.query(`ALTER TABLE "accounting_runs" DROP COLUMN "withdrawn_by"`);
    await queryRunner.query(`ALTER TABLE "accounting_runs" DROP COLUMN "incomplete_reason"`);
    await queryRunner.query(`ALTER TABLE "accounting_runs" DROP COLUMN "completeness"`);
  }
}
