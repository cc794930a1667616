import fc from 'fast-check';
import { inLanguage } from './i18n/text';
import { readNumber, spreadsheetNumber } from './number-reading';

const plain = { percent: false, nonNegative: false };
const value = (raw: string, rules = plain) => {
  const r = readNumber(raw, rules);
  return 'value' in r ? r.value : null;
};
const problem = (raw: string, rules = plain) => {
  const r = readNumber(raw, rules);
  return 'problem' in r ? inLanguage(r.problem, 'zh') : null;
};

describe('one rule for reading a number', () => {
  it('reads plain decimals, spaces around and full-width digits the same', () => {
    expect(value('12')).toBe('12');
    expect(value(' 12 ')).toBe('12');
    expect(value('\u300012\u3000')).toBe('12');
    expect(value('１２．５')).toBe('12.5');
    expect(value('－３')).toBe('-3');
    expect(value('\u22123')).toBe('-3');
    expect(value('+1.')).toBe('1');
    expect(value('.5')).toBe('0.5');
    expect(value('-0')).toBe('0');
    expect(value('1.5e3')).toBe('1.5e3');
  });

  it('accepts thousands separators only in groups of three', () => {
    expect(value('1,234.5')).toBe('1234.5');
    expect(value('12,345,678')).toBe('12345678');
    expect(value('１,２３４')).toBe('1234');
    expect(problem('12,34,56')).toContain('每三位一组');
    expect(problem('1,2345')).toContain('小数点');
    expect(problem(',123')).toContain('每三位一组');
  });

  it('refuses a decimal comma, with the hint', () => {
    expect(problem('0,5')).toBe(
      '“0,5”中的逗号不能作小数点：若是 0.5 请写作 0.5；千位分隔符须每三位一组',
    );
    expect(value('0,5')).toBeNull();
    expect(value('12,3')).toBeNull();
  });

  it('reads a % as shown for a variable in %, and refuses it elsewhere', () => {
    const pct = { percent: true, nonNegative: false };
    expect(value('12%', pct)).toBe('12');
    expect(value('12 ％', pct)).toBe('12');
    expect(value('12', pct)).toBe('12');
    expect(problem('12%')).toContain('单位不是 %');
  });

  it('refuses negatives for a non-negative variable', () => {
    const nn = { percent: false, nonNegative: true };
    expect(problem('-12', nn)).toContain('不能为负');
    expect(value('-0', nn)).toBe('0');
    expect(value('0', nn)).toBe('0');
    expect(value('-12')).toBe('-12');
  });

  it('refuses what is not a number', () => {
    for (const s of ['1 234', '1.2.3', 'abc', '12元', '--1', '1e', 'NaN', 'Infinity'])
      expect([s, problem(s)]).toEqual([s, expect.stringContaining('不是数值')]);
  });

  it('never gives a value that is not a plain decimal (property)', () => {
    const chars = fc.constantFrom(...'0123456789,.-+% ０１２３４５６７８９．，－％eE'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }), fc.boolean(), (cs, percent) => {
        const r = readNumber(cs.join(''), { percent, nonNegative: false });
        if ('value' in r) expect(r.value).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a percentage cell as shown', () => {
    expect(spreadsheetNumber(0.12, '0%')).toBe('12%');
    expect(spreadsheetNumber(0.125, '0.0%')).toBe('12.5%');
    expect(spreadsheetNumber(1.5, '0%')).toBe('150%');
    expect(spreadsheetNumber(0.0001, '0.00%')).toBe('0.01%');
    expect(spreadsheetNumber(12, '#,##0.00')).toBe('12');
    expect(spreadsheetNumber(12, '0"%"')).toBe('12'); // a quoted % is text, not a percentage
    expect(spreadsheetNumber(0.1 + 0.2, undefined)).toBe('0.3');
  });
});
