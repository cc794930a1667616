import { NestExpressApplication } from '@nestjs/platform-express';
import { static as serveStatic, RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The web console (`console/` at the project root): static files, no build step. Served by the
 * service itself at `/console/`; `/` redirects there. The files are deliberately public — every
 * figure they show comes from the API, which checks the token and role of each request.
 */
export function consoleDirectory(): string {
  // The built service runs from dist/src/console (CommonJS); Jest runs this file as an ES module
  // without __dirname, from the project root.
  const here = typeof __dirname === 'string' ? __dirname : join(process.cwd(), 'src', 'console');
  const candidates = [join(here, '..', '..', 'console'), join(here, '..', '..', '..', 'console')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`the web console is missing: looked in ${candidates.join(', ')}`);
  return found;
}

/** Same-origin only: no inline script, no external host (the console works offline). */
export const CONSOLE_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set(CONSOLE_SECURITY_HEADERS);
  next();
};

/**
 * Libraries the console loads, from this project's own node_modules (offline, same origin):
 * `/console/vendor/<name>` → the file. Apache ECharts for the charts that gain from it.
 */
export function vendorFiles(): Record<string, string> {
  const modules = join(consoleDirectory(), '..', 'node_modules');
  return { 'echarts.js': join(modules, 'echarts', 'dist', 'echarts.esm.min.js') };
}

export function mountConsole(app: NestExpressApplication): void {
  for (const [name, file] of Object.entries(vendorFiles()))
    app.use(`/console/vendor/${name}`, securityHeaders, ((req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      res.type('text/javascript').sendFile(file, { maxAge: '1d' });
    }) as RequestHandler);
  app.use(
    '/console',
    securityHeaders,
    serveStatic(consoleDirectory(), {
      index: 'index.html',
      cacheControl: true,
      maxAge: 0,
      redirect: true,
    }),
  );
  app.use(((req, res, next) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && req.path === '/') {
      res.redirect(302, '/console/');
      return;
    }
    next();
  }) as RequestHandler);
}
