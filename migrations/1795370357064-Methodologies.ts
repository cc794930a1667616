import { MigrationInterface, QueryRunner } from 'typeorm';

export class Methodologies1795370357064 implements MigrationInterface {
  name = 'Methodologies1795370357064';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."methodology_status" AS ENUM('draft', 'published')`,
    );
    await queryRunner.query(
      `CREATE TABLE "methodologies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "standard_id" character varying(64) NOT NULL, "version" integer NOT NULL, "name" character varying(200) NOT NULL, "source_document" text NOT NULL, "description" text, "status" "public"."methodology_status" NOT NULL DEFAULT 'draft', "content" jsonb NOT NULL, "created_by" character varying(64), "published_by" character varying(64), "published_at" TIMESTAMP WITH TIME ZONE, "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "methodologies_standard_version_key" UNIQUE ("standard_id", "version"), CONSTRAINT "methodologies_pkey" PRIMARY KEY ("id"))`,
    );
    // A published methodology is immutable: any change or deletion is refused by the database.
    await queryRunner.query(`CREATE FUNCTION methodologies_refuse_published_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.status = 'published' THEN
                    RAISE EXCEPTION 'methodology % version % is published and cannot be changed', OLD.standard_id, OLD.version
                        USING ERRCODE = 'object_not_in_prerequisite_state';
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER methodologies_published_immutable BEFORE UPDATE OR DELETE ON "methodologies"
            FOR EACH ROW EXECUTE FUNCTION methodologies_refuse_published_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER methodologies_published_immutable ON "methodologies"`);
    await queryRunner.query(`DROP FUNCTION methodologies_refuse_published_change()`);
    await queryRunner.query(`DROP TABLE "methodologies"`);
    await queryRunner.query(`DROP TYPE "public"."methodology_status"`);
  }
}
