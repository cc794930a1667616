import { clock } from './clock';

describe('clock', () => {
  afterEach(() => clock.set());

  it('gives the date in China, which is a day ahead of UTC from 16:00 UTC', () => {
    clock.set('2031-06-30T15:59:59Z');
    expect(clock.todayInChina()).toBe('2031-06-30');
    clock.set('2031-06-30T16:00:00Z');
    expect(clock.todayInChina()).toBe('2031-07-01');
    expect(clock.now().toISOString()).toBe('2031-06-30T16:00:00.000Z');
  });

  it('returns to the system clock', () => {
    clock.set('2000-01-01T00:00:00Z');
    clock.set();
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it('refuses a time that is not one', () => {
    expect(() => clock.set('tomorrow')).toThrow(RangeError);
  });
});
