/*
 * 6. The registry at county-register scale: 10,000 units, 100,000 resources and 200,000 ledger
 *    entries generated in SQL (a 100 × 100 grid of units sharing edges, ten resources each, half
 *    the resources with a contract right, four fifths of those transferred once), then timed
 *    through the services: as-of reads of a unit, the overlap check of a new unit, and a GeoJSON
 *    import of 10,000 unit features.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { runSeeds } from '../seeds';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { recreateDatabase, startToolServer } from '../src/database/database-server';
import { Boundary } from '../src/common/geometry/geometry';
import { SignedIn } from '../src/auth/auth-user';
import { RegistryImportService } from '../src/registry/registry-import.service';
import { RegistryModule } from '../src/registry/registry.module';
import { RegistryReader } from '../src/registry/registry-reader';
import { UnitsService } from '../src/registry/units.service';
import { standaloneContext } from '../src/standalone';

const UNITS = 10_000;
const SIDE = 100;
const CELL = 0.01;

const square = (x: number, y: number): Boundary => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + CELL, y],
      [x + CELL, y + CELL],
      [x, y + CELL],
      [x, y],
    ],
  ],
});

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
};

async function generate(ds: DataSource): Promise<void> {
  await ds.transaction(async (m) => {
    const q = (sql: string) => m.query(sql);
    await q(`CREATE TEMP TABLE bu ON COMMIT DROP AS
      SELECT g, gen_random_uuid() AS id, gen_random_uuid() AS entry,
             100 + (g % ${SIDE}) * ${CELL} AS x, 30 + (g / ${SIDE}) * ${CELL} AS y
        FROM generate_series(0, ${UNITS - 1}) g`);
    await q(`INSERT INTO registration_units (id, code, region_code, unit_type, status, registered_on, created_by)
      SELECT id, '361130SL' || lpad((g + 1)::text, 5, '0'), '361130', 'forest', 'registered', '2020-01-01', 'bench' FROM bu`);
    await q(`INSERT INTO registry_entries (id, unit_id, kind, effective_date, subjects, payload, recorded_by)
      SELECT entry, id, 'first_registration', '2020-01-01', ARRAY[id], '{"bench": true, "statusAfter": "registered"}', 'bench' FROM bu`);
    await q(`INSERT INTO registration_unit_versions (unit_id, valid, name, boundary, bbox, area_ha, owner_model, representative, entry_id)
      SELECT id, daterange('2020-01-01', NULL), '基准单元 ' || g,
             json_build_object('type', 'Polygon', 'coordinates', json_build_array(json_build_array(
               json_build_array(x, y), json_build_array(x + ${CELL}, y), json_build_array(x + ${CELL}, y + ${CELL}),
               json_build_array(x, y + ${CELL}), json_build_array(x, y)))),
             box(point(x, y), point(x + ${CELL}, y + ${CELL})), 107, 'state', '自然资源部', entry FROM bu`);
    await q(`CREATE TEMP TABLE br ON COMMIT DROP AS
      SELECT u.g, u.id AS unit_id, r, gen_random_uuid() AS id, gen_random_uuid() AS entry,
             '361130SL' || lpad((u.g + 1)::text, 5, '0') || '-' || lpad(r::text, 4, '0') AS code
        FROM bu u, generate_series(1, 10) r`);
    await q(
      `INSERT INTO registry_resources (id, unit_id, code, resource_type) SELECT id, unit_id, code, 'forest' FROM br`,
    );
    await q(`INSERT INTO registry_entries (id, unit_id, kind, effective_date, subjects, payload, recorded_by)
      SELECT entry, unit_id, 'resource_added', '2020-02-01', ARRAY[unit_id, id], '{"bench": true}', 'bench' FROM br`);
    await q(`INSERT INTO registry_resource_versions (resource_id, valid, ecosystem_type, area_ha, attributes, entry_id)
      SELECT id, daterange('2020-02-01', NULL), 'forest', 10.7, '{"totalStockM3": "900"}', entry FROM br`);
    await q(
      `CREATE TEMP TABLE bp ON COMMIT DROP AS SELECT p, gen_random_uuid() AS id FROM generate_series(0, 99) p`,
    );
    await q(
      `INSERT INTO registry_parties (id, kind, name, created_by) SELECT id, 'individual', '基准农户 ' || p, 'bench' FROM bp`,
    );
    // contracts on resources 1–5 of every unit; those on 1–4 transferred on 2022-06-01
    await q(`CREATE TEMP TABLE bg ON COMMIT DROP AS
      SELECT br.*, gen_random_uuid() AS right_id, gen_random_uuid() AS grant_entry,
             CASE WHEN r <= 4 THEN gen_random_uuid() END AS transfer_entry,
             CASE WHEN r <= 4 THEN gen_random_uuid() END AS successor
        FROM br WHERE r <= 5`);
    await q(`INSERT INTO registry_entries (id, unit_id, kind, effective_date, subjects, payload, recorded_by)
      SELECT grant_entry, unit_id, 'grant', '2021-01-01', ARRAY[unit_id, id, right_id], '{"bench": true}', 'bench' FROM bg`);
    await q(`INSERT INTO registry_entries (id, unit_id, kind, effective_date, subjects, payload, recorded_by)
      SELECT transfer_entry, unit_id, 'transfer', '2022-06-01', ARRAY[unit_id, id, right_id, successor], '{"bench": true}', 'bench'
        FROM bg WHERE transfer_entry IS NOT NULL`);
    await q(`INSERT INTO registry_rights (id, resource_id, right_type, exclusive, active, document, created_entry_id, ended_entry_id)
      SELECT right_id, id, 'contract', true,
             CASE WHEN transfer_entry IS NULL THEN daterange('2021-01-01', NULL) ELSE daterange('2021-01-01', '2022-06-01') END,
             '{"type": "承包合同"}', grant_entry, transfer_entry FROM bg`);
    await q(`INSERT INTO registry_rights (id, resource_id, right_type, exclusive, active, derived_from_right_id, document, created_entry_id)
      SELECT successor, id, 'contract', true, daterange('2022-06-01', NULL), right_id, '{"type": "转让合同"}', transfer_entry
        FROM bg WHERE successor IS NOT NULL`);
    await q(`INSERT INTO registry_right_holders (right_id, party_id, share)
      SELECT right_id, (SELECT id FROM bp WHERE p = (g * 7 + r) % 100), 100 FROM bg
      UNION ALL
      SELECT successor, (SELECT id FROM bp WHERE p = (g * 7 + r + 1) % 100), 100 FROM bg WHERE successor IS NOT NULL`);
  });
  await ds.query('ANALYZE');
}

export async function registryBench(): Promise<void> {
  const config = loadConfig(process.env);
  const server = await startToolServer(config, 'tools', config.EMBEDDED_PG_PORT + 2);
  const url = await recreateDatabase(server.adminUrl, 'gep_bench_registry');
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    await ds.runMigrations();
    await runSeeds(ds, { demo: false });
    let t0 = performance.now();
    await generate(ds);
    const [counts] = await ds.query<
      { units: number; resources: number; entries: number; rights: number }[]
    >(
      `SELECT (SELECT count(*) FROM registration_units)::int AS units, (SELECT count(*) FROM registry_resources)::int AS resources,
              (SELECT count(*) FROM registry_entries)::int AS entries, (SELECT count(*) FROM registry_rights)::int AS rights`,
    );
    console.log(
      `registry generated in SQL: ${counts.units} units, ${counts.resources} resources, ${counts.rights} rights, ${counts.entries} ledger entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const context = await standaloneContext(ds, [RegistryModule]);
    const s = {
      reader: context.get(RegistryReader),
      units: context.get(UnitsService),
      imports: context.get(RegistryImportService),
    };
    const actor: SignedIn = {
      user: {
        id: randomUUID(),
        username: 'bench',
        displayName: 'bench',
        roles: ['admin'],
        regionCode: null,
      },
    };
    const ids = (
      await ds.query<{ id: string }[]>(
        `SELECT id FROM registration_units ORDER BY random() LIMIT 200`,
      )
    ).map((r) => r.id);
    const dates = ['2020-06-01', '2021-06-01', '2022-05-31', '2022-06-01', '2025-01-01'];
    const reads: number[] = [];
    let rights = 0;
    for (const [i, id] of ids.entries()) {
      t0 = performance.now();
      const view = await s.reader.unitAsOf(actor.user, id, dates[i % dates.length]);
      reads.push(performance.now() - t0);
      rights += view.rights.length;
    }
    console.log(
      `as-of read of a unit (version, 10 resources, rights with holders; 200 random units and dates): ${stats(reads)} (target ≤ 50 ms); ${rights} rights read`,
    );

    // New units along the grid's north edge: each shares an edge with one or two existing units.
    const overlap: number[] = [];
    const creates: number[] = [];
    for (let i = 0; i < 50; i++) {
      const boundary = square(100 + i * 2 * CELL, 30 + SIDE * CELL);
      t0 = performance.now();
      await ds.transaction(async (m) =>
        s.units.assertNoOverlap(m, null, 'forest', boundary, 'boundary'),
      );
      overlap.push(performance.now() - t0);
      t0 = performance.now();
      await s.units.create(actor, {
        regionCode: '361130',
        unitType: 'forest',
        name: `新增单元 ${i}`,
        boundary,
        ownership: { model: 'state', representative: '自然资源部' },
      });
      creates.push(performance.now() - t0);
    }
    console.log(
      `overlap check of a new unit against 10,000 (bbox prefilter + exact intersection): ${stats(overlap)} (target ≤ 100 ms)`,
    );
    console.log(
      `pre-delimiting a new unit end to end (check, code, ledger entry, version, read back): ${stats(creates)}`,
    );

    // A 10,000-feature GeoJSON file east of the grid.
    const features = Array.from({ length: UNITS }, (_, g) => {
      const boundary = square(102 + (g % SIDE) * CELL, 30 + Math.floor(g / SIDE) * CELL);
      return {
        type: 'Feature',
        geometry: boundary,
        properties: {
          kind: 'unit',
          ref: `u${g}`,
          regionCode: '361130',
          unitType: 'forest',
          name: `导入单元 ${g}`,
          ownership: { model: 'state', representative: '自然资源部' },
        },
      };
    });
    const text = JSON.stringify({ type: 'FeatureCollection', features });
    t0 = performance.now();
    const result = await s.imports.import(actor, text, undefined);
    const importSeconds = (performance.now() - t0) / 1000;
    console.log(
      `GeoJSON import of ${features.length} unit features (${(text.length / 1024 / 1024).toFixed(1)} MiB, every geometry checked, overlaps within the file and with the register): ${importSeconds.toFixed(1)} s for ${result.units} units (target ≤ 60 s)`,
    );
    await context.close();
  } finally {
    await ds.destroy();
    await server.stop();
  }
}
