import fc from 'fast-check';
import { TITLES } from '../errors/error-codes';
import { nearestUnits, parseUnit } from '../../formula/units';
import { bilingualConstraint, KNOWN_CONSTRAINTS } from './validation-messages';
import { inLanguage, languageOf, zhEn } from './text';

const CJK = /[\u4e00-\u9fff]/;

describe('two languages', () => {
  it('every error code has a Chinese and an English title', () => {
    for (const [code, t] of Object.entries(TITLES)) {
      expect([code, CJK.test(t.zh)]).toEqual([code, true]);
      expect([code, /^[\x20-\x7e’]+$/.test(t.en)]).toEqual([code, true]);
    }
    expect(Object.keys(TITLES).length).toBeGreaterThan(30);
  });

  it("gives class-validator's default messages in Chinese, and leaves a DTO's own English as it is", () => {
    const defaults: [string, string, string][] = [
      ['isInt', 'year must be an integer number', '应为整数'],
      ['min', 'year must not be less than 1949', '不能小于 1949'],
      ['maxLength', 'name must be shorter than or equal to 200 characters', '至多 200 个字符'],
      [
        'isIn',
        'kind must be one of the following values: unit, resource',
        '应为以下之一：unit, resource',
      ],
      ['whitelistValidation', 'property colour should not exist', '不认识的字段 colour，请删除'],
      ['isNotEmpty', 'name should not be empty', '不能为空'],
      ['isUuid', 'id must be a UUID', '应为编号（UUID）'],
    ];
    for (const [constraint, en, zh] of defaults) {
      const m = bilingualConstraint(constraint, en);
      expect([constraint, inLanguage(m, 'zh'), inLanguage(m, 'en')]).toEqual([constraint, zh, en]);
    }
    expect(KNOWN_CONSTRAINTS.length).toBeGreaterThan(25);
    // a DTO's own message is not replaced by a vaguer Chinese one
    expect(bilingualConstraint('matches', 'budget must be 元 with at most 2 decimals')).toBe(
      'budget must be 元 with at most 2 decimals',
    );
  });

  it('resolves nested and joined messages, each piece on its own', () => {
    const inner = zhEn('吨', 't');
    const outer = zhEn(`单位 ${inner} 不对`, `unit ${inner} is wrong`);
    const joined = [outer, zhEn('二', 'two'), 'plain'].join('; ');
    expect(inLanguage(joined, 'zh')).toBe('单位 吨 不对; 二; plain');
    expect(inLanguage(joined, 'en')).toBe('unit t is wrong; two; plain');
    fc.assert(
      fc.property(fc.string(), fc.string(), (zh, en) => {
        // eslint-disable-next-line no-control-regex -- the markers
        const clean = (s: string) => s.replace(/[\u0002\u0003\u001f]/g, '');
        const m = zhEn(clean(zh), clean(en));
        return inLanguage(m, 'zh') === clean(zh) && inLanguage(m, 'en') === clean(en);
      }),
    );
  });

  it('prefers Chinese unless the request ranks English first', () => {
    expect(languageOf(undefined)).toBe('zh');
    expect(languageOf('')).toBe('zh');
    expect(languageOf('en')).toBe('en');
    expect(languageOf('en-US,en;q=0.9')).toBe('en');
    expect(languageOf('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(languageOf('en;q=0.5,zh;q=0.9')).toBe('zh');
    expect(languageOf('fr, en;q=0.7')).toBe('en');
    expect(languageOf('fr')).toBe('zh');
    expect(languageOf('en;q=0')).toBe('zh');
  });
});

describe('Chinese unit words', () => {
  const base = (u: string) => parseUnit(u).factor.toString();
  it('reads the units Chinese statistics write, with 万/亿/千 prefixes', () => {
    expect(base('吨')).toBe(base('t'));
    expect(base('千克')).toBe(base('kg'));
    expect(base('公斤')).toBe(base('kg'));
    expect(base('克')).toBe(base('g'));
    expect(base('万吨')).toBe(base('万t'));
    expect(base('立方米')).toBe(base('m3'));
    expect(base('万立方米')).toBe(base('万m³'));
    expect(base('亿立方米')).toBe(base('亿m³'));
    expect(base('千瓦时')).toBe(base('kWh'));
    expect(base('万千瓦时')).toBe(base('万kWh'));
    expect(base('亿千瓦时')).toBe(base('亿kWh'));
    expect(base('平方米')).toBe(base('m2'));
    expect(base('平方公里')).toBe(base('km2'));
    expect(base('公顷')).toBe(base('hm2'));
    expect(base('万公顷')).toBe(base('万hm²'));
    expect(base('米')).toBe(base('m'));
    expect(base('毫米')).toBe(base('mm'));
    expect(base('万元')).toBe('10000');
    expect(base('亿元')).toBe('100000000');
    expect(base('万人次')).toBe('10000');
    expect(base('元/吨')).toBe(base('元/t'));
    expect(base('元/立方米')).toBe(base('元/m3'));
    expect(base('吨/公顷')).toBe(base('t/hm2'));
    expect(parseUnit('亩').dims).toEqual(parseUnit('m2').dims);
    expect(parseUnit('天').dims).toEqual(parseUnit('年').dims);
  });

  it('answers an unknown unit with the accepted spellings nearest to it, in Chinese', () => {
    expect(nearestUnits('吨吨')).toContain('吨');
    expect(nearestUnits('万屯')).toEqual([]);
    expect(nearestUnits('立方')).toContain('立方米');
    expect(nearestUnits('kwh')).toContain('kWh');
    let message = '';
    try {
      parseUnit('元/立方');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(inLanguage(message, 'zh')).toContain('无法识别的单位“立方”');
    expect(inLanguage(message, 'zh')).toContain('立方米');
    expect(inLanguage(message, 'en')).toContain('unknown unit "立方"');
  });
});
