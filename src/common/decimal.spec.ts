import fc from 'fast-check';
import { D, decimalOf, plusOf, timesOf } from './decimal';

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

describe('timesOf and plusOf: x.times(y) and x.plus(y), faster when exact', () => {
  type Dec = InstanceType<typeof D>;
  // significant digits 1–70 (past the precision of 50, so that products and sums get rounded),
  // decimal exponents −80…40, either sign, and zeros
  const significand = fc
    .integer({ min: 1, max: 70 })
    .chain((n) => fc.bigInt({ min: 10n ** BigInt(n - 1), max: 10n ** BigInt(n) - 1n }));
  const decimal = fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .tuple(fc.boolean(), significand, fc.integer({ min: -80, max: 40 }))
        .map(([neg, digits, exp]) => new D(`${neg ? '-' : ''}${digits}e${exp}`)),
    },
    { weight: 1, arbitrary: fc.constantFrom(new D(0), new D('-0'), new D(1), new D('0.0001')) },
  );
  const same = (actual: Dec, expected: Dec) => expect(fields(actual)).toEqual(fields(expected));

  it('gives decimal.js’s product and sum, field by field', () => {
    fc.assert(
      fc.property(decimal, decimal, (x, y) => {
        same(timesOf(x, y), x.times(y));
        same(plusOf(x, y), x.plus(y));
        same(plusOf(x, x.neg()), x.plus(x.neg()));
      }),
      { numRuns: 20_000 },
    );
  });

  it('rounds a product of more than 50 digits half to even, once, as decimal.js does', () => {
    const x = new D(`1${'0'.repeat(49)}1`); // 10⁵⁰ + 1
    for (const y of ['5', '15', '3', '0.7', '9999999', '12345678901234567890'])
      same(timesOf(x, new D(y)), x.times(y));
    // 5·(10⁵⁰ + 1) = 5 0…0 5, 51 digits: a tie after an even digit, rounded down
    expect(timesOf(x, new D(5)).toFixed()).toBe(`5${'0'.repeat(50)}`);
    // 5·(2·10⁴⁹ + 3) = 1 0…0 1 5: a tie after an odd digit, rounded up
    const z = timesOf(new D(`2${'0'.repeat(48)}3`), new D(5));
    expect(z.toFixed()).toBe(`1${'0'.repeat(48)}20`);
    same(z, new D(`2${'0'.repeat(48)}3`).times(5));
    // a sum carrying into a new word, and one needing rounding
    same(plusOf(new D('9999999.9999999'), new D('0.0000001')), new D('10000000'));
    same(plusOf(x, new D('0.5')), x.plus('0.5'));
  });

  it('works on the words of decimal.js’s decimals without changing them', () => {
    const x = new D('1234567.891');
    const y = new D('-0.0000042');
    const before = [fields(x), fields(y)];
    timesOf(x, y);
    plusOf(x, y);
    plusOf(x, x);
    expect([fields(x), fields(y)]).toEqual(before);
    const p = timesOf(x, y);
    expect(p instanceof D && D.isDecimal(p)).toBe(true);
    expect(p.div(y).toString()).toBe(x.toString());
  });
});
