import { timeOrderedIds } from './time-ordered-ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedIds', () => {
  it('makes version-7 UUIDs carrying the time they were made', () => {
    const before = Date.now();
    const [id] = timeOrderedIds(1);
    expect(id).toMatch(V7);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThan(before + 1000);
  });

  it('makes distinct ids in ascending order, within a call and from one call to the next, past 4,096 in a millisecond', () => {
    const ids = [...timeOrderedIds(10_000), ...timeOrderedIds(3), ...timeOrderedIds(5_000)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(V7);
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
  });

  it('makes none for none', () => {
    expect(timeOrderedIds(0)).toEqual([]);
  });
});
