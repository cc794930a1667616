import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type {} from 'pino-http'; // its augmentation gives Request an `id`
import { QueryFailedError } from 'typeorm';
import { CONSTRAINT_MESSAGES } from './constraint-messages';
import { DomainError, FieldProblem } from './domain-error';
import { inLanguage, Lang, languageOf, zhEn } from '../i18n/text';
import { ErrorCode, statusOf, titleOf } from './error-codes';

/** RFC 9457 problem details, as every error leaves the service. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  errors: FieldProblem[];
}

interface PgDriverError {
  code?: string;
  message?: string;
  constraint?: string;
  detail?: string;
  column?: string;
}

const httpStatusCodes: Partial<Record<number, ErrorCode>> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
};

function isPgDatabaseError(e: unknown): e is PgDriverError {
  if (!(e instanceof Error)) return false;
  const { code, severity } = e as Error & { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}

/** Maps a PostgreSQL error raised by user input to a typed error; undefined if it is a fault. */
export function fromPostgresError(err: PgDriverError): DomainError | undefined {
  const known = err.constraint ? CONSTRAINT_MESSAGES[err.constraint] : undefined;
  const problem = (fallback: string): FieldProblem[] => [
    known ?? { path: err.column ?? err.constraint ?? '', message: fallback },
  ];
  switch (err.code) {
    case '23505': // unique_violation
    case '23P01': // exclusion_violation
      return new DomainError(
        'DUPLICATE',
        known?.message ?? err.detail ?? zhEn('记录重复', 'duplicate'),
        problem(zhEn('已存在', 'already exists')),
      );
    case '23001': // restrict_violation: deleting a row that others still refer to
      return new DomainError(
        'STILL_IN_USE',
        zhEn(
          `仍被其他记录引用，不能删除：${err.detail ?? err.constraint ?? ''}`,
          `still in use: ${err.detail ?? err.constraint ?? ''}`,
        ),
      );
    case '23503': // foreign_key_violation
      if (err.detail?.includes('referenced from')) {
        return new DomainError(
          'STILL_IN_USE',
          zhEn(`仍被其他记录引用，不能删除：${err.detail}`, `still in use: ${err.detail}`),
        );
      }
      return new DomainError(
        'CONSTRAINT_VIOLATED',
        known?.message ??
          err.detail ??
          zhEn('引用的记录不存在', 'refers to something that does not exist'),
        problem(zhEn('引用的记录不存在', 'refers to something that does not exist')),
      );
    case '23514': // check_violation
    case '23502': // not_null_violation
      return new DomainError(
        'CONSTRAINT_VIOLATED',
        known?.message ??
          err.detail ??
          zhEn(
            `不符合数据规则 ${err.constraint ?? ''}`.trim(),
            `violates ${err.constraint ?? 'a data rule'}`,
          ),
        problem(
          zhEn(
            `不符合数据规则 ${err.constraint ?? ''}`.trim(),
            `violates ${err.constraint ?? 'a data rule'}`,
          ),
        ),
      );
    case '22P02': // invalid_text_representation
    case '22003': // numeric_value_out_of_range
    case '22001': // string_data_right_truncation
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22021': // character_not_in_repertoire: e.g. a NUL character in text
    case '22P05': // untranslatable_character
      return new DomainError(
        'VALIDATION_FAILED',
        zhEn('有数值不符合其字段的要求', 'a value is not valid for its field'),
        problem(zhEn('数值无效', 'invalid value')),
      );
    case '55000': // object_not_in_prerequisite_state: raised by immutability triggers
      return new DomainError(
        'RECORD_IMMUTABLE',
        err.message ?? zhEn('该记录已不能修改', 'the row can no longer be changed'),
      );
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
    case '55P03': // lock_not_available
      return new DomainError(
        'CONCURRENT_CHANGE',
        zhEn('数据被同时修改，请重试', 'the data was changed concurrently; retry the request'),
      );
    default:
      return undefined;
  }
}

/** The typed error an exception stands for; undefined if it is a fault (logged, answered with 500). */
export function toDomainError(exception: unknown): DomainError | undefined {
  if (exception instanceof DomainError) return exception;
  if (exception instanceof QueryFailedError) {
    return fromPostgresError(exception.driverError as PgDriverError);
  }
  // A server error met outside TypeORM (e.g. by a COPY stream): pg's DatabaseError, with SQLSTATE and severity.
  if (isPgDatabaseError(exception)) return fromPostgresError(exception);
  if (exception instanceof HttpException) {
    // Express's adapter wraps body-parser's errors; its `type` tells a JSON syntax error.
    if ((exception.cause as { type?: unknown } | undefined)?.type === 'entity.parse.failed') {
      const message = zhEn(
        `请求内容不是有效的 JSON：${exception.message}`,
        `the body is not valid JSON: ${exception.message}`,
      );
      return new DomainError('MALFORMED_REQUEST', message, [{ path: '', message }]);
    }
    const status = exception.getStatus();
    const code = httpStatusCodes[status];
    if (!code) return undefined;
    const body = exception.getResponse();
    const message =
      typeof body === 'string'
        ? body
        : typeof (body as { message?: unknown }).message === 'string'
          ? (body as { message: string }).message
          : exception.message;
    return new DomainError(code, message);
  }
  return undefined;
}

/**
 * The problem+json of an error, in the language the request prefers (Chinese by default). Without
 * a request (a job's problem, stored to be read later) both languages are kept and resolved when
 * it is served.
 */
export function renderProblem(
  error: DomainError,
  req?: Request,
  lang: Lang | 'both' = req ? languageOf(req.headers['accept-language']) : 'both',
): ProblemDetails {
  const status = statusOf(error.code);
  const text = (s: string) => (lang === 'both' ? s : inLanguage(s, lang));
  return {
    type: `/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title:
      lang === 'both'
        ? zhEn(titleOf(error.code, 'zh'), titleOf(error.code, 'en'))
        : titleOf(error.code, lang),
    status,
    detail: text(error.message),
    code: error.code,
    instance: req?.originalUrl,
    requestId: typeof req?.id === 'string' ? req.id : undefined,
    errors: error.errors.map((e) => ({ ...e, message: text(e.message) })),
  };
}

/** The one exception filter: every error becomes `application/problem+json`. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    let error = toDomainError(exception);
    if (!error) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
      error = new DomainError(
        'INTERNAL',
        zhEn(
          '发生了意外错误，已按请求编号记录',
          'an unexpected error occurred; it has been logged with the request id',
        ),
      );
    }
    const lang = languageOf(req.headers['accept-language']);
    const problem = renderProblem(error, req, lang);
    if (res.headersSent) return;
    res.setHeader('content-language', lang === 'zh' ? 'zh-CN' : 'en');
    if (error.retryAfterSeconds !== undefined) {
      res.setHeader('retry-after', String(error.retryAfterSeconds));
    }
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
