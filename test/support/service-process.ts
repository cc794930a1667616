import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The service as `npm start` runs it (main.ts, with an embedded PostgreSQL of its own in
 * `dataDir`, or the server `env.DATABASE_URL` names), as a child process the test can stop,
 * kill and start again.
 */
export interface Service {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

export interface ServicePlace {
  dataDir: string;
  httpPort: number;
  pgPort: number;
}

/**
 * A data folder under .data and two free-looking ports in [base, base + 2000), different for
 * each test file: give each place its own range, below 32768. Linux hands out 32768–60999 as the
 * local ports of outgoing connections, and a service listening there could find its port taken
 * by one of the test's own database connections (a CI run failed so with EADDRINUSE).
 */
export function servicePlace(name: string, base: number): ServicePlace {
  if (base < 1024 || base + 2000 > 32768) throw new Error(`ports from ${base}: not in 1024–32767`);
  const httpPort = base + Math.floor(Math.random() * 1000) * 2;
  return { dataDir: join(process.cwd(), '.data', name), httpPort, pgPort: httpPort + 1 };
}

/**
 * Starts src/main.ts through ts-node, or with `built` the compiled dist/src/main.js exactly as
 * `npm start` runs it (after `nest build`).
 */
export function startService(
  place: ServicePlace,
  env: Record<string, string> = {},
  built = false,
): Service {
  // the service's own embedded PostgreSQL unless `env` names a server (DATABASE_URL)
  const { DATABASE_URL: _outer, NODE_OPTIONS: _options, ...inherited } = process.env;
  const childEnv: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: 'development',
    PORT: String(place.httpPort),
    EMBEDDED_PG_PORT: String(place.pgPort),
    EMBEDDED_PG_DIR: join(place.dataDir, 'postgres'),
    DATA_DIR: place.dataDir,
    LOG_LEVEL: 'info',
    DEMO_DATA: 'false',
    ...env,
  };
  const args = built
    ? ['dist/src/main.js']
    : ['-r', 'ts-node/register/transpile-only', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

/** Waits for the service's "listening" line; returns how long it took (ms). */
export async function waitForListening(s: Service, timeoutMs = 45_000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (s.output().includes('GEP service listening')) return Date.now() - t0;
    if (s.child.exitCode !== null) throw new Error(`service exited early:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service did not start in ${timeoutMs} ms:\n${s.output()}`);
}

/** The pid in the embedded server's postmaster.pid, if the file is there. */
export function postmasterPid(place: ServicePlace): number | undefined {
  const file = join(place.dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
