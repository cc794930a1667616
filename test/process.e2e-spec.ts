import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  alive,
  postmasterPid as pidIn,
  servicePlace,
  startService as start,
  waitForListening,
} from './support/service-process';

/**
 * The service as `npm start` runs it (main.ts, embedded PostgreSQL of its own), driven through
 * its process: configuration errors, clean shutdown, and recovery from a killed process.
 */
const place = servicePlace('process-test', 20000);
const { dataDir, httpPort } = place;
const pgDir = join(dataDir, 'postgres');
const startService = (env: Record<string, string> = {}) => start(place, env);
const postmasterPid = () => pidIn(place);

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
