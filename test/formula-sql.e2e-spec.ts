import fc from 'fast-check';
import { Client } from 'pg';
import {
  compileFormula,
  EvaluationError,
  FormulaTypeError,
  SymbolInfo,
} from '../src/formula/compile';
import { D, Dec } from '../src/common/decimal';
import { FormulaSyntaxError, parseFormula } from '../src/formula/parse';
import { formulaToSql, inBase } from '../src/formula/sql';
import { parseUnit } from '../src/formula/units';
import { startTestApp, TestApp } from './support/test-app';

/** Inputs of the random formulas: lengths in different units (scale folding), dimensionless numbers. */
const SYMBOLS: Record<string, { unit: string; column: string }> = {
  x: { unit: 'km', column: 'p.in_0' },
  y: { unit: 'mm', column: 'p.in_1' },
  z: { unit: '1', column: 'p.in_2' },
  w: { unit: '%', column: 'p.in_3' },
};
const env = (name: string): SymbolInfo | undefined =>
  SYMBOLS[name] ? { kind: 'variable', unit: parseUnit(SYMBOLS[name].unit) } : undefined;

/** Random formula text over the symbols: arithmetic, powers, functions, comparisons, ?: */
const formulaArb = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', 'z', 'w'),
    fc.integer({ min: -20, max: 20 }).map(String),
    fc.constantFrom('0', '0.5', '2.25'),
    fc
      .tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/'), tie('expr'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('expr'), fc.constantFrom('2', '3', '-1', '0.5')).map(([a, n]) => `(${a})^${n}`),
    fc
      .tuple(fc.constantFrom('abs', 'sqrt', 'exp', 'log', 'round', 'floor', 'ceil'), tie('expr'))
      .map(([f, a]) => `${f}(${a})`),
    fc
      .tuple(fc.constantFrom('min', 'max'), tie('expr'), tie('expr'))
      .map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc
      .tuple(tie('expr'), fc.constantFrom('>', '<=', '=='), tie('expr'), tie('expr'), tie('expr'))
      .map(([a, op, b, c, d]) => `(${a} ${op} ${b} ? ${c} : ${d})`),
    fc
      .tuple(tie('expr'), tie('expr'), tie('expr'))
      .map(([a, b, c]) => `(z > 0 and ${a} < ${b} ? ${c} : ${a})`),
  ),
})).expr;

const valueArb = fc.oneof(
  fc.integer({ min: -2000, max: 2000 }).map((n) => new D(n).div(100).toString()),
  fc.constant('0'),
);

describe('formulas compiled to SQL agree with the decimal evaluator', () => {
  let t: TestApp;
  let db: Client;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.db;
  });
  afterAll(() => t.close());

  it('for random formulas and inputs (fast-check, seeded)', async () => {
    let compared = 0;
    let nulls = 0;
    await fc.assert(
      fc.asyncProperty(
        formulaArb,
        fc.array(valueArb, { minLength: 4, maxLength: 4 }),
        async (text, values) => {
          let compiled;
          try {
            compiled = compileFormula(parseFormula(text), env);
          } catch (e) {
            if (e instanceof FormulaTypeError || e instanceof FormulaSyntaxError) return; // not a valid formula
            throw e;
          }
          if (compiled.type.boolean) return;
          const base = Object.fromEntries(
            Object.entries(SYMBOLS).map(([name, s], i) => [
              name,
              new D(values[i]).times(parseUnit(s.unit).factor),
            ]),
          );
          let want: Dec | null;
          try {
            want = compiled.run((n) => base[n]) as Dec;
          } catch (e) {
            if (!(e instanceof EvaluationError)) throw e;
            want = null;
          }
          const op = formulaToSql(parseFormula(text), (n) => ({
            sql: SYMBOLS[n].column,
            scale: parseUnit(SYMBOLS[n].unit).factor,
          }));
          const res = await db.query<{ v: string | null }>(
            `SELECT (${inBase(op)})::text AS v FROM (SELECT $1::numeric AS in_0, $2::numeric AS in_1, $3::numeric AS in_2, $4::numeric AS in_3) p`,
            values,
          );
          const got = res.rows[0].v === null ? null : new D(res.rows[0].v);
          if (want === null || got === null) {
            nulls++;
            expect({ text, values, got: got?.toString() ?? null }).toEqual({
              text,
              values,
              got: want?.toString() ?? null,
            });
            return;
          }
          compared++;
          const tolerance = D.max(1, want.abs()).times('1e-9');
          expect({ text, values, close: got.minus(want).abs().lte(tolerance) }).toEqual({
            text,
            values,
            close: true,
          });
        },
      ),
      { numRuns: 600, seed: 4242 },
    );
    expect(compared).toBeGreaterThan(100);
    expect(nulls).toBeGreaterThan(5);
  });
});
