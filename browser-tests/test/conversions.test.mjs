// Goals, annotations, funnels and the calmer dashboard in headless Chromium against the real single binary:
// goals and a note added in the site settings, visitors sent through hk.js (each its own browser context and
// user agent, so its own visitor), then the dashboard's conversion rates against what the stats API answers,
// the note's marker on the chart, the tabbed cards remembering their tab in the URL, a click on the world map
// filtering by country, the live panel with its pages, a funnel added in the settings and its steps and
// drop-offs on the funnel screen against the funnel API, and screenshots light, dark and on a phone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { day, eventually, kpiValue, LAST_7_DAYS, launchChromium, number, servePages, startHitKeep, USER_AGENT, watchedTab } from '../lib/harness.mjs';

const SHOTS = new URL('../target/screenshots/', import.meta.url).pathname;
const EMAIL = 'owner@example.com';
const PASSWORD = 'browser-tests-password'; // the harness's owner
const NOTE = 'Launched the new pricing page';

// one user agent a visitor: the visitor id hashes the address (127.0.0.1 for all) with the user agent
const agent = (platform, version) => `Mozilla/5.0 (${platform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version}.0.0.0 Safari/537.36`;
const VISITS = [
  { agent: agent('X11; Linux x86_64', 131), paths: ['/', '/pricing'], signup: 'pro' },
  { agent: agent('Windows NT 10.0; Win64; x64', 131), paths: ['/', '/pricing'] },
  { agent: agent('Macintosh; Intel Mac OS X 10_15_7', 131), paths: ['/'] },
  { agent: agent('X11; Linux x86_64', 130), paths: ['/docs/start', '/pricing'], signup: 'free' },
];
// and two from public addresses, posted as the tracker would, so the map has countries
const FROM_ABROAD = [{ ip: '8.8.8.8', path: '/' }, { ip: '81.2.69.142', path: '/pricing' }];

let hitkeep;
let pages;
let browser;
let context;
let tab;
let siteId;
const problems = [];

const RANGE = LAST_7_DAYS;
const kpi = (key) => kpiValue(tab, key);
/** the dashboard's way of writing a rate (format.ts rate(), en-US) */
const rate = (n) => `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(n)}%`;

/** A GET of the API from inside the page: same origin, the browser's session cookie. */
const get = (path) => tab.evaluate(async (p) => {
  const response = await fetch(p);
  if (!response.ok) throw new Error(`${p}: ${response.status}`);
  return response.json();
}, path);

function statsQuery(filters = []) {
  const query = new URLSearchParams({ from: RANGE.from, to: RANGE.to });
  for (const filter of filters) query.append('filter', filter);
  return query;
}
const apiStats = (filters) => get(`/api/sites/${siteId}/stats?${statsQuery(filters)}`);

const page = (body) => () => `<!doctype html><html><head><meta charset="utf-8"><title>shop</title>
<script defer src="${hitkeep.base}/hk.js" data-allow-localhost></script></head><body>${body}</body></html>`;
const routes = {
  '/': page('<h1>home</h1>'),
  '/pricing': page('<h1>pricing</h1><button id="signup" onclick="hk.event(\'Signup\', { plan: this.dataset.plan })">Sign up</button>'),
  '/docs/start': page('<h1>docs</h1>'),
};

/** One visitor through hk.js: the pages in one session, then the signup event when given. */
async function visit({ agent: userAgent, paths, signup }) {
  const visitor = await browser.newContext({ userAgent });
  const page = await visitor.newPage();
  let beacons = 0;
  page.on('request', (request) => { if (request.url().startsWith(`${hitkeep.base}/ingest`)) beacons++; });
  for (const path of paths) await page.goto(`http://127.0.0.1:${pages.port}${path}`, { waitUntil: 'load' });
  let wanted = paths.length;
  if (signup) {
    await page.evaluate((plan) => { document.getElementById('signup').dataset.plan = plan; }, signup);
    await page.click('#signup');
    wanted++;
  }
  await eventually(`${wanted} beacons`, () => beacons >= wanted);
  await page.waitForTimeout(200);
  await visitor.close();
}

async function signIn() {
  await tab.getByTestId('email').fill(EMAIL);
  await tab.getByTestId('password').fill(PASSWORD);
  await tab.getByTestId('auth-submit').click();
  await tab.getByTestId('settings-link').waitFor();
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  hitkeep = await startHitKeep();
  pages = await servePages((path) => routes[path]?.());
  siteId = (await hitkeep.api('POST', '/api/sites', { domain: '127.0.0.1', name: 'Conversion shop', timezone: 'UTC' })).id;
  browser = await launchChromium();
  ({ context, tab } = await watchedTab(browser, problems));
  await tab.goto(`${hitkeep.base}/sites/${siteId}/settings`);
  await signIn();
});

after(async () => {
  await browser?.close();
  await pages?.close();
  await hitkeep?.stop();
});

describe('goals and annotations in the site settings', () => {
  test('an admin adds a pageview goal, an event goal with a property, and a note on today', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    const goals = tab.getByTestId('goal-settings');
    await goals.getByTestId('no-goals').waitFor();

    await tab.getByTestId('goal-name').fill('Saw pricing');
    await tab.getByTestId('goal-path').fill('/pricing');
    await tab.getByTestId('goal-add').click();
    await goals.locator('[data-testid="goal-row"][data-name="Saw pricing"]').waitFor();

    // a form that is not a goal yet says why, without asking the server
    await tab.getByTestId('goal-name').fill('Broken');
    await tab.getByTestId('goal-path').fill('pricing');
    await tab.getByTestId('goal-add').click();
    assert.match(await tab.getByTestId('goal-error').innerText(), /starts with \//);

    await tab.getByTestId('goal-name').fill('Pro signup');
    await tab.getByTestId('goal-type').selectOption('event');
    await tab.getByTestId('goal-event').fill('Signup');
    await tab.getByTestId('goal-key').fill('plan');
    await tab.getByTestId('goal-value').fill('pro');
    await tab.getByTestId('goal-add').click();
    await goals.locator('[data-testid="goal-row"][data-name="Pro signup"]').waitFor();
    await tab.getByTestId('goal-error').waitFor({ state: 'detached' });

    await tab.getByTestId('goal-name').fill('Any signup');
    await tab.getByTestId('goal-type').selectOption('event');
    await tab.getByTestId('goal-event').fill('Signup');
    await tab.getByTestId('goal-add').click();
    await goals.locator('[data-testid="goal-row"][data-name="Any signup"]').waitFor();

    const stored = await get(`/api/sites/${siteId}/goals`);
    assert.deepEqual(stored.map((g) => [g.name, g.type, g.path ?? g.event, g.property ?? null]), [
      ['Saw pricing', 'pageview', '/pricing', null],
      ['Pro signup', 'event', 'Signup', { key: 'plan', value: 'pro' }],
      ['Any signup', 'event', 'Signup', null],
    ]);
    assert.match(await goals.locator('[data-name="Pro signup"]').innerText(), /Event Signup with plan = pro/);

    const notes = tab.getByTestId('annotation-settings');
    assert.equal(await tab.getByTestId('annotation-date').inputValue(), day(0), 'the form starts on today');
    await tab.getByTestId('annotation-text-input').fill(NOTE);
    await tab.getByTestId('annotation-add').click();
    await notes.getByTestId('annotation-row').waitFor();
    assert.deepEqual((await get(`/api/sites/${siteId}/annotations`)).map((a) => [a.date, a.text]), [[day(0), NOTE]]);
    await tab.screenshot({ path: `${SHOTS}site-settings-goals-light.png`, fullPage: true });
  });

  test('a goal added and removed again is gone from the list and the API', async () => {
    await tab.getByTestId('goal-name').fill('Short-lived');
    await tab.getByTestId('goal-type').selectOption('pageview');
    await tab.getByTestId('goal-path').fill('/tmp/*');
    await tab.getByTestId('goal-add').click();
    const row = tab.locator('[data-testid="goal-row"][data-name="Short-lived"]');
    await row.waitFor();
    await row.getByTestId('goal-remove').click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual((await get(`/api/sites/${siteId}/goals`)).map((g) => g.name), ['Saw pricing', 'Pro signup', 'Any signup']);
  });
});

describe('the dashboard', () => {
  let stats;

  test('visitors through hk.js; the goals tab shows the API\'s conversion rates and a goal filters', async () => {
    for (const v of VISITS) await visit(v);
    for (const { ip, path } of FROM_ABROAD) {
      const response = await fetch(`${hitkeep.base}/ingest`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'User-Agent': USER_AGENT, 'X-Forwarded-For': ip },
        body: JSON.stringify({ url: `http://127.0.0.1${path}`, referrer: 'https://www.google.com/' }),
      });
      assert.equal(response.status, 202);
    }
    const wantedPageviews = VISITS.reduce((n, v) => n + v.paths.length, 0) + FROM_ABROAD.length;
    stats = await eventually('every pageview and both signups in the stats', async () => {
      const s = await apiStats();
      return s.summary.pageviews === wantedPageviews && s.events.find((e) => e.value === 'Signup')?.count === 2 && s;
    });
    assert.equal(stats.summary.visitors, VISITS.length + FROM_ABROAD.length, 'one visitor per user agent and address');
    const byName = Object.fromEntries(stats.goals.map((g) => [g.name, g]));
    // exact figures, as a cross-check of the API this page trusts: 4 of 6 visitors saw /pricing, 1 signed up for pro, 2 at all
    assert.deepEqual([byName['Saw pricing'].visitors, byName['Pro signup'].visitors, byName['Any signup'].visitors], [4, 1, 2]);

    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    await eventually('visitors KPI', async () => (await kpi('visitors').innerText()) === number(stats.summary.visitors));
    const card = tab.locator('[data-card="events"]');
    await card.locator('[data-tab="goals"]').click();
    await tab.waitForURL((url) => url.searchParams.get('events') === 'goals');
    const rows = card.locator('[data-panel="goals"] [data-testid="row"]');
    await eventually('goal rows', async () => (await rows.count()) === stats.goals.length);
    for (const goal of stats.goals) {
      const row = card.locator(`[data-panel="goals"] [data-value="${goal.name}"]`);
      assert.equal(await row.getByTestId('row-rate').innerText(), rate(goal.conversion_rate), goal.name);
      assert.equal(Number(await row.getByTestId('row-rate').getAttribute('data-rate')), goal.conversion_rate, goal.name);
      assert.equal(await row.getByTestId('row-count').innerText(), number(goal.visitors), goal.name);
    }
    await tab.screenshot({ path: `${SHOTS}dashboard-goals-light.png`, fullPage: true });

    await card.locator('[data-value="Saw pricing"]').click();
    await tab.waitForURL((url) => url.searchParams.getAll('filter').includes('goal:Saw pricing'));
    assert.match(await tab.getByTestId('filter-chip').innerText(), /Goal: Saw pricing/);
    const converted = await apiStats(['goal:Saw pricing']);
    assert.equal(converted.summary.visitors, 4);
    await eventually('converted visitors KPI', async () => (await kpi('visitors').innerText()) === number(converted.summary.visitors));
    assert.equal(new URL(tab.url()).searchParams.get('events'), 'goals', 'the filter keeps the tab');
    await tab.getByTestId('filter-chip').locator('.p-chip-remove-icon').click();
    await tab.waitForURL((url) => url.searchParams.getAll('filter').length === 0);
  });

  test('the note of today is a marker on the chart, its text on hover', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    const marker = tab.locator(`[data-testid="annotation-marker"][data-date="${day(0)}"]`);
    await marker.waitFor();
    assert.equal(await tab.getByTestId('annotation-marker').count(), 1);
    const text = marker.getByTestId('annotation-text');
    assert.equal(await text.isVisible(), false, 'the text waits for a hover');
    await marker.hover();
    await text.waitFor({ state: 'visible' });
    assert.equal(await text.innerText(), `${day(0)}: ${NOTE}`);
    // the marker stands on today's bucket, the last of the range: right of the chart's middle
    const chart = await tab.getByTestId('chart').boundingBox();
    const box = await marker.boundingBox();
    assert.ok(box.x > chart.x + chart.width / 2, `${box.x} in ${JSON.stringify(chart)}`);
    await tab.screenshot({ path: `${SHOTS}dashboard-annotation-light.png` });
    // a range without that day has no marker
    await tab.goto(`${hitkeep.base}/sites/${siteId}?range=last_month`);
    await tab.getByTestId('empty').waitFor();
    assert.equal(await tab.getByTestId('annotation-marker').count(), 0);
  });

  test('each card remembers its tab in the URL, across a reload; the first tab leaves the URL alone', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    const pagesCard = tab.locator('[data-card="pages"]');
    await pagesCard.locator('[data-panel="pages"] [data-testid="row"]').first().waitFor();
    await pagesCard.locator('[data-tab="entry"]').click();
    await tab.waitForURL((url) => url.searchParams.get('pages') === 'entry');
    const entry = pagesCard.locator('[data-panel="entry_pages"] [data-testid="row"]');
    await eventually('entry rows', async () => (await entry.count()) === stats.entry_pages.length);
    assert.deepEqual(await entry.evaluateAll((rows) => rows.map((r) => r.dataset.value)), stats.entry_pages.map((r) => r.value));

    const devices = tab.locator('[data-card="devices"]');
    await devices.locator('[data-tab="os"]').click();
    await tab.waitForURL((url) => url.searchParams.get('devices') === 'os' && url.searchParams.get('pages') === 'entry');
    await tab.reload();
    await pagesCard.locator('[data-panel="entry_pages"] [data-testid="row"]').first().waitFor();
    assert.equal(await pagesCard.locator('[data-tab="entry"]').getAttribute('aria-selected'), 'true');
    assert.equal(await devices.locator('[data-tab="os"]').getAttribute('aria-selected'), 'true');
    await devices.locator('[data-panel="os"] [data-testid="row"]').first().waitFor();

    // choosing a range keeps the tabs
    await tab.getByTestId('range').click();
    await tab.getByRole('option', { name: 'Last 30 days' }).click();
    await tab.waitForURL((url) => url.searchParams.get('range') === '30d');
    assert.equal(new URL(tab.url()).searchParams.get('pages'), 'entry');

    await pagesCard.locator('[data-tab="top"]').click();
    await tab.waitForURL((url) => !url.searchParams.has('pages'));
    assert.equal(new URL(tab.url()).searchParams.get('devices'), 'os');
  });

  test('cards without data collapse to one line', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    await tab.locator('[data-card="pages"] [data-testid="row"]').first().waitFor();
    // nobody came with a UTM tag or a language here, but there are sources: the sources card stays whole
    const languages = tab.locator('[data-card="languages"]');
    const wantedEmpty = (stats.languages ?? []).length === 0;
    assert.equal(await languages.getAttribute('data-empty'), wantedEmpty ? 'true' : null);
    assert.equal(await tab.locator('[data-card="sources"]').getAttribute('data-empty'), null);
    await tab.locator('[data-card="sources"] [data-tab="utm_campaign"]').click();
    await tab.locator('[data-card="sources"] [data-testid="tab-empty"]').waitFor();
  });

  test('a click on the world map filters by that country', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    const country = stats.countries.find((row) => row.value)?.value;
    assert.ok(country, `a country in ${JSON.stringify(stats.countries)}`);
    const shape = tab.locator(`[data-card="locations"] [data-testid="map-country"][data-value="${country}"]`).first();
    await shape.waitFor();
    assert.equal(Number(await shape.getAttribute('data-visitors')), stats.countries.find((r) => r.value === country).visitors);
    assert.ok(Number(await shape.getAttribute('fill-opacity')) > 0);
    const unvisited = tab.locator('[data-card="locations"] path[data-value="AU"]');
    assert.equal(await unvisited.getAttribute('role'), null, 'a country without visitors is not a button');
    await tab.screenshot({ path: `${SHOTS}dashboard-map-light.png`, fullPage: true });
    await shape.click();
    await tab.waitForURL((url) => url.searchParams.getAll('filter').includes(`country:${country}`));
    const filtered = await apiStats([`country:${country}`]);
    await eventually('country-filtered visitors', async () => (await kpi('visitors').innerText()) === number(filtered.summary.visitors));
    assert.ok(filtered.summary.visitors < stats.summary.visitors);
    // the list of the same countries is the second tab
    await tab.locator('[data-card="locations"] [data-tab="countries"]').click();
    await tab.locator(`[data-panel="countries"] [data-value="${country}"]`).waitFor();
  });

  test('the live panel shows the pages and sources GET /api/sites/{id}/live answers', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    const live = await get(`/api/sites/${siteId}/live`);
    // every visit above was minutes ago at most
    assert.equal(live.live_visitors, stats.summary.visitors);
    const panel = tab.getByTestId('live-panel');
    await eventually('live count', async () => Number(await panel.getByTestId('live-count').innerText()) === live.live_visitors);
    for (const list of ['pages', 'sources']) {
      assert.ok(live[list].length > 0, `${list}: ${JSON.stringify(live)}`);
      const shown = panel.locator(`[data-testid="live-${list}"] li[data-value]`);
      await eventually(`live ${list}`, async () => (await shown.count()) === Math.min(5, live[list].length));
      assert.deepEqual(await shown.evaluateAll((rows) => rows.map((r) => [r.dataset.value, r.lastElementChild.textContent])),
        live[list].slice(0, 5).map((row) => [row.value, String(row.visitors)]), list);
    }
    // it refreshes itself: a new visitor shows up without a reload
    await visit({ agent: agent('X11; Linux x86_64', 129), paths: ['/docs/start'] });
    await eventually('the new visitor in the live panel', async () =>
      Number(await panel.getByTestId('live-count').innerText()) === live.live_visitors + 1, 30000);
    stats = await apiStats();
  });

  test('dark theme and a phone: everything reachable, nothing wider than the screen', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}?events=goals`);
    await tab.emulateMedia({ colorScheme: 'dark' });
    await tab.locator('[data-card="events"] [data-panel="goals"] [data-testid="row"]').first().waitFor();
    await tab.locator('[data-testid="map-country"]').first().waitFor();
    await tab.screenshot({ path: `${SHOTS}dashboard-cards-dark.png`, fullPage: true });
    await tab.emulateMedia({ colorScheme: 'light' });

    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const path of [`/sites/${siteId}?events=goals&sources=utm_campaign`, `/sites/${siteId}/settings`, `/sites/${siteId}/funnels`]) {
      await phone.goto(hitkeep.base + path);
      await phone.waitForLoadState('networkidle');
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path}: no horizontal scrolling on a phone, ${overflow}px`);
    }
    await phone.goto(`${hitkeep.base}/sites/${siteId}?events=goals`);
    await phone.locator('[data-card="events"] [data-panel="goals"] [data-testid="row"]').first().waitFor();
    await phone.locator('[data-testid="map-country"]').first().waitFor();
    // the last tab of the widest card is reachable (the tab row scrolls inside its card)
    await phone.locator('[data-card="sources"] [data-tab="utm_campaign"]').click();
    await phone.waitForURL((url) => url.searchParams.get('sources') === 'utm_campaign');
    await phone.screenshot({ path: `${SHOTS}dashboard-cards-phone.png`, fullPage: true });
    await phone.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    await phone.getByTestId('goal-settings').waitFor();
    await phone.screenshot({ path: `${SHOTS}site-settings-goals-phone.png`, fullPage: true });
    await phone.close();
  });
});

describe('funnels', () => {

  test('an admin adds a funnel of three steps in the site settings', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    const section = tab.getByTestId('funnel-settings');
    await section.getByTestId('no-funnels').waitFor();
    await tab.getByTestId('funnel-name').fill('Home to signup');
    await tab.getByTestId('step-1-path').fill('/');
    await tab.getByTestId('step-2-type').selectOption('pageview');
    await tab.getByTestId('step-2-path').fill('/pricing');
    await tab.getByTestId('funnel-add-step').click();
    await tab.getByTestId('step-3-type').selectOption('event');
    await tab.getByTestId('step-3-event').fill('Signup');
    await tab.getByTestId('step-3-label').fill('Signed up');
    await tab.getByTestId('funnel-save').click();
    await section.locator('[data-testid="funnel-row"][data-name="Home to signup"]').waitFor();
    const stored = await get(`/api/sites/${siteId}/funnels`);
    const funnel = (Array.isArray(stored) ? stored : stored.funnels).find((f) => f.name === 'Home to signup');
    assert.equal(funnel.window, 'session');
    assert.deepEqual(funnel.steps.map((s) => s.path ?? s.event), ['/', '/pricing', 'Signup']);
    assert.deepEqual(funnel.steps.map((s) => s.label), ['/', '/pricing', 'Signed up'], 'a typed label, else the server\'s');
    assert.match(await section.locator('[data-testid="funnel-row"][data-name="Home to signup"]').innerText(),
      /Visits \/ → Visits \/pricing → Signed up/);
  });

  test('the funnel screen shows the API\'s steps and drop-offs', async () => {
    const stored = await get(`/api/sites/${siteId}/funnels`);
    const funnel = (Array.isArray(stored) ? stored : stored.funnels).find((f) => f.name === 'Home to signup');
    const result = await get(`/api/sites/${siteId}/funnels/${funnel.id}?${statsQuery()}`);
    // the visitors of the first three VISITS and the one from 8.8.8.8 entered on /; two went on to /pricing; one signed up
    assert.deepEqual(result.steps.map((s) => s.visitors), [4, 2, 1]);

    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    await tab.getByTestId('funnels-link').click();
    await tab.waitForURL(`**/sites/${siteId}/funnels**`);
    const steps = tab.getByTestId('funnel-step');
    await eventually('funnel steps', async () => (await steps.count()) === result.steps.length);
    for (const [i, step] of result.steps.entries()) {
      assert.equal(Number(await steps.nth(i).getAttribute('data-visitors')), step.visitors, `step ${i + 1}`);
      assert.match(await steps.nth(i).innerText(), new RegExp(`${number(step.visitors)} · ${rate(step.conversion_rate).replace('.', '\\.')}`));
    }
    const dropoffs = tab.getByTestId('funnel-dropoff');
    assert.match(await steps.nth(2).innerText(), /Signed up/, 'the step\'s own label');
    assert.equal(await dropoffs.count(), result.steps.length - 1);
    for (const [i, step] of result.steps.slice(1).entries()) {
      assert.equal(Number(await dropoffs.nth(i).getAttribute('data-dropoff')), step.dropoff);
      assert.match(await dropoffs.nth(i).innerText(), new RegExp(`${number(step.dropoff)} dropped off \\(${rate(step.dropoff_rate).replace('.', '\\.')}\\)`));
    }
    assert.equal(await tab.getByTestId('funnel-conversion').innerText(), rate(result.steps.at(-1).conversion_rate));
    await tab.screenshot({ path: `${SHOTS}funnel-light.png`, fullPage: true });
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(tab.url());
    await phone.getByTestId('funnel-step').first().waitFor();
    await phone.screenshot({ path: `${SHOTS}funnel-phone.png`, fullPage: true });
    await phone.close();
  });
});

describe('console', () => {
  test('no errors and no CSP violations in the console', () => {
    assert.deepEqual(problems, []);
  });
});
