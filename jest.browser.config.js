/**
 * The web console in a real browser (`npm run test:browser`): Debian's Chromium driven by
 * playwright-core against the service listening on a port. Same global setup as `npm test`.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testRegex: 'test/browser/.*\\.spec\\.ts$',
  testTimeout: 300000,
};
