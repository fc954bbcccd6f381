// The sparkline of a site card: a plain function (no Angular) so node --test can check it
// (test/sparkline.test.mjs). An inline SVG polyline, no chart library.

/**
 * The points attribute of a polyline in a 100 x 24 viewBox, one point per value, left to right; the highest
 * value touches y = 1 and 0 lies on y = 23 (all zeros draw a flat line at the bottom).
 */
export function sparkline(values: number[]): string {
  if (values.length === 0) return '';
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? 100 / (values.length - 1) : 0;
  const round = (n: number) => +n.toFixed(2);
  return values.map((v, i) => `${round(i * step)},${round(23 - (Math.max(0, v) / max) * 22)}`).join(' ');
}
