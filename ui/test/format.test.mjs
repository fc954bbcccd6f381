// Number formatting of the dashboard: src/app/format.ts (en-US passed, so the grouping is known).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { integer, compact, percent, duration, signedPercent } = await load('format');

const cases = (fn, rows) => {
  for (const [input, wanted, name] of rows) assert.equal(fn(input), wanted, name ?? String(input));
};

test('integers are grouped and rounded', () => {
  cases((n) => integer(n, 'en-US'), [[0, '0'], [7, '7'], [1234, '1,234'], [1234567, '1,234,567'], [2.5, '3'], [-1200, '-1,200']]);
  assert.equal(integer(1234, 'de-DE'), '1.234');
});

test('compact numbers: exact below 10,000, then K and M with one decimal', () => {
  cases((n) => compact(n, 'en-US'), [
    [0, '0'], [999, '999'], [9999, '9,999', 'still exact just below 10K'], [10_000, '10K'], [12_345, '12.3K'],
    [999_949, '999.9K'], [1_250_000, '1.3M'], [3_000_000_000, '3B'], [NaN, '–'], [Infinity, '–'],
  ]);
});

test('percentages: whole numbers, one decimal for small non-zero shares', () => {
  cases((n) => percent(n, 'en-US'), [[0, '0%'], [42, '42%'], [42.4, '42%'], [99.6, '100%'], [0.4, '0.4%'], [0.04, '0.0%'], [100, '100%'], [NaN, '–']]);
});

test('durations: seconds, minutes with padded seconds, hours with padded minutes', () => {
  cases(duration, [
    [0, '0s'], [0.4, '0s'], [42, '42s'], [59.5, '1m 00s', 'rounds up into a minute'], [60, '1m 00s'], [187, '3m 07s'],
    [3599, '59m 59s'], [3600, '1h 00m'], [3720, '1h 02m'], [90061, '25h 01m'], [-1, '–'], [NaN, '–'],
  ]);
});

test('signed changes use a real minus sign and no sign for zero', () => {
  cases((n) => signedPercent(n, 'en-US'), [[12, '+12%'], [-5, '−5%'], [0, '0%'], [1300, '+1,300%']]);
});

test('rates as the API gives them: one decimal at most', async () => {
  const { rate } = await load('format');
  cases((n) => rate(n, 'en-US'), [[0, '0%'], [50, '50%'], [33.3, '33.3%'], [100, '100%'], [12.25, '12.3%'], [NaN, '–']]);
});

test('country names from their codes; anything else as it is', async () => {
  const { countryName } = await load('format');
  assert.equal(countryName('DE', 'en-US'), 'Germany');
  assert.equal(countryName('DE', 'de-DE'), 'Deutschland');
  assert.equal(countryName('', 'en-US'), '');
  assert.equal(countryName('Germany', 'en-US'), 'Germany');
  assert.equal(countryName('de', 'en-US'), 'de');
});
