// Other tools' real tracker scripts in headless Chromium, pointed at the single binary instead of their own
// servers: Plausible's npm package (@plausible-analytics/tracker 0.4.6, installed) and Umami's tracker
// (umami 2.10.0's src/tracker/index.js, the file its build minifies into script.js; fetched with npm pack,
// since installing umami would bring its whole web application), plus GoatCounter's documented tracking
// pixel (count.js itself is not on the npm registry; its requests are the gateway's fixtures). Each test
// loads pages, navigates like a single-page app, sends a custom event with properties, and asserts what
// GET /api/sites/{id}/stats answers. Pages are served on 127.0.0.1 under *.test names (Chromium maps them); so is
// HitKeep as a GoatCounter code's host (quiet-code.hk.test), the way wildcard DNS points CODE.stats.example.com here.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { USER_AGENT, eventually, launchChromium, servePages, startHitKeep } from '../lib/harness.mjs';
import { packedFile } from '../lib/npm-package.mjs';

const PLAUSIBLE_SCRIPT = readFileSync(new URL('../node_modules/@plausible-analytics/tracker/plausible.js', import.meta.url), 'utf8');
const UMAMI_SCRIPT = packedFile('umami@2.10.0',
  'sha512-+lmrnV0751R6U2rkIgVAlE1nWI7yZawlMlJDguW9tlFacCKhnGeCyc7tCMIhNNYIiGIQy4DEX5IzJhm4b3+dPA==', 'src/tracker/index.js');
const UMAMI_WEBSITE = '3f2b8c1d-4e5a-4b6c-9d7e-8f9a0b1c2d3e';
const GOATCOUNTER_CODE = 'quiet-code';
const SHOTS = new URL('../target/screenshots/', import.meta.url).pathname;

let hitkeep;
let pages;
let browser;
const sites = {};

const html = (title, body) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

const routes = {
  // the npm package's documented use: init once (the domain may name several sites), track custom events
  '/plausible': () => html('Plausible page', `<h1>Plausible</h1><button id="signup">Sign up</button>
    <script type="module">
      import { init, track } from '/plausible.js';
      init({ domain: 'plausible.test,rollup.test', endpoint: '${hitkeep.base}/api/event' });
      document.getElementById('signup').addEventListener('click', () => track('Signup', { props: { plan: 'pro', seats: '3' } }));
    </script>`),
  // Umami's snippet with data-host-url pointing here; a data-umami-event button and a umami.track() call
  '/umami': () => html('Umami page', `<h1>Umami</h1>
    <button id="cta" data-umami-event="CTA Click" data-umami-event-position="hero">Start</button>
    <script defer src="/umami.js" data-website-id="${UMAMI_WEBSITE}" data-host-url="${hitkeep.base}"></script>`),
  // GoatCounter's documented pixel, and an event the way count.js sends one (an image with e=true)
  '/goat': () => html('Goat page', `<img alt="" src="${hitkeep.base}/count?p=%2Fgoat&t=Goat%20page&s=1280%2C720%2C1&rnd=a1b2c">
    <button id="subscribe">Subscribe</button>
    <script type="module">
      document.getElementById('subscribe').addEventListener('click', () => {
        document.body.appendChild(Object.assign(new Image(), { src: '${hitkeep.base}/count?p=newsletter-click&e=true&rnd=' + Math.random() }));
      });
    </script>`),
  // a page that sends no Referer, with the pixel on its GoatCounter code's host: only the code names the site
  '/quiet': () => html('Quiet page', `<meta name="referrer" content="no-referrer">
    <img alt="" src="http://${GOATCOUNTER_CODE}.hk.test:${new URL(hitkeep.base).port}/count?p=%2Fquiet&s=1280%2C720%2C1">`),
};

const pageviews = (stats, path) => stats.pages.find((row) => row.value === path)?.pageviews ?? 0;
const eventCount = (stats, name) => stats.events.find((row) => row.value === name)?.count ?? 0;
const prop = (stats, event, key) => stats.event_props?.find((row) => row.event === event && row.key === key)?.value;

/** A new browsing context with a non-headless user agent; scripts are served from here, requests recorded. */
async function visit(url, scripts = {}, { beforeLoad } = {}) {
  const context = await browser.newContext({ userAgent: USER_AGENT });
  if (beforeLoad) await context.addInitScript(beforeLoad);
  for (const [path, body] of Object.entries(scripts)) {
    await context.route(`**${path}`, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body }));
  }
  const tab = await context.newPage();
  const sent = [];
  tab.on('requestfinished', async (request) => {
    // HitKeep's port: its own address, or a GoatCounter code's host name for it
    if (new URL(request.url()).port !== new URL(hitkeep.base).port) return;
    const response = await request.response();
    sent.push({
      method: request.method(), path: new URL(request.url()).pathname, body: request.postData(),
      headers: await request.allHeaders(), status: response?.status(), answer: await response?.text().catch(() => ''),
    });
  });
  await tab.goto(url, { waitUntil: 'load' });
  return { context, tab, sent };
}

before(async () => {
  hitkeep = await startHitKeep();
  pages = await servePages((path) => routes[path.replace(/\/pricing$/, '')]?.());
  for (const domain of ['plausible.test', 'rollup.test', 'umami.test', 'goat.test', 'quiet.test']) {
    sites[domain] = (await hitkeep.api('POST', '/api/sites', { domain, name: domain, timezone: 'UTC' })).id;
  }
  await hitkeep.api('PATCH', `/api/sites/${sites['umami.test']}`, { umami_website_id: UMAMI_WEBSITE });
  await hitkeep.api('PATCH', `/api/sites/${sites['quiet.test']}`, { goatcounter_code: GOATCOUNTER_CODE });
  browser = await launchChromium({ args: ['--host-resolver-rules=MAP *.test 127.0.0.1'] });
});

after(async () => {
  await browser?.close();
  await pages?.close();
  await hitkeep?.stop();
});

describe('other tools\' trackers', () => {
  test('Plausible\'s npm tracker: pageviews, an SPA navigation and an event with props, counted in both sites of its domain', async () => {
    // the script skips automated browsers unless a page sets this flag, as Plausible's own tests do
    const { context, tab, sent } = await visit(`http://www.plausible.test:${pages.port}/plausible`, { '/plausible.js': PLAUSIBLE_SCRIPT },
      { beforeLoad: () => { window.__plausible = true; } });
    const events = () => sent.filter((request) => request.path === '/api/event').map((request) => ({ ...request, json: JSON.parse(request.body) }));
    await eventually('the first pageview', () => events().some((request) => request.json.n === 'pageview'));
    await tab.evaluate(() => history.pushState({}, '', '/plausible/pricing'));
    await tab.click('#signup');
    await eventually('two pageviews and the event', () => events().filter((request) => request.json.n === 'pageview').length === 2
      && events().some((request) => request.json.n === 'Signup'));
    for (const request of events()) {
      assert.equal(request.status, 202, JSON.stringify(request));
      assert.equal(request.answer, 'ok');
      assert.match(request.headers['content-type'], /^text\/plain/);
      assert.equal(request.json.d, 'plausible.test,rollup.test');
    }
    assert.deepEqual(events().find((request) => request.json.n === 'Signup').json.p, { plan: 'pro', seats: '3' });
    await context.close();

    for (const domain of ['plausible.test', 'rollup.test']) {
      const stats = await eventually(`the pages and the event in ${domain}`, async () => {
        const current = await hitkeep.stats(sites[domain]);
        return pageviews(current, '/plausible') === 1 && pageviews(current, '/plausible/pricing') === 1
          && eventCount(current, 'Signup') === 1 && current;
      });
      assert.equal(stats.summary.pageviews, 2, domain);
      assert.equal(stats.summary.visitors, 1, domain);
      assert.equal(prop(stats, 'Signup', 'plan'), 'pro');
      assert.equal(eventCount(stats, 'engagement'), 0, 'engagement pings are time on page, not events');
    }
  });

  test('Umami\'s tracker: the website id counts a subdomain\'s pages, SPA navigation, a click event and umami.track with data', async () => {
    const { context, tab, sent } = await visit(`http://shop.umami.test:${pages.port}/umami`, { '/umami.js': UMAMI_SCRIPT });
    const posts = () => sent.filter((request) => request.path === '/api/send' && request.method === 'POST')
      .map((request) => ({ ...request, json: JSON.parse(request.body) }));
    await eventually('the first pageview', () => posts().length === 1);
    await tab.evaluate(() => history.pushState({}, '', '/umami/pricing'));
    await eventually('the SPA pageview', () => posts().length === 2);
    await tab.click('#cta');
    await tab.evaluate(() => window.umami.track('Signup', { plan: 'pro', seats: 3 }));
    await eventually('two events', () => posts().length === 4);
    for (const request of posts()) {
      assert.equal(request.status, 200, JSON.stringify(request));
      assert.deepEqual(JSON.parse(request.answer), { ok: true });
      assert.equal(request.json.payload.website, UMAMI_WEBSITE);
      assert.equal(request.json.payload.hostname, 'shop.umami.test');
    }
    // after its first answer the tracker sends it back in x-umami-cache: the preflight must allow that header
    assert.ok(posts().slice(1).every((request) => request.headers['x-umami-cache']), 'x-umami-cache sent and let through');
    assert.deepEqual(posts().map((request) => request.json.payload.url), ['/umami', '/umami/pricing', '/umami/pricing', '/umami/pricing']);
    await context.close();

    // shop.umami.test has no site of its own: only the website id can have counted these for umami.test
    const stats = await eventually('the pages and events in umami.test', async () => {
      const current = await hitkeep.stats(sites['umami.test']);
      return pageviews(current, '/umami') === 1 && pageviews(current, '/umami/pricing') === 1
        && eventCount(current, 'Signup') === 1 && eventCount(current, 'CTA Click') === 1 && current;
    });
    assert.equal(stats.summary.pageviews, 2);
    assert.equal(stats.summary.visitors, 1);
    assert.equal(prop(stats, 'Signup', 'plan'), 'pro');
    assert.equal(prop(stats, 'CTA Click', 'position'), 'hero');
  });

  test('GoatCounter\'s tracking pixel and a count.js-style event image', async () => {
    const { context, tab, sent } = await visit(`http://www.goat.test:${pages.port}/goat`);
    await eventually('the pixel', () => sent.some((request) => request.path === '/count'));
    await tab.click('#subscribe');
    await eventually('the event image', () => sent.filter((request) => request.path === '/count').length === 2);
    for (const request of sent) {
      assert.equal(request.status, 200);
      assert.equal(request.headers.referer, `http://www.goat.test:${pages.port}/`, 'the page origin, as the default referrer policy sends it');
    }
    await context.close();
    const stats = await eventually('the page and the event in goat.test', async () => {
      const current = await hitkeep.stats(sites['goat.test']);
      return pageviews(current, '/goat') === 1 && eventCount(current, 'newsletter-click') === 1 && current;
    });
    assert.equal(stats.summary.pageviews, 1);
  });

  test('GoatCounter\'s pixel on a code\'s host, from a page that sends no Referer, counts for the code\'s site', async () => {
    const { context, sent } = await visit(`http://www.quiet.test:${pages.port}/quiet`);
    await eventually('the pixel', () => sent.some((request) => request.path === '/count'));
    const pixel = sent.find((request) => request.path === '/count');
    assert.equal(pixel.status, 200);
    assert.equal(pixel.headers.referer, undefined, 'no Referer: the page says no-referrer');
    assert.equal(pixel.headers.origin, undefined, 'nor an Origin: an image request');
    await context.close();
    const stats = await eventually('the page in quiet.test', async () => {
      const current = await hitkeep.stats(sites['quiet.test']);
      return pageviews(current, '/quiet') === 1 && current;
    });
    assert.equal(stats.summary.pageviews, 1);
  });

  test('the site settings show the lines to change in each snippet and set the Umami website id and GoatCounter code', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const context = await browser.newContext({ userAgent: USER_AGENT, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    const problems = [];
    tab.on('console', (message) => {
      if (message.type() === 'error' && !/401|Unauthorized|status of 404/.test(message.text())) problems.push(message.text());
    });
    // HitKeep under a host name (hk.test, mapped to 127.0.0.1), as a GoatCounter code's host needs one
    const named = `http://hk.test:${new URL(hitkeep.base).port}`;
    await tab.goto(`${named}/`);
    await tab.getByTestId('email').fill('owner@example.com');
    await tab.getByTestId('password').fill('browser-tests-password');
    await tab.getByTestId('auth-submit').click();
    await tab.getByTestId('settings-link').waitFor();
    await tab.goto(`${named}/sites/${sites['goat.test']}/settings`);
    const section = tab.getByTestId('tracker-migration');
    await section.waitFor();
    const lines = await section.getByTestId('migration-now').allTextContents();
    assert.ok(lines.includes(`<script defer data-domain="goat.test" data-api="${named}/api/event" src="https://plausible.io/js/script.js"></script>`),
      lines.join('\n'));
    assert.ok(lines.some((line) => line.includes(`data-host-url="${named}"`)), lines.join('\n'));
    assert.ok(lines.includes(`<script data-goatcounter="${named}/count" async src="//gc.zgo.at/count.js"></script>`), lines.join('\n'));

    const field = tab.getByTestId('umami-website-id');
    await field.fill('not-a-uuid');
    assert.ok(await tab.getByTestId('umami-save').locator('button').isDisabled(), 'a malformed id is not sent');
    // the id umami.test has: the server refuses a second site for it, and the page says so
    await field.fill(UMAMI_WEBSITE);
    await tab.getByTestId('umami-save').click();
    await tab.getByTestId('umami-message').getByText('another site has this Umami website id').waitFor();
    const own = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    await field.fill(own.toUpperCase());
    await tab.getByTestId('umami-save').click();
    // the success message itself: 'Saved' alone would also match the refusal above ("Not saved: ...") still shown
    await tab.getByTestId('umami-message').getByText('Saved: this website').waitFor();
    assert.equal((await hitkeep.api('GET', `/api/sites/${sites['goat.test']}`)).umami_website_id, own);
    assert.ok((await section.getByTestId('migration-now').allTextContents()).some((line) => line.includes(`data-website-id="${own}"`)),
      'the snippet shows the id just saved');

    const code = tab.getByTestId('goatcounter-code');
    await code.fill('a');
    assert.ok(await tab.getByTestId('goatcounter-save').locator('button').isDisabled(), 'a malformed code is not sent');
    // the code quiet.test has: refused for a second site, and the page says so
    await code.fill(GOATCOUNTER_CODE);
    await tab.getByTestId('goatcounter-save').click();
    await tab.getByTestId('goatcounter-message').getByText('another site has this GoatCounter code').waitFor();
    await code.fill('Goat-Site');
    await tab.getByTestId('goatcounter-save').click();
    await tab.getByTestId('goatcounter-message').getByText('Saved: hits').waitFor();
    const saved = await hitkeep.api('GET', `/api/sites/${sites['goat.test']}`);
    assert.equal(saved.goatcounter_code, 'goat-site', 'stored in lower case');
    assert.equal(saved.umami_website_id, own, 'saving the code keeps the Umami website id');
    const codeLines = await section.getByTestId('migration-now').allTextContents();
    assert.ok(codeLines.includes(`<script data-goatcounter="http://goat-site.hk.test:${new URL(hitkeep.base).port}/count" async src="//gc.zgo.at/count.js"></script>`),
      `the snippet sends to the code's host: ${codeLines.join('\n')}`);
    await code.fill('');
    await tab.getByTestId('goatcounter-save').click();
    await tab.getByTestId('goatcounter-message').getByText('Saved: no GoatCounter code.').waitFor();
    assert.equal((await hitkeep.api('GET', `/api/sites/${sites['goat.test']}`)).goatcounter_code, '');
    await code.fill('Goat-Site');
    await tab.getByTestId('goatcounter-save').click();
    await tab.getByTestId('goatcounter-message').getByText('Saved: hits').waitFor();
    await tab.screenshot({ path: `${SHOTS}compatible-trackers-settings.png`, fullPage: true });
    assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
    await context.close();
  });
});
