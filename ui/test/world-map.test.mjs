// The dashboard's world map: src/app/world-map.ts (world-atlas's countries as SVG paths) and
// src/app/country-codes.ts (their numeric codes as the stats' alpha-2 codes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from './load.mjs';

const { worldMap, project, unwrap, ringPath, alpha2, shade } = await load('world-map');
const { ALPHA2 } = await load('country-codes');
const atlas = JSON.parse(readFileSync(new URL('../node_modules/world-atlas/countries-110m.json', import.meta.url), 'utf8'));

test('every country of the atlas has a code, and each code is what ICU says the numeric one stands for', () => {
  for (const country of atlas.objects.countries.geometries) {
    assert.ok(alpha2(country.id, country.properties.name), `${country.id} ${country.properties.name}`);
  }
  for (const [numeric, code] of Object.entries(ALPHA2)) {
    assert.equal(Intl.getCanonicalLocales(`und-${numeric}`)[0], `und-${code}`, numeric);
  }
  assert.equal(alpha2('276', 'Germany'), 'DE');
  assert.equal(alpha2(undefined, 'Kosovo'), 'XK');
  assert.equal(alpha2(undefined, 'Atlantis'), null);
  assert.equal(alpha2('__proto__', ''), null);
});

test('Equal Earth: the centre is the origin, north is up, the poles and the date line are where they belong', () => {
  assert.deepEqual(project(0, 0).map(Math.abs), [0, 0]);
  const [east] = project(180, 0);
  const [west] = project(-180, 0);
  assert.ok(Math.abs(east + west) < 1e-9 && east > 480 && east < 490, `x of the date line: ${east}`);
  assert.ok(project(0, 60)[1] < 0 && project(0, -60)[1] > 0, 'north is up');
  // equal area: a degree of latitude gets shorter towards the poles (unlike Mercator)
  const rise = (lat) => project(0, lat)[1] - project(0, lat + 1)[1];
  assert.ok(rise(0) > rise(60), `${rise(0)} > ${rise(60)}`);
});

test('a ring that reaches over the antimeridian stays on its side', () => {
  // Chukotka as the atlas has it: east of 178 degrees, then the shared arc at -180
  assert.deepEqual(unwrap([[178.6, 69.4], [-180, 68.9], [-180, 70.8], [178.9, 70.7]]),
    [[178.6, 69.4], [180, 68.9], [180, 70.8], [178.9, 70.7]]);
  // a ring starting on the seam takes the side of its first inland point
  assert.deepEqual(unwrap([[180, -16], [-179.9, -16.5], [-179.5, -16.2]]).map((p) => p[0]), [-180, -179.9, -179.5]);
  // Vanua Levu straddles it: drawn whole on the side where most of it lies, a little past the edge
  const fiji = unwrap([[-180, -16.07], [-179.79, -16.02], [-180, -16.56], [179.36, -16.8], [178.6, -16.64], [180, -16.07], [-180, -16.07]]);
  assert.deepEqual(fiji.map((p) => p[0]), [180, 180.21, 180, 179.36, 178.6, 180, 180]);
  assert.deepEqual(unwrap([[10, 1], [11, 1]]), [[10, 1], [11, 1]], 'others are untouched');
});

test('the map: one shape per country but Antarctica, every point inside the frame, no line across the world', () => {
  const map = worldMap();
  assert.equal(map.shapes.length, atlas.objects.countries.geometries.length - 1);
  assert.ok(!map.shapes.some((s) => s.code === 'AQ'));
  assert.ok(map.width > 900 && map.height > 400 && map.height < map.width, `${map.width} x ${map.height}`);
  const byCode = Object.fromEntries(map.shapes.map((s) => [s.code, s]));
  for (const code of ['DE', 'US', 'BR', 'AU', 'RU', 'FJ', 'JP', 'ZA']) assert.ok(byCode[code], code);
  for (const shape of map.shapes) {
    assert.match(shape.d, /^(M[\d.,L-]+Z)+$/, shape.code);
    for (const subpath of shape.d.split('Z').filter(Boolean)) {
      const points = subpath.slice(1).split('L').map((p) => p.split(',').map(Number));
      for (const [x, y] of points) {
        // Fiji's Vanua Levu reaches a little past the date line, the frame's edge
        const slack = shape.code === 'FJ' ? 2 : 0.1;
        assert.ok(x >= -slack && x <= map.width + slack && y >= -1 && y <= map.height + 1, `${shape.code} ${x},${y}`);
      }
      const xs = points.map((p) => p[0]);
      assert.ok(Math.max(...xs) - Math.min(...xs) < map.width / 2, `${shape.code} spans half the world`);
    }
  }
  // Germany lies east of France and north of Italy
  const centre = (code) => {
    const points = byCode[code].d.match(/[\d.]+,[\d.]+/g).map((p) => p.split(',').map(Number));
    return [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];
  };
  assert.ok(centre('DE')[0] > centre('FR')[0] && centre('DE')[1] < centre('IT')[1]);
  assert.equal(worldMap(), map, 'computed once');
});

test('a ring as a path: points that round to the same spot are drawn once', () => {
  const d = ringPath([[0, 0], [0.0001, 0.0001], [10, 10], [0, 0]]);
  assert.equal(d.match(/[ML]/g).length, 3, d);
  assert.ok(d.startsWith('M') && d.endsWith('Z'));
  assert.equal(ringPath([]), '');
});

test('colour: none without visitors, then 0.2 to 1 on a square-root scale', () => {
  const rows = [[0, 100, 0], [100, 100, 1], [25, 100, 0.6], [1, 100, 0.28], [5, 0, 0], [-3, 10, 0], [200, 100, 1], [NaN, 10, 0]];
  for (const [visitors, max, wanted] of rows) assert.equal(shade(visitors, max), wanted, `${visitors}/${max}`);
});
