/**
 * The robustness suites (`npm run test:robustness`): fuzzing every route, crashes mid-write,
 * concurrent users, database-level immutability, formula limits and a burst of imports. Slower
 * than `npm test`; same global setup (one PostgreSQL, a seeded template database).
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testRegex: 'test/robustness/.*\\.spec\\.ts$',
  testTimeout: 600000,
  // These suites listen on real ports and kill and restart service processes; after the burst
  // suite Jest waited on a handle --detectOpenHandles could not name. Every suite closes what it
  // opened (afterAll); forceExit only stops the wait afterwards.
  forceExit: true,
};
