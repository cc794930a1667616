/**
 * Synthetic parcels for benchmarks and tests: realistic value ranges of a humid subtropical
 * county, deterministic (the same file for the same arguments).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const TYPES = [
  'forest',
  'forest',
  'forest',
  'forest',
  'shrub',
  'grassland',
  'wetland',
  'farmland',
  'farmland',
  'urban',
  'water',
];

/** A deterministic pseudo-random stream (mulberry32), so every run generates the same county. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `count` synthetic parcels spread over `townships` as a parcel CSV, ids `<prefix>0000000`…. */
export async function writeParcelCsv(
  path: string,
  townships: string[],
  count: number,
  prefix = 'WY',
): Promise<void> {
  const rnd = random(2026);
  const out = createWriteStream(path);
  const fixed = (x: number, d: number) => x.toFixed(d);
  out.write(
    'parcel_id,township,ecosystem,area,precipitation,storm_runoff,evapotranspiration,rusle_r,rusle_k,rusle_ls,rusle_c,rusle_p,potential_wind_erosion,actual_wind_erosion,carbon_fixed\n',
  );
  let chunk = '';
  for (let i = 0; i < count; i++) {
    const type = TYPES[Math.floor(rnd() * TYPES.length)];
    const area = 0.05 + rnd() * rnd() * 30; // hm², skewed to small parcels
    const wood = type === 'forest' || type === 'shrub';
    const wind = rnd() * 2;
    chunk +=
      [
        `${prefix}${String(i).padStart(7, '0')}`,
        townships[i % townships.length],
        type,
        fixed(area, 4),
        fixed(1600 + rnd() * 500, 1),
        fixed(80 + rnd() * (type === 'urban' ? 900 : 300), 1),
        fixed(450 + rnd() * 400, 1),
        fixed(3500 + rnd() * 2500, 0),
        fixed(0.015 + rnd() * 0.03, 4),
        fixed(rnd() * 12, 3),
        fixed(wood ? 0.003 + rnd() * 0.05 : 0.1 + rnd() * 0.9, 4),
        fixed(type === 'farmland' ? 0.3 + rnd() * 0.5 : 1, 3),
        fixed(wind * 1.5, 3),
        fixed(wind, 3),
        wood
          ? fixed(area * (1 + rnd() * 4), 4)
          : type === 'water' || type === 'urban'
            ? ''
            : fixed(area * rnd(), 4),
      ].join(',') + '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
