/**
 * Distributes the service's tables on Citus (the versioned steps of src/database/citus.ts):
 *
 *   DATABASE_URL=postgres://owner@coordinator/db npm run db:distribute
 *
 * Run it once after the service has created its schema on the coordinator (first start), with
 * the service stopped; repeating it applies only steps not yet applied. Exits 1 with the reason
 * when the database cannot be distributed (no citus extension, a step failed and was rolled back).
 */
import { distribute, DistributionError } from '../src/database/citus';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      '请用 DATABASE_URL 指定 Citus 协调节点上的服务数据库 (set DATABASE_URL to the service database on the Citus coordinator)',
    );
    process.exit(2);
  }
  const report = await distribute(url, (line) => console.log(line));
  console.log(
    report.applied.length
      ? `citus ${report.citusVersion}: applied step(s) ${report.applied.join(', ')}; distribution is at step ${report.current}`
      : `citus ${report.citusVersion}: nothing to do; distribution is at step ${report.current}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof DistributionError ? e.message : e);
  process.exit(1);
});
