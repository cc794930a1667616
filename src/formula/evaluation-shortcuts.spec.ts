import fc from 'fast-check';
import { D } from '../common/decimal';
import { compileModel, decimalText, evaluateModel } from './model';
import { parseUnit } from './units';

/**
 * The evaluator skips work that cannot change a digit: parsing a decimal string already written
 * as decimal.js writes it, multiplying or dividing by a unit factor of exactly 1, parsing a unit
 * again. These tests hold each shortcut to the long way.
 */
describe('evaluation shortcuts', () => {
  it('writes every decimal string as new D(x).toString() does', () => {
    const edge = [
      '0',
      '-0',
      '00',
      '0.0',
      '-0.5',
      '0.5',
      '+1',
      '1.',
      '.5',
      '10',
      '100.10',
      '1e3',
      '1E-3',
      '0.000000000000000000000000000001', // 1e-30: exponential notation
      '0.00000000000000000000000000001', // 1e-29: plain
      '1' + '0'.repeat(39), // 1e39: plain
      '1' + '0'.repeat(40), // 1e40: exponential notation
      '-12345678901234567890123456789012345678.1234567890123456789012345678',
    ];
    for (const x of edge) expect(decimalText(x)).toBe(new D(x).toString());
    const digits = (min: number, max: number) =>
      fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max });
    fc.assert(
      fc.property(
        fc.constantFrom('', '-', '+'),
        digits(1, 45),
        fc.option(digits(0, 35)),
        fc.option(fc.integer({ min: -40, max: 40 })),
        (sign, int, frac, exp) => {
          const x = `${sign}${int.join('')}${frac ? `.${frac.join('')}` : ''}${exp === null ? '' : `e${exp}`}`;
          expect(decimalText(x)).toBe(new D(x).toString());
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('converts an input in a unit of factor 1 exactly as multiplying by 1 would, however long', () => {
    const model = compileModel({
      indexSets: [],
      variables: [{ code: 'q', unit: 'kg' }],
      parameters: [{ code: 'p', unit: '元/kg' }],
      indicators: [
        {
          code: 'a',
          quantity: { formula: 'q', unit: 'kg' },
          value: { formula: 'Q * p', unit: '元' },
        },
      ],
    });
    // 51 significant digits: rounded to 50 (half-even) before it is doubled, …8 at the end; not
    // rounded first, …9
    const long = `1.${'0'.repeat(48)}45`;
    const a = evaluateModel(model, { q: { value: long }, p: { value: '2' } }).get('a')!;
    expect(a.value!.total.toString()).toBe(`2.${'0'.repeat(48)}8`);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'0123456789'), { minLength: 1, maxLength: 70 }),
        fc.nat(60),
        (ds, point) => {
          const text = `${ds.slice(0, Math.min(point, ds.length)).join('') || '0'}.${ds.slice(point).join('')}1`;
          const r = evaluateModel(model, { q: { value: text }, p: { value: '3.7' } }).get('a')!;
          const base = new D(text).times(1); // the long way: rounded to 50 digits
          expect(r.quantity!.total.toString()).toBe(base.div(1).toString());
          expect(r.value!.total.toString()).toBe(base.times('3.7').div(1).toString());
          expect(r.trace.inputs.find((i) => i.name === 'q')!.value).toBe(new D(text).toString());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same unit for the same text, parsed once', () => {
    const a = parseUnit('t·hm²·h/(hm²·MJ·mm)');
    expect(parseUnit('t·hm²·h/(hm²·MJ·mm)')).toBe(a);
    expect(a.factor.toString()).toBe('3600'); // t · h / (MJ · mm) in kg, s, J, m
    expect(() => parseUnit('furlong')).toThrow();
    expect(() => parseUnit('furlong')).toThrow(); // a unit that cannot be read is not kept
  });
});
