import { INestApplication } from '@nestjs/common';
import { Duplex } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, raw, RequestHandler, text } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { DomainError } from './common/errors/domain-error';
import { ErrorCode, titleOf } from './common/errors/error-codes';
import { renderProblem } from './common/errors/problem.filter';
import { refuseUnstorableInput } from './common/request-guards';
import { isStreamedUpload } from './common/streamed-upload';
import { AppConfig } from './config/app-config';
import { mountConsole } from './console/console-assets';
import { zhEn } from './common/i18n/text';

/**
 * Node's HTTP parser refuses some requests before Express sees them (a URL or headers over 16 KB,
 * a broken request line); answer those with problem+json too, as every other 4xx.
 */
function answerUnreadableRequest(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [code, detail]: [ErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [
          'HEADER_TOO_LARGE',
          zhEn('网址和请求头合计不能超过 16 KB', 'the URL and headers must stay under 16 KB'),
        ]
      : ['MALFORMED_REQUEST', zhEn('请求不是有效的 HTTP', 'the request is not valid HTTP')];
  // no headers could be read: the default language; the status line stays ASCII
  const problem = renderProblem(
    new DomainError(code, detail, [{ path: '', message: detail }]),
    undefined,
    'zh',
  );
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${titleOf(code, 'en')}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export type RuntimeConfig = AppConfig & { JWT_SECRET: string };

/** The configured application (not yet listening): used by main and by the tests alike. */
export async function createApp(
  config: RuntimeConfig,
  databaseUrl: string,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, databaseUrl),
    {
      bufferLogs: true,
      abortOnError: false,
      bodyParser: false,
    },
  );
  app.useLogger(app.get(Logger));
  /**
   * A CSV loaded in the request itself is held in memory and checked before the answer: past a
   * few megabytes that stalls the service for everyone, so larger files go to the job route.
   */
  const SYNC_CSV_LIMIT = '8mb';
  const refuseLargeSynchronousLoad: RequestHandler = (req, _res, next) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (req.path === '/survey/forms/load-csv' && length > 8 * 1024 * 1024) {
      req.resume();
      const size = (length / 1024 / 1024).toFixed(1);
      const message = zhEn(
        `同步载入的 CSV 最多 8 MB（本文件 ${size} MB）；更大的文件请用 POST /survey/imports 作为后台任务上传，可查看进度`,
        `a CSV loaded in the request can be at most 8 MB (this one is ${size} MB); upload larger files with POST /survey/imports, a background job whose progress you can follow`,
      );
      return next(new DomainError('PAYLOAD_TOO_LARGE', message, [{ path: 'file', message }]));
    }
    next();
  };
  // Bodies are parsed into memory here, except on routes that stream their upload to a file.
  const unlessStreamed =
    (parser: RequestHandler): RequestHandler =>
    (req, res, next) =>
      isStreamedUpload(req) ? next() : parser(req, res, next);
  app.use(
    unlessStreamed(json({ limit: '2mb', type: ['application/json', 'application/*+json'] })),
    unlessStreamed(
      raw({
        limit: '20mb',
        type: [
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'application/octet-stream',
        ],
      }),
    ),
    refuseLargeSynchronousLoad,
    unlessStreamed(text({ limit: SYNC_CSV_LIMIT, type: ['text/csv'] })),
    unlessStreamed(
      text({ limit: '2mb', type: ['application/yaml', 'application/x-yaml', 'text/yaml'] }),
    ),
    refuseUnstorableInput,
  );
  app.disable('x-powered-by');
  mountConsole(app);
  app.getHttpServer().on('clientError', answerUnreadableRequest);
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('GEP accounting service')
      .setDescription(
        'Resource-rights registry, GEP accounting engine and assessment. Errors are RFC 9457 problem+json.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
  return app;
}
