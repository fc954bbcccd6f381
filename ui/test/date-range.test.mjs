// The dashboard's date ranges: src/app/date-range.ts, compiled in memory by esbuild (which the Angular
// build brings) and imported as a data: URL, so no build step is needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

const source = readFileSync(new URL('../src/app/date-range.ts', import.meta.url), 'utf8');
const { code } = transformSync(source, { loader: 'ts', format: 'esm', target: 'es2022' });
const { rangeDays, todayIn, addDays, isRangeKey, timeZones, RANGES, dayCount, previousPeriod, percentChange } =
  await import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));

test('today is the calendar day in the site time zone', () => {
  const instant = new Date('2026-03-01T02:30:00Z');
  assert.equal(todayIn('UTC', instant), '2026-03-01');
  assert.equal(todayIn('America/New_York', instant), '2026-02-28');
  assert.equal(todayIn('Asia/Tokyo', new Date('2026-12-31T15:00:00Z')), '2027-01-01');
  assert.equal(todayIn('Not/AZone', instant), '2026-03-01');
});

test('every range ends today or before and starts before it ends', () => {
  for (const { key } of RANGES) {
    const { from, to } = rangeDays(key, '2026-03-15');
    assert.ok(from <= to, key);
    assert.ok(to <= '2026-03-15', key);
  }
});

test('ranges', () => {
  const today = '2026-03-15';
  assert.deepEqual(rangeDays('today', today), { from: today, to: today });
  assert.deepEqual(rangeDays('yesterday', today), { from: '2026-03-14', to: '2026-03-14' });
  assert.deepEqual(rangeDays('7d', today), { from: '2026-03-09', to: today });
  assert.deepEqual(rangeDays('30d', today), { from: '2026-02-14', to: today });
  assert.deepEqual(rangeDays('mtd', today), { from: '2026-03-01', to: today });
  assert.deepEqual(rangeDays('last_month', today), { from: '2026-02-01', to: '2026-02-28' });
  assert.deepEqual(rangeDays('12mo', today), { from: '2025-03-16', to: today });
});

test('month and year edges', () => {
  assert.deepEqual(rangeDays('yesterday', '2026-03-01'), { from: '2026-02-28', to: '2026-02-28' });
  assert.deepEqual(rangeDays('last_month', '2026-01-10'), { from: '2025-12-01', to: '2025-12-31' });
  assert.deepEqual(rangeDays('last_month', '2028-03-31'), { from: '2028-02-01', to: '2028-02-29' });
  assert.deepEqual(rangeDays('mtd', '2026-01-01'), { from: '2026-01-01', to: '2026-01-01' });
  assert.deepEqual(rangeDays('12mo', '2028-02-29'), { from: '2027-03-01', to: '2028-02-29' });
  assert.equal(addDays('2024-12-31', 1), '2025-01-01');
});

test('range keys and time zones', () => {
  assert.ok(isRangeKey('30d'));
  assert.ok(!isRangeKey('90d'));
  assert.ok(!isRangeKey(null));
  const zones = timeZones('Europe/Berlin');
  assert.equal(zones[0] === 'Europe/Berlin' || zones.includes('Europe/Berlin'), true);
  assert.ok(zones.includes('UTC'));
});

test('the previous period is the same number of days just before the range', () => {
  const today = '2026-11-22';
  assert.deepEqual(previousPeriod(...Object.values(rangeDays('7d', today))), { from: '2026-11-09', to: '2026-11-15' });
  assert.deepEqual(previousPeriod(...Object.values(rangeDays('today', today))), { from: '2026-11-21', to: '2026-11-21' });
  assert.deepEqual(previousPeriod(...Object.values(rangeDays('yesterday', today))), { from: '2026-11-20', to: '2026-11-20' });
  assert.deepEqual(previousPeriod(...Object.values(rangeDays('30d', today))), { from: '2026-09-24', to: '2026-10-23' });
  // month to date, 1-22 Nov: the 22 days before it, not 1-22 Oct
  assert.deepEqual(previousPeriod(...Object.values(rangeDays('mtd', today))), { from: '2026-10-10', to: '2026-10-31' });
  // last month (October, 31 days): the 31 days before it
  assert.deepEqual(previousPeriod(...Object.values(rangeDays('last_month', today))), { from: '2026-08-31', to: '2026-09-30' });
  // across a year and a leap day
  assert.deepEqual(previousPeriod('2026-01-01', '2026-01-07'), { from: '2025-12-25', to: '2025-12-31' });
  assert.deepEqual(previousPeriod('2028-03-01', '2028-03-02'), { from: '2028-02-28', to: '2028-02-29' });
  for (const { key } of RANGES) {
    const range = rangeDays(key, today);
    const previous = previousPeriod(range.from, range.to);
    assert.equal(dayCount(previous.from, previous.to), dayCount(range.from, range.to), key);
    assert.equal(addDays(previous.to, 1), range.from, key);
  }
  assert.equal(dayCount('2026-11-16', '2026-11-22'), 7);
  assert.equal(dayCount('2025-03-16', '2026-03-15'), 365);
});

test('percent change', () => {
  assert.equal(percentChange(150, 100), 50);
  assert.equal(percentChange(50, 100), -50);
  assert.equal(percentChange(100, 100), 0);
  assert.equal(percentChange(1, 3), -67);
  assert.equal(percentChange(0, 4), -100);
  assert.equal(percentChange(14, 1), 1300);
  assert.equal(percentChange(5, 0), null);
  assert.equal(percentChange(0, 0), null);
  assert.equal(percentChange(5, undefined), null);
  assert.ok(!Object.is(percentChange(100.1, 100), -0));
});

test('custom range validation', async () => {
  const { customRangeError, isDay, addYears } = await import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));
  assert.ok(isDay('2026-02-28'));
  assert.ok(!isDay('2026-02-29'), 'not a leap year');
  assert.ok(isDay('2028-02-29'));
  assert.ok(!isDay('2026-13-01'));
  assert.ok(!isDay('26-01-01'));
  assert.ok(!isDay(null));
  assert.equal(addYears('2028-02-29', 1), '2029-02-28');
  assert.equal(addYears('2026-11-22', 3), '2029-11-22');
  const rows = [
    ['2026-11-01', '2026-11-22', null],
    ['2026-11-22', '2026-11-22', null, 'a single day'],
    ['2026-11-23', '2026-11-22', 'The start date must not be after the end date.'],
    ['', '2026-11-22', 'Enter a start date.'],
    ['2026-11-01', 'tomorrow', 'Enter an end date.'],
    ['2026-02-30', '2026-03-01', 'Enter a start date.'],
    ['2023-11-22', '2026-11-22', null, 'exactly three years'],
    ['2023-11-22', '2026-11-23', 'A range can span at most 3 years.'],
    ['2024-02-29', '2027-02-28', null, 'three years from a leap day'],
    ['2024-02-29', '2027-03-01', 'A range can span at most 3 years.'],
  ];
  for (const [from, to, wanted, name] of rows) assert.equal(customRangeError(from, to), wanted, name ?? `${from}..${to}`);
  // the API allows 3 x 366 days between from and to; the longest custom range stays inside it
  assert.ok(dayCount('2024-02-29', '2027-02-28') - 1 <= 3 * 366);
});

test('the range of the URL: presets, custom, and a bad custom falling back to the default', async () => {
  const { resolveRange } = await import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));
  const today = '2026-11-22';
  assert.deepEqual(resolveRange(null, null, null, today), { key: '7d', from: '2026-11-16', to: today, error: null });
  assert.deepEqual(resolveRange('30d', '2020-01-01', '2020-01-02', today), { key: '30d', from: '2026-10-24', to: today, error: null });
  assert.deepEqual(resolveRange('90d', null, null, today), { key: '7d', from: '2026-11-16', to: today, error: null });
  assert.deepEqual(resolveRange('custom', '2026-10-01', '2026-10-15', today), { key: 'custom', from: '2026-10-01', to: '2026-10-15', error: null });
  const bad = resolveRange('custom', '2026-10-15', '2026-10-01', today);
  assert.equal(bad.key, '7d');
  assert.equal(bad.from, '2026-11-16');
  assert.match(bad.error, /start date/);
  assert.match(resolveRange('custom', null, null, today).error, /start date/);
});
