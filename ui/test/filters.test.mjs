// The dashboard's filters in the URL: src/app/filters.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { parseFilter, parseFilters, serializeFilters, withFilter, withoutFilter, filterLabel } = await load('filters');

test('one filter is dim:value; the value may hold colons; unknown dimensions are dropped', () => {
  const rows = [
    ['country:DE', { dim: 'country', value: 'DE' }],
    ['page:/pricing', { dim: 'page', value: '/pricing' }],
    ['referrer:https://x.example:8443/a', { dim: 'referrer', value: 'https://x.example:8443/a' }],
    ['utm_campaign:', { dim: 'utm_campaign', value: '' }],
    ['browser_version:Chrome 131', { dim: 'browser_version', value: 'Chrome 131' }],
    ['nonsense:1', null],
    [':DE', null],
    ['country', null],
    ['', null],
    ['__proto__:x', null],
  ];
  for (const [text, wanted] of rows) assert.deepEqual(parseFilter(text), wanted, text);
});

test('parse and serialize round-trip in order', () => {
  const params = ['country:DE', 'page:/a:b', 'utm_medium:email'];
  assert.deepEqual(serializeFilters(parseFilters(params)), params);
  assert.deepEqual(parseFilters([]), []);
  assert.deepEqual(serializeFilters(parseFilters(['bogus', 'os:Linux', 'x:y'])), ['os:Linux']);
});

test('the URL keeps one filter a dimension: the last one wins, in the first one\'s place', () => {
  assert.deepEqual(serializeFilters(parseFilters(['country:DE', 'page:/', 'country:FR'])), ['country:FR', 'page:/']);
});

test('adding a filter appends it, or replaces the one of the same dimension in place', () => {
  const start = parseFilters(['country:DE', 'page:/pricing']);
  assert.deepEqual(serializeFilters(withFilter(start, { dim: 'browser', value: 'Firefox' })), ['country:DE', 'page:/pricing', 'browser:Firefox']);
  assert.deepEqual(serializeFilters(withFilter(start, { dim: 'country', value: 'FR' })), ['country:FR', 'page:/pricing']);
  // browser and browser_version are different dimensions
  const both = withFilter(withFilter([], { dim: 'browser', value: 'Chrome' }), { dim: 'browser_version', value: 'Chrome 131' });
  assert.deepEqual(serializeFilters(both), ['browser:Chrome', 'browser_version:Chrome 131']);
  assert.deepEqual(serializeFilters(start), ['country:DE', 'page:/pricing'], 'the input is not changed');
});

test('removing a filter removes only that one', () => {
  const start = parseFilters(['country:DE', 'page:/pricing']);
  assert.deepEqual(serializeFilters(withoutFilter(start, { dim: 'country', value: 'DE' })), ['page:/pricing']);
  assert.deepEqual(serializeFilters(withoutFilter(start, { dim: 'country', value: 'FR' })), ['country:DE', 'page:/pricing']);
  assert.deepEqual(withoutFilter(withoutFilter(start, { dim: 'country', value: 'DE' }), { dim: 'page', value: '/pricing' }), []);
});

test('chip labels', () => {
  const names = (f) => (f.dim === 'country' ? { DE: 'Germany' }[f.value] ?? null : null);
  assert.equal(filterLabel({ dim: 'country', value: 'DE' }, names), 'Country: Germany (DE)');
  assert.equal(filterLabel({ dim: 'country', value: 'ZZ' }, names), 'Country: ZZ');
  assert.equal(filterLabel({ dim: 'utm_medium', value: 'email' }), 'UTM medium: email');
  assert.equal(filterLabel({ dim: 'referrer', value: '' }), 'Referrer: (none)');
});

test('the same filters: same dimensions and values in the same order', async () => {
  const { sameFilters } = await load('filters');
  const a = parseFilters(['country:DE', 'page:/']);
  assert.equal(sameFilters(a, parseFilters(['country:DE', 'page:/'])), true);
  assert.equal(sameFilters(a, parseFilters(['page:/', 'country:DE'])), false);
  assert.equal(sameFilters(a, parseFilters(['country:DE'])), false);
  assert.equal(sameFilters(a, parseFilters(['country:DE', 'page:/a'])), false);
  assert.equal(sameFilters([], []), true);
});
