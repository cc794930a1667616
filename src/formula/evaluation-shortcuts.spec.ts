import fc from 'fast-check';
import { D } from '../common/decimal';
import { Vec } from './compile-core';
import { compileModel, decimalText, evaluateModel, keptEvaluation } from './model';
import { dividedByFactor, isPowerOfTen, parseUnit } from './units';

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

  it('knows the units of factor 10ᵏ, by whose factor dividing then multiplying gives a number within the precision back', () => {
    for (const u of ['元', '万元', '亿元', 'km', 'mm', 'hm2', '%', '百万元'])
      expect([u, isPowerOfTen(parseUnit(u).factor)]).toEqual([u, true]);
    for (const u of ['亩', 'a', 'kWh', 'h', '元/亩'])
      expect([u, isPowerOfTen(parseUnit(u).factor)]).toEqual([u, false]);
    const factors = ['元', '万元', '亿元', 'mm', '%'].map((u) => parseUnit(u).factor);
    fc.assert(
      fc.property(
        fc.constantFrom(...factors),
        fc.bigInt({ min: -(10n ** 50n) + 1n, max: 10n ** 50n - 1n }),
        fc.integer({ min: -60, max: 30 }),
        (f, digits, exp) => {
          const x = new D(`${digits}e${exp}`); // at most 50 significant digits
          expect(x.div(f).times(f).toString()).toBe(x.toString());
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('divides by a factor of 10ᵏ as decimal.js divides, digit for digit, by multiplying by 10⁻ᵏ', () => {
    const units = [
      '元',
      '万元',
      '亿元',
      'mm',
      'km',
      '%',
      't',
      'mg',
      '万m³',
      '亩',
      'h',
      '元/亩',
      'kWh',
    ];
    const factors = units.map((u) => parseUnit(u).factor);
    fc.assert(
      fc.property(
        fc.constantFrom(...factors),
        // up to 70 significant digits: beyond the precision, so that the rounding is compared too
        fc.bigInt({ min: -(10n ** 70n) + 1n, max: 10n ** 70n - 1n }),
        fc.integer({ min: -80, max: 40 }),
        (f, digits, exp) => {
          const x = new D(`${digits}e${exp}`);
          expect(dividedByFactor(x, f).toString()).toBe(x.div(f).toString());
        },
      ),
      { numRuns: 5000 },
    );
    // half-even at the 50th digit, both ways
    const tie = new D(`1${'0'.repeat(48)}15`); // 51 digits, …1|5: rounded to …2
    const f = parseUnit('万元').factor;
    expect(dividedByFactor(tie, f).toString()).toBe(tie.div(f).toString());
    expect(dividedByFactor(tie, f).toFixed()).toBe(`1${'0'.repeat(46)}.002`);
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

  it('writes an indicator into the traces that use it as its own result gives it, each input once', () => {
    const model = compileModel({
      indexSets: [{ code: 'eco', items: ['forest', 'grass'] }],
      variables: [
        { code: 'area', unit: 'km²', index: 'eco' },
        { code: 'depth', unit: 'mm', index: 'eco' },
      ],
      parameters: [{ code: 'price', unit: '元/m³' }],
      indicators: [
        {
          code: 'water',
          quantity: { formula: 'area .* depth', unit: '万m³' },
          value: { formula: 'Q * price', unit: '万元' },
        },
        {
          code: 'doubled',
          quantity: { formula: 'water * 2', unit: '亿m³' },
          value: { formula: 'water_value + Q * price', unit: '元' },
        },
        { code: 'scalar', value: { formula: 'sum(water_value) / 3', unit: '亿元' } },
      ],
    });
    const digits = fc.stringMatching(/^[1-9][0-9]{0,6}\.[0-9]{1,5}$/);
    fc.assert(
      fc.property(digits, digits, digits, digits, digits, (a1, a2, d1, d2, price) => {
        const kept = keptEvaluation();
        const r = evaluateModel(
          model,
          {
            area: { value: { forest: a1, grass: a2 } },
            depth: { value: { forest: d1, grass: d2 } },
            price: { value: price, source: '文献' },
          },
          undefined,
          kept,
        );
        const input = (code: string, name: string) =>
          r.get(code)!.trace.inputs.find((i) => i.name === name)!;
        // the long way, as the traces were written before: the working value in base units,
        // divided by the unit's factor, item by item
        const long = (name: string, unit: string) => {
          const v = kept.values.get(name) as Vec;
          return Object.fromEntries(
            v.index.items.map((k, i) => [k, v.values[i].div(parseUnit(unit).factor).toString()]),
          );
        };
        expect(input('doubled', 'water').value).toEqual(long('water', '万m³'));
        expect(input('doubled', 'water_value').value).toEqual(long('water_value', '万元'));
        expect(input('scalar', 'water_value').value).toEqual(long('water_value', '万元'));
        expect(input('doubled', 'Q').value).toEqual(long('doubled', '亿m³'));
        // an input used by two indicators is one entry, not written twice
        expect(input('doubled', 'price')).toBe(input('water', 'price'));
        expect(input('doubled', 'price')).toEqual({
          name: 'price',
          kind: 'parameter',
          value: price.replace(/0+$/, '').replace(/\.$/, ''),
          unit: '元/m³',
          source: '文献',
        });
        expect(Object.isFrozen(input('doubled', 'price'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('gives values in 元 on request: the declared figures times the unit, digit for digit, the same traces', () => {
    const model = compileModel({
      indexSets: [{ code: 'eco', items: ['forest', 'grass'] }],
      variables: [{ code: 'area', unit: 'hm²', index: 'eco' }],
      parameters: [
        { code: 'price', unit: '元/hm²' },
        { code: 'share', unit: '1' },
      ],
      indicators: [
        { code: 'own', value: { formula: 'area * price / 7', unit: '万元' } },
        { code: 'split', value: { formula: 'own_value * share', unit: '亿元' } },
        { code: 'total', value: { formula: 'sum(own_value) / 3', unit: '元' } },
      ],
    });
    const digits = fc.stringMatching(/^[1-9][0-9]{0,9}\.[0-9]{1,8}$/);
    fc.assert(
      fc.property(digits, digits, digits, digits, (a1, a2, price, share) => {
        const given = {
          area: { value: { forest: a1, grass: a2 } },
          price: { value: price },
          share: { value: `0.${share.replace('.', '')}` },
        };
        const declared = evaluateModel(model, given);
        const inYuan = evaluateModel(model, given, undefined, undefined, true);
        for (const code of ['own', 'split', 'total']) {
          const d = declared.get(code)!.value!;
          const y = inYuan.get(code)!.value!;
          const factor = parseUnit(d.unit).factor;
          expect(y.unit).toBe('元');
          expect(y.total.toString()).toBe(d.total.times(factor).toString());
          expect(Object.keys(y.byIndex ?? {})).toEqual(Object.keys(d.byIndex ?? {}));
          for (const [k, x] of Object.entries(d.byIndex ?? {}))
            expect(y.byIndex![k].toString()).toBe(x.times(factor).toString());
          // a value used by another is still shown in its declared unit
          expect(inYuan.get(code)!.trace).toEqual(declared.get(code)!.trace);
        }
      }),
      { numRuns: 200 },
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
