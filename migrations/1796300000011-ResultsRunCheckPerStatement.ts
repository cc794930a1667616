import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run result's run is checked once per statement, in the statement trigger that already keeps
 * a published run's results frozen, instead of by the foreign key `accounting_results_run_fk` row
 * by row — as SurveyValuesFormCheckPerStatement did for survey values. A run's results are stored
 * in one COPY (40,000 rows a province, 1,057,224 a national run), and the foreign key's per-row
 * lookup and lock took ~0.3 s (7.5 µs a row) of the 1.11–1.19 s of PostgreSQL's CPU a province's
 * COPY took; checked per statement, the COPY takes 0.92–0.96 s (a national run's whole share of
 * PostgreSQL's CPU: 34–36 → 27–28 s).
 *
 * The same guarantees as the foreign key: each run a written result names must exist, and is
 * locked FOR KEY SHARE until the transaction ends (so it cannot be deleted under it); else
 * SQLSTATE 23503 naming `accounting_results_run_fk`. A run that results refer to cannot be
 * deleted (or its id changed): a row trigger on `accounting_runs`, which runs after the row's
 * lock is taken, so it sees results committed by a transaction it waited for.
 */
export class ResultsRunCheckPerStatement1796300000011 implements MigrationInterface {
  name = 'ResultsRunCheckPerStatement1796300000011';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "accounting_results" DROP CONSTRAINT "accounting_results_run_fk"`,
    );
    await queryRunner.query(`CREATE OR REPLACE FUNCTION accounting_results_refuse_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            st run_status;
            named bigint := 0;
            found bigint := 0;
            absent uuid;
        BEGIN
            IF TG_OP = 'INSERT' THEN
                -- the runs the new rows name, each locked against deletion until the
                -- transaction ends, as the foreign key's check locked them row by row
                SELECT count(*), count(r.id), min(r.status) FILTER (WHERE r.status <> 'draft')
                  INTO named, found, st
                  FROM (SELECT DISTINCT run_id FROM new_rows) n
                  LEFT JOIN LATERAL (SELECT x.id, x.status FROM accounting_runs x
                                      WHERE x.id = n.run_id FOR KEY SHARE) r ON true;
            ELSIF TG_OP = 'UPDATE' THEN
                -- only a run a row moved to is checked (the others keep their results' run)
                SELECT count(*), count(r.id) INTO named, found
                  FROM (SELECT run_id FROM new_rows EXCEPT SELECT run_id FROM old_rows) n
                  LEFT JOIN LATERAL (SELECT x.id FROM accounting_runs x
                                      WHERE x.id = n.run_id FOR KEY SHARE) r ON true;
                SELECT r.status INTO st
                  FROM (SELECT run_id FROM new_rows UNION SELECT run_id FROM old_rows) n
                  JOIN accounting_runs r ON r.id = n.run_id WHERE r.status <> 'draft' LIMIT 1;
            ELSE
                SELECT r.status INTO st FROM (SELECT DISTINCT run_id FROM old_rows) n
                  JOIN accounting_runs r ON r.id = n.run_id WHERE r.status <> 'draft' LIMIT 1;
            END IF;
            IF found < named THEN
                SELECT n.run_id INTO absent FROM new_rows n
                 WHERE NOT EXISTS (SELECT 1 FROM accounting_runs x WHERE x.id = n.run_id) LIMIT 1;
                RAISE EXCEPTION 'insert or update on table "accounting_results" violates foreign key constraint "accounting_results_run_fk"'
                  USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'accounting_results_run_fk',
                        TABLE = 'accounting_results',
                        DETAIL = format('Key (run_id)=(%s) is not present in table "accounting_runs".', absent);
            END IF;
            IF st IS NOT NULL THEN
                RAISE EXCEPTION 'results of a % run cannot be changed', st USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
            RETURN NULL;
        END $$`);
    await queryRunner.query(`CREATE FUNCTION accounting_runs_refuse_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
                RETURN NEW;
            END IF;
            IF EXISTS (SELECT 1 FROM accounting_results r WHERE r.run_id = OLD.id) THEN
                RAISE EXCEPTION 'update or delete on table "accounting_runs" violates foreign key constraint "accounting_results_run_fk" on table "accounting_results"'
                  USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'accounting_results_run_fk',
                        TABLE = 'accounting_runs',
                        DETAIL = format('Key (id)=(%s) is still referenced from table "accounting_results".', OLD.id);
            END IF;
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$`);
    await queryRunner.query(`CREATE TRIGGER accounting_runs_referenced_by_results
            BEFORE DELETE OR UPDATE OF id ON "accounting_runs"
            FOR EACH ROW EXECUTE FUNCTION accounting_runs_refuse_referenced()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TRIGGER accounting_runs_referenced_by_results ON "accounting_runs"`,
    );
    await queryRunner.query(`DROP FUNCTION accounting_runs_refuse_referenced()`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION accounting_results_refuse_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE st run_status;
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    SELECT r.status INTO st FROM (SELECT DISTINCT run_id FROM new_rows) n
                      JOIN accounting_runs r ON r.id = n.run_id WHERE r.status <> 'draft' LIMIT 1;
                ELSIF TG_OP = 'UPDATE' THEN
                    SELECT r.status INTO st
                      FROM (SELECT run_id FROM new_rows UNION SELECT run_id FROM old_rows) n
                      JOIN accounting_runs r ON r.id = n.run_id WHERE r.status <> 'draft' LIMIT 1;
                ELSE
                    SELECT r.status INTO st FROM (SELECT DISTINCT run_id FROM old_rows) n
                      JOIN accounting_runs r ON r.id = n.run_id WHERE r.status <> 'draft' LIMIT 1;
                END IF;
                IF st IS NOT NULL THEN
                    RAISE EXCEPTION 'results of a % run cannot be changed', st USING ERRCODE = 'object_not_in_prerequisite_state';
                END IF;
                RETURN NULL;
            END $$`);
    await queryRunner.query(
      `ALTER TABLE "accounting_results" ADD CONSTRAINT "accounting_results_run_fk" FOREIGN KEY ("run_id") REFERENCES "accounting_runs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }
}
