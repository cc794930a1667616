/** A GeoJSON rectangle from its south-west (x1, y1) to its north-east (x2, y2) corner, in degrees. */
export const rect = (x1: number, y1: number, x2: number, y2: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x1, y1],
      [x2, y1],
      [x2, y2],
      [x1, y2],
      [x1, y1],
    ],
  ],
});

/** A square of `size` degrees with its south-west corner at (x, y). */
export const square = (x: number, y: number, size = 0.01) => rect(x, y, x + size, y + size);
