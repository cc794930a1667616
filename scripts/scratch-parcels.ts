import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { startToolServer } from '../src/database/database-server';

async function main() {
  const config = loadConfig(process.env);
  const server = await startToolServer(config, 'tools', config.EMBEDDED_PG_PORT + 2);
  const url = server.adminUrl.replace(/\/[^/]*$/, '/gep_bench_parcels');
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  const sqls = process.argv.slice(2);
  for (const sql of sqls) {
    const t = performance.now();
    const r = await ds.query(sql);
    console.log(((performance.now() - t) / 1000).toFixed(2), 's', JSON.stringify(r).slice(0, 3000));
  }
  await ds.destroy();
  await server.stop();
}
void main();
