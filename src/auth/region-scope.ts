import { RegionSql } from '../regions/regions.repository';
/**
 * Region scope, declared once. A user with a region scope (a county statistician, a township
 * clerk…) sees and changes only what lies in that region's subtree. Every route declares how its
 * request relates to regions — the object its path names, the region its body names, a list the
 * service filters, or deliberately nothing — and the {@link RegionScopeGuard} enforces the object
 * and body declarations before the handler runs; a route without a declaration is closed. The
 * access test enumerates the declarations, so a new route cannot be forgotten.
 */
export const SCOPE_KEY = 'gep:region-scope';

/**
 * Where each kind of object keeps its region, as SQL over the table aliased `x`: one or more
 * region-code expressions (in scope when any is). `openForReading` names the rows any signed-in
 * user may read (published figures are public); `unregioned` says what a row without a region is:
 * `open` (national data every reader may see, e.g. a ministry as a party) or `national` (only a
 * national user may see it, e.g. a national account).
 */
export const SCOPED_OBJECTS = {
  accounting_run: {
    from: 'accounting_runs x',
    id: 'x.id',
    regions: ['x.root_region_code'],
    openForReading: `x.status <> 'draft'`,
  },
  survey_form: { from: 'survey_forms x', id: 'x.id', regions: ['x.region_code'] },
  compensation_run: {
    from: 'compensation_runs x',
    id: 'x.id',
    regions: ['x.root_region_code'],
  },
  audit_report: { from: 'audit_reports x', id: 'x.id', regions: ['x.region_code'] },
  tenure: { from: 'tenures x', id: 'x.id', regions: ['x.region_code'] },
  registration_unit: { from: 'registration_units x', id: 'x.id', regions: ['x.region_code'] },
  registry_resource: {
    from: 'registry_resources x JOIN registration_units u ON u.id = x.unit_id',
    id: 'x.id',
    regions: ['u.region_code'],
  },
  registry_right: {
    from: `registry_rights x JOIN registry_resources r ON r.id = x.resource_id
           JOIN registration_units u ON u.id = r.unit_id`,
    id: 'x.id',
    regions: ['u.region_code'],
  },
  registry_party: {
    from: 'registry_parties x',
    id: 'x.id',
    regions: ['x.region_code'],
    unregioned: 'open',
  },
  parcel_set: { from: 'parcel_sets x', id: 'x.id', regions: ['x.region_code'] },
  parcel_run: { from: 'parcel_runs x', id: 'x.id', regions: ['x.region_code'] },
  monitoring_section: {
    from: 'monitoring_sections x',
    id: 'x.code',
    idType: 'text',
    regions: ['x.upstream_region_code', 'x.downstream_region_code'],
  },
  user: { from: 'users x', id: 'x.id', regions: ['x.region_code'], unregioned: 'national' },
  region: { from: RegionSql.tableAsX, id: 'x.code', idType: 'text', regions: ['x.code'] },
} as const satisfies Record<string, ScopedObject>;

export interface ScopedObject {
  from: string;
  id: string;
  /** uuid unless said otherwise. */
  idType?: 'text';
  regions: readonly string[];
  openForReading?: string;
  unregioned?: 'open' | 'national';
}

export type ScopedKind = keyof typeof SCOPED_OBJECTS;

/** How one route relates to regions. */
export type ScopeRule =
  /**
   * The object named by the path parameter must lie in the caller's scope — unless the route only
   * reads (GET, or a POST declared `reads`, such as recomputing a run) and the object is open for
   * reading (a published run).
   */
  | { kind: 'object'; param: string; object: ScopedKind; reads?: boolean }
  /** The region (or the object of `object` kind) a body field names must lie in the caller's scope. */
  | { kind: 'body'; field: string; object: ScopedKind }
  /** The region a query parameter names must lie in the caller's scope. */
  | { kind: 'query'; field: string }
  /**
   * Checked by the service where the guard cannot see it (a multipart upload's field, every
   * row of an import), and what.
   */
  | { kind: 'service'; what: string }
  /** A list the service filters to the caller's scope. */
  | { kind: 'list' }
  /** Deliberately not region-scoped, and why. */
  | { kind: 'none'; reason: string };

function add(rule: ScopeRule): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const on = (descriptor?.value as object | undefined) ?? target;
    const rules = (Reflect.getMetadata(SCOPE_KEY, on) as ScopeRule[] | undefined) ?? [];
    Reflect.defineMetadata(SCOPE_KEY, [...rules, rule], on);
  };
}

/** Region-scope declarations; a route may carry several (its path's object and its body). */
export const Scoped = {
  object: (param: string, object: ScopedKind, options: { reads?: boolean } = {}) =>
    add({ kind: 'object', param, object, ...options }),
  body: (field = 'regionCode', object: ScopedKind = 'region') =>
    add({ kind: 'body', field, object }),
  query: (field = 'regionCode') => add({ kind: 'query', field }),
  inService: (what: string) => add({ kind: 'service', what }),
  list: () => add({ kind: 'list' }),
  none: (reason: string) => add({ kind: 'none', reason }),
};

/** A route's rules: its own, else its controller's. */
export function scopeRulesOf(handler: object, controller: object): ScopeRule[] | undefined {
  return (
    (Reflect.getMetadata(SCOPE_KEY, handler) as ScopeRule[] | undefined) ??
    (Reflect.getMetadata(SCOPE_KEY, controller) as ScopeRule[] | undefined)
  );
}

/**
 * SQL: is the object `kind` with id `$1` visible to a user scoped to region `$2` (null = all)?
 * NULL when the object does not exist (the handler answers 404). `reading` opens the rows any
 * signed-in user may read.
 */
export function visibilitySql(kind: ScopedKind, reading: boolean): string {
  const o: ScopedObject = SCOPED_OBJECTS[kind];
  const region = o.regions.length > 1 ? `coalesce(${o.regions.join(', ')})` : o.regions[0];
  return `SELECT ${visibleExpression(o, '$2::varchar', reading)} AS visible, ${region} AS region
            FROM ${o.from} WHERE ${o.id} = $1::${o.idType ?? 'uuid'}`;
}

/** What a refusal calls an object of each kind, in English (Chinese: `nounZh`). */
export const SCOPED_OBJECT_NOUNS: Record<ScopedKind, string> = {
  accounting_run: 'accounting run',
  survey_form: 'form',
  compensation_run: 'compensation run',
  audit_report: 'report',
  tenure: 'tenure',
  registration_unit: 'registration unit',
  registry_resource: 'resource',
  registry_right: 'right',
  registry_party: 'party',
  parcel_set: 'parcel set',
  parcel_run: 'parcel run',
  monitoring_section: 'monitoring section',
  user: 'user',
  region: 'region',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can name an object of `kind` at all (else the route's own pipe answers 400). */
export const wellFormedId = (kind: ScopedKind, id: string): boolean =>
  (SCOPED_OBJECTS[kind] as ScopedObject).idType === 'text' ? id.length <= 64 : UUID.test(id);

/** SQL boolean over the row `x` of `o`: visible to the scope named by the `scope` expression. */
export function visibleExpression(o: ScopedObject, scope: string, reading: boolean): string {
  const inScope = RegionSql.anyWithin(o.regions, scope);
  const unregioned =
    o.unregioned === 'open' ? ` OR ${o.regions.map((r) => `${r} IS NULL`).join(' AND ')}` : '';
  const open = reading && o.openForReading ? ` OR (${o.openForReading})` : '';
  return `(${scope} IS NULL OR ${inScope}${unregioned}${open})`;
}

/** A scope condition over rows of `kind` aliased `alias`, the scope given by `scope` (SQL). */
export function scopeCondition(
  kind: ScopedKind,
  alias: string,
  scope: string,
  reading: boolean,
): string {
  return visibleExpression(SCOPED_OBJECTS[kind], scope, reading).replace(/\bx\./g, `${alias}.`);
}

/**
 * Audit-log entity types and the objects they name: an entry is visible in a region scope when
 * its object is (its id as recorded), `open` entries (national reference data) to every
 * reader, anything else to national users only.
 */
const AUDITED: Record<string, ScopedKind | 'open'> = {
  accounting_run: 'accounting_run',
  audit_report: 'audit_report',
  compensation_run: 'compensation_run',
  monitoring_section: 'monitoring_section',
  parcel_run: 'parcel_run',
  parcel_set: 'parcel_set',
  region: 'region',
  forest_area: 'region',
  registration_unit: 'registration_unit',
  registry_party: 'registry_party',
  survey_form: 'survey_form',
  tenure: 'tenure',
  user: 'user',
  auth: 'user',
  methodology: 'open',
  compensation_scheme: 'open',
  official: 'open',
};

/** SQL boolean over an audit-log row `e`: its object lies in the scope named by `scope`. */
export function auditEntryInScope(scope: string): string {
  const branches = Object.entries(AUDITED).map(([type, kind]) => {
    if (kind === 'open') return `WHEN '${type}' THEN true`;
    const o: ScopedObject = SCOPED_OBJECTS[kind];
    // a recorded id that is not of the object's type names nothing (and must not fail the cast)
    const shaped = o.idType ? '' : `e.entity_id ~ '^[0-9a-fA-F-]{36}$' AND `;
    return `WHEN '${type}' THEN ${shaped}EXISTS (SELECT 1 FROM ${o.from}
              WHERE ${o.id} = e.entity_id::${o.idType ?? 'uuid'}
                AND ${visibleExpression(o, scope, false)})`;
  });
  return `(${scope} IS NULL OR CASE e.entity_type ${branches.join(' ')} ELSE false END)`;
}
