import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The service as `npm start` runs it (main.ts, embedded PostgreSQL of its own), driven through
 * its process: configuration errors, clean shutdown, and recovery from a killed process.
 */
const root = process.cwd();
const dataDir = join(root, '.data', 'process-test');
const pgDir = join(dataDir, 'postgres');
const httpPort = 30000 + Math.floor(Math.random() * 10000);
const pgPort = httpPort + 1;

interface Service {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

function startService(env: Record<string, string> = {}): Service {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(httpPort),
    EMBEDDED_PG_PORT: String(pgPort),
    EMBEDDED_PG_DIR: pgDir,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    DEMO_DATA: 'false',
    ...env,
  };
  delete childEnv.DATABASE_URL;
  delete childEnv.NODE_OPTIONS;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

async function waitForListening(s: Service, timeoutMs = 45_000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (s.output().includes('GEP service listening')) return Date.now() - t0;
    if (s.child.exitCode !== null) throw new Error(`service exited early:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service did not start in ${timeoutMs} ms:\n${s.output()}`);
}

const postmasterPid = (): number | undefined =>
  existsSync(join(pgDir, 'postmaster.pid'))
    ? Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0])
    : undefined;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const health = async () => (await fetch(`http://127.0.0.1:${httpPort}/health`)).status;

describe('service process', () => {
  beforeAll(() => rmSync(dataDir, { recursive: true, force: true }));
  afterAll(() => {
    const pid = postmasterPid();
    if (pid && alive(pid)) process.kill(pid, 'SIGINT');
  });

  it('refuses invalid configuration with a clear message and exit code 78', async () => {
    const s = startService({ PORT: 'eighty', DEMO_DATA: 'maybe' });
    expect(await s.exited).toBe(78);
    expect(s.output()).toMatch(/PORT: .*must not be greater|PORT: .*integer/);
    expect(s.output()).toMatch(/DEMO_DATA must be true or false/);
  });

  it('starts on a fresh embedded PostgreSQL and stops it cleanly on SIGTERM', async () => {
    const s = startService();
    await waitForListening(s);
    expect(await health()).toBe(200);
    const pid = postmasterPid()!;
    expect(alive(pid)).toBe(true);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(pgDir, 'postmaster.pid'))).toBe(false);
  });

  it('recovers after the Node process is killed: the orphaned server is stopped and the next start works', async () => {
    const first = startService();
    await waitForListening(first);
    const orphan = postmasterPid()!;
    first.child.kill('SIGKILL');
    await first.exited;
    expect(alive(orphan)).toBe(true); // PostgreSQL outlives a SIGKILLed parent
    const second = startService();
    await waitForListening(second);
    expect(alive(orphan)).toBe(false);
    expect(await health()).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(postmasterPid()).toBeUndefined();
  });
});
