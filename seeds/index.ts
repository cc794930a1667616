import { DataSource, EntityManager } from 'typeorm';
import { AuditLogEntry } from '../src/audit-log/audit-log.entity';
import { hashPassword } from '../src/auth/passwords';
import { Role } from '../src/auth/roles';
import { MethodologyPackage } from '../src/accounting/methodology/methodology-content';
import { validateMethodology } from '../src/accounting/methodology/methodology-model';
import { seedDemoCompensation } from './demo/compensation';
import { seedDemoCrossSection } from './demo/cross-section';
import { seedDemoForest } from './demo/forest';
import { seedDemoOfficials } from './demo/officials';
import { seedDemoRegistry } from './demo/registry';
import { seedDemoSurveyAndRuns } from './demo/survey';
import { DEMO_PASSWORD, DEMO_USERS } from './demo/users';
import { METHODOLOGY_SEEDS } from './reference/methodologies';
import { REGION_SEEDS } from './reference/regions';

export interface SeedOptions {
  demo: boolean;
  /** Creates a national `admin` with this password when no `admin` user exists. */
  adminPassword?: string;
}

export interface SeedReport {
  regionsWritten: number;
  methodologiesCreated: number;
  usersCreated: number;
  demoForms: number;
  demoRuns: number;
  demoCompensationRuns: number;
  demoOfficials: number;
  /** Registration units of the demo register. */
  demoRegistryUnits: number;
}

const SEED_ACTOR = 'system:seed';

async function audit(
  manager: EntityManager,
  action: string,
  entityType: string,
  entityId: string,
  after: Record<string, unknown>,
): Promise<void> {
  await manager.insert(AuditLogEntry, {
    actorUsername: SEED_ACTOR,
    action,
    entityType,
    entityId,
    after,
  });
}

/** Reference regions: inserted, or updated where they differ; untouched (and unlogged) otherwise. */
async function seedRegions(manager: EntityManager): Promise<number> {
  let written = 0;
  for (const seed of REGION_SEEDS) {
    const rows: { code: string; inserted: boolean }[] = await manager.query(
      `INSERT INTO regions (code, name, level, parent_code, path)
       VALUES ($1::varchar, $2, $3::region_level, $4::varchar,
               CASE WHEN $4::varchar IS NULL THEN text2ltree($1::varchar)
                    ELSE (SELECT path FROM regions WHERE code = $4::varchar) || text2ltree($1::varchar) END)
       ON CONFLICT (code) DO UPDATE
         SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code,
             path = EXCLUDED.path, updated_at = now()
         WHERE (regions.name, regions.level, regions.parent_code, regions.path)
               IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.parent_code, EXCLUDED.path)
       RETURNING code, (xmax = 0) AS inserted`,
      [seed.code, seed.name, seed.level, seed.parentCode],
    );
    for (const row of rows) {
      written++;
      await audit(manager, row.inserted ? 'region.create' : 'region.update', 'region', row.code, {
        ...seed,
      });
    }
  }
  return written;
}

async function createUsers(
  manager: EntityManager,
  users: {
    username: string;
    displayName: string;
    roles: Role[];
    regionCode: string | null;
    password: string;
  }[],
): Promise<number> {
  const existing: { username: string }[] = await manager.query(
    'SELECT username FROM users WHERE username = ANY($1)',
    [users.map((u) => u.username)],
  );
  const have = new Set(existing.map((e) => e.username));
  let created = 0;
  for (const u of users.filter((x) => !have.has(x.username))) {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO users (username, display_name, password_hash, roles, region_code)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING RETURNING id`,
      [u.username, u.displayName, await hashPassword(u.password), u.roles, u.regionCode],
    );
    for (const row of rows) {
      created++;
      await audit(manager, 'user.create', 'user', row.id, {
        username: u.username,
        displayName: u.displayName,
        roles: u.roles,
        regionCode: u.regionCode,
      });
    }
  }
  return created;
}

/**
 * Reference methodologies, inserted as published versions when missing. A published version is
 * immutable, so a changed seed needs a new version number.
 */
async function seedMethodologies(
  manager: EntityManager,
  packages: MethodologyPackage[],
): Promise<number> {
  let created = 0;
  for (const pkg of packages) {
    const {
      format: _format,
      standardId,
      version,
      name,
      sourceDocument,
      description,
      ...content
    } = pkg;
    const problems = validateMethodology(content);
    if (problems.length) {
      throw new Error(
        `seed methodology ${standardId} v${version} is invalid:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      );
    }
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO methodologies (standard_id, version, name, source_document, description, status, content, created_by, published_by, published_at)
       VALUES ($1, $2, $3, $4, $5, 'published', $6, $7, $7, now())
       ON CONFLICT (standard_id, version) DO NOTHING RETURNING id`,
      [
        standardId,
        version,
        name,
        sourceDocument,
        description ?? null,
        JSON.stringify(content),
        SEED_ACTOR,
      ],
    );
    for (const row of rows) {
      created++;
      await audit(manager, 'methodology.create', 'methodology', row.id, {
        standardId,
        version,
        name,
        status: 'published',
      });
    }
  }
  return created;
}

/** Loads reference data (always) and demo data (when asked). Running it twice changes nothing. */
export async function runSeeds(dataSource: DataSource, options: SeedOptions): Promise<SeedReport> {
  return dataSource.transaction(async (manager) => {
    const regionsWritten = await seedRegions(manager);
    const methodologiesCreated = await seedMethodologies(manager, METHODOLOGY_SEEDS);
    let usersCreated = 0;
    if (options.adminPassword) {
      usersCreated += await createUsers(manager, [
        {
          username: 'admin',
          displayName: '系统管理员',
          roles: ['admin'],
          regionCode: null,
          password: options.adminPassword,
        },
      ]);
    }
    if (options.demo) {
      usersCreated += await createUsers(
        manager,
        DEMO_USERS.map((u) => ({ ...u, password: DEMO_PASSWORD })),
      );
    }
    const demo = options.demo ? await seedDemoSurveyAndRuns(manager) : { forms: 0, runs: 0 };
    const demoCompensationRuns = options.demo
      ? (await seedDemoCompensation(manager)) + (await seedDemoCrossSection(manager))
      : 0;
    if (options.demo) await seedDemoForest(manager);
    const demoOfficials = options.demo ? await seedDemoOfficials(manager) : 0;
    const demoRegistryUnits = options.demo ? await seedDemoRegistry(dataSource, manager) : 0;
    return {
      regionsWritten,
      methodologiesCreated,
      usersCreated,
      demoForms: demo.forms,
      demoRuns: demo.runs,
      demoCompensationRuns,
      demoOfficials,
      demoRegistryUnits,
    };
  });
}
