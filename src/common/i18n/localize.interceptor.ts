import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  StreamableFile,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { inLanguage, Lang, languageOf } from './text';

/**
 * Every two-language message in a JSON answer (a job's stored problem, a gap explained in an
 * evaluation) resolved to the language the request prefers; `Content-Language` says which.
 * Objects and arrays are walked; what serialises itself (decimals, dates) and files are left as
 * they are, and an object is copied (as a plain object) only where a message in it changed.
 */
@Injectable()
export class LocalizeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const lang = languageOf(http.getRequest<Request>().headers['accept-language']);
    const res = http.getResponse<Response>();
    if (!res.headersSent) res.setHeader('content-language', lang === 'zh' ? 'zh-CN' : 'en');
    return next.handle().pipe(map((body: unknown) => localize(body, lang)));
  }
}

export function localize<T>(value: T, lang: Lang, depth = 0): T {
  if (typeof value === 'string') return inLanguage(value, lang) as T;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((x: unknown, i) => {
      const y = localize(x, lang, depth + 1);
      if (y !== x) (out ??= [...value])[i] = y;
    });
    return (out ?? value) as T;
  }
  // decimals, dates and anything else that serialises itself; files and buffers
  if (
    typeof (value as { toJSON?: unknown }).toJSON === 'function' ||
    ArrayBuffer.isView(value) ||
    value instanceof StreamableFile ||
    value instanceof Map ||
    value instanceof Set
  )
    return value;
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
    const y = localize(x, lang, depth + 1);
    if (y !== x) (out ??= { ...(value as Record<string, unknown>) })[k] = y;
  }
  return (out ?? value) as T;
}
