import { orderedIdPrefix } from './ordered-ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const id = (prefix: string, n: number) => prefix + n.toString(16).padStart(8, '0');

describe('ordered ids (UUID version 7 with a counter)', () => {
  it('makes version-7 UUIDs whose first 48 bits are the millisecond', () => {
    const at = Date.UTC(2026, 11, 3, 18, 0, 0, 123);
    for (let i = 0; i < 200; i++) {
      const prefix = orderedIdPrefix(at);
      expect(prefix).toHaveLength(28);
      expect(id(prefix, 0)).toMatch(UUID_V7);
      expect(id(prefix, 0xffffffff)).toMatch(UUID_V7);
      expect(parseInt(prefix.replace('-', '').slice(0, 12), 16)).toBe(at);
    }
  });

  it('sorts by time, then by the counter; prefixes of the same millisecond differ', () => {
    const a = orderedIdPrefix(1_000);
    const b = orderedIdPrefix(1_001);
    expect(id(a, 0xffffffff) < id(b, 0)).toBe(true);
    expect(id(a, 9) < id(a, 10)).toBe(true);
    expect(id(a, 0xff) < id(a, 0x100)).toBe(true);
    const same = new Set(Array.from({ length: 1000 }, () => orderedIdPrefix(5_000)));
    expect(same.size).toBe(1000);
  });
});
