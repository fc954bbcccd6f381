// The dashboard chart's data, this period against the previous one: src/app/chart.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { chartData, bucketLabel } = await load('chart');

const day = (t, pageviews, visitors) => ({ t, pageviews, visitors });

test('labels: days as MM-DD, hours as HH:MM', () => {
  assert.equal(bucketLabel('2026-11-22'), '11-22');
  assert.equal(bucketLabel('2026-11-22T14:00:00'), '14:00');
});

test('without a previous period: two series', () => {
  const data = chartData([day('2026-11-21', 3, 2), day('2026-11-22', 5, 4)], null);
  assert.deepEqual(data.labels, ['11-21', '11-22']);
  assert.deepEqual(data.datasets.map((d) => d.label), ['Pageviews', 'Visitors']);
  assert.deepEqual(data.datasets[0].data, [3, 5]);
  assert.deepEqual(data.datasets[1].data, [2, 4]);
  assert.equal(chartData([], []).datasets.length, 2);
});

test('the previous period is aligned bucket by bucket, dashed', () => {
  const current = [day('2026-11-20', 1, 1), day('2026-11-21', 2, 2), day('2026-11-22', 3, 3)];
  const previous = [day('2026-11-17', 7, 5), day('2026-11-18', 8, 6), day('2026-11-19', 9, 7)];
  const data = chartData(current, previous);
  assert.equal(data.datasets.length, 4);
  const [, , pageviews, visitors] = data.datasets;
  assert.deepEqual(pageviews.data, [7, 8, 9]);
  assert.deepEqual(visitors.data, [5, 6, 7]);
  assert.ok(pageviews.borderDash.length > 0 && visitors.borderDash.length > 0);
  assert.deepEqual(data.previousLabels, ['2026-11-17', '2026-11-18', '2026-11-19']);
  assert.deepEqual(data.labels, ['11-20', '11-21', '11-22'], 'the axis is the current period');
});

test('a shorter previous series leaves gaps, a longer one is cut', () => {
  const current = [day('a', 1, 1), day('b', 1, 1), day('c', 1, 1)];
  assert.deepEqual(chartData(current, [day('x', 4, 2)]).datasets[2].data, [4, null, null]);
  const longer = [day('w', 1, 1), day('x', 2, 1), day('y', 3, 1), day('z', 4, 1)];
  assert.deepEqual(chartData(current, longer).datasets[2].data, [1, 2, 3]);
});

test('annotations sit on the bucket of their day; several of a day together; others left out', async () => {
  const { annotationMarks } = await load('chart');
  const days = [day('2026-11-20', 1, 1), day('2026-11-21', 1, 1), day('2026-11-22', 1, 1)];
  const notes = [
    { date: '2026-11-22', text: 'Launch' }, { date: '2026-11-19', text: 'before' }, { date: '2026-11-20', text: 'Sale' },
    { date: '2026-11-22', text: 'Press' },
  ];
  assert.deepEqual(annotationMarks(days, notes), [
    { index: 0, date: '2026-11-20', texts: ['Sale'] },
    { index: 2, date: '2026-11-22', texts: ['Launch', 'Press'] },
  ]);
  const hours = [day('2026-11-22T00:00', 0, 0), day('2026-11-22T01:00', 0, 0)];
  assert.deepEqual(annotationMarks(hours, [{ date: '2026-11-22', text: 'Launch' }]), [{ index: 0, date: '2026-11-22', texts: ['Launch'] }]);
  assert.deepEqual(annotationMarks([], notes), []);
});
