import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TRUNCATE skips row triggers, so the guards that keep published runs, approved values, ledger
 * entries and history rows from being changed did not stop a TRUNCATE of their tables. Every table
 * holding rows that must never disappear now refuses TRUNCATE outright (the application never
 * truncates; a deliberate wipe has to drop the trigger first, visibly).
 */
export const GUARDED_TABLES = [
  'methodologies',
  'survey_values',
  'accounting_runs',
  'accounting_results',
  'compensation_schemes',
  'compensation_runs',
  'compensation_amounts',
  'compensation_fund_events',
  'audit_reports',
  'registration_units',
  'registration_unit_versions',
  'registry_resource_versions',
  'registry_rights',
  'registry_entries',
  'registry_objections',
];

export class TruncateGuards1795396500000 implements MigrationInterface {
  name = 'TruncateGuards1795396500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% keeps published, approved or historical rows: TRUNCATE is not allowed', TG_TABLE_NAME
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END $$`);
    for (const table of GUARDED_TABLES)
      await queryRunner.query(
        `CREATE TRIGGER "${table}_no_truncate" BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`,
      );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of GUARDED_TABLES)
      await queryRunner.query(`DROP TRIGGER "${table}_no_truncate" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION refuse_truncate()`);
  }
}
