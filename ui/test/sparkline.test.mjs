// The site cards' sparkline: src/app/sparkline.ts, compiled in memory by esbuild like date-range.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

const source = readFileSync(new URL('../src/app/sparkline.ts', import.meta.url), 'utf8');
const { code } = transformSync(source, { loader: 'ts', format: 'esm', target: 'es2022' });
const { sparkline } = await import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));

test('one point per value across the 100 x 24 box, the maximum at the top', () => {
  assert.equal(sparkline([0, 2, 1]), '0,23 50,1 100,12');
  assert.equal(sparkline([0, 0, 0]), '0,23 50,23 100,23');
  assert.equal(sparkline([5]), '0,1');
  assert.equal(sparkline([]), '');
  const points = sparkline(Array.from({ length: 30 }, (_, i) => i % 7)).split(' ');
  assert.equal(points.length, 30);
  assert.equal(points[29].split(',')[0], '100');
});
