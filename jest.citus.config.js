/**
 * The Citus suite (`npm run test:citus`): the service on a three-node Citus cluster
 * (scripts/with-citus.sh builds Citus and starts the cluster, and names it in CITUS_URL) against
 * the same service on its embedded single-node PostgreSQL. Both are service processes started as
 * `npm start` would, so no template database is needed.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testRegex: 'test/citus/.*\\.spec\\.ts$',
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 900000,
  forceExit: true,
};
