import { INestApplication } from '@nestjs/common';
import { Duplex } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, raw, RequestHandler, text } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { refuseUnstorableInput } from './common/request-guards';
import { isStreamedUpload } from './common/streamed-upload';
import { AppConfig } from './config/app-config';

/**
 * Node's HTTP parser refuses some requests before Express sees them (a URL or headers over 16 KB,
 * a broken request line); answer those with problem+json too, as every other 4xx.
 */
function answerUnreadableRequest(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, title, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request header fields too large', 'the URL and headers must stay under 16 KB']
      : [400, 'The request could not be read', 'the request is not valid HTTP'];
  const body = JSON.stringify({
    type: status === 431 ? '/problems/header-too-large' : '/problems/malformed-request',
    title,
    status,
    detail,
    code: status === 431 ? 'HEADER_TOO_LARGE' : 'MALFORMED_REQUEST',
    errors: [{ path: '', message: detail }],
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
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
    unlessStreamed(text({ limit: '100mb', type: ['text/csv'] })),
    unlessStreamed(
      text({ limit: '2mb', type: ['application/yaml', 'application/x-yaml', 'text/yaml'] }),
    ),
    refuseUnstorableInput,
  );
  app.disable('x-powered-by');
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
