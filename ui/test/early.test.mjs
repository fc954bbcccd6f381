// The requests sent before Angular starts: src/app/early.ts. They must be the very requests the dashboard
// sends later (same path, same query), or it would ask again and the early answer would be wasted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { statsQuery, statsPath, firstStatsPath, isDashboardPath, sendEarlyRequests, takeEarly, takeSettledEarly, preloadDashboardModules } = await load('early');
const { resolveRange, todayIn } = await load('date-range');

test('the query is encoded as Angular HttpParams encodes it: : , / @ kept, the rest escaped', () => {
  assert.equal(statsQuery('2026-11-01', '2026-11-27', [], ['summary', 'chart']), '?from=2026-11-01&to=2026-11-27&parts=summary,chart');
  assert.equal(statsQuery('2026-11-01', '2026-11-27', ['page:/a b&c', 'country:DE'], undefined, 50),
    '?from=2026-11-01&to=2026-11-27&filter=page:/a%20b%26c&filter=country:DE&limit=50');
  assert.equal(statsQuery('2026-11-01', '2026-11-01', ['utm_campaign:50%+off']), '?from=2026-11-01&to=2026-11-01&filter=utm_campaign:50%25%2Boff');
});

test('only a site dashboard is asked for early', () => {
  assert.ok(isDashboardPath('/sites/3'));
  assert.ok(isDashboardPath('/sites/3/'));
  for (const path of ['/', '/sites', '/sites/3/settings', '/sites/3/funnels', '/share/abc', '/sites/x']) assert.ok(!isDashboardPath(path), path);
});

test('the first stats request of a dashboard: its range in the site zone, its filters, the cards and chart', () => {
  const sites = [{ id: 3, timezone: 'Asia/Kathmandu' }, { id: 4, timezone: 'UTC' }];
  const range = resolveRange('30d', null, null, todayIn('Asia/Kathmandu'));
  assert.equal(firstStatsPath('/sites/3', '?range=30d&filter=country:DE&filter=bogus:1&pages=entry', sites),
    statsPath(3, range.from, range.to, ['country:DE'], ['summary', 'chart']));
  const week = resolveRange(null, null, null, todayIn('UTC'));
  assert.equal(firstStatsPath('/sites/4', '', sites), `/api/sites/4/stats?from=${week.from}&to=${week.to}&parts=summary,chart`);
  // a site the list does not have (no access, or gone): nothing early, the page says so itself
  assert.equal(firstStatsPath('/sites/5', '', sites), null);
  assert.equal(firstStatsPath('/sites/3/settings', '', sites), null);
});

test('a dashboard sends the site list, then its first stats request; each answer is taken once', async () => {
  const asked = [];
  globalThis.fetch = async (path) => {
    asked.push(path);
    if (path === '/api/sites') return { ok: true, json: async () => [{ id: 4, timezone: 'UTC' }] };
    return path.startsWith('/api/sites/4/stats') ? { ok: true, json: async () => ({ summary: { visitors: 7 } }) } : { ok: false };
  };
  sendEarlyRequests({ pathname: '/sites/4', search: '?range=today' });
  assert.deepEqual(await takeEarly('/api/sites'), [{ id: 4, timezone: 'UTC' }]);
  assert.equal(takeEarly('/api/sites'), null);
  const today = todayIn('UTC');
  const path = `/api/sites/4/stats?from=${today}&to=${today}&parts=summary,chart`;
  assert.deepEqual(asked, ['/api/sites', path]);
  assert.deepEqual(await takeEarly(path), { summary: { visitors: 7 } });
  assert.equal(takeEarly(path), null);
  assert.equal(takeEarly('/api/sites/9/stats?from=2026-01-01&to=2026-01-02'), null);
});

test('a refused early request (401: signed out) answers null, and Api asks again', async () => {
  globalThis.fetch = async () => ({ ok: false, status: 401 });
  sendEarlyRequests({ pathname: '/sites/4', search: '' });
  assert.equal(await takeEarly('/api/sites'), null);
});

test('an answer already in is taken as it is (once), so the dashboard shows it in its first render', async () => {
  let answerStats;
  globalThis.fetch = async (path) => {
    if (path === '/api/sites') return { ok: true, json: async () => [{ id: 4, timezone: 'UTC' }] };
    return new Promise((resolve) => { answerStats = () => resolve({ ok: true, json: async () => ({ summary: { visitors: 3 } }) }); });
  };
  sendEarlyRequests({ pathname: '/sites/4', search: '?range=today' });
  const today = todayIn('UTC');
  const path = `/api/sites/4/stats?from=${today}&to=${today}&parts=summary,chart`;
  assert.equal(takeSettledEarly('/api/sites'), null, 'not in yet');
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(takeSettledEarly(path), null, 'still on its way: left for takeEarly');
  answerStats();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(takeSettledEarly(path), { summary: { visitors: 3 } });
  assert.equal(takeSettledEarly(path), null, 'once');
  assert.equal(takeEarly(path), null, 'and gone for takeEarly too');
  assert.deepEqual(takeSettledEarly('/api/sites'), [{ id: 4, timezone: 'UTC' }]);
});

test('a refused early answer is not taken as settled: the page asks the usual way', async () => {
  globalThis.fetch = async () => ({ ok: false, status: 401 });
  sendEarlyRequests({ pathname: '/sites/4', search: '' });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(takeSettledEarly('/api/sites'), null);
  assert.equal(await takeEarly('/api/sites'), null);
});

test('a dashboard preloads the modules the build named; other pages preload nothing', () => {
  const appended = [];
  const doc = (content) => ({
    querySelector: (selector) => (selector === 'meta[name="hk-dashboard-modules"]' && content !== null ? { getAttribute: () => content } : null),
    createElement: (tag) => ({ tag }),
    head: { appendChild: (element) => appended.push(element) },
  });
  preloadDashboardModules({ pathname: '/sites/3' }, doc('chunk-ROUTE222.js chunk-DASH3333.js'));
  assert.deepEqual(appended, [{ tag: 'link', rel: 'modulepreload', href: 'chunk-ROUTE222.js' }, { tag: 'link', rel: 'modulepreload', href: 'chunk-DASH3333.js' }]);
  appended.length = 0;
  preloadDashboardModules({ pathname: '/' }, doc('chunk-ROUTE222.js'));
  preloadDashboardModules({ pathname: '/sites/3' }, doc(null));
  preloadDashboardModules({ pathname: '/sites/3' }, doc('https://elsewhere.example/x.js ../secret.js'));
  assert.deepEqual(appended, [], 'nothing on the site list, without the meta, or for names that are no chunk of ours');
});
