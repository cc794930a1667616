import { MigrationInterface, QueryRunner } from 'typeorm';

export class ResultQuantityByIndex1796246074715 implements MigrationInterface {
  name = 'ResultQuantityByIndex1796246074715';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "accounting_results" ADD "quantity_by_index" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "accounting_results" DROP COLUMN "quantity_by_index"`);
  }
}
