import { MethodologyContent } from './methodology-content';

export interface DiffEntry {
  kind:
    'indexSet' | 'service' | 'variable' | 'parameter' | 'indicator' | 'validationRule' | 'parcel';
  code: string;
  change: 'added' | 'removed' | 'changed';
  fields?: { field: string; from: unknown; to: unknown }[];
}

const KINDS = [
  ['indexSet', 'indexSets'],
  ['service', 'services'],
  ['variable', 'variables'],
  ['parameter', 'parameters'],
  ['indicator', 'indicators'],
  ['validationRule', 'validationRules'],
] as const;

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

/** What changed between two versions, item by item (matched by code), field by field. */
export function diffMethodologies(from: MethodologyContent, to: MethodologyContent): DiffEntry[] {
  const out: DiffEntry[] = [];
  for (const [kind, key] of KINDS) {
    const a = new Map<string, Record<string, unknown>>(
      (from[key] ?? []).map((x) => [x.code, x as unknown as Record<string, unknown>]),
    );
    const b = new Map<string, Record<string, unknown>>(
      (to[key] ?? []).map((x) => [x.code, x as unknown as Record<string, unknown>]),
    );
    for (const [code, x] of a) {
      const y = b.get(code);
      if (!y) {
        out.push({ kind, code, change: 'removed' });
        continue;
      }
      const fields = [...new Set([...Object.keys(x), ...Object.keys(y)])]
        .sort()
        .filter((f) => canonical(x[f] ?? null) !== canonical(y[f] ?? null))
        .map((f) => ({ field: f, from: x[f] ?? null, to: y[f] ?? null }));
      if (fields.length) out.push({ kind, code, change: 'changed', fields });
    }
    for (const code of b.keys()) if (!a.has(code)) out.push({ kind, code, change: 'added' });
  }
  // The parcel declaration is one object, compared field by field.
  const [p, q] = [from.parcel ?? null, to.parcel ?? null];
  if (p && !q) out.push({ kind: 'parcel', code: 'parcel', change: 'removed' });
  else if (!p && q) out.push({ kind: 'parcel', code: 'parcel', change: 'added' });
  else if (p && q) {
    const fields = (['indexSet', 'areaVariable', 'variables', 'indicators'] as const)
      .filter((f) => canonical(p[f]) !== canonical(q[f]))
      .map((f) => ({ field: f, from: p[f], to: q[f] }));
    if (fields.length) out.push({ kind: 'parcel', code: 'parcel', change: 'changed', fields });
  }
  return out;
}
