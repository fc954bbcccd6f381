// The import screen of a site's settings (module ui) in headless Chromium against the real single binary:
// a GoatCounter export uploaded with its progress shown, listed, its numbers on the dashboard (with the
// note that imported data is in them), a bad file refused with the server's reason (file and line), a
// Plausible upload that is no zip stopped before it is sent, and the import deleted again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { USER_AGENT, eventually, kpiValue, launchChromium, number, startHitKeep } from '../lib/harness.mjs';

const SHOTS = new URL('../target/screenshots/', import.meta.url).pathname;
const EXPORT = readFileSync(new URL('../../app/src/test/resources/imports/goatcounter-export.csv', import.meta.url));
const HEADER = EXPORT.toString('utf8').split('\n')[0];

let hitkeep;
let browser;
let tab;
let siteId;
const problems = [];

/** A GET of the API from inside the page: same origin, the browser's session cookie. */
const get = (path) => tab.evaluate(async (p) => (await fetch(p)).json(), path);

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  hitkeep = await startHitKeep();
  siteId = (await hitkeep.api('POST', '/api/sites', { domain: 'imports.example', name: 'Imported shop', timezone: 'Europe/Berlin' })).id;
  browser = await launchChromium();
  const context = await browser.newContext({ userAgent: USER_AGENT, timezoneId: 'UTC', locale: 'en-US', viewport: { width: 1280, height: 900 } });
  tab = await context.newPage();
  tab.on('console', (message) => {
    if (message.type() === 'error' && !/401|Unauthorized|status of 400/.test(message.text())) problems.push(message.text());
  });
  tab.on('pageerror', (error) => problems.push(String(error)));
  await tab.goto(`${hitkeep.base}/sites/${siteId}/settings`);
  await tab.getByTestId('email').fill('owner@example.com');
  await tab.getByTestId('password').fill('browser-tests-password');
  await tab.getByTestId('auth-submit').click();
  await tab.getByTestId('settings-link').waitFor();
});

after(async () => {
  await browser?.close();
  await hitkeep?.stop();
});

describe('imports', () => {
  test('a GoatCounter export: uploaded with progress, listed, counted on the dashboard, deleted', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    await tab.getByTestId('no-imports').waitFor();
    // the export's seven pageviews, then many bots' rows (left out) so that the upload takes a moment
    const bots = `/,,false,Googlebot/2.1,Googlebot 2,,s,7,,,,,true,2024-05-01T10:00:00Z\n`.repeat(150_000);
    await tab.getByTestId('import-file').setInputFiles({
      name: 'goatcounter-export-imports-20240503.csv', mimeType: 'text/csv', buffer: Buffer.concat([EXPORT, Buffer.from(bots)]),
    });
    await tab.getByTestId('import-submit').click();
    await tab.getByTestId('import-progress').waitFor();
    const message = tab.getByTestId('import-message');
    await message.waitFor({ timeout: 60000 });
    assert.equal((await message.innerText()).trim(), 'Imported 7 pageviews, 2024-05-01 – 2024-05-02.');
    const row = tab.getByTestId('import-row');
    await row.waitFor();
    assert.match(await row.innerText(), /GoatCounter · 2024-05-01 – 2024-05-02 · 7 pageviews/);
    await tab.screenshot({ path: `${SHOTS}site-imports-light.png`, fullPage: true });
    const listed = await get(`/api/sites/${siteId}/imports`);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].file_name, 'goatcounter-export-imports-20240503.csv');

    await tab.goto(`${hitkeep.base}/sites/${siteId}?range=custom&from=2024-05-01&to=2024-05-02`);
    await eventually('the imported pageviews on the dashboard', async () => (await kpiValue(tab, 'pageviews').innerText()) === number(7));
    assert.equal(await kpiValue(tab, 'visitors').innerText(), number(5));
    assert.match(await tab.getByTestId('imported-note').innerText(), /Includes imported data \(2024-05-01 – 2024-05-02\)/);

    await tab.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    await tab.getByTestId('import-delete').click();
    await tab.getByTestId('import-delete-confirm').click();
    await tab.getByTestId('no-imports').waitFor();
    assert.deepEqual(await get(`/api/sites/${siteId}/imports`), []);
    const stats = await get(`/api/sites/${siteId}/stats?from=2024-05-01&to=2024-05-02`);
    assert.equal(stats.summary.pageviews, 0);
  });

  test('a bad file is refused with its line; a Plausible upload that is no zip is stopped before it is sent', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    await tab.getByTestId('no-imports').waitFor();
    const bad = `${HEADER}\n/,,false,,,,s,0,,,,,true,2024-05-01T10:00:00Z\n/,,maybe,,,,s,0,,,,,true,2024-05-01T10:00:00Z\n`;
    await tab.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await tab.getByTestId('import-submit').click();
    await tab.locator('[data-testid="import-message"]', { hasText: 'Not imported' }).waitFor();
    assert.equal((await tab.getByTestId('import-message').innerText()).trim(),
      "Not imported: bad.csv line 3: column Event: 'maybe' is neither true nor false");

    let uploads = 0;
    tab.on('request', (request) => { if (request.method() === 'POST' && request.url().includes('/imports')) uploads++; });
    await tab.getByTestId('import-file').setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await tab.getByTestId('import-source').click();
    await tab.getByRole('option', { name: 'Plausible (.zip)' }).click();
    await tab.getByTestId('import-submit').click();
    await tab.locator('[data-testid="import-message"]', { hasText: 'A Plausible export is the .zip file' }).waitFor();
    assert.equal(uploads, 0, 'nothing was sent');
    assert.deepEqual(await get(`/api/sites/${siteId}/imports`), []);
    assert.deepEqual(problems, []);
  });
});
