import { inLanguage } from '../../common/i18n/text';
import fc from 'fast-check';
import { D } from '../../common/decimal';
import { allocate, AllocationClaim, AllocationError } from './allocation';

const d = (x: string | number) => new D(x);
const sum = (xs: { amount: InstanceType<typeof D> }[]) =>
  xs.reduce((s, x) => s.plus(x.amount), d(0));

describe('budget allocation (proportional, floors and caps, largest remainder to the fen)', () => {
  it('splits 100 元 in thirds: 33.34 + 33.33 + 33.33, the extra fen to the smallest code on a tie', () => {
    const { amounts } = allocate(d(100), [
      { code: 'b', weight: d(1) },
      { code: 'a', weight: d(1) },
      { code: 'c', weight: d(1) },
    ]);
    expect(amounts.map((a) => [a.code, a.amount.toFixed(2), a.roundingFen.toFixed(2)])).toEqual([
      ['b', '33.33', '0.00'],
      ['a', '33.34', '0.01'],
      ['c', '33.33', '0.00'],
    ]);
  });

  it('works a hand-computed example with a floor, a cap and an ineligible region', () => {
    // budget 1,000,000 元; weights 1 : 2 : 3 : 4 : 10; A has a floor of 120,000, E a cap of 300,000, F is ineligible
    // λ: A at floor, E at cap → 1,000,000 − 120,000 − 300,000 = 580,000 over weights 2+3+4 = 9 → λ = 64,444.44…
    const { amounts, lambda } = allocate(d(1_000_000), [
      { code: 'A', weight: d(1), floor: d(120_000) },
      { code: 'B', weight: d(2) },
      { code: 'C', weight: d(3) },
      { code: 'D', weight: d(4) },
      { code: 'E', weight: d(10), cap: d(300_000) },
      { code: 'F', weight: d(50), eligible: false, reason: 'red-line share below 30 %' },
    ]);
    expect(lambda.toFixed(6)).toBe('64444.444444');
    expect(
      Object.fromEntries(amounts.map((a) => [a.code, [a.amount.toFixed(2), a.bound]])),
    ).toEqual({
      A: ['120000.00', 'floor'],
      B: ['128888.89', null], // 128,888.888… : remainder .0088…, gets a fen
      C: ['193333.33', null], // 193,333.333… : remainder .0033…
      D: ['257777.78', null], // 257,777.777… : remainder .0077…, gets a fen
      E: ['300000.00', 'cap'],
      F: ['0.00', 'ineligible'],
    });
    expect(sum(amounts).toFixed(2)).toBe('1000000.00');
    expect(amounts.find((a) => a.code === 'F')!.reason).toBe('red-line share below 30 %');
  });

  it('gives nothing to an ineligible recipient whatever its weight, a negative one too', () => {
    const { amounts } = allocate(d(100), [
      { code: 'a', weight: d(1) },
      { code: 'b', weight: d(-2), eligible: false, reason: 'GEP fell' },
      { code: 'c', weight: d(3) },
    ]);
    expect(amounts.map((a) => [a.code, a.amount.toFixed(2), a.bound])).toEqual([
      ['a', '25.00', null],
      ['b', '0.00', 'ineligible'],
      ['c', '75.00', null],
    ]);
  });

  it('refuses impossible allocations, naming the cause', () => {
    const fail = (budget: number, claims: AllocationClaim[]) => {
      try {
        allocate(d(budget), claims);
      } catch (e) {
        if (e instanceof AllocationError) return [e.field, inLanguage(e.message, 'en')];
        throw e;
      }
      throw new Error('no error');
    };
    expect(fail(-1, [{ code: 'a', weight: d(1) }])).toEqual([
      'budget',
      'the budget -1 is negative',
    ]);
    // in Chinese by default
    expect(() => allocate(d(-1), [{ code: 'a', weight: d(1) }])).toThrow(
      expect.objectContaining({ message: expect.stringContaining('预算 -1 为负数') }),
    );
    expect(fail(1.005, [{ code: 'a', weight: d(1) }])[0]).toBe('budget');
    expect(
      fail(100, [
        { code: 'a', weight: d(1) },
        { code: 'b', weight: d(-2) },
      ]),
    ).toEqual(['recipients[1].weight', 'the weight of b is negative (-2)']);
    expect(
      fail(100, [
        { code: 'a', weight: d(0) },
        { code: 'b', weight: d(0) },
      ]),
    ).toEqual([
      'weights',
      'the weights of the eligible recipients are all zero: nothing to allocate the budget by',
    ]);
    expect(
      fail(100, [
        { code: 'a', weight: d(1), floor: d(60) },
        { code: 'b', weight: d(1), floor: d(50) },
      ]),
    ).toEqual([
      'budget',
      'the floors of the eligible recipients add up to 110 元, more than the budget 100 元',
    ]);
    expect(
      fail(100, [
        { code: 'a', weight: d(1), cap: d(30) },
        { code: 'b', weight: d(1), cap: d(30) },
      ])[1],
    ).toMatch(/caps .* add up to 60 元, less than the budget 100 元/);
    expect(fail(100, [{ code: 'a', weight: d(-1) }])[0]).toBe('recipients[0].weight');
    expect(fail(100, [{ code: 'a', weight: d(1), floor: d(5), cap: d(4) }])[0]).toBe(
      'recipients[0].floor',
    );
  });

  const claimArb = fc.record({
    weight: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000_000 })),
    weightScale: fc.integer({ min: 0, max: 6 }),
    floorFen: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }),
    capExtraFen: fc.option(fc.integer({ min: 0, max: 50_000_000 }), { nil: undefined }),
    eligible: fc.boolean(),
  });

  it('always sums to the budget to the fen, within floors and caps, and in proportion otherwise (property)', () => {
    let allocated = 0;
    fc.assert(
      fc.property(
        fc.array(claimArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 2_000_000_000 }),
        (raw, seedFen) => {
          // budgets mostly between the floors and what the caps can take, so that most cases allocate
          const eligible = raw.filter((r) => r.eligible);
          const floorsFen = eligible.reduce((s, r) => s + (r.floorFen ?? 0), 0);
          const weighted = eligible.filter((r) => r.weight !== 0);
          const capacityFen = weighted.every((r) => r.capExtraFen !== undefined)
            ? eligible.reduce(
                (s, r) =>
                  s + (r.weight === 0 ? (r.floorFen ?? 0) : (r.floorFen ?? 0) + r.capExtraFen!),
                0,
              )
            : Infinity;
          const budgetFen =
            capacityFen === Infinity
              ? floorsFen + seedFen
              : floorsFen + (seedFen % (capacityFen - floorsFen + 1));
          const claims: AllocationClaim[] = raw.map((r, i) => ({
            code: `r${String(i).padStart(3, '0')}`,
            weight: d(r.weight).div(d(10).pow(r.weightScale)),
            ...(r.floorFen !== undefined ? { floor: d(r.floorFen).div(100) } : {}),
            ...(r.capExtraFen !== undefined
              ? { cap: d((r.floorFen ?? 0) + r.capExtraFen).div(100) }
              : {}),
            eligible: r.eligible,
          }));
          const budget = d(budgetFen).div(100);
          let result;
          try {
            result = allocate(budget, claims);
          } catch (e) {
            if (e instanceof AllocationError) return; // refused inputs are checked above
            throw e;
          }
          allocated++;
          const { amounts, lambda } = result;
          expect(sum(amounts).eq(budget)).toBe(true);
          amounts.forEach((a, i) => {
            const c = claims[i];
            expect(a.amount.mul(100).isInteger()).toBe(true);
            if (c.eligible === false) return expect(a.amount.isZero()).toBe(true);
            if (c.floor) expect(a.amount.gte(c.floor)).toBe(true);
            if (c.cap) expect(a.amount.lte(c.cap)).toBe(true);
            if (a.bound === null)
              expect(a.amount.minus(lambda.mul(c.weight)).abs().lt('0.01')).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
    // most generated cases must be allocations, not refusals, or the property proves little
    expect(allocated).toBeGreaterThan(150);
  });

  it('allocates a large budget over 1,600 regions with floors and caps exactly', () => {
    const claims = Array.from({ length: 1600 }, (_, i) => ({
      code: String(i),
      weight: d(1 + ((i * 7919) % 1000)).div(7),
      ...(i % 10 === 0 ? { floor: d(50_000) } : {}),
      ...(i % 13 === 0 ? { cap: d(900_000) } : {}),
    }));
    const { amounts } = allocate(d('1234567890.12'), claims);
    expect(sum(amounts).toFixed(2)).toBe('1234567890.12');
  });
});
