import { MigrationInterface, QueryRunner } from 'typeorm';

export class RewardDeductionSchemes1795382579960 implements MigrationInterface {
  name = 'RewardDeductionSchemes1795382579960';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TYPE "public"."compensation_scheme_type" ADD VALUE 'reward_deduction'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."compensation_scheme_type_old" AS ENUM('budget_allocation', 'cross_section')`,
    );
    await queryRunner.query(
      `ALTER TABLE "compensation_schemes" ALTER COLUMN "type" TYPE "public"."compensation_scheme_type_old" USING "type"::"text"::"public"."compensation_scheme_type_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."compensation_scheme_type"`);
    await queryRunner.query(
      `ALTER TYPE "public"."compensation_scheme_type_old" RENAME TO "compensation_scheme_type"`,
    );
  }
}
