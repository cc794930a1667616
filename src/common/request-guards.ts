import type { RequestHandler } from 'express';
import { DomainError } from './errors/domain-error';
import { zhEn } from './i18n/text';

/** No request body of this service is nested deeper than this (objects and arrays). */
export const MAX_BODY_DEPTH = 32;

export interface BodyDefect {
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
  // Paths are built only for the defect found: a 50,000-vertex boundary has 150,000 values, and
  // a string per value cost 150 ms of the event loop.
  interface Frame {
    v: unknown;
    depth: number;
    parent: Frame | null;
    key: string;
  }
  const pathOf = (f: Frame | null): string => {
    const keys: string[] = [];
    for (let x = f; x?.parent; x = x.parent) keys.push(x.key);
    return keys.reverse().join('.');
  };
  const stack: Frame[] = [{ v: value, depth: 0, parent: null, key: '' }];
  while (stack.length) {
    const f = stack.pop()!;
    if (typeof f.v === 'string') {
      if (f.v.includes('\u0000'))
        return {
          path: pathOf(f),
          message: zhEn('含有 NUL 字符', 'contains a NUL character'),
          unreadable: false,
        };
      continue;
    }
    if (f.v === null || typeof f.v !== 'object') continue;
    if (f.depth >= limit)
      return {
        path: '',
        message: zhEn(`嵌套超过 ${limit} 层`, `nested more than ${limit} levels deep`),
        unreadable: true,
      };
    if (Array.isArray(f.v)) {
      for (let i = 0; i < f.v.length; i++) {
        const c: unknown = f.v[i];
        if (c !== null && (typeof c === 'object' || typeof c === 'string'))
          stack.push({ v: c, depth: f.depth + 1, parent: f, key: String(i) });
      }
    } else
      for (const [k, c] of Object.entries(f.v))
        if (c !== null && (typeof c === 'object' || typeof c === 'string'))
          stack.push({ v: c, depth: f.depth + 1, parent: f, key: k });
  }
  return undefined;
}

/**
 * Refuses, before any route sees them, a URL with a NUL character (400) and a parsed body with
 * one of the defects above (400 when the body is too deep to read, 422 naming the field).
 */
export const refuseUnstorableInput: RequestHandler = (req, _res, next) => {
  if (/%00/.test(req.originalUrl)) {
    const message = zhEn('网址含有 NUL 字符（%00）', 'the URL contains a NUL character (%00)');
    return next(new DomainError('MALFORMED_REQUEST', message, [{ path: '', message }]));
  }
  const defect = bodyDefect(req.body);
  if (!defect) return next();
  const { path, message, unreadable } = defect;
  next(
    new DomainError(
      unreadable ? 'MALFORMED_REQUEST' : 'VALIDATION_FAILED',
      zhEn(
        `${path || '请求体'} ${message}`,
        `${path || 'the body'} ${unreadable ? 'is ' : ''}${message}`,
      ),
      [{ path, message }],
    ),
  );
};
