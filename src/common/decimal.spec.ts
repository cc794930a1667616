import fc from 'fast-check';
import { D, decimalOf } from './decimal';

/** A decimal's fields as decimal.js holds them, and the methods' view of it. */
const fields = (x: InstanceType<typeof D>) => ({
  s: x.s,
  e: x.e,
  d: x.d,
  text: x.toString(),
  sd: x.d ? x.sd() : null,
});

describe('decimalOf: new D(text), faster for plain decimal text', () => {
  const digits = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...'0000123456789'), minLength: min, maxLength: max });
  const plain = fc
    .tuple(fc.boolean(), digits(1, 40), fc.option(digits(1, 40), { nil: undefined }))
    .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}`);
  const anyText = fc.oneof(
    plain,
    fc.string({ unit: fc.constantFrom(...'-+.e0123456789 '), maxLength: 70 }),
  );

  it('gives decimal.js’s own decimal, field by field, for any text decimal.js reads', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let expected: ReturnType<typeof fields> | 'error';
        try {
          expected = fields(new D(text));
        } catch {
          expected = 'error';
        }
        let actual: ReturnType<typeof fields> | 'error';
        try {
          actual = fields(decimalOf(text));
        } catch {
          actual = 'error';
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads the edge cases of decimal.js’s words of seven digits alike', () => {
    for (const text of [
      '0',
      '-0',
      '0.000',
      '-0.000',
      '007',
      '100',
      '1234567',
      '12345678',
      '1234567.1',
      '0.1234567',
      '0.0000001',
      '0.00000001',
      '1000000000000.000000000001',
      '-987654321.123456789',
      '99999999999999999999999999999999999999999999999999999', // more than 50 digits: not rounded
      '0.000000000000000000000000000000000000000000000000000001',
    ])
      expect([text, fields(decimalOf(text))]).toEqual([text, fields(new D(text))]);
    // what is not plain decimal text is decimal.js's to read, or to refuse
    expect(decimalOf('1e5').toString()).toBe('100000');
    expect(decimalOf('.5').toString()).toBe('0.5');
    expect(() => decimalOf('1.2.3')).toThrow();
    expect(() => decimalOf('')).toThrow();
  });

  it('makes decimals that compute as decimal.js’s do', () => {
    const a = decimalOf('1234.5678');
    const b = decimalOf('-0.000037');
    expect(a.times(b).toString()).toBe(new D('1234.5678').times('-0.000037').toString());
    expect(a.div(b).plus(a).toString()).toBe(
      new D('1234.5678').div('-0.000037').plus('1234.5678').toString(),
    );
    expect(a instanceof D && D.isDecimal(a)).toBe(true);
  });
});
