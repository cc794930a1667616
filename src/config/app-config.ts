import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * The service's whole configuration, read from the environment once at boot and validated.
 * Nothing else in the code base reads `process.env`.
 */
export class AppConfig {
  /** `production` makes JWT_SECRET mandatory and switches demo data off by default. */
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  /** External PostgreSQL; when unset, an embedded server is started. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54320;

  /** Folder of the embedded cluster (created on first start, kept between starts). */
  @IsString()
  EMBEDDED_PG_DIR = '.data/postgres';

  /** Local state that must not be committed: generated dev JWT secret, embedded DB password. */
  @IsString()
  DATA_DIR = '.data';

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  JWT_TTL_SECONDS = 8 * 3600;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'DEMO_DATA must be true or false' })
  DEMO_DATA?: boolean;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** Failed or successful login attempts allowed per client address per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  /** Expensive requests (imports, runs, generated files) allowed per user per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  EXPENSIVE_RATE_LIMIT = 60;

  /** Background jobs (imports, runs) that may be queued or running at once; more get 503. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  JOB_QUEUE_LIMIT = 20;

  /**
   * Connections a parcel run computes on at once: its parcels are split into this many parts,
   * each an INSERT … SELECT in its own transaction (PostgreSQL runs one such statement on one
   * core). Set it to the database server's free cores; 1 computes in one statement. At most 4:
   * a run holds one more connection, its job another, and the pool has ten for everyone.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(4)
  PARCEL_RUN_CONNECTIONS = 2;

  /**
   * Worker threads large accounting runs, comparisons and uncertainty jobs (64 regions or more)
   * are computed on, off the event loop; set it to the service's free cores. 0 computes on the
   * event loop (every other request of the instance waits meanwhile: 2–3 s for a province run,
   * 7–8 s for comparing two).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(16)
  RUN_EVALUATION_THREADS = 2;

  /** Largest file accepted by a streamed import (`POST /survey/imports`), in MiB. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10240)
  IMPORT_MAX_MB = 1024;

  /**
   * The most rows a survey import writes at a time, while it reads the next ones (its first batch
   * is 10,000 rows, each next one twice the last; the load stays one transaction: a problem
   * anywhere still stores nothing).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  IMPORT_BATCH_ROWS = 100_000;

  /** With no user in the database, an `admin` user with this password is created at boot. */
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  get demoData(): boolean {
    return this.DEMO_DATA ?? this.NODE_ENV !== 'production';
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates the environment; throws {@link ConfigError} listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw: Record<string, string> = {};
  for (const key of [...known, 'DATABASE_URL', 'JWT_SECRET', 'DEMO_DATA', 'ADMIN_PASSWORD']) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const problems = validateSync(config).flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`),
  );
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
    problems.push('JWT_SECRET: required when NODE_ENV=production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
