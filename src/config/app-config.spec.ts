import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies defaults: port 3000, embedded database, demo data on outside production', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      EMBEDDED_PG_PORT: 54320,
      LOG_LEVEL: 'info',
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.demoData).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).demoData).toBe(false);
  });

  it('parses numbers and booleans from strings', () => {
    const c = loadConfig({ PORT: '8080', DEMO_DATA: 'off', LOGIN_RATE_LIMIT: '5' });
    expect(c).toMatchObject({ PORT: 8080, DEMO_DATA: false, LOGIN_RATE_LIMIT: 5 });
  });

  it('reports every problem at once, naming the variable', () => {
    try {
      loadConfig({
        PORT: '70000',
        DATABASE_URL: 'mysql://x',
        JWT_SECRET: 'short',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'staging',
      });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const vars = (e as ConfigError).problems.map((p) => p.split(':')[0]).sort();
      expect(vars).toEqual(['DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL', 'NODE_ENV', 'PORT']);
    }
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: required when NODE_ENV=production/,
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });
});
