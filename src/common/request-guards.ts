import type { RequestHandler } from 'express';
import { DomainError } from './errors/domain-error';

/** No request body of this service is nested deeper than this (objects and arrays). */
export const MAX_BODY_DEPTH = 32;

interface BodyDefect {
  path: string;
  message: string;
  /** Too deep to read at all (400), rather than a bad field (422). */
  unreadable: boolean;
}

/**
 * The first thing no handler should meet in a parsed body, found without recursion: nesting
 * deeper than `limit` (ten thousand `[` must not overflow the stack of class-transformer, which
 * walks bodies recursively) or a NUL character (PostgreSQL text cannot hold one).
 */
export function bodyDefect(value: unknown, limit = MAX_BODY_DEPTH): BodyDefect | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string' && v.includes('\u0000'))
      return { path, message: 'contains a NUL character', unreadable: false };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit)
      return { path: '', message: `nested more than ${limit} levels deep`, unreadable: true };
    for (const [k, child] of Object.entries(v))
      stack.push([child, path ? `${path}.${k}` : k, depth + 1]);
  }
  return undefined;
}

/**
 * Refuses, before any route sees them, a URL with a NUL character (400) and a parsed body with
 * one of the defects above (400 when the body is too deep to read, 422 naming the field).
 */
export const refuseUnstorableInput: RequestHandler = (req, _res, next) => {
  if (/%00/.test(req.originalUrl)) {
    const message = 'the URL contains a NUL character (%00)';
    return next(new DomainError('MALFORMED_REQUEST', message, [{ path: '', message }]));
  }
  const defect = bodyDefect(req.body);
  if (!defect) return next();
  const { path, message, unreadable } = defect;
  next(
    new DomainError(
      unreadable ? 'MALFORMED_REQUEST' : 'VALIDATION_FAILED',
      `${path || 'the body'} ${unreadable ? 'is ' : ''}${message}`,
      [{ path, message }],
    ),
  );
};
