/**
 * Where a bench figure's time went: CPU seconds of this process (all its threads: the event loop,
 * the evaluation threads, the garbage collector's) and of every `postgres` process on this machine
 * — the bench's own server when nothing else runs one (another server's work would be counted
 * too): on two cores, a figure is bound by whichever of the two is busy throughout. Read from
 * /proc (Linux); the PostgreSQL share is left out where /proc shows no `postgres` process.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuReading {
  node: number;
  postgres: number | null;
}

/**
 * Seconds of CPU (user + system) of every `postgres` process and of the children each has waited
 * for (the server's ended backends and workers: without them a backend that ended between two
 * readings took its seconds with it, and a figure could come out negative), or null when none is
 * seen.
 */
function postgresSeconds(): number | null {
  let ticks = 0;
  let seen = false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
      // fields after the command's closing parenthesis: utime, stime, cutime and cstime are the
      // 12th to the 15th
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      seen = true;
    } catch {
      // the process ended between listing and reading
    }
  }
  // USER_HZ is 100 on Linux
  return seen ? ticks / 100 : null;
}

export function cpuNow(): CpuReading {
  const { user, system } = process.cpuUsage();
  return { node: (user + system) / 1e6, postgres: postgresSeconds() };
}

/** "CPU: this process x s, PostgreSQL y s" since `start` (a server on another machine is not counted). */
export function cpuSince(start: CpuReading): string {
  const now = cpuNow();
  const pg =
    now.postgres !== null && start.postgres !== null
      ? `, PostgreSQL ${(now.postgres - start.postgres).toFixed(1)} s`
      : '';
  return `CPU: this process ${(now.node - start.node).toFixed(1)} s${pg}`;
}
