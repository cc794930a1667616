import { inLanguage } from '../common/i18n/text';
import { checkRegionPlacement as placement } from './region-rules';

/** The problems in English (as an English request reads them). */
const checkRegionPlacement = (...args: Parameters<typeof placement>) =>
  placement(...args).map((p) => ({ ...p, message: inLanguage(p.message, 'en') }));

const county = { code: '361130', level: 'county' as const };

describe('checkRegionPlacement', () => {
  it('accepts the official shapes under the right parents', () => {
    expect(checkRegionPlacement('360000', 'province', null)).toEqual([]);
    expect(checkRegionPlacement('361100', 'city', { code: '360000', level: 'province' })).toEqual(
      [],
    );
    expect(checkRegionPlacement('361130', 'county', { code: '361100', level: 'city' })).toEqual([]);
    expect(checkRegionPlacement('361130100', 'township', county)).toEqual([]);
    expect(
      checkRegionPlacement('361130100201', 'village', { code: '361130100', level: 'township' }),
    ).toEqual([]);
  });

  it('lets a county sit directly under a province (municipal districts, 省直辖县)', () => {
    expect(checkRegionPlacement('120114', 'county', { code: '120000', level: 'province' })).toEqual(
      [],
    );
  });

  it('rejects codes of the wrong shape for the level', () => {
    expect(
      checkRegionPlacement('361100', 'county', { code: '361100', level: 'city' })[0].path,
    ).toBe('code');
    expect(
      checkRegionPlacement('361130', 'city', { code: '360000', level: 'province' })[0].message,
    ).toMatch(/ending in 00/);
    expect(checkRegionPlacement('36113010', 'township', county)[0].message).toMatch(/9 digits/);
  });

  it('rejects a parent of the wrong level, or none where one is needed', () => {
    expect(
      checkRegionPlacement('361130100', 'township', { code: '361100', level: 'city' }),
    ).toEqual([
      {
        path: 'parentCode',
        message: 'the parent of a township must be a county; 361100 is a city',
      },
    ]);
    expect(checkRegionPlacement('361130100', 'township', null)).toEqual([
      { path: 'parentCode', message: 'a township needs a parent (county)' },
    ]);
    expect(
      checkRegionPlacement('370000', 'province', { code: '360000', level: 'province' })[0].path,
    ).toBe('parentCode');
  });

  it('says it in Chinese by default', () => {
    expect(
      placement('361130100', 'township', { code: '361100', level: 'city' }).map((p) =>
        inLanguage(p.message, 'zh'),
      ),
    ).toEqual(['乡镇级行政区的上级应为县级；361100 是地市级']);
  });

  it('rejects a code that does not continue the parent code', () => {
    expect(checkRegionPlacement('361181100', 'township', county)).toEqual([
      { path: 'code', message: 'a region under 361130 must have a code starting with 361130' },
    ]);
  });
});
