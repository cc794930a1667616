import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The freeze of a published (or withdrawn, superseded) run's results, checked once per statement
 * over the rows it touched (transition tables) instead of once per row: a province's run stores
 * 40,000 results in one COPY, and the per-row lookup of the run's status was paid 40,000 times.
 */
export class ResultsStatementTrigger1796300000004 implements MigrationInterface {
  name = 'ResultsStatementTrigger1796300000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER accounting_results_frozen ON "accounting_results"`);
    await queryRunner.query(`DROP FUNCTION accounting_results_refuse_frozen()`);
    await queryRunner.query(`CREATE FUNCTION accounting_results_refuse_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await queryRunner.query(`CREATE TRIGGER accounting_results_frozen_insert AFTER INSERT ON "accounting_results"
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accounting_results_refuse_frozen()`);
    await queryRunner.query(`CREATE TRIGGER accounting_results_frozen_update AFTER UPDATE ON "accounting_results"
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accounting_results_refuse_frozen()`);
    await queryRunner.query(`CREATE TRIGGER accounting_results_frozen_delete AFTER DELETE ON "accounting_results"
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION accounting_results_refuse_frozen()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TRIGGER accounting_results_frozen_delete ON "accounting_results"`,
    );
    await queryRunner.query(
      `DROP TRIGGER accounting_results_frozen_update ON "accounting_results"`,
    );
    await queryRunner.query(
      `DROP TRIGGER accounting_results_frozen_insert ON "accounting_results"`,
    );
    await queryRunner.query(`DROP FUNCTION accounting_results_refuse_frozen()`);
    await queryRunner.query(`CREATE FUNCTION accounting_results_refuse_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE st run_status;
            BEGIN
                SELECT status INTO st FROM accounting_runs WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.run_id ELSE NEW.run_id END;
                IF st <> 'draft' THEN
                    RAISE EXCEPTION 'results of a % run cannot be changed', st USING ERRCODE = 'object_not_in_prerequisite_state';
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER accounting_results_frozen BEFORE INSERT OR UPDATE OR DELETE ON "accounting_results"
            FOR EACH ROW EXECUTE FUNCTION accounting_results_refuse_frozen()`);
  }
}
