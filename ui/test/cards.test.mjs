// The dashboard's tabbed cards and the tab each keeps in the URL: src/app/cards.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { CARDS, activeTab, tabQuery, tabRows, barRows, cardIsEmpty, rowCount } = await load('cards');
const card = (key) => CARDS.find((c) => c.key === key);

test('the cards group the lists the way Plausible does, every list of the stats answer in one tab', () => {
  assert.deepEqual(CARDS.map((c) => c.key), ['pages', 'sources', 'locations', 'devices', 'languages', 'events']);
  assert.deepEqual(card('sources').tabs.map((t) => t.list),
    ['sources', 'referrers', 'mediums', 'utm_sources', 'utm_mediums', 'utm_campaigns']);
  const lists = new Set(CARDS.flatMap((c) => c.tabs.map((t) => t.list)));
  for (const list of ['pages', 'entry_pages', 'exit_pages', 'sources', 'referrers', 'mediums', 'utm_sources', 'utm_mediums',
    'utm_campaigns', 'countries', 'browsers', 'browser_versions', 'os', 'os_versions', 'devices', 'languages', 'events', 'goals']) {
    assert.ok(lists.has(list), list);
  }
  for (const c of CARDS) {
    assert.equal(new Set(c.tabs.map((t) => t.key)).size, c.tabs.length, `${c.key}: tab keys are unique`);
    assert.ok(!['range', 'from', 'to', 'filter', 'funnel'].includes(c.key), `${c.key} is not a parameter the dashboard uses otherwise`);
  }
});

test('the URL names the tab; anything else is the first tab', () => {
  const rows = [['sources', 'utm_campaign', 'utm_campaign'], ['sources', null, 'sources'], ['sources', 'bogus', 'sources'],
    ['devices', 'os_versions', 'os_versions'], ['locations', 'countries', 'countries'], ['locations', undefined, 'map'],
    ['events', 'goals', 'goals'], ['pages', 'constructor', 'top']];
  for (const [key, value, wanted] of rows) assert.equal(activeTab(card(key), value).key, wanted, `${key}=${value}`);
});

test('choosing a tab: the first one leaves the URL without the parameter', () => {
  assert.deepEqual(tabQuery(card('pages'), 'entry'), { pages: 'entry' });
  assert.deepEqual(tabQuery(card('pages'), 'top'), { pages: null });
  assert.deepEqual(tabQuery(card('pages'), 'nonsense'), { pages: null });
});

test('rows and their bars: visitors, events by count, goals by conversion rate', () => {
  const pages = card('pages').tabs[0];
  const stats = {
    pages: [{ value: '/', pageviews: 9, visitors: 4 }, { value: '/a', pageviews: 2, visitors: 1 }],
    events: [{ value: 'Signup', count: 6, visitors: 2 }],
    goals: [{ id: 1, name: 'Signed up', visitors: 2, conversions: 3, conversion_rate: 33.3 }],
  };
  assert.deepEqual(barRows(pages, tabRows(pages, stats)).map((r) => [r.value, r.n, r.share]), [['/', 4, 100], ['/a', 1, 25]]);
  const events = card('events').tabs[0];
  assert.equal(rowCount(events, stats.events[0]), 6);
  const goals = card('events').tabs[1];
  const goalRows = barRows(goals, tabRows(goals, stats));
  assert.equal(goalRows[0].value, 'Signed up', 'a goal row is valued by its name (the goal filter)');
  assert.equal(goalRows[0].share, 33.3);
  assert.deepEqual(tabRows(pages, null), []);
  assert.deepEqual(tabRows(pages, { pages: 'not a list' }), []);
});

test('a card without a row in any tab is empty', () => {
  assert.equal(cardIsEmpty(card('events'), { events: [], goals: [] }), true);
  assert.equal(cardIsEmpty(card('events'), { events: [], goals: [{ id: 1, name: 'x', visitors: 0, conversion_rate: 0 }] }), false,
    'a goal nobody reached yet still shows');
  assert.equal(cardIsEmpty(card('sources'), { sources: [], utm_campaigns: [{ value: 'spring', visitors: 1 }] }), false);
  assert.equal(cardIsEmpty(card('languages'), {}), true);
});
