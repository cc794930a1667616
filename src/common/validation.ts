import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldProblem } from './errors/domain-error';
import { bilingualConstraint } from './i18n/validation-messages';
import { inLanguage, Lang, zhEn } from './i18n/text';

const REQUIRED = zhEn('必须填写', 'is required');

/** Flattens class-validator's tree into one problem per failed constraint, with a field path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const path = /^\d+$/.test(e.property)
      ? `${parent}[${e.property}]`
      : parent
        ? `${parent}.${e.property}`
        : e.property;
    // A field that is not optional and was not given at all: say it must be given (with the
    // checks stopping at the first failure, a length or format check would otherwise speak
    // first — 「至多 200 个字符」 for a name that is missing).
    const missing = (e.value === undefined || e.value === null) && !e.children?.length;
    const own = Object.entries(e.constraints ?? {})
      .slice(0, missing ? 1 : undefined)
      .map(([constraint, message]) => ({
        path,
        message: missing ? REQUIRED : bilingualConstraint(constraint, message),
      }));
    return [...own, ...flattenValidationErrors(e.children ?? [], path)];
  });
}

const GEOMETRY_TYPES = new Set([
  'Polygon',
  'MultiPolygon',
  'Point',
  'LineString',
  'MultiPoint',
  'MultiLineString',
]);

/**
 * The global validation pipe, which passes GeoJSON coordinates through untouched: a 50,000-vertex
 * boundary is 150,000 values that Nest's prototype and array-gap walks and class-transformer's
 * deep copy went through one by one — about 90 ms of the event loop in one piece, during which
 * no other request (not even /health) was answered. The coordinates are checked where they are
 * used (checkBoundary, in a worker thread), and the body-defect guard has already walked them
 * for depth and NUL characters; the pipe sees an empty array in their place and the original is
 * put back into the validated object.
 */
class GeometryPassingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body' || value === null || typeof value !== 'object')
      return super.transform(value, metadata);
    const held: { path: string[]; coordinates: unknown }[] = [];
    const visit = (x: unknown, path: string[]) => {
      if (x === null || typeof x !== 'object' || path.length > 4) return;
      const o = x as Record<string, unknown>;
      if (
        typeof o.type === 'string' &&
        GEOMETRY_TYPES.has(o.type) &&
        Array.isArray(o.coordinates)
      ) {
        held.push({ path, coordinates: o.coordinates });
        o.coordinates = [];
        return;
      }
      for (const [k, v] of Object.entries(o))
        if (v !== null && typeof v === 'object') visit(v, [...path, k]);
    };
    visit(value, []);
    const restore = (root: unknown) => {
      for (const h of held) {
        let at: unknown = root;
        for (const k of h.path)
          at = at && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined;
        if (at && typeof at === 'object')
          (at as Record<string, unknown>).coordinates = h.coordinates;
      }
    };
    try {
      const out: unknown = await super.transform(value, metadata);
      restore(out);
      return out;
    } finally {
      restore(value);
    }
  }
}

export function createValidationPipe(): ValidationPipe {
  return new GeometryPassingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const problems = flattenValidationErrors(errors);
      const listed = (lang: Lang, colon: string, sep: string) =>
        problems
          .map((p) => `${p.path ? `${p.path}${colon}` : ''}${inLanguage(p.message, lang)}`)
          .join(sep);
      return new DomainError(
        'VALIDATION_FAILED',
        zhEn(listed('zh', '：', '；'), listed('en', ': ', '; ')),
        problems,
      );
    },
  });
}
