import { BodyDefect, bodyDefect } from '../common/request-guards';
import { FieldProblem } from '../common/errors/domain-error';
import { checkBoundary } from '../common/geometry/geometry';

/**
 * A GeoJSON file as the registry import reads it, done where it may take long (in the geometry
 * worker): the whole text parsed, checked for nesting no GeoJSON needs, and cut into one small
 * JSON text per feature (without its geometry) and one per geometry, with each unit boundary
 * already checked. The service thread then parses one feature at a time and can yield between
 * them; parsing a 4 MB file at once held it for 50–65 ms.
 */
export type CollectionReading =
  | { kind: 'not-json'; message: string }
  | { kind: 'defect'; defect: BodyDefect }
  | { kind: 'not-a-collection' }
  | {
      kind: 'collection';
      /** Each feature without its geometry, as JSON text. */
      features: string[];
      /** Each feature's geometry as JSON text, null when it has none. */
      geometries: (string | null)[];
      /** For unit features, the boundary's problems (JSON text of FieldProblem[]); else null. */
      boundaryProblems: (string | null)[];
    };

export function readFeatureCollection(text: string): CollectionReading {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { kind: 'not-json', message: (e as Error).message };
  }
  const defect = bodyDefect(doc);
  if (defect) return { kind: 'defect', defect };
  const fc = doc as { type?: unknown; features?: unknown };
  if (
    typeof fc !== 'object' ||
    fc === null ||
    fc.type !== 'FeatureCollection' ||
    !Array.isArray(fc.features)
  )
    return { kind: 'not-a-collection' };
  const features: string[] = [];
  const geometries: (string | null)[] = [];
  const boundaryProblems: (string | null)[] = [];
  for (const [i, f] of (fc.features as unknown[]).entries()) {
    const feature = f as { geometry?: unknown; properties?: { kind?: unknown } | null };
    const isObject = typeof f === 'object' && f !== null && !Array.isArray(f);
    features.push(JSON.stringify(isObject ? { ...feature, geometry: undefined } : f));
    const geometry = isObject ? (feature.geometry ?? null) : null;
    geometries.push(geometry === null ? null : JSON.stringify(geometry));
    boundaryProblems.push(
      isObject && feature.properties?.kind === 'unit'
        ? JSON.stringify(checkBoundary(geometry ?? undefined, `features[${i}].geometry`))
        : null,
    );
  }
  return { kind: 'collection', features, geometries, boundaryProblems };
}

/** The boundary problems the reader found for one feature. */
export const boundaryProblemsOf = (reading: string | null): FieldProblem[] =>
  reading === null ? [] : (JSON.parse(reading) as FieldProblem[]);
