import { FrozenFigures } from './frozen-figures';

describe('FrozenFigures', () => {
  it('computes a figure once, keeps no failure, and drops the least recently used beyond capacity', async () => {
    const f = new FrozenFigures(2);
    let computed = 0;
    const one = () => f.get('a', () => Promise.resolve(++computed));
    expect(await Promise.all([one(), one()])).toEqual([1, 1]);
    await expect(f.get('bad', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await Promise.resolve();
    expect(await f.get('bad', () => Promise.resolve('now'))).toBe('now');
    // 'a' used again, so 'bad' is the oldest when 'c' arrives
    await one();
    await f.get('c', () => Promise.resolve('c'));
    expect(f.size).toBe(2);
    expect(await f.get('bad', () => Promise.resolve('recomputed'))).toBe('recomputed');
    expect(computed).toBe(1);
  });
});
