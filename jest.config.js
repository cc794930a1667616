/**
 * Unit specs beside the code (src/**\/*.spec.ts) and API tests against real PostgreSQL
 * (test/**\/*.e2e-spec.ts). NestJS 12 ships as ES modules, which Jest on Node 20 loads only in
 * its ESM mode, so test files are compiled as ESM (`npm test` passes --experimental-vm-modules).
 */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testRegex: '(src/.*\\.spec\\.ts|test/.*\\.e2e-spec\\.ts)$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: 'tsconfig.json',
        diagnostics: { ignoreCodes: [151002] },
        // The Swagger CLI plugin, as in `nest build`, so /docs-json in tests matches production.
        astTransformers: { before: ['<rootDir>/test/support/swagger-transformer.js'] },
      },
    ],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
