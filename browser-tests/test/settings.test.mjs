// The settings pages (module ui) in headless Chromium against the real single binary: API keys created and
// revoked in the browser, two-factor authentication turned on with a code computed here (RFC 6238) and
// then asked for at sign-in, a site's excluded paths and Do Not Track setting saved and read back, a weekly
// digest subscribed to, and a
// custom date range on the dashboard against what GET /api/sites/{id}/stats answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { day, eventually, kpiValue, launchChromium, number, startHitKeep, totp, USER_AGENT, watchedTab } from '../lib/harness.mjs';

const SHOTS = new URL('../target/screenshots/', import.meta.url).pathname;
const EMAIL = 'owner@example.com';
const PASSWORD = 'browser-tests-password'; // the harness's owner
const DOMAIN = 'settings.example';

let hitkeep;
let browser;
let context;
let tab;
let siteId;
const problems = [];
/** Forgets the browser's log line of a 400 the test asked for on purpose (a bad path, a wrong code). */
const expected400 = () => problems.splice(0, problems.length, ...problems.filter((p) => !/status of 400/.test(p)));

const kpi = (key) => kpiValue(tab, key);

/** A GET of the API from inside the page: same origin, the browser's session cookie. */
const get = (path) => tab.evaluate(async (p) => {
  const response = await fetch(p);
  if (!response.ok) throw new Error(`${p}: ${response.status}`);
  return response.json();
}, path);

async function signIn(code) {
  await tab.getByTestId('email').fill(EMAIL);
  await tab.getByTestId('password').fill(PASSWORD);
  await tab.getByTestId('auth-submit').click();
  if (code) {
    await tab.getByTestId('totp-code').fill(code());
    await tab.getByRole('button', { name: 'Verify' }).click();
  }
  await tab.getByTestId('settings-link').waitFor();
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  hitkeep = await startHitKeep();
  const site = await hitkeep.api('POST', '/api/sites', { domain: DOMAIN, name: 'Settings shop', timezone: 'UTC' });
  siteId = site.id;
  browser = await launchChromium();
  // a server without passkeys answers 404 to their list, and the settings page hides the section
  ({ context, tab } = await watchedTab(browser, problems, /\/api\/user\/passkeys$/));
  await tab.goto(`${hitkeep.base}/settings`);
  await signIn();
});

after(async () => {
  await browser?.close();
  await hitkeep?.stop();
});

describe('settings', () => {
  test('deep links to the settings pages get index.html', async () => {
    for (const path of ['/settings', `/sites/${siteId}/settings`]) {
      const response = await fetch(hitkeep.base + path);
      assert.equal(response.status, 200, path);
      assert.match(await response.text(), /<hk-root>/, path);
    }
  });

  test('the header links to the settings; the profile shows the email', async () => {
    await tab.goto(`${hitkeep.base}/`);
    await tab.getByTestId('settings-link').click();
    await tab.waitForURL('**/settings');
    await tab.locator('[data-testid="profile-email"]', { hasText: EMAIL }).waitFor();
    // the account's first events are in the activity list
    await tab.locator('[data-testid="audit-event"][data-event="login"]').first().waitFor();
    await tab.screenshot({ path: `${SHOTS}settings-light.png`, fullPage: true });
  });

  test('an API key: created (shown once), listed, revoked', async () => {
    await tab.goto(`${hitkeep.base}/settings`);
    await tab.getByTestId('no-keys').waitFor();
    await tab.getByTestId('key-name').fill('Backend');
    await tab.getByTestId('key-create').click();
    const shown = (await tab.getByTestId('new-key-value').innerText()).trim();
    const keys = await get('/api/user/api-keys');
    assert.equal(keys.length, 1, JSON.stringify(keys));
    assert.equal(keys[0].name, 'Backend');
    assert.ok(shown.startsWith(keys[0].prefix), `${shown} starts with ${keys[0].prefix}`);
    assert.ok(!JSON.stringify(keys).includes(shown), 'the list never has the key');
    const row = tab.locator(`[data-testid="key-row"][data-key-id="${keys[0].id}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`Backend\\s+${keys[0].prefix}`));
    // the key works: the stats API with it as a bearer
    const byKey = await fetch(`${hitkeep.base}/api/sites`, { headers: { Authorization: `Bearer ${shown}` } });
    assert.equal(byKey.status, 200);
    await tab.screenshot({ path: `${SHOTS}settings-api-key-light.png`, fullPage: true });

    await row.getByTestId('key-revoke').click();
    await row.getByTestId('key-revoke-confirm').click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(await get('/api/user/api-keys'), []);
    await eventually('a revoked key is refused', async () =>
      (await fetch(`${hitkeep.base}/api/sites`, { headers: { Authorization: `Bearer ${shown}` } })).status === 401);
    await tab.locator('[data-testid="audit-event"][data-event="api_key_revoked"]').first().waitFor();
  });

  test('a site: excluded paths and Do Not Track are saved, a bad path is refused with the server\'s reason', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    await tab.getByTestId('site-settings-link').click();
    await tab.waitForURL(`**/sites/${siteId}/settings`);
    const paths = tab.getByTestId('settings-excluded-paths');
    await paths.waitFor();
    assert.equal(await paths.inputValue(), '');
    const dnt = tab.locator('#settings-dnt');
    assert.equal(await dnt.isChecked(), true, 'Do Not Track is honoured by default');

    await paths.fill('no-slash');
    await tab.getByTestId('settings-save').click();
    await tab.locator('[data-testid="paths-error"]', { hasText: /path pattern/ }).waitFor();
    assert.match(await tab.getByTestId('settings-message').innerText(), /Not saved/);
    expected400();

    await paths.fill('/admin/*\n/preview\n');
    await tab.getByTestId('settings-excluded-ips').fill('203.0.113.0/24');
    await tab.getByText('Honour Do Not Track').click();
    assert.equal(await dnt.isChecked(), false);
    await tab.getByTestId('settings-save').click();
    await tab.locator('[data-testid="settings-message"]', { hasText: 'Saved.' }).waitFor();
    await tab.screenshot({ path: `${SHOTS}site-settings-light.png`, fullPage: true });

    await tab.reload();
    await eventually('saved values after a reload', async () => (await paths.inputValue()) === '/admin/*\n/preview');
    assert.equal(await tab.getByTestId('settings-excluded-ips').inputValue(), '203.0.113.0/24');
    assert.equal(await dnt.isChecked(), false);
    const site = await get(`/api/sites/${siteId}`);
    assert.equal(site.excluded_paths, '/admin/*,/preview');
    assert.equal(site.excluded_ips, '203.0.113.0/24');
    assert.equal(site.honour_dnt, false);

    // a new name: saved, or (a server that changes only the privacy settings) a warning that says so
    await tab.getByTestId('settings-name').fill('Renamed shop');
    await tab.getByTestId('settings-save').click();
    const message = await eventually('save message', async () => (await tab.getByTestId('settings-message').count())
      && await tab.getByTestId('settings-message').innerText());
    const renamed = (await get(`/api/sites/${siteId}`)).name === 'Renamed shop';
    assert.match(message, renamed ? /^Saved\.$/ : /did not change the name/, message);
    assert.equal(await tab.getByTestId('settings-name').inputValue(), renamed ? 'Renamed shop' : 'Settings shop');
  });

  test('e-mail digests: the weekly toggle subscribes, and this server without SMTP says so', async () => {
    await tab.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    const card = tab.getByTestId('report-subscription');
    await card.waitFor();
    await tab.getByTestId('reports-no-mail').waitFor();
    const weekly = tab.locator('#reports-weekly');
    assert.equal(await weekly.isChecked(), false, 'no digest by default');
    await tab.getByText('Weekly digest').click();
    await tab.locator('[data-testid="reports-message"]', { hasText: 'you get the weekly digest' }).waitFor();
    const subscription = await get(`/api/sites/${siteId}/reports`);
    assert.equal(subscription.weekly, true);
    assert.equal(subscription.monthly, false);
    assert.equal(subscription.mail_configured, false);
    await card.screenshot({ path: `${SHOTS}site-settings-digests.png` });
    await tab.reload();
    await eventually('the subscription after a reload', async () => weekly.isChecked());
  });

  test('a custom date range is in the URL and the KPIs are what the stats API answers for it', async () => {
    // pageviews today from two addresses (none excluded above)
    for (const [ip, path] of [['8.8.8.8', '/'], ['8.8.8.8', '/pricing'], ['1.1.1.1', '/']]) {
      const response = await fetch(`${hitkeep.base}/ingest`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'User-Agent': USER_AGENT, 'X-Forwarded-For': ip, 'Accept-Language': 'en-US' },
        body: JSON.stringify({ url: `https://${DOMAIN}${path}`, referrer: '', lang: 'en-US', vp_w: 1440, vp_h: 900 }),
      });
      assert.equal(response.status, 202);
    }
    const from = day(-2);
    const to = day(0);
    const stats = await eventually('3 pageviews in the stats', async () => {
      const s = await get(`/api/sites/${siteId}/stats?from=${from}&to=${to}`);
      return s.summary.pageviews === 3 && s;
    });

    await tab.goto(`${hitkeep.base}/sites/${siteId}`);
    await tab.getByTestId('range').click();
    await tab.getByRole('option', { name: 'Custom range…' }).click();
    // the end before the start is refused here, before any request
    await tab.getByTestId('custom-from').fill(to);
    await tab.getByTestId('custom-to').fill(day(-5));
    await tab.getByTestId('custom-apply').click();
    await tab.locator('[data-testid="custom-error"]', { hasText: 'must not be after' }).waitFor();

    await tab.getByTestId('custom-from').fill(from);
    await tab.getByTestId('custom-to').fill(to);
    await tab.getByTestId('custom-apply').click();
    await tab.waitForURL((url) => url.searchParams.get('range') === 'custom'
      && url.searchParams.get('from') === from && url.searchParams.get('to') === to);
    await eventually('pageviews KPI of the custom range', async () => (await kpi('pageviews').innerText()) === number(stats.summary.pageviews));
    assert.equal(await kpi('visitors').innerText(), number(stats.summary.visitors));
    assert.equal(await kpi('sessions').innerText(), number(stats.summary.sessions));
    assert.equal(await tab.getByTestId('range-days').innerText(), `${from} – ${to}`);
    await tab.getByTestId('chart-compare').waitFor();
    // the tooltip of the compared lines names the previous period's day
    const canvas = tab.locator('canvas').first();
    const box = await canvas.boundingBox();
    await tab.mouse.move(box.x + box.width - 5, box.y + box.height / 2);
    assert.match(await tab.getByTestId('chart-compare').innerText(), new RegExp(`${day(-5)} – ${day(-3)}`));

    // the link is the view: a reload keeps the range, a filter keeps it too
    await tab.reload();
    await eventually('custom range after reload', async () => (await kpi('pageviews').innerText()) === number(stats.summary.pageviews));
    await tab.locator('[data-panel="pages"] [data-value="/pricing"]').click();
    await tab.waitForURL((url) => url.searchParams.get('filter') === 'page:/pricing' && url.searchParams.get('from') === from);
    await tab.screenshot({ path: `${SHOTS}dashboard-custom-range-light.png`, fullPage: true });

    // a link with a range the API would refuse falls back to the default and says why
    await tab.goto(`${hitkeep.base}/sites/${siteId}?range=custom&from=2020-01-01&to=2026-01-01`);
    await tab.locator('[data-testid="range-error"]', { hasText: 'at most 3 years' }).waitFor();
  });

  test('a QR code from the server is shown as an image under the CSP', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="21" height="21" viewBox="0 0 21 21"><rect width="7" height="7"/><rect x="14" width="7" height="7"/><rect y="14" width="7" height="7"/></svg>';
    await tab.route('**/api/user/totp', (route) => route.request().method() === 'POST'
      ? route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({
        secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/HitKeep:owner@example.com?secret=JBSWY3DPEHPK3PXP',
        digits: 6, period: 30, algorithm: 'SHA1', qr_svg: svg }) })
      : route.continue());
    try {
      await tab.goto(`${hitkeep.base}/settings`);
      await tab.getByTestId('totp-start').click();
      const qr = tab.getByTestId('totp-qr');
      await qr.waitFor();
      assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml;base64,/);
      await eventually('the QR image is decoded', () => qr.evaluate((img) => img.complete && img.naturalWidth > 0));
      assert.equal(await tab.getByTestId('totp-secret').innerText(), 'JBSWY3DPEHPK3PXP');
      await tab.getByRole('button', { name: 'Cancel' }).click();
      await tab.getByTestId('totp-start').waitFor();
    } finally {
      await tab.unroute('**/api/user/totp');
    }
  });

  test('two-factor authentication: turned on in the browser, recovery codes once, then asked for at sign-in', async () => {
    await tab.goto(`${hitkeep.base}/settings`);
    const section = tab.getByTestId('totp');
    await eventually('two-factor is off', async () => (await section.getAttribute('data-state')) === 'off');
    await tab.getByTestId('totp-start').click();
    const secret = (await tab.getByTestId('totp-secret').innerText()).trim();
    assert.match(secret, /^[A-Z2-7]+=*$/);
    assert.match(await tab.getByTestId('totp-uri').textContent(), /^otpauth:\/\/totp\//);
    await tab.getByTestId('totp-confirm-code').fill('000000' === totp(secret, -1) ? '111111' : '000000');
    await tab.getByTestId('totp-confirm').click();
    await tab.locator('[data-testid="totp-message"]', { hasText: 'does not match' }).waitFor();
    expected400();
    await tab.getByTestId('totp-confirm-code').fill(totp(secret, -1));
    await tab.getByTestId('totp-confirm').click();
    const codes = tab.getByTestId('recovery-code');
    await codes.first().waitFor();
    assert.equal(await codes.count(), 10);
    assert.equal(await section.getAttribute('data-state'), 'on');
    const download = tab.waitForEvent('download');
    await tab.getByTestId('download-codes').click();
    assert.equal((await download).suggestedFilename(), 'hitkeep-recovery-codes.txt');
    await tab.screenshot({ path: `${SHOTS}settings-totp-light.png`, fullPage: true });
    await tab.getByTestId('codes-done').click();
    await codes.first().waitFor({ state: 'detached' });

    // a reload does not show them again, and still knows two-factor is on
    await tab.reload();
    await eventually('two-factor is on after a reload', async () => (await section.getAttribute('data-state')) === 'on');
    assert.equal(await codes.count(), 0);

    await tab.getByRole('button', { name: 'Sign out', exact: true }).click();
    // the step is taken when the code is made: a sign-in that crosses a step boundary uses the later one
    let signInStep;
    await signIn(() => {
      signInStep = Math.floor(Date.now() / 30000) + 1;
      return totp(secret, 1);
    });
    await tab.waitForURL('**/settings');

    // turning it off needs a code of a later step than the one just used (a code counts once)
    await eventually('the next TOTP step', () => Math.floor(Date.now() / 30000) >= signInStep, 40000);
    await tab.getByTestId('totp-disable-code').fill(totp(secret, 1));
    await tab.getByTestId('totp-disable').click();
    await tab.locator('[data-testid="totp-message"]', { hasText: 'is off' }).waitFor();
    assert.equal(await section.getAttribute('data-state'), 'off');
    await tab.locator('[data-testid="audit-event"][data-event="totp_disabled"]').first().waitFor();
  });

  test('dark theme and a phone', async () => {
    await tab.goto(`${hitkeep.base}/settings`);
    await tab.emulateMedia({ colorScheme: 'dark' });
    await tab.locator('[data-testid="profile-email"]', { hasText: EMAIL }).waitFor();
    const background = await tab.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = background.match(/[\d.]+/g).map(Number);
    assert.ok(r + g + b < 200, `dark background, got ${background}`);
    await tab.screenshot({ path: `${SHOTS}settings-dark.png`, fullPage: true });
    await tab.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    await tab.getByTestId('settings-excluded-paths').waitFor();
    await tab.screenshot({ path: `${SHOTS}site-settings-dark.png`, fullPage: true });
    await tab.emulateMedia({ colorScheme: 'light' });

    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const [path, ready, shot] of [['/settings', 'profile-email', 'settings-phone'],
      [`/sites/${siteId}/settings`, 'settings-excluded-paths', 'site-settings-phone']]) {
      await phone.goto(hitkeep.base + path);
      await phone.getByTestId(ready).waitFor();
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling on a phone at ${path}, ${overflow}px`);
      await phone.screenshot({ path: `${SHOTS}${shot}.png`, fullPage: true });
    }
    await phone.close();
  });

  test('the settings are usable from the keyboard: create and revoke a key with Tab and Enter', async () => {
    await tab.goto(`${hitkeep.base}/settings`);
    await tab.getByTestId('key-team').waitFor(); // shown once GET /api/user has named the teams
    await tab.getByTestId('key-name').focus();
    await tab.keyboard.type('Keyboard');
    // the key's team and role (the owner has one team), then the button
    await tab.keyboard.press('Tab');
    assert.equal(await tab.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'key-team');
    await tab.keyboard.press('Tab');
    assert.equal(await tab.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'key-role');
    await tab.keyboard.press('Tab');
    assert.equal(await tab.evaluate(() => document.activeElement?.textContent?.trim()), 'Create key');
    await tab.keyboard.press('Enter');
    await tab.getByTestId('new-key-value').waitFor();
    const [key] = await get('/api/user/api-keys');
    assert.equal(key.name, 'Keyboard');
    // revoking: Enter on "Revoke…" moves the focus to the confirmation, Enter there revokes
    const row = tab.locator(`[data-testid="key-row"][data-key-id="${key.id}"]`);
    await row.getByTestId('key-revoke').locator('button').focus();
    await tab.keyboard.press('Enter');
    await eventually('focus on the confirmation', () =>
      tab.evaluate(() => document.activeElement?.closest('[data-testid="key-revoke-confirm"]') !== null));
    await tab.keyboard.press('Enter');
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(await get('/api/user/api-keys'), []);
  });

  test('changing the password: done, or hidden when this server has no PUT /api/user/password yet', async () => {
    await tab.goto(`${hitkeep.base}/settings`);
    await tab.getByTestId('password-open').click();
    await tab.getByTestId('current-password').fill(PASSWORD);
    await tab.getByTestId('new-password').fill(`${PASSWORD}-changed`);
    await tab.getByTestId('password-submit').click();
    const outcome = await eventually('password outcome', async () =>
      (await tab.getByTestId('password-unsupported').count()) ? 'unsupported'
        : (await tab.getByTestId('password-message').count()) ? await tab.getByTestId('password-message').innerText() : null);
    assert.ok(outcome === 'unsupported' || /Password changed/.test(outcome), outcome);
    if (outcome === 'unsupported') assert.equal(await tab.getByTestId('password-form').count(), 0);
    problems.splice(0, problems.length, ...problems.filter((p) => !/status of 40[45]/.test(p)));
  });

  test('sign out everywhere asks first, then ends this session too', async () => {
    await tab.goto(`${hitkeep.base}/settings`);
    await tab.getByTestId('sign-out-everywhere').click();
    await tab.getByTestId('confirm-everywhere').click();
    await tab.getByTestId('auth-submit').waitFor();
    const me = await tab.evaluate(() => fetch('/api/user').then((r) => r.status));
    assert.equal(me, 401);
  });

  test('no errors and no CSP violations in the console', () => {
    assert.deepEqual(problems, []);
  });
});
