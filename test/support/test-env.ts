export const TEMPLATE_DB = 'gep_test_template';
export const TEST_JWT_SECRET = 'test-only-secret-0123456789abcdef0123456789';

/** The environment tests run the service with: the caller's, made quiet and deterministic. */
export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    LOGIN_RATE_LIMIT: '1000',
    EXPENSIVE_RATE_LIMIT: '100000',
    DEMO_DATA: 'true',
    ADMIN_PASSWORD: '',
    ...overrides,
  };
}
