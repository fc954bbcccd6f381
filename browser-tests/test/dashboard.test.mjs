// The dashboard (module ui, served by the single binary at /) in headless Chromium: first account, a site,
// pageviews seeded through POST /ingest from several public addresses, then the numbers the dashboard shows
// against what GET /api/sites/{id}/stats answers, a country filter from a click, and screenshots.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { day, eventually, kpiValue, LAST_7_DAYS, launchChromium, number, startHitKeep, totp, USER_AGENT } from '../lib/harness.mjs';

const SHOTS = new URL('../target/screenshots/', import.meta.url).pathname;
const DOMAIN = 'shop.example';
// several networks, so the countries list has more than one row
const VISITORS = [
  { ip: '8.8.8.8', paths: ['/', '/pricing', '/docs'] },
  { ip: '8.8.4.4', paths: ['/', '/pricing'] },
  { ip: '1.1.1.1', paths: ['/', '/blog/hello'] },
  { ip: '9.9.9.9', paths: ['/docs'] },
  { ip: '81.2.69.142', paths: ['/', '/pricing'] },
  { ip: '212.58.244.20', paths: ['/blog/hello'] },
];
const PAGEVIEWS = VISITORS.reduce((n, v) => n + v.paths.length, 0);

let hitkeep;
let browser;
let context;
let tab;
let siteId;
const problems = [];

const RANGE = LAST_7_DAYS;

/** GET /api/sites/{id}/stats from inside the page: same origin, the session cookie of the browser. */
async function apiStats(filters = []) {
  const query = new URLSearchParams({ from: RANGE.from, to: RANGE.to });
  for (const filter of filters) query.append('filter', filter);
  return tab.evaluate(async (path) => {
    const response = await fetch(path);
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }, `/api/sites/${siteId}/stats?${query}`);
}

const kpi = (key) => kpiValue(tab, key);
const kpiChange = (key) => tab.locator(`[data-kpi="${key}"] [data-testid="kpi-change"]`);

/** A same-origin POST from the page (the browser adds Origin, as the server's cross-site check wants). */
const post = (path, body) => tab.evaluate(async ([p, b]) => {
  const response = await fetch(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
  return { status: response.status, body: await response.json().catch(() => null) };
}, [path, body]);

async function seed() {
  for (const { ip, paths } of VISITORS) {
    let referrer = 'https://www.google.com/';
    for (const path of paths) {
      const response = await fetch(`${hitkeep.base}/ingest`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'User-Agent': USER_AGENT, 'X-Forwarded-For': ip, 'Accept-Language': 'en-US' },
        body: JSON.stringify({ url: `https://${DOMAIN}${path}`, referrer, lang: 'en-US', vp_w: 1440, vp_h: 900 }),
      });
      assert.equal(response.status, 202, `ingest from ${ip}`);
      referrer = `https://${DOMAIN}/`;
    }
  }
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  hitkeep = await startHitKeep({ owner: false });
  browser = await launchChromium();
  context = await browser.newContext({ userAgent: USER_AGENT, timezoneId: 'UTC', locale: 'en-US', viewport: { width: 1280, height: 900 } });
  tab = await context.newPage();
  tab.on('console', (message) => {
    if (message.type() === 'error' && !/401|Unauthorized/.test(message.text())) problems.push(message.text());
  });
  tab.on('pageerror', (error) => problems.push(String(error)));
});

after(async () => {
  await browser?.close();
  await hitkeep?.stop();
});

describe('dashboard', () => {
  test('GET / is the app, with the security headers; a deep link gets index.html', async () => {
    const root = await fetch(`${hitkeep.base}/`);
    assert.equal(root.status, 200);
    assert.equal(root.headers.get('x-content-type-options'), 'nosniff');
    assert.match(root.headers.get('content-security-policy'), /frame-ancestors 'none'/);
    assert.equal(root.headers.get('cache-control'), 'no-cache');
    const revalidated = await fetch(`${hitkeep.base}/`, { headers: { 'If-None-Match': root.headers.get('etag') } });
    assert.equal(revalidated.status, 304, 'index.html revalidates with its ETag');
    const html = await root.text();
    assert.match(html, /<hk-root>/);
    assert.doesNotMatch(html, /<script>|onload=/, 'no inline script under the CSP');
    const script = html.match(/src="(main-[A-Z0-9]+\.js)"/)[1];
    const asset = await fetch(`${hitkeep.base}/${script}`, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    // gzipped to a client that takes it (fetch unpacks it), the same script as the plain one
    assert.equal(asset.headers.get('content-encoding'), 'gzip');
    assert.equal(asset.headers.get('vary'), 'Accept-Encoding');
    assert.match(asset.headers.get('content-type'), /^text\/javascript/);
    const plain = await fetch(`${hitkeep.base}/${script}`, { headers: { 'Accept-Encoding': 'identity' } });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.ok(Number(asset.headers.get('content-length')) * 2 < Number(plain.headers.get('content-length')), 'less than half the bytes');
    assert.equal(await asset.text(), await plain.text());
    const deep = await fetch(`${hitkeep.base}/sites/42?range=30d`);
    assert.equal(deep.status, 200);
    assert.match(await deep.text(), /<hk-root>/);
    assert.notEqual((await fetch(`${hitkeep.base}/api/nothing-here`)).status, 200);
    assert.equal((await fetch(`${hitkeep.base}/nothing/here`)).status, 404);
    assert.equal((await fetch(`${hitkeep.base}/missing.png`)).status, 404);
  });

  test('first run: create the first account in the browser', async () => {
    await tab.goto(`${hitkeep.base}/`);
    await tab.getByTestId('to-create').click();
    await tab.getByTestId('email').fill('owner@example.com');
    await tab.getByTestId('password').fill('dashboard-tests-password');
    await tab.getByTestId('auth-submit').click();
    await tab.getByTestId('no-sites').waitFor();
  });

  test('add a site: the snippet names this server', async () => {
    await tab.getByTestId('site-domain').fill(DOMAIN);
    await tab.getByTestId('site-name').fill('Example shop');
    assert.match(await tab.getByTestId('site-timezone').innerText(), /UTC/);
    await tab.getByRole('button', { name: 'Add site' }).click();
    const snippet = tab.getByTestId('snippet');
    await snippet.waitFor();
    assert.match(await snippet.innerText(), new RegExp(`<script defer src="${hitkeep.base.replace(/[.]/g, '\\.')}/hk\\.js"></script>`));
    const sites = await tab.evaluate(() => fetch('/api/sites').then((r) => r.json()));
    siteId = sites.find((site) => site.domain === DOMAIN).id;
    // no hit in the last 30 days: the card waits for the first one and shows the snippet again
    const waiting = tab.locator('[data-testid="site-list"] [data-testid="waiting"]');
    await waiting.waitFor();
    assert.match(await waiting.innerText(), /Waiting for the first hit/);
    assert.match(await waiting.innerText(), /hk\.js/);
    await tab.screenshot({ path: `${SHOTS}sites-light.png`, fullPage: true });
  });

  test('the dashboard shows what the stats API answers; a country row filters', async () => {
    await seed();
    const stats = await eventually(`${PAGEVIEWS} pageviews in the stats`, async () => {
      const s = await apiStats();
      return s.summary.pageviews === PAGEVIEWS && s;
    });
    assert.ok(stats.countries.length >= 2, JSON.stringify(stats.countries));

    await tab.getByTestId('open-dashboard').click();
    await tab.waitForURL(`**/sites/${siteId}`);
    await eventually('visitors KPI', async () => (await kpi('visitors').innerText()) === number(stats.summary.visitors));
    assert.equal(await kpi('pageviews').innerText(), number(stats.summary.pageviews));
    assert.equal(await kpi('sessions').innerText(), number(stats.summary.sessions));
    assert.match(await tab.getByTestId('live').innerText(), new RegExp(`${stats.summary.live_visitors} live`));
    // nothing in the 7 days before: no percentage to show
    for (const key of ['visitors', 'pageviews', 'sessions', 'bounce_rate']) {
      await eventually(`${key} change`, async () => (await kpiChange(key).innerText()) === '—');
    }
    // the cards come first, the top lists right after them
    const pageRows = tab.locator('[data-panel="pages"] [data-testid="row"]');
    await eventually('page rows', async () => (await pageRows.count()) === stats.pages.length);
    await tab.locator('canvas').first().waitFor();
    await tab.screenshot({ path: `${SHOTS}dashboard-light.png`, fullPage: true });

    // the locations card opens on its map; the list of countries is its second tab
    const country = stats.countries[0].value;
    await tab.locator('[data-card="locations"] [data-tab="countries"]').click();
    await tab.locator(`[data-panel="countries"] [data-value="${country}"]`).click();
    await tab.waitForURL((url) => url.searchParams.getAll('filter').includes(`country:${country}`));
    const chip = tab.getByTestId('filter-chip');
    await chip.first().waitFor();
    assert.equal(await chip.count(), 1);
    assert.match(await chip.innerText(), new RegExp(`Country: .*\\(${country}\\)`));
    const filtered = await apiStats([`country:${country}`]);
    assert.ok(filtered.summary.pageviews < stats.summary.pageviews);
    await eventually('filtered visitors KPI', async () =>
      (await kpi('visitors').innerText()) === number(filtered.summary.visitors)
      && (await kpi('pageviews').innerText()) === number(filtered.summary.pageviews));
    await tab.screenshot({ path: `${SHOTS}dashboard-filtered-light.png`, fullPage: true });

    // the URL is the view: a reload keeps the filter
    await tab.reload();
    await eventually('filtered view after reload', async () =>
      (await kpi('pageviews').innerText()) === number(filtered.summary.pageviews));

    await chip.locator('.p-chip-remove-icon').click();
    await tab.waitForURL((url) => url.searchParams.getAll('filter').length === 0);
    await chip.first().waitFor({ state: 'detached' });
    await eventually('unfiltered pageviews KPI', async () => (await kpi('pageviews').innerText()) === number(stats.summary.pageviews));
  });

  test('the range selector and the empty state', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}?range=last_month`);
    await tab.getByTestId('empty').waitFor();
    assert.equal(await kpi('pageviews').innerText(), '0');
    await tab.getByTestId('range').click();
    await tab.getByRole('option', { name: 'Today' }).click();
    await tab.waitForURL((url) => url.searchParams.get('range') === 'today');
    await eventually('today pageviews', async () => (await kpi('pageviews').innerText()) === number(PAGEVIEWS));
  });

  test('PrimeNG\'s theme comes as a stylesheet made at build time: none made in the page, Aura\'s look in light and dark', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    await eventually('pageviews', async () => (await kpi('pageviews').innerText()) === number(PAGEVIEWS));
    // PrimeNG's styled mode would add <style data-primeng-style-id="button-variables"> and the like; with the
    // theme prebuilt only its few theme-independent core rules are left (base, baseicon)
    const made = await tab.evaluate(() => [...document.querySelectorAll('style[data-primeng-style-id]')].map((s) => s.dataset.primengStyleId));
    assert.deepEqual(made.filter((id) => /-(variables|style)$/.test(id)), [], made.join(' '));
    const look = () => tab.evaluate(() => {
      const select = getComputedStyle(document.querySelector('[data-testid="range"]'));
      const button = getComputedStyle(document.querySelector('header .p-button'));
      return { background: select.backgroundColor, border: select.borderColor, radius: select.borderRadius, button: button.color };
    });
    const expectLook = async (colorScheme, expected) => {
      await tab.emulateMedia({ colorScheme });
      // PrimeNG's colours change with a short CSS transition: the look once it has ended
      await eventually(`the ${colorScheme} look`, async () => JSON.stringify(await look()) === JSON.stringify(expected), 5000).catch(() => {});
      assert.deepEqual(await look(), expected, colorScheme);
    };
    // Aura's form field (white, slate-300 border, 6px corners) and its emerald text button; zinc-950 in the dark
    await expectLook('light', { background: 'rgb(255, 255, 255)', border: 'rgb(203, 213, 225)', radius: '6px', button: 'rgb(16, 185, 129)' });
    await expectLook('dark', { background: 'rgb(9, 9, 11)', border: 'rgb(82, 82, 91)', radius: '6px', button: 'rgb(52, 211, 153)' });
    await tab.emulateMedia({ colorScheme: 'light' });
  });

  test('a dashboard preloads the modules the build named from the start, each fetched once; the site list none', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    await eventually('pageviews', async () => (await kpi('pageviews').innerText()) === number(PAGEVIEWS));
    const loaded = () => tab.evaluate(() => ({
      named: document.querySelector('meta[name="hk-dashboard-modules"]')?.content.split(' ') ?? [],
      preloaded: [...document.querySelectorAll('head link[rel="modulepreload"]')].map((link) => link.getAttribute('href')),
      fetched: performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname.slice(1)),
    }));
    const dashboard = await loaded();
    assert.ok(dashboard.named.length >= 2 && dashboard.named.every((name) => /^chunk-\w+\.js$/.test(name)), dashboard.named.join(' '));
    for (const name of dashboard.named) {
      assert.ok(dashboard.preloaded.includes(name), `${name} preloaded`);
      assert.equal(dashboard.fetched.filter((fetched) => fetched === name).length, 1, `${name} fetched once`);
    }
    await tab.goto(`${hitkeep.base}/`);
    await tab.locator('[data-testid="site-list"] li').first().waitFor();
    const sites = await loaded();
    assert.deepEqual(sites.preloaded.filter((name) => dashboard.named.includes(name)), [], 'the site list preloads no dashboard module');
  });

  test('dark theme and a phone', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    await tab.emulateMedia({ colorScheme: 'dark' });
    await eventually('pageviews', async () => (await kpi('pageviews').innerText()) === number(PAGEVIEWS));
    const background = await tab.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = background.match(/[\d.]+/g).map(Number);
    assert.ok(r + g + b < 200, `dark background, got ${background}`);
    await tab.screenshot({ path: `${SHOTS}dashboard-dark.png`, fullPage: true });

    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${hitkeep.base}/sites/${siteId}`);
    await phone.locator('[data-kpi="pageviews"] [data-testid="kpi-value"]', { hasText: number(PAGEVIEWS) }).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone, ${overflow}px`);
    await phone.screenshot({ path: `${SHOTS}dashboard-phone.png`, fullPage: true });
    await phone.close();
  });

  test('an error of the stats API shows the error state', async () => {
    await tab.route('**/api/sites/*/stats?**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"the store is not answering"}' }));
    await tab.goto(`${hitkeep.base}/sites/${siteId}?range=30d`);
    await tab.getByTestId('error').waitFor();
    assert.match(await tab.getByTestId('error').innerText(), /the store is not answering/);
    await tab.unroute('**/api/sites/*/stats?**');
    await tab.getByRole('button', { name: 'Retry' }).click();
    await tab.getByTestId('error').waitFor({ state: 'detached' });
    await eventually('pageviews after retry', async () => (await kpi('pageviews').innerText()) === number(PAGEVIEWS));
    problems.length = 0; // the 500 above is logged by the browser on purpose
  });

  test('the sites list: visitors today and a 30-day sparkline per site', async () => {
    await tab.goto(`${hitkeep.base}/`);
    const card = tab.locator('[data-testid="site-list"] li', { hasText: DOMAIN });
    await card.getByTestId('visitors-today').waitFor();
    const today = await tab.evaluate((path) => fetch(path).then((r) => r.json()),
      `/api/sites/${siteId}/stats?from=${day(0)}&to=${day(0)}`);
    assert.equal(await card.getByTestId('visitors-today').innerText(), number(today.summary.visitors));
    assert.equal(await card.getByTestId('waiting').count(), 0);
    const points = await card.locator('[data-testid="sparkline"] polyline').getAttribute('points');
    assert.equal(points.trim().split(/\s+/).length, 30, points);
    assert.match(points.trim().split(/\s+/).at(-1), /^100,1$/, 'today, the busiest day, is the top right point');
    assert.equal(await card.locator('a').getAttribute('href'), `/sites/${siteId}`);
    await tab.screenshot({ path: `${SHOTS}sites-overview-light.png`, fullPage: true });
    await card.locator('a').click();
    await tab.waitForURL(`**/sites/${siteId}`);
  });

  test('a hit yesterday (server-side ingest): today compares with it', async () => {
    const created = await post('/api/user/api-keys', { name: 'browser tests' });
    assert.ok(created.status === 200 || created.status === 201, JSON.stringify(created));
    const response = await fetch(`${hitkeep.base}/api/ingest/server/pageview`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${created.body.key}` },
      body: JSON.stringify({
        url: `https://${DOMAIN}/yesterday`, visitor_ip: '8.8.8.8', user_agent: USER_AGENT,
        timestamp: new Date(Date.now() - 864e5).toISOString(),
      }),
    });
    assert.ok(response.status >= 200 && response.status < 300, `server pageview: ${response.status} ${await response.text()}`);
    const statsOf = (from, to) => tab.evaluate((path) => fetch(path).then((r) => r.json()), `/api/sites/${siteId}/stats?from=${from}&to=${to}`);
    const before = await eventually('the hit of yesterday in the stats', async () => {
      const s = await statsOf(day(-1), day(-1));
      return s.summary.pageviews === 1 && s;
    });
    const now = await statsOf(day(0), day(0));
    const pct = (c, p) => Math.round(((c - p) / p) * 100);

    await tab.goto(`${hitkeep.base}/sites/${siteId}?range=today`);
    await eventually('pageviews KPI', async () => (await kpi('pageviews').innerText()) === number(now.summary.pageviews));
    const expected = (c, p) => `${c > p ? '▲ +' : '▼ −'}${number(Math.abs(pct(c, p)))}%`;
    await eventually('pageviews change', async () =>
      (await kpiChange('pageviews').innerText()) === expected(now.summary.pageviews, before.summary.pageviews));
    assert.equal(await kpiChange('visitors').innerText(), expected(now.summary.visitors, before.summary.visitors));
    assert.equal(await kpiChange('pageviews').getAttribute('data-trend'), 'up');
    assert.match(await kpiChange('pageviews').getAttribute('class'), /text-green-600/);
    // the bounce rate: lower is better, so a fall is green
    const bounce = pct(now.summary.bounce_rate, before.summary.bounce_rate);
    assert.ok(bounce < 0, `bounce rate ${before.summary.bounce_rate} -> ${now.summary.bounce_rate}`);
    assert.equal(await kpiChange('bounce_rate').getAttribute('data-trend'), 'down');
    assert.match(await kpiChange('bounce_rate').getAttribute('class'), /text-green-600/);
    await tab.screenshot({ path: `${SHOTS}dashboard-compare-light.png`, fullPage: true });
  });

  test('no errors and no CSP violations in the console', () => {
    assert.deepEqual(problems, []);
  });

  test('signing out shows the sign-in form, signing in again works', async () => {
    await tab.goto(`${hitkeep.base}/`);
    await tab.getByRole('button', { name: 'Sign out' }).click();
    await tab.getByTestId('auth-submit').waitFor();
    await tab.getByTestId('email').fill('owner@example.com');
    await tab.getByTestId('password').fill('dashboard-tests-password');
    await tab.getByTestId('auth-submit').click();
    await tab.getByTestId('site-list').waitFor();
  });
});

describe('dashboard sign-in with TOTP', () => {
  test('a second factor asks for the code', async () => {
    await tab.goto(`${hitkeep.base}/`);
    await tab.getByTestId('site-list').waitFor();
    const enrol = await post('/api/user/totp', {});
    assert.equal(enrol.status, 200, JSON.stringify(enrol));
    const confirmed = await post('/api/user/totp/confirm', { code: totp(enrol.body.secret, -1) });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed));

    await tab.getByRole('button', { name: 'Sign out' }).click();
    await tab.getByTestId('email').fill('owner@example.com');
    await tab.getByTestId('password').fill('dashboard-tests-password');
    await tab.getByTestId('auth-submit').click();
    await tab.getByTestId('totp-code').fill('000000' === totp(enrol.body.secret, 1) ? '111111' : '000000');
    await tab.getByRole('button', { name: 'Verify' }).click();
    await tab.getByTestId('auth-error').waitFor();
    await tab.getByTestId('totp-code').fill(totp(enrol.body.secret, 1));
    await tab.getByRole('button', { name: 'Verify' }).click();
    await tab.getByTestId('site-list').waitFor();
    problems.length = 0;
  });
});
