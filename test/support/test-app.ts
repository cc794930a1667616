import { INestApplication } from '@nestjs/common';
import { AuthUser, SignedIn } from '../../src/auth/auth-user';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { createApp, RuntimeConfig } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { recreateDatabase } from '../../src/database/database-server';
import { DEMO_PASSWORD } from '../../seeds/demo/users';
import { TEMPLATE_DB, testEnv } from './test-env';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  /** A raw connection to this test file's database. */
  db: Client;
  dbUrl: string;
  config: RuntimeConfig;
  /** Signs in a demo user and returns the bearer token. */
  token(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real application on a fresh copy of the migrated, seeded template database. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const adminUrl = process.env.GEP_TEST_ADMIN_URL;
  if (!adminUrl)
    throw new Error('GEP_TEST_ADMIN_URL is not set: run the tests through jest (global setup)');
  const dbUrl = await recreateDatabase(
    adminUrl,
    `gep_test_${randomBytes(5).toString('hex')}`,
    TEMPLATE_DB,
  );
  const config = loadConfig(testEnv(env)) as RuntimeConfig;
  const app = await createApp(config, dbUrl);
  await app.init();
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  // The service answers in Chinese unless asked otherwise; these suites were written against its
  // English texts and ask for them (test/i18n.e2e-spec.ts tests the Chinese default).
  const http = request.agent(app.getHttpServer()).set('accept-language', 'en');
  const tokens = new Map<string, string>();
  return {
    app,
    http,
    db,
    dbUrl,
    config,
    async token(username, password = DEMO_PASSWORD) {
      const cached = tokens.get(`${username}:${password}`);
      if (cached) return cached;
      const res = await http.post('/auth/login').send({ username, password });
      if (res.status !== 200)
        throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      const token = (res.body as { accessToken: string }).accessToken;
      tokens.set(`${username}:${password}`, token);
      return token;
    },
    async close() {
      await db.end();
      await app.close();
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(
        `DROP DATABASE IF EXISTS ${admin.escapeIdentifier(new URL(dbUrl).pathname.slice(1))} WITH (FORCE)`,
      );
      await admin.end();
    },
  };
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: { path: string; message: string }[];
}

/** Asserts an RFC 9457 problem+json response with this status (and code) and returns its body. */
export function expectProblem(
  res: { status: number; headers: Record<string, string>; body: unknown },
  status: number,
  code?: string,
): Problem {
  const body = res.body as Problem;
  expect({ status: res.status, contentType: res.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    errors: expect.any(Array),
  });
  if (code) expect(body.code).toBe(code);
  return body;
}

/** A demo user as the service's own calls see them once signed in (for calling services directly). */
export async function signedIn(t: TestApp, username: string): Promise<SignedIn> {
  const { rows } = await t.db.query<AuthUser>(
    `SELECT id, username, display_name AS "displayName", roles, region_code AS "regionCode"
       FROM users WHERE username = $1`,
    [username],
  );
  if (!rows[0]) throw new Error(`no user ${username}`);
  return { user: rows[0], username };
}
