import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A region that parcel data names cannot be deleted: a county with parcel sets, a township with
 * parcels. Parcels' township codes had no foreign key at all (a township with parcels could be
 * deleted), and on Citus the parcel tables are distributed and cannot keep foreign keys to the
 * coordinator's `regions` (docs/national-scale.md); a row trigger on `regions` holds on both.
 */
export class RegionInUseByParcels1796300000000 implements MigrationInterface {
  name = 'RegionInUseByParcels1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION regions_refuse_delete_used_by_parcels() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM parcel_sets WHERE region_code = OLD.code)
                   OR (OLD.parent_code IS NOT NULL AND EXISTS (
                         SELECT 1 FROM parcels WHERE region_code = OLD.parent_code AND township_code = OLD.code)) THEN
                    RAISE EXCEPTION 'region % is named by parcel data', OLD.code
                        USING ERRCODE = 'restrict_violation',
                              DETAIL = format('图斑数据集或图斑仍属于行政区 %s %s', OLD.code, OLD.name);
                END IF;
                RETURN OLD;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER regions_used_by_parcels BEFORE DELETE ON "regions"
            FOR EACH ROW EXECUTE FUNCTION regions_refuse_delete_used_by_parcels()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER regions_used_by_parcels ON "regions"`);
    await queryRunner.query(`DROP FUNCTION regions_refuse_delete_used_by_parcels()`);
  }
}
