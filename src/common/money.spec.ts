import fc from 'fast-check';
import { D } from './decimal';
import { inLanguage } from './i18n/text';
import { readYuan } from './money';

const value = (raw: string) => {
  const r = readYuan(raw);
  return 'value' in r ? r.value : `✗ ${inLanguage(r.problem, 'zh')}`;
};

describe('money as a finance clerk types it', () => {
  it('reads 元, 万元, 亿元 and 千元, grouped and full-width digits, exactly', () => {
    expect(value('50000000.00')).toBe('50000000');
    expect(value('5000 万元')).toBe('50000000');
    expect(value('5000万元')).toBe('50000000');
    expect(value('0.5 亿元')).toBe('50000000');
    expect(value('1,234.56 元')).toBe('1234.56');
    expect(value('１２３４．５６万元')).toBe('12345600');
    expect(value('12.3456 万元')).toBe('123456');
    expect(value('3 千元')).toBe('3000');
  });

  it('refuses what is not whole fen, negative or not a number, saying why', () => {
    expect(value('1.2345678 万元')).toBe(
      '✗ “1.2345678 万元”折合 12345.678 元，不到分位；金额最多精确到分',
    );
    expect(value('1.234567 万元')).toBe('12345.67');
    expect(value('0.001')).toMatch(/^✗ .*不到分位/);
    expect(value('-5 万元')).toMatch(/^✗ .*为负数/);
    expect(value('五千万元')).toMatch(/^✗ .*不是数值/);
    expect(value('5000 美元')).toMatch(/^✗ .*不是数值/);
  });

  it('converts any amount in 万元 to 元 exactly (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), (fenTimes100) => {
        // an amount in 万元 with up to 6 decimals is whole fen in 元
        const wan = new D(fenTimes100.toString()).div(1_000_000);
        expect(value(`${wan.toFixed()} 万元`)).toBe(wan.times(10000).toFixed());
      }),
    );
  });
});
