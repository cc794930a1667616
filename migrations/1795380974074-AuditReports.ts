import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditReports1795380974074 implements MigrationInterface {
  name = 'AuditReports1795380974074';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenure_id" uuid NOT NULL, "official_id" uuid NOT NULL, "region_code" character varying(12) NOT NULL, "ruleset" jsonb NOT NULL, "content" jsonb NOT NULL, "content_sha256" character(64) NOT NULL, "grade" character varying(20) NOT NULL, "created_by" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "audit_reports_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_reports_tenure_idx" ON "audit_reports"  ("tenure_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_reports" ADD CONSTRAINT "audit_reports_tenure_fk" FOREIGN KEY ("tenure_id") REFERENCES "tenures"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_reports" ADD CONSTRAINT "audit_reports_official_fk" FOREIGN KEY ("official_id") REFERENCES "officials"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_reports" ADD CONSTRAINT "audit_reports_region_fk" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // A generic guard for append-only tables: the trigger's argument names the table's rows.
    await queryRunner.query(`CREATE FUNCTION refuse_change_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% are append-only: a new one is a new row', TG_ARGV[0]
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_reports_append_only BEFORE UPDATE OR DELETE ON "audit_reports"
            FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only('audit reports')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_reports_append_only ON "audit_reports"`);
    await queryRunner.query(`DROP FUNCTION refuse_change_append_only()`);
    await queryRunner.query(
      `ALTER TABLE "audit_reports" DROP CONSTRAINT "audit_reports_region_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_reports" DROP CONSTRAINT "audit_reports_official_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_reports" DROP CONSTRAINT "audit_reports_tenure_fk"`,
    );
    await queryRunner.query(`DROP INDEX "public"."audit_reports_tenure_idx"`);
    await queryRunner.query(`DROP TABLE "audit_reports"`);
  }
}
