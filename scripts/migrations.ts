/**
 * Schema drift tools, on a scratch database (DATABASE_URL's server, or an embedded one):
 *   npm run migration:check              exits 1 when the entities differ from what the migrations build
 *   npm run migration:generate -- Name   writes migrations/<timestamp>-<Name>.ts with the difference
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { recreateDatabase, startToolServer } from '../src/database/database-server';
import { dataSourceOptions } from '../src/database/data-source-options';

interface Query {
  query: string;
  parameters?: unknown[];
}

const literal = (q: Query): string =>
  `        await queryRunner.query(\`${q.query.replace(/`/g, '\\`')}\`${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`;

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (
    command !== 'check' &&
    !(command === 'generate' && name && /^[A-Z][A-Za-z0-9]+$/.test(name))
  ) {
    console.error('usage: migrations.ts check | generate <PascalCaseName>');
    process.exit(2);
  }
  const config = loadConfig(process.env);
  const server = await startToolServer(config, 'tools', config.EMBEDDED_PG_PORT + 2);
  let exitCode = 0;
  try {
    const url = await recreateDatabase(server.adminUrl, 'gep_schema_check');
    const dataSource = new DataSource(dataSourceOptions(url));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const sql = await dataSource.driver.createSchemaBuilder().log();
      const up = sql.upQueries as Query[];
      const down = sql.downQueries as Query[];
      if (command === 'check') {
        if (up.length > 0) {
          console.error(
            `Schema drift: the entities need ${up.length} change(s) the migrations do not make:`,
          );
          for (const q of up) console.error(`  ${q.query}`);
          console.error('Run `npm run migration:generate -- <Name>` and review the result.');
          exitCode = 1;
        } else {
          console.log('No schema drift: migrations match the entities.');
        }
      } else if (up.length === 0) {
        console.log('Nothing to generate: migrations match the entities.');
      } else {
        const timestamp = Date.now();
        const file = join(__dirname, '..', 'migrations', `${timestamp}-${name}.ts`);
        writeFileSync(
          file,
          `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
    name = '${name}${timestamp}';

    public async up(queryRunner: QueryRunner): Promise<void> {
${up.map(literal).join('\n')}
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
${down.reverse().map(literal).join('\n')}
    }
}
`,
        );
        console.log(`Wrote ${file}; add it to migrations/index.ts and review it.`);
      }
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await server.stop();
  }
  process.exit(exitCode);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
