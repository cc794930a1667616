import { MigrationInterface, QueryRunner } from 'typeorm';

export class Registry1795385712996 implements MigrationInterface {
  name = 'Registry1795385712996';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."registry_unit_type" AS ENUM('national_park', 'nature_reserve', 'natural_park', 'water_flow', 'wetland', 'forest', 'grassland', 'wasteland', 'mineral_area', 'sea_area', 'island')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."registry_unit_status" AS ENUM('pre_delimited', 'notice_issued', 'surveyed', 'reviewed', 'public_notice', 'registered', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE TABLE "registration_units" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(20) NOT NULL, "region_code" character varying(12) NOT NULL, "unit_type" "public"."registry_unit_type" NOT NULL, "status" "public"."registry_unit_status" NOT NULL, "objection_deadline" date, "registered_on" date, "cancelled_on" date, "created_by" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "registration_units_code_key" UNIQUE ("code"), CONSTRAINT "registration_units_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "registration_units_region_idx" ON "registration_units"  ("region_code") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."registry_entry_kind" AS ENUM('pre_delimitation', 'notice', 'survey', 'review', 'public_notice', 'first_registration', 'change', 'correction', 'cancellation', 'objection', 'objection_resolution', 'resource_added', 'split', 'merge', 'grant', 'transfer', 'buy_back', 'equity', 'lease', 'mortgage', 'custody', 'mortgage_release', 'right_end')`,
    );
    await queryRunner.query(
      `CREATE TABLE "registry_entries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "unit_id" uuid NOT NULL, "kind" "public"."registry_entry_kind" NOT NULL, "effective_date" date NOT NULL, "document" jsonb, "reason" text, "subjects" uuid array NOT NULL DEFAULT '{}', "payload" jsonb NOT NULL, "recorded_by" character varying(64) NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "registry_entries_seq_key" UNIQUE ("seq"), CONSTRAINT "registry_entries_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "registry_entries_unit_idx" ON "registry_entries"  ("unit_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."registry_objection_status" AS ENUM('open', 'upheld', 'dismissed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "registry_objections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "unit_id" uuid NOT NULL, "raised_on" date NOT NULL, "objector" character varying(200) NOT NULL, "content" text NOT NULL, "status" "public"."registry_objection_status" NOT NULL DEFAULT 'open', "resolution" text, "resolved_on" date, "resolved_by" character varying(64), "entry_id" uuid NOT NULL, "resolution_entry_id" uuid, CONSTRAINT "registry_objections_resolution_check" CHECK ((status = 'open') = (resolved_on IS NULL)), CONSTRAINT "registry_objections_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "registry_objections_unit_idx" ON "registry_objections"  ("unit_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."registry_party_kind" AS ENUM('state_body', 'collective', 'enterprise', 'individual')`,
    );
    await queryRunner.query(
      `CREATE TABLE "registry_parties" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" "public"."registry_party_kind" NOT NULL, "name" character varying(200) NOT NULL, "id_number" character varying(64), "region_code" character varying(12), "note" text, "created_by" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "registry_parties_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "registry_parties_id_number_key" ON "registry_parties"  ("kind", "id_number") WHERE id_number IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."registry_owner_model" AS ENUM('state', 'collective')`,
    );
    await queryRunner.query(
      `CREATE TABLE "registration_unit_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "unit_id" uuid NOT NULL, "valid" daterange NOT NULL, "name" character varying(200) NOT NULL, "boundary" jsonb NOT NULL, "bbox" box NOT NULL, "area_ha" numeric NOT NULL, "four_bounds" jsonb, "owner_model" "public"."registry_owner_model" NOT NULL, "collective_party_id" uuid, "representative" character varying(200), "proxy" character varying(200), "manager" character varying(200), "exercise_mode" text, "exercise_content" text, "state_area_ha" numeric, "collective_area_ha" numeric, "disputed_area_ha" numeric, "controls" jsonb NOT NULL DEFAULT '{}', "links" jsonb NOT NULL DEFAULT '[]', "remarks" text, "entry_id" uuid NOT NULL, CONSTRAINT "registration_unit_versions_areas_check" CHECK (area_ha > 0 AND coalesce(state_area_ha, 0) >= 0 AND coalesce(collective_area_ha, 0) >= 0 AND coalesce(disputed_area_ha, 0) >= 0), CONSTRAINT "registration_unit_versions_owner_check" CHECK ((owner_model = 'collective') = (collective_party_id IS NOT NULL) AND (owner_model = 'collective' OR representative IS NOT NULL)), CONSTRAINT "registration_unit_versions_no_overlap" EXCLUDE USING gist (unit_id WITH =, valid WITH &&), CONSTRAINT "registration_unit_versions_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "registration_unit_versions_unit_idx" ON "registration_unit_versions"  ("unit_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."registry_resource_type" AS ENUM('water_flow', 'forest', 'grassland', 'wetland', 'mineral', 'wasteland', 'sea_area', 'island')`,
    );
    await queryRunner.query(
      `CREATE TABLE "registry_resources" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "unit_id" uuid NOT NULL, "code" character varying(30) NOT NULL, "resource_type" "public"."registry_resource_type" NOT NULL, "derived_from" uuid array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "registry_resources_code_key" UNIQUE ("code"), CONSTRAINT "registry_resources_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "registry_resources_unit_idx" ON "registry_resources"  ("unit_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."registry_ecosystem_type" AS ENUM('forest', 'shrub', 'grassland', 'wetland', 'farmland', 'urban', 'glacier_snow', 'bare_land', 'water')`,
    );
    await queryRunner.query(
      `CREATE TABLE "registry_resource_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "resource_id" uuid NOT NULL, "valid" daterange NOT NULL, "name" character varying(200), "ecosystem_type" "public"."registry_ecosystem_type" NOT NULL, "area_ha" numeric NOT NULL, "state_area_ha" numeric, "collective_area_ha" numeric, "disputed_area_ha" numeric, "patch_count" integer, "geometry" jsonb, "attributes" jsonb NOT NULL DEFAULT '{}', "entry_id" uuid NOT NULL, CONSTRAINT "registry_resource_versions_areas_check" CHECK (area_ha > 0 AND coalesce(state_area_ha, 0) >= 0 AND coalesce(collective_area_ha, 0) >= 0 AND coalesce(disputed_area_ha, 0) >= 0), CONSTRAINT "registry_resource_versions_no_overlap" EXCLUDE USING gist (resource_id WITH =, valid WITH &&), CONSTRAINT "registry_resource_versions_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "registry_resource_versions_resource_idx" ON "registry_resource_versions"  ("resource_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."registry_right_type" AS ENUM('ownership', 'contract', 'management', 'forest_land_management', 'tree_ownership', 'tree_use', 'use', 'mining', 'water_withdrawal', 'compensation_income', 'wetland_offset_credit', 'wetland_equity', 'mortgage', 'lease', 'custody')`,
    );
    await queryRunner.query(
      `CREATE TABLE "registry_rights" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "resource_id" uuid NOT NULL, "right_type" "public"."registry_right_type" NOT NULL, "exclusive" boolean NOT NULL, "active" daterange NOT NULL, "encumbers_right_id" uuid, "derived_from_right_id" uuid, "area_ha" numeric, "price_yuan" numeric, "document" jsonb NOT NULL, "created_entry_id" uuid NOT NULL, "ended_entry_id" uuid, CONSTRAINT "registry_rights_active_check" CHECK (NOT lower_inf(active) AND coalesce(area_ha, 1) > 0 AND coalesce(price_yuan, 0) >= 0), CONSTRAINT "registry_rights_type_check" CHECK (exclusive = (right_type::text NOT IN ('water_withdrawal','wetland_offset_credit','mortgage')) AND (encumbers_right_id IS NOT NULL) = (right_type::text IN ('mortgage','lease','custody')) AND (area_ha IS NOT NULL) = (right_type::text IN ('wetland_offset_credit'))), CONSTRAINT "registry_rights_exclusive_no_overlap" EXCLUDE USING gist (resource_id WITH =, right_type WITH =, active WITH &&) WHERE (exclusive), CONSTRAINT "registry_rights_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "registry_rights_encumbers_idx" ON "registry_rights"  ("encumbers_right_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "registry_rights_resource_idx" ON "registry_rights"  ("resource_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "registry_right_holders" ("right_id" uuid NOT NULL, "party_id" uuid NOT NULL, "share" numeric(7,4) NOT NULL, CONSTRAINT "registry_right_holders_share_check" CHECK (share > 0 AND share <= 100), CONSTRAINT "registry_right_holders_pkey" PRIMARY KEY ("right_id", "party_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "registry_right_holders_party_idx" ON "registry_right_holders"  ("party_id") `,
    );
    await queryRunner.query(`ALTER TYPE "public"."job_kind" ADD VALUE 'registry_import'`);
    await queryRunner.query(
      `ALTER TABLE "registration_units" ADD CONSTRAINT "registration_units_region_fk" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_entries" ADD CONSTRAINT "registry_entries_unit_fk" FOREIGN KEY ("unit_id") REFERENCES "registration_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_objections" ADD CONSTRAINT "registry_objections_unit_fk" FOREIGN KEY ("unit_id") REFERENCES "registration_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_objections" ADD CONSTRAINT "registry_objections_entry_fk" FOREIGN KEY ("entry_id") REFERENCES "registry_entries"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_objections" ADD CONSTRAINT "registry_objections_resolution_entry_fk" FOREIGN KEY ("resolution_entry_id") REFERENCES "registry_entries"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_parties" ADD CONSTRAINT "registry_parties_region_fk" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registration_unit_versions" ADD CONSTRAINT "registration_unit_versions_unit_fk" FOREIGN KEY ("unit_id") REFERENCES "registration_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registration_unit_versions" ADD CONSTRAINT "registration_unit_versions_collective_fk" FOREIGN KEY ("collective_party_id") REFERENCES "registry_parties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registration_unit_versions" ADD CONSTRAINT "registration_unit_versions_entry_fk" FOREIGN KEY ("entry_id") REFERENCES "registry_entries"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_resources" ADD CONSTRAINT "registry_resources_unit_fk" FOREIGN KEY ("unit_id") REFERENCES "registration_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_resource_versions" ADD CONSTRAINT "registry_resource_versions_resource_fk" FOREIGN KEY ("resource_id") REFERENCES "registry_resources"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_resource_versions" ADD CONSTRAINT "registry_resource_versions_entry_fk" FOREIGN KEY ("entry_id") REFERENCES "registry_entries"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_rights" ADD CONSTRAINT "registry_rights_resource_fk" FOREIGN KEY ("resource_id") REFERENCES "registry_resources"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_rights" ADD CONSTRAINT "registry_rights_encumbers_fk" FOREIGN KEY ("encumbers_right_id") REFERENCES "registry_rights"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_rights" ADD CONSTRAINT "registry_rights_derived_fk" FOREIGN KEY ("derived_from_right_id") REFERENCES "registry_rights"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_rights" ADD CONSTRAINT "registry_rights_created_entry_fk" FOREIGN KEY ("created_entry_id") REFERENCES "registry_entries"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_rights" ADD CONSTRAINT "registry_rights_ended_entry_fk" FOREIGN KEY ("ended_entry_id") REFERENCES "registry_entries"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_right_holders" ADD CONSTRAINT "registry_right_holders_right_fk" FOREIGN KEY ("right_id") REFERENCES "registry_rights"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_right_holders" ADD CONSTRAINT "registry_right_holders_party_fk" FOREIGN KEY ("party_id") REFERENCES "registry_parties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Written by hand: indexes TypeORM cannot declare, the registry's triggers and the new role.
    await queryRunner.query(
      `CREATE INDEX "registry_entries_subjects_idx" ON "registry_entries" USING gin ("subjects")`,
    );
    await queryRunner.query(
      `CREATE INDEX "registration_unit_versions_bbox_idx" ON "registration_unit_versions" USING gist ("bbox") WHERE upper_inf(valid)`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_roles_check"`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_roles_check" CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['admin','statistician','reviewer','accountant','finance','auditor','viewer','registry_clerk']::text[])`,
    );
    await queryRunner.query(`CREATE TRIGGER registry_entries_append_only BEFORE UPDATE OR DELETE ON "registry_entries"
            FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only('registry ledger entries')`);
    for (const table of ['registry_resources', 'registry_right_holders'])
      await queryRunner.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON "${table}"
            FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only('${table.replace(/_/g, ' ')}')`);
    // History rows: never deleted; an UPDATE may only bring the end of the period (argument 0) forward
    // — or empty it, for a version superseded on its first day — and set the columns named after it.
    await queryRunner.query(`CREATE FUNCTION registry_history_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                period text := TG_ARGV[0];
                settable text[] := coalesce(TG_ARGV[1:TG_NARGS - 1], '{}');
                o jsonb := to_jsonb(OLD);
                n jsonb;
                op daterange;
                np daterange;
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION '% rows are registry history and cannot be deleted', TG_TABLE_NAME
                        USING ERRCODE = 'object_not_in_prerequisite_state';
                END IF;
                n := to_jsonb(NEW);
                IF period <> '' THEN
                    op := (o ->> period)::daterange;
                    np := (n ->> period)::daterange;
                    IF NOT (isempty(np) OR (np <@ op AND lower(np) = lower(op))) THEN
                        RAISE EXCEPTION '% of % rows can only end earlier (from % to %)', period, TG_TABLE_NAME, op, np
                            USING ERRCODE = 'object_not_in_prerequisite_state';
                    END IF;
                    settable := settable || period;
                END IF;
                IF (o - settable) IS DISTINCT FROM (n - settable) THEN
                    RAISE EXCEPTION '% rows are registry history: only % can change', TG_TABLE_NAME, array_to_string(settable, ', ')
                        USING ERRCODE = 'object_not_in_prerequisite_state';
                END IF;
                RETURN NEW;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER registration_unit_versions_history BEFORE UPDATE OR DELETE ON "registration_unit_versions"
            FOR EACH ROW EXECUTE FUNCTION registry_history_guard('valid')`);
    await queryRunner.query(`CREATE TRIGGER registry_resource_versions_history BEFORE UPDATE OR DELETE ON "registry_resource_versions"
            FOR EACH ROW EXECUTE FUNCTION registry_history_guard('valid')`);
    await queryRunner.query(`CREATE TRIGGER registry_rights_history BEFORE UPDATE OR DELETE ON "registry_rights"
            FOR EACH ROW EXECUTE FUNCTION registry_history_guard('active', 'ended_entry_id')`);
    await queryRunner.query(`CREATE TRIGGER registry_objections_history BEFORE UPDATE OR DELETE ON "registry_objections"
            FOR EACH ROW WHEN (OLD.status <> 'open')
            EXECUTE FUNCTION registry_history_guard('')`);
    await queryRunner.query(`CREATE TRIGGER registry_objections_resolve BEFORE UPDATE OR DELETE ON "registry_objections"
            FOR EACH ROW WHEN (OLD.status = 'open')
            EXECUTE FUNCTION registry_history_guard('', 'status', 'resolution', 'resolved_on', 'resolved_by', 'resolution_entry_id')`);
    await queryRunner.query(`CREATE TRIGGER registration_units_history BEFORE UPDATE OR DELETE ON "registration_units"
            FOR EACH ROW EXECUTE FUNCTION registry_history_guard('', 'status', 'objection_deadline', 'registered_on', 'cancelled_on')`);
    // A cancelled unit takes no further entry, right or change (注销登记 is final).
    await queryRunner.query(`CREATE FUNCTION registry_refuse_cancelled() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                unit registration_units;
            BEGIN
                IF TG_TABLE_NAME = 'registration_units' THEN
                    unit := OLD;
                ELSIF TG_TABLE_NAME = 'registry_rights' THEN
                    SELECT u.* INTO unit FROM registry_resources r JOIN registration_units u ON u.id = r.unit_id
                        WHERE r.id = NEW.resource_id;
                ELSE
                    SELECT * INTO unit FROM registration_units WHERE id = NEW.unit_id;
                END IF;
                IF unit.status = 'cancelled' THEN
                    RAISE EXCEPTION 'unit % is cancelled (注销) and accepts no new entries or rights', unit.code
                        USING ERRCODE = 'check_violation', CONSTRAINT = 'registry_unit_cancelled';
                END IF;
                RETURN NEW;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER registry_entries_not_cancelled BEFORE INSERT ON "registry_entries"
            FOR EACH ROW EXECUTE FUNCTION registry_refuse_cancelled()`);
    await queryRunner.query(`CREATE TRIGGER registry_rights_not_cancelled BEFORE INSERT ON "registry_rights"
            FOR EACH ROW EXECUTE FUNCTION registry_refuse_cancelled()`);
    await queryRunner.query(`CREATE TRIGGER registration_units_not_cancelled BEFORE UPDATE ON "registration_units"
            FOR EACH ROW EXECUTE FUNCTION registry_refuse_cancelled()`);
    // Encumbrances: a mortgage only over a mortgageable right (民法典 arts. 395, 399; 森林法 art. 62),
    // every encumbrance over a right of the same resource and within its period, both ways.
    await queryRunner.query(`CREATE FUNCTION registry_rights_encumbrance_check() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                base registry_rights;
            BEGIN
                IF NEW.encumbers_right_id IS NOT NULL THEN
                    SELECT * INTO base FROM registry_rights WHERE id = NEW.encumbers_right_id;
                    IF NEW.right_type = 'mortgage' AND base.right_type::text NOT IN
                        ('management', 'forest_land_management', 'tree_ownership', 'tree_use', 'use', 'mining') THEN
                        RAISE EXCEPTION 'a % right cannot be mortgaged', base.right_type
                            USING ERRCODE = 'check_violation', CONSTRAINT = 'registry_rights_mortgageable';
                    END IF;
                    IF base.resource_id <> NEW.resource_id OR base.encumbers_right_id IS NOT NULL
                        OR NOT (isempty(NEW.active) OR NEW.active <@ base.active) THEN
                        RAISE EXCEPTION 'the % must lie within the period % of the right it encumbers', NEW.right_type, base.active
                            USING ERRCODE = 'check_violation', CONSTRAINT = 'registry_rights_within_encumbered';
                    END IF;
                END IF;
                IF TG_OP = 'UPDATE' AND EXISTS (
                    SELECT 1 FROM registry_rights e WHERE e.encumbers_right_id = NEW.id
                        AND NOT isempty(e.active) AND NOT (e.active <@ NEW.active)) THEN
                    RAISE EXCEPTION 'the right is still encumbered after %: end its mortgage, lease or custody first', upper(NEW.active)
                        USING ERRCODE = 'check_violation', CONSTRAINT = 'registry_rights_within_encumbered';
                END IF;
                RETURN NULL;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER registry_rights_encumbrance AFTER INSERT OR UPDATE ON "registry_rights"
            FOR EACH ROW EXECUTE FUNCTION registry_rights_encumbrance_check()`);
    await queryRunner.query(`CREATE FUNCTION registry_right_shares_check() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF (SELECT sum(share) FROM registry_right_holders WHERE right_id = NEW.right_id) > 100 THEN
                    RAISE EXCEPTION 'the holders'' shares of right % add up to more than 100 %%', NEW.right_id
                        USING ERRCODE = 'check_violation', CONSTRAINT = 'registry_right_holders_shares_total';
                END IF;
                RETURN NULL;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER registry_right_holders_shares AFTER INSERT ON "registry_right_holders"
            FOR EACH ROW EXECUTE FUNCTION registry_right_shares_check()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['registry_right_holders_shares', 'registry_right_holders'],
      ['registry_rights_encumbrance', 'registry_rights'],
      ['registration_units_not_cancelled', 'registration_units'],
      ['registry_rights_not_cancelled', 'registry_rights'],
      ['registry_entries_not_cancelled', 'registry_entries'],
      ['registration_units_history', 'registration_units'],
      ['registry_objections_resolve', 'registry_objections'],
      ['registry_objections_history', 'registry_objections'],
      ['registry_rights_history', 'registry_rights'],
      ['registry_resource_versions_history', 'registry_resource_versions'],
      ['registration_unit_versions_history', 'registration_unit_versions'],
      ['registry_right_holders_append_only', 'registry_right_holders'],
      ['registry_resources_append_only', 'registry_resources'],
      ['registry_entries_append_only', 'registry_entries'],
    ])
      await queryRunner.query(`DROP TRIGGER ${trigger} ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION registry_right_shares_check()`);
    await queryRunner.query(`DROP FUNCTION registry_rights_encumbrance_check()`);
    await queryRunner.query(`DROP FUNCTION registry_refuse_cancelled()`);
    await queryRunner.query(`DROP FUNCTION registry_history_guard()`);
    await queryRunner.query(`DELETE FROM "users" WHERE 'registry_clerk' = ANY(roles)`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_roles_check"`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_roles_check" CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['admin','statistician','reviewer','accountant','finance','auditor','viewer']::text[])`,
    );
    await queryRunner.query(`DROP INDEX "public"."registration_unit_versions_bbox_idx"`);
    await queryRunner.query(`DROP INDEX "public"."registry_entries_subjects_idx"`);
    await queryRunner.query(
      `ALTER TABLE "registry_right_holders" DROP CONSTRAINT "registry_right_holders_party_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_right_holders" DROP CONSTRAINT "registry_right_holders_right_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_rights" DROP CONSTRAINT "registry_rights_ended_entry_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_rights" DROP CONSTRAINT "registry_rights_created_entry_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_rights" DROP CONSTRAINT "registry_rights_derived_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_rights" DROP CONSTRAINT "registry_rights_encumbers_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_rights" DROP CONSTRAINT "registry_rights_resource_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_resource_versions" DROP CONSTRAINT "registry_resource_versions_entry_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_resource_versions" DROP CONSTRAINT "registry_resource_versions_resource_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_resources" DROP CONSTRAINT "registry_resources_unit_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registration_unit_versions" DROP CONSTRAINT "registration_unit_versions_entry_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registration_unit_versions" DROP CONSTRAINT "registration_unit_versions_collective_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registration_unit_versions" DROP CONSTRAINT "registration_unit_versions_unit_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_parties" DROP CONSTRAINT "registry_parties_region_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_objections" DROP CONSTRAINT "registry_objections_resolution_entry_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_objections" DROP CONSTRAINT "registry_objections_entry_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_objections" DROP CONSTRAINT "registry_objections_unit_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registry_entries" DROP CONSTRAINT "registry_entries_unit_fk"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registration_units" DROP CONSTRAINT "registration_units_region_fk"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."job_kind_old" AS ENUM('survey_import', 'accounting_run')`,
    );
    await queryRunner.query(
      `ALTER TABLE "jobs" ALTER COLUMN "kind" TYPE "public"."job_kind_old" USING "kind"::"text"::"public"."job_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."job_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."job_kind_old" RENAME TO "job_kind"`);
    await queryRunner.query(`DROP INDEX "public"."registry_right_holders_party_idx"`);
    await queryRunner.query(`DROP TABLE "registry_right_holders"`);
    await queryRunner.query(`DROP INDEX "public"."registry_rights_resource_idx"`);
    await queryRunner.query(`DROP INDEX "public"."registry_rights_encumbers_idx"`);
    await queryRunner.query(`DROP TABLE "registry_rights"`);
    await queryRunner.query(`DROP TYPE "public"."registry_right_type"`);
    await queryRunner.query(`DROP INDEX "public"."registry_resource_versions_resource_idx"`);
    await queryRunner.query(`DROP TABLE "registry_resource_versions"`);
    await queryRunner.query(`DROP TYPE "public"."registry_ecosystem_type"`);
    await queryRunner.query(`DROP INDEX "public"."registry_resources_unit_idx"`);
    await queryRunner.query(`DROP TABLE "registry_resources"`);
    await queryRunner.query(`DROP TYPE "public"."registry_resource_type"`);
    await queryRunner.query(`DROP INDEX "public"."registration_unit_versions_unit_idx"`);
    await queryRunner.query(`DROP TABLE "registration_unit_versions"`);
    await queryRunner.query(`DROP TYPE "public"."registry_owner_model"`);
    await queryRunner.query(`DROP INDEX "public"."registry_parties_id_number_key"`);
    await queryRunner.query(`DROP TABLE "registry_parties"`);
    await queryRunner.query(`DROP TYPE "public"."registry_party_kind"`);
    await queryRunner.query(`DROP INDEX "public"."registry_objections_unit_idx"`);
    await queryRunner.query(`DROP TABLE "registry_objections"`);
    await queryRunner.query(`DROP TYPE "public"."registry_objection_status"`);
    await queryRunner.query(`DROP INDEX "public"."registry_entries_unit_idx"`);
    await queryRunner.query(`DROP TABLE "registry_entries"`);
    await queryRunner.query(`DROP TYPE "public"."registry_entry_kind"`);
    await queryRunner.query(`DROP INDEX "public"."registration_units_region_idx"`);
    await queryRunner.query(`DROP TABLE "registration_units"`);
    await queryRunner.query(`DROP TYPE "public"."registry_unit_status"`);
    await queryRunner.query(`DROP TYPE "public"."registry_unit_type"`);
  }
}
