// hk.js in headless Chromium against the real single binary: each test loads pages that embed
// <script defer src="http://127.0.0.1:<port>/hk.js">, then asserts what GET /api/sites/{id}/stats answers.
// The pages live on 127.0.0.1 (the site's domain), so they carry data-allow-localhost.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { USER_AGENT, eventually, launchChromium, servePages, startHitKeep } from '../lib/harness.mjs';

let hitkeep;
let pages;
let browser;
let siteId;

// A page is rendered when asked for, once the ports are known; body may be a function for that reason too.
const page = (body, { attributes = 'data-allow-localhost', head = '' } = {}) => () => `<!doctype html>
<html><head><meta charset="utf-8"><title>test</title>${head}
<script defer src="${hitkeep.base}/hk.js" ${attributes}></script></head>
<body>${typeof body === 'function' ? body() : body}</body></html>`;

// The queue stub from the README: calls made before hk.js has loaded are kept in hk.q.
const STUB = '<script>window.hk=window.hk||{event:function(){(hk.q=hk.q||[]).push(arguments)}}</script>';

const routes = {
  '/plain': page('<h1>plain</h1>'),
  '/spa': page('<h1>app</h1>'),
  '/queued': page('<button id="cta" data-hk-event="CTA Click" data-hk-prop-position="hero" data-hk-prop-variant="b">Go</button>',
    { head: `${STUB}<script>hk.event('Signup', { plan: 'pro', seats: 3, trial: true })</script>` }),
  '/links': page(() => `<a id="out" href="http://localhost:${pages.port}/elsewhere">out</a>
    <a id="file" href="/files/report.pdf">report</a>`),
  '/dnt': page('<h1>do not track</h1>'),
  '/dnt-control': page('<h1>control</h1>'),
  '/localhost-default': page('<h1>no data-allow-localhost</h1>', { attributes: '' }),
  '/engaged': page('<h1>read for a while</h1>'),
  '/routes': page('<a id="about" href="#/about">about</a>', { attributes: 'data-allow-localhost data-hash' }),
};

async function stats() {
  return hitkeep.stats(siteId);
}

const pageviews = (result, path) => result.pages.find((row) => row.value === path)?.pageviews ?? 0;
const eventCount = (result, name) => result.events.find((row) => row.value === name)?.count ?? 0;

/** A new browsing context (its own sessionStorage) with a non-headless user agent. */
async function visit(path, { dnt = false, host = '127.0.0.1' } = {}) {
  const context = await browser.newContext({ userAgent: USER_AGENT });
  if (dnt) {
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }));
  }
  const tab = await context.newPage();
  const sent = [];
  tab.on('request', (request) => {
    if (request.url().startsWith(hitkeep.base + '/ingest')) {
      sent.push({ path: new URL(request.url()).pathname, body: JSON.parse(request.postData()), type: request.headers()['content-type'] });
    }
  });
  await tab.goto(`http://${host}:${pages.port}${path}`, { waitUntil: 'load' });
  return { context, tab, sent };
}

before(async () => {
  hitkeep = await startHitKeep();
  pages = await servePages((path) => routes[path]?.());
  siteId = (await hitkeep.api('POST', '/api/sites', { domain: '127.0.0.1', name: 'Browser tests', timezone: 'UTC' })).id;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await pages?.close();
  await hitkeep?.stop();
});

describe('hk.js', () => {
  test('is served minified, cacheable and with a content hash ETag', async () => {
    const response = await fetch(`${hitkeep.base}/hk.js`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(response.headers.get('cache-control'), /max-age=86400/);
    const etag = response.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.ok((await response.text()).length <= 2048);
    const again = await fetch(`${hitkeep.base}/hk.js`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
  });

  test('a plain page counts one pageview, sent as text/plain', async () => {
    const { context, sent } = await visit('/plain');
    await eventually('the beacon', () => sent.length === 1);
    assert.equal(sent[0].path, '/ingest');
    assert.match(sent[0].type, /^text\/plain/);
    assert.equal(sent[0].body.url, `http://127.0.0.1:${pages.port}/plain`);
    assert.ok(sent[0].body.session_id);
    await context.close();
    await eventually('1 pageview of /plain', async () => pageviews(await stats(), '/plain') === 1);
  });

  test('a single-page app navigating three times counts four pageviews, none twice', async () => {
    const { context, tab, sent } = await visit('/spa');
    await tab.evaluate(() => {
      history.pushState({}, '', '/spa/one');
      history.replaceState({ scroll: 1 }, '', '/spa/one'); // same URL: not a new pageview
      history.pushState({}, '', '/spa/two');
      history.pushState({}, '', '/spa/two'); // same URL again
      history.pushState({}, '', '/spa/three');
    });
    await eventually('four beacons', () => sent.filter((hit) => hit.path === '/ingest').length === 4);
    const sessions = new Set(sent.map((hit) => hit.body.session_id));
    assert.equal(sessions.size, 1, 'one session for the whole visit');
    await tab.waitForTimeout(300);
    await context.close();
    const result = await eventually('the SPA pages', async () => {
      const current = await stats();
      return ['/spa', '/spa/one', '/spa/two', '/spa/three'].every((path) => pageviews(current, path) >= 1) && current;
    });
    for (const path of ['/spa', '/spa/one', '/spa/two', '/spa/three']) {
      assert.equal(pageviews(result, path), 1, path);
    }
  });

  test('with data-hash every hash route is a pageview, and each route\'s time on page goes with its own URL', async () => {
    const { context, tab, sent } = await visit('/routes');
    await tab.waitForTimeout(300);
    await tab.click('#about'); // a fragment navigation: popstate, then hashchange
    await tab.waitForTimeout(300);
    await tab.evaluate(() => { location.hash = '#/users'; });
    const base = `http://127.0.0.1:${pages.port}/routes`;
    await eventually('three pageviews', () => sent.filter((hit) => hit.path === '/ingest').length === 3);
    assert.deepEqual(sent.filter((hit) => hit.path === '/ingest').map((hit) => hit.body.url),
      [base, `${base}/about`, `${base}/users`]);
    const pings = sent.filter((hit) => hit.path === '/ingest/engagement').map((hit) => hit.body);
    assert.deepEqual(pings.map((ping) => ping.url), [base, `${base}/about`], 'a ping before each route change');
    for (const ping of pings) assert.ok(ping.engaged_ms >= 250 && ping.engaged_ms < 5000, `engaged_ms ${ping.engaged_ms}`);
    await context.close();
  });

  test('hk.event calls made before load are queued and sent with their props; data-hk-event sends on click', async () => {
    const { context, tab, sent } = await visit('/queued');
    await tab.click('#cta');
    await eventually('two events', () => sent.filter((hit) => hit.path === '/ingest/event').length === 2);
    const events = sent.filter((hit) => hit.path === '/ingest/event').map((hit) => hit.body);
    assert.deepEqual(events.find((event) => event.name === 'Signup').props, { plan: 'pro', seats: 3, trial: true });
    assert.deepEqual(events.find((event) => event.name === 'CTA Click').props, { position: 'hero', variant: 'b' });
    await context.close();
    await eventually('Signup and CTA Click in the stats', async () => {
      const current = await stats();
      return eventCount(current, 'Signup') === 1 && eventCount(current, 'CTA Click') === 1;
    });
  });

  test('an outbound click and a download click are events, and navigation still happens', async () => {
    const { context, tab, sent } = await visit('/links');
    const download = tab.waitForEvent('download');
    await tab.click('#file');
    await download;
    await Promise.all([tab.waitForURL(`http://localhost:${pages.port}/elsewhere`), tab.click('#out')]);
    await eventually('two events', () => sent.filter((hit) => hit.path === '/ingest/event').length === 2);
    const events = sent.filter((hit) => hit.path === '/ingest/event').map((hit) => hit.body);
    assert.deepEqual(events.find((event) => event.name === 'Outbound Link: Click').props,
      { url: `http://localhost:${pages.port}/elsewhere` });
    assert.deepEqual(events.find((event) => event.name === 'File Download').props,
      { url: `http://127.0.0.1:${pages.port}/files/report.pdf` });
    await context.close();
    await eventually('both events in the stats', async () => {
      const current = await stats();
      return eventCount(current, 'Outbound Link: Click') === 1 && eventCount(current, 'File Download') === 1;
    });
  });

  test('a Do-Not-Track visitor is not counted', async () => {
    const dnt = await visit('/dnt', { dnt: true });
    await dnt.tab.evaluate(() => hk.event('DNT Event'));
    await dnt.tab.waitForTimeout(500);
    assert.deepEqual(dnt.sent, [], 'nothing sent');
    await dnt.context.close();
    // A visit after it is counted, so by then the DNT visit would have been too.
    const control = await visit('/dnt-control');
    await control.context.close();
    const result = await eventually('the control pageview', async () => {
      const current = await stats();
      return pageviews(current, '/dnt-control') === 1 && current;
    });
    assert.equal(pageviews(result, '/dnt'), 0);
    assert.equal(eventCount(result, 'DNT Event'), 0);
  });

  test('a page on a loopback address is skipped without data-allow-localhost', async () => {
    const { context, tab, sent } = await visit('/localhost-default');
    await tab.waitForTimeout(500);
    assert.deepEqual(sent, []);
    await context.close();
  });

  test('time on page goes out when the page is hidden, so a one-page visit has a duration', async () => {
    // A site of its own (the pages on localhost), so the other tests' zero-length visits do not dilute the average.
    const site = await hitkeep.api('POST', '/api/sites', { domain: 'localhost', name: 'Engagement', timezone: 'UTC' });
    const { context, tab, sent } = await visit('/engaged', { host: 'localhost' });
    await eventually('the pageview', () => sent.length === 1);
    await tab.waitForTimeout(1500);
    // Leaving the page hides it: the ping is sent as it goes.
    await tab.goto(`http://localhost:${pages.port}/elsewhere`);
    await eventually('the engagement ping', () => sent.some((hit) => hit.path === '/ingest/engagement'));
    const pings = sent.filter((hit) => hit.path === '/ingest/engagement');
    assert.equal(pings.length, 1);
    assert.match(pings[0].type, /^text\/plain/);
    assert.equal(pings[0].body.url, `http://localhost:${pages.port}/engaged`);
    assert.equal(pings[0].body.session_id, sent[0].body.session_id);
    const engaged = pings[0].body.engaged_ms;
    assert.ok(Number.isInteger(engaged) && engaged >= 1000 && engaged <= 10000, `engaged_ms ${engaged}`);
    await context.close();
    const result = await eventually('a session duration', async () => {
      const current = await hitkeep.stats(site.id);
      return current.summary.avg_session_duration > 0 && current;
    });
    assert.equal(result.summary.sessions, 1);
    assert.equal(result.summary.pageviews, 1);
    assert.ok(result.summary.avg_session_duration >= 1, `avg_session_duration ${result.summary.avg_session_duration}`);
  });
});
