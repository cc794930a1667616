import { inLanguage } from '../common/i18n/text';
import fc from 'fast-check';
import { all, create } from 'mathjs';
import { compileFormula, FormulaTypeError, IndexSet, SymbolInfo, Vec } from './compile';
import { TRANSCENDENTAL_CACHE_SIZE } from './compile-core';
import { D, Dec } from '../common/decimal';
import { compileModel, evaluateModel, ModelError } from './model';
import { FormulaSyntaxError, parseFormula } from './parse';
import { convert, parseUnit } from './units';

const ECO: IndexSet = { code: 'ecosystem', items: ['forest', 'grassland', 'wetland'] };
const sym = (unit: string, index?: IndexSet): SymbolInfo => ({
  kind: 'variable',
  unit: parseUnit(unit),
  index,
});

function compile(text: string, symbols: Record<string, SymbolInfo>) {
  return compileFormula(parseFormula(text), (n) => symbols[n]);
}
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormulaSyntaxError || e instanceof FormulaTypeError)
      return e.problems.map((p) => inLanguage(p.message, 'en'));
    throw e;
  }
  return [];
};

describe('formula allow-list', () => {
  // Known mathjs sandbox-escape and injection payloads (mathjs security advisories and write-ups).
  const payloads = [
    'cos.constructor("return process")()',
    '[].map.constructor("return this")()',
    'f = cos.constructor; f("return process")()',
    'import({matrix: 1}, {override: true})',
    'createUnit("foo")',
    'evaluate("1+1")',
    'parse("1").compile().evaluate()',
    'simplify("x+x")',
    'derivative("x^2", "x")',
    'resolve(x, {x: 1})',
    'reviver',
    'x.constructor',
    'x["constructor"]["constructor"]("return process")()',
    'toString.constructor("return 1")()',
    'f(x) = x; f(1)',
    'x = 1',
    '{a: 1}',
    '1:10',
    '"string"',
    'a; b',
    'unit("5 cm")',
    'chain(1).done()',
    'typed("x", {})',
  ];
  it.each(payloads)('rejects %s', (payload) => {
    const symbols = { x: sym('1'), a: sym('1'), b: sym('1') };
    expect(() => compile(payload, symbols)).toThrow(
      /not allowed|unknown identifier|syntax error|only numbers|only named functions/,
    );
  });

  it('reports every problem at once, with positions', () => {
    try {
      parseFormula('cos(a) + b.c + "x"');
      throw new Error('expected an error');
    } catch (e) {
      const problems = (e as FormulaSyntaxError).problems;
      expect(problems.map((p) => inLanguage(p.message, 'en'))).toEqual([
        expect.stringMatching(/function cos is not allowed/),
        'property or index access is not allowed',
        'only numbers are allowed as constants, not "x"',
      ]);
      expect(problems[0].position).toBe(0);
    }
  });

  it('gives the position of a syntax error', () => {
    expect(() => parseFormula('a + * b')).toThrow(FormulaSyntaxError);
    try {
      parseFormula('a + * b');
    } catch (e) {
      expect((e as FormulaSyntaxError).problems[0].position).toBe(5);
    }
  });

  it('bounds size and nesting', () => {
    expect(() => parseFormula('a+'.repeat(3000) + 'a')).toThrow(/longer than/);
    expect(() => parseFormula('('.repeat(80) + 'a' + ')'.repeat(80))).toThrow(/nested more than/);
    expect(problemsOf(() => compile('a ^ 100000', { a: sym('1') }))).toEqual([
      expect.stringMatching(/too large/),
    ]);
  });

  it('refuses giant vectors and ranges, and reports a tower of powers that leaves the number range (found by issue 8)', () => {
    for (const text of ['zeros(1000000000)', 'range(0, 1e9)', '[1, 2, 3]', 'factorial(100000)'])
      expect(problemsOf(() => compile(text, { a: sym('1') })).join()).toMatch(/not allowed/);
    const tower = compile(`${'('.repeat(9)}a${' ^ 64)'.repeat(9)} ^ 64`, { a: sym('1') });
    expect(() => tower.run(() => new D(10))).toThrow(/too large/);
  });

  it('names unknown identifiers', () => {
    expect(problemsOf(() => compile('precip * area', { area: sym('m2') }))).toEqual([
      'unknown identifier precip',
    ]);
  });
});

describe('units', () => {
  it('parses Chinese and SI units, converting exactly', () => {
    expect(convert(new D(1), parseUnit('km²'), parseUnit('亩')).toString()).toBe('1500');
    expect(convert(new D(1), parseUnit('hm2'), parseUnit('亩')).toString()).toBe('15');
    expect(convert(new D(3), parseUnit('亿m³'), parseUnit('m3')).toString()).toBe('300000000');
    expect(convert(new D(1), parseUnit('kWh'), parseUnit('MJ')).toString()).toBe('3.6');
    expect(convert(new D(2), parseUnit('亿元'), parseUnit('万元')).toString()).toBe('20000');
    expect(convert(new D(5), parseUnit('万hm²'), parseUnit('km^2')).toString()).toBe('500');
    expect(parseUnit('kg/(hm²·a)').dims).toEqual(parseUnit('kg/hm2/a').dims);
    expect(() => parseUnit('furlong')).toThrow(/unknown unit "furlong"/);
  });

  it('mm × km² is a volume; the result converts to m³ by itself', () => {
    const f = compile('(P - R - ET) * A', {
      P: sym('mm'),
      R: sym('mm'),
      ET: sym('mm'),
      A: sym('km²'),
    });
    expect(f.type.dims).toEqual(parseUnit('m³').dims);
    const base = f.run(
      (n) => ({ P: new D('0.8'), R: new D('0.1'), ET: new D('0.4'), A: new D(2_000_000) })[n]!,
    ) as Dec; // 800-100-400 mm over 2 km²
    expect(convert(base, parseUnit('m3'), parseUnit('万m³')).toString()).toBe('60');
  });

  it('亿m³ × 元/m³ is money, in 亿元', () => {
    const f = compile('Q * price', { Q: sym('亿m³'), price: sym('元/m³') });
    expect(f.type.dims).toEqual(parseUnit('亿元').dims);
  });

  it('refuses to add t C and t CO₂, showing both units', () => {
    expect(problemsOf(() => compile('c + co2', { c: sym('tC'), co2: sym('tCO2') }))).toEqual([
      'cannot add co2 (tCO2) to c (tC): kgCO2 and kgC are different quantities',
    ]);
    // a bare 44/12 keeps the carbon dimension: the explicit CO2_PER_C constant is needed
    expect(
      problemsOf(() => compile('c * 44/12 + co2', { c: sym('tC'), co2: sym('tCO2') })),
    ).toEqual(['cannot add co2 (tCO2) to kgC: kgCO2 and kgC are different quantities']);
  });

  it('a value formula must give currency (model check names both units)', () => {
    expect(() =>
      compileModel({
        indexSets: [],
        variables: [{ code: 'area', unit: 'hm2' }],
        parameters: [{ code: 'price', unit: '元/m³' }],
        indicators: [{ code: 'x', value: { formula: 'area * price', unit: '元' } }],
      }),
    ).toThrow(/gives m⁻¹·元, not a currency/);
  });
});

describe('exact decimal evaluation', () => {
  it('0.1 + 0.2 is 0.3', () => {
    const f = compile('a + b', { a: sym('1'), b: sym('1') });
    expect((f.run((n) => ({ a: new D('0.1'), b: new D('0.2') })[n]!) as Dec).toString()).toBe(
      '0.3',
    );
  });

  it('reports data errors instead of returning Infinity or NaN', () => {
    const f = compile('a / b', { a: sym('1'), b: sym('1') });
    expect(() => f.run((n) => ({ a: new D(1), b: new D(0) })[n]!)).toThrow(/division by zero/);
    const g = compile('log(a)', { a: sym('1') });
    expect(() => g.run(() => new D(-1))).toThrow(/non-positive/);
    // found by the SQL-equivalence property test: decimal.js counts 0 as positive
    expect(() => g.run(() => new D(0))).toThrow(/non-positive/);
    const h = compile('log(a, b)', { a: sym('1'), b: sym('1') });
    expect(() => h.run((n) => ({ a: new D(2), b: new D(0) })[n]!)).toThrow(/non-positive/);
  });

  it('exp, log and fractional powers remembered give the digits decimal.js computes, per function and argument', () => {
    const f = compile('exp(a) + log(a) * 1000 + a ^ b + log(b, a)', { a: sym('1'), b: sym('1') });
    const direct = (a: Dec, b: Dec) =>
      a.exp().plus(a.ln().times(1000)).plus(a.pow(b)).plus(b.ln().div(a.ln()));
    // the same arguments again and again (remembered), then others that share one of them
    const cases = [
      ['6.636', '0.678'],
      ['6.636', '0.678'],
      ['0.678', '6.636'],
      ['6.636', '1.5'],
      ['2', '0.5'],
      ['2', '3'],
      ['6.636', '0.678'],
    ].map(([a, b]) => [new D(a), new D(b)]);
    for (const [a, b] of cases) {
      const ours = f.run((n) => (n === 'a' ? a : b)) as Dec;
      expect(ours.toString()).toBe(direct(a, b).toString());
    }
    // more distinct arguments than the cache holds: still right after it is emptied
    for (let i = 1; i <= TRANSCENDENTAL_CACHE_SIZE + 10; i += 97) {
      const a = new D(i).div(1000);
      expect((f.run((n) => (n === 'a' ? a : new D('0.3'))) as Dec).toString()).toBe(
        direct(a, new D('0.3')).toString(),
      );
    }
  });
});

describe('indexed inputs and breakdowns', () => {
  const vec = (...xs: string[]): Vec => ({ index: ECO, values: xs.map((x) => new D(x)) });

  it('sums element-wise products over the index', () => {
    const f = compile('sum((P - ET) .* A)', {
      P: sym('mm', ECO),
      ET: sym('mm', ECO),
      A: sym('m2', ECO),
    });
    const v = f.run(
      (n) => ({ P: vec('1', '1', '1'), ET: vec('0.5', '0.25', '0'), A: vec('10', '20', '30') })[n]!,
    ) as Dec;
    expect(v.toString()).toBe('50'); // 0.5·10 + 0.75·20 + 1·30 (m, since mm are already in base m here)
  });

  it('asks for .* between two indexed values and refuses different indexes', () => {
    expect(problemsOf(() => compile('a * b', { a: sym('1', ECO), b: sym('1', ECO) }))).toEqual([
      expect.stringMatching(/use \.\* for element-wise/),
    ]);
    const other: IndexSet = { code: 'pollutant', items: ['so2'] };
    expect(problemsOf(() => compile('a + b', { a: sym('1', ECO), b: sym('1', other) }))).toEqual([
      expect.stringMatching(/indexed by ecosystem and pollutant/),
    ]);
  });
});

describe('models', () => {
  it('orders indicators by dependency and names a cycle', () => {
    expect(() =>
      compileModel({
        indexSets: [],
        variables: [],
        parameters: [{ code: 'p', unit: '元' }],
        indicators: [
          { code: 'a', value: { formula: 'b_value + p', unit: '元' } },
          { code: 'b', value: { formula: 'c_value', unit: '元' } },
          { code: 'c', value: { formula: 'a_value', unit: '元' } },
        ],
      }),
    ).toThrow(/cycle: a → b → c → a/);
  });

  it('lists every problem of a model with its path', () => {
    try {
      compileModel({
        indexSets: [],
        variables: [{ code: 'v', unit: 'parsec' }],
        parameters: [{ code: 'v', unit: '元' }],
        indicators: [{ code: 'x', value: { formula: 'y + cos(1)', unit: '元' } }],
      });
      throw new Error('expected ModelError');
    } catch (e) {
      expect((e as ModelError).problems.map((p) => p.path)).toEqual([
        'variables[0].unit',
        'parameters[0].code',
        'indicators[0].value.formula',
      ]);
    }
  });

  it('keeps "not reported" distinct from zero, down the dependency chain', () => {
    const model = compileModel({
      indexSets: [],
      variables: [
        { code: 'q', unit: 't' },
        { code: 'z', unit: 't' },
      ],
      parameters: [{ code: 'p', unit: '元/t' }],
      indicators: [
        {
          code: 'a',
          quantity: { formula: 'q', unit: 't' },
          value: { formula: 'Q * p', unit: '元' },
        },
        { code: 'b', value: { formula: 'a_value * 2', unit: '元' } },
        {
          code: 'c',
          quantity: { formula: 'z', unit: 't' },
          value: { formula: 'Q * p', unit: '元' },
        },
      ],
    });
    const r = evaluateModel(model, { q: { value: null }, z: { value: '0' }, p: { value: '5' } });
    expect(r.get('a')).toMatchObject({ value: null, missing: ['q'] });
    expect(r.get('b')).toMatchObject({ value: null, missing: ['q'] });
    expect(r.get('c')!.value!.total.toString()).toBe('0');
  });

  it('converts inputs given in another compatible unit, and refuses an incompatible one', () => {
    const model = compileModel({
      indexSets: [],
      variables: [{ code: 'water', unit: 'm³' }],
      parameters: [{ code: 'price', unit: '元/m³' }],
      indicators: [
        {
          code: 'w',
          quantity: { formula: 'water', unit: '万m³' },
          value: { formula: 'Q * price', unit: '万元' },
        },
      ],
    });
    const ok = evaluateModel(model, {
      water: { value: '0.98', unit: '亿m³' },
      price: { value: '0.5' },
    }).get('w')!;
    expect(ok.quantity!.total.toString()).toBe('9800');
    expect(ok.value!.total.toString()).toBe('4900');
    const bad = evaluateModel(model, {
      water: { value: '1', unit: 't' },
      price: { value: '0.5' },
    }).get('w')!;
    expect(bad.error).toMatch(/water is given in t but is declared in m³/);
  });
});

describe('properties', () => {
  const decimal = fc
    .tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 6 }))
    .map(([n, scale]) => new D(n).div(new D(10).pow(scale)));
  const positive = decimal.map((d) => d.abs().plus('0.001'));

  it('evaluation is deterministic and a breakdown by ecosystem type sums to its total', () => {
    const model = compileModel({
      indexSets: [ECO],
      variables: [
        { code: 'P', unit: 'mm', index: 'ecosystem' },
        { code: 'ET', unit: 'mm', index: 'ecosystem' },
        { code: 'A', unit: 'hm2', index: 'ecosystem' },
      ],
      parameters: [{ code: 'cost', unit: '元/m³' }],
      indicators: [
        {
          code: 'wr',
          quantity: { formula: '(P - ET) .* A', unit: '万m³' },
          value: { formula: 'Q * cost', unit: '万元' },
        },
      ],
    });
    fc.assert(
      fc.property(
        fc.array(decimal, { minLength: 3, maxLength: 3 }),
        fc.array(decimal, { minLength: 3, maxLength: 3 }),
        fc.array(positive, { minLength: 3, maxLength: 3 }),
        positive,
        (P, ET, A, cost) => {
          const m = (xs: Dec[]) => Object.fromEntries(ECO.items.map((k, i) => [k, xs[i]]));
          const inputs = {
            P: { value: m(P) },
            ET: { value: m(ET) },
            A: { value: m(A) },
            cost: { value: cost },
          };
          const r1 = evaluateModel(model, inputs).get('wr')!;
          const r2 = evaluateModel(model, inputs).get('wr')!;
          expect(r1.value!.total.toString()).toBe(r2.value!.total.toString());
          const sum = Object.values(r1.value!.byIndex!).reduce((s, x) => s.plus(x), new D(0));
          expect(sum.eq(r1.value!.total)).toBe(true);
        },
      ),
      { numRuns: 200, seed: 20261122 },
    );
  });

  it('compiled formulas agree with mathjs BigNumber evaluation of the same expression', () => {
    const reference = create(all, { number: 'BigNumber', precision: 64 });
    const leaf = fc.constantFrom('a', 'b', 'c', '2', '0.5', '3');
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc
          .tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e'))
          .map(([x, op, y]) => `(${x} ${op} ${y})`),
        fc.tuple(tie('e'), tie('e')).map(([x, y]) => `max(${x}, ${y})`),
        tie('e').map((x) => `abs(${x})`),
      ),
    })).e;
    const symbols = { a: sym('1'), b: sym('1'), c: sym('1') };
    fc.assert(
      fc.property(expr, decimal, decimal, decimal, (text, a, b, c) => {
        const ours = compile(text, symbols).run((n) => ({ a, b, c })[n as 'a' | 'b' | 'c']) as Dec;
        const theirs = reference.evaluate(text, {
          a: reference.bignumber(a.toString()),
          b: reference.bignumber(b.toString()),
          c: reference.bignumber(c.toString()),
        }) as { toString(): string };
        expect(
          ours.toSignificantDigits(40).eq(new D(theirs.toString()).toSignificantDigits(40)),
        ).toBe(true);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
