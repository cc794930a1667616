/**
 * The architecture, enforced (npm run deps:check, in CI). Layers, lowest first — a module may
 * import its own layer and those below it, never above:
 *
 *   kernel      src/common, src/formula, src/config   exact decimals, hashes, geometry, documents,
 *                                                     errors, validation; the formula engine
 *   database    src/database                          data source, migrations, column types, COPY
 *   foundation  src/regions, src/auth, src/users,     regions and scope, sign-in and roles, audit
 *               src/audit-log, src/jobs, src/health   log, background jobs
 *   registry    src/registry                          natural-resource rights registry
 *   accounting  src/accounting                        methodologies, survey data, runs, parcels
 *   assessment  src/assessment                        compensation, officials, reports — reading
 *                                                     accounting only through its one door,
 *                                                     accounting/runs/published-gep.ts
 *
 * The composition roots (app.module, main, bootstrap, console, database/entities.ts listing every
 * entity, database/prepare.ts running the seeds) wire everything and may import anything.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
const KERNEL = '^src/(common|formula|config)/';
const COMPOSITION =
  '^src/(app\\.module|main|bootstrap)\\.ts$|^src/console/|^src/database/(entities|prepare)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle makes two files one: move the shared part down. TypeORM entities that name each ' +
        'other in their relations are the exception.',
      from: { pathNot: '\\.entity\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'kernel-imports-kernel',
      severity: 'error',
      comment: 'The kernel (common, formula, config) depends on nothing of the service.',
      from: { path: KERNEL },
      to: { path: '^src/', pathNot: KERNEL },
    },
    {
      name: 'database-imports-kernel',
      severity: 'error',
      comment:
        'The database layer knows no domain (the entity list and the seeds are composition).',
      from: { path: '^src/database/', pathNot: COMPOSITION },
      to: { path: '^src/', pathNot: `${KERNEL}|^src/database/` },
    },
    {
      name: 'foundation-below-domains',
      severity: 'error',
      comment:
        'Regions, auth, users, audit log and jobs serve the domains and import none of them.',
      from: { path: '^src/(regions|auth|users|audit-log|jobs|health)/' },
      to: { path: '^src/(registry|accounting|assessment)/' },
    },
    {
      name: 'registry-below-accounting',
      severity: 'error',
      comment:
        'The registry is read by accounting (extent, parcels) and imports neither it nor assessment.',
      from: { path: '^src/registry/' },
      to: { path: '^src/(accounting|assessment)/' },
    },
    {
      name: 'accounting-below-assessment',
      severity: 'error',
      from: { path: '^src/accounting/' },
      to: { path: '^src/assessment/' },
    },
    {
      name: 'assessment-through-the-door',
      severity: 'error',
      comment:
        'Assessment reads accounting through PublishedGep only (and wires its Nest module): no ' +
        'accounting entity, table or computation.',
      from: { path: '^src/assessment/' },
      to: {
        path: '^src/accounting/',
        pathNot: '^src/accounting/runs/(published-gep|runs\\.module)\\.ts$',
      },
    },
    {
      name: 'src-not-into-test',
      severity: 'error',
      comment: 'The service does not import test code.',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
  },
};
