// Teams, sharing and recovery (module ui) in headless Chromium against the real single binary: the owner
// invites an admin by link, the admin opens it in a second browser, creates an account and sees the
// team's site; the owner makes the admin a member and the site's settings controls go away; a share link
// with a password opened by a stranger (wrong, then right password) shows what the stats API answers;
// a password reset through the sign-in page with the link the server logs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { USER_AGENT, eventually, kpiValue, launchChromium, number, startHitKeep, watchedTab } from '../lib/harness.mjs';

const SHOTS = new URL('../target/screenshots/', import.meta.url).pathname;
const OWNER = 'owner@example.com';
const OWNER_PASSWORD = 'browser-tests-password'; // the harness's owner
const ADMIN = 'colleague@example.com';
const ADMIN_PASSWORD = 'colleague-password-1';
const NEW_PASSWORD = 'colleague-password-2';
const SHARE_PASSWORD = 'share-secret-7';
const DOMAIN = 'teams.example';

let hitkeep;
let browser;
let siteId;
let invitationLink;
let shareLink;
const contexts = [];
const problems = [];


/** A fresh browser (own cookies) whose console errors count as problems, except the ones a test asks for. */
async function newTab({ expect404 = false } = {}) {
  // 401: signed-out pages ask whether a session exists; the wrong share password is one on purpose. A server
  // without passkeys answers 404 to their list (the settings page hides the section); a used invitation and
  // a revoked share link are 404s asked for on purpose
  const { context, tab } = await watchedTab(browser, problems, expect404 ? /./ : /\/api\/user\/passkeys$/);
  contexts.push(context);
  return tab;
}

async function signIn(tab, email, password, { remember = false } = {}) {
  await tab.getByTestId('email').fill(email);
  await tab.getByTestId('password').fill(password);
  if (remember) await tab.getByTestId('remember').check();
  await tab.getByTestId('auth-submit').click();
  await tab.getByTestId('settings-link').waitFor();
}

let owner;
let colleague;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  hitkeep = await startHitKeep();
  const site = await hitkeep.api('POST', '/api/sites', { domain: DOMAIN, name: 'Team shop', timezone: 'UTC' });
  siteId = site.id;
  for (const [ip, path] of [['203.0.113.10', '/'], ['203.0.113.11', '/'], ['203.0.113.11', '/pricing'], ['198.51.100.7', '/blog']]) {
    const response = await fetch(`${hitkeep.base}/ingest`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'User-Agent': USER_AGENT, 'X-Forwarded-For': ip, 'Accept-Language': 'en-US' },
      body: JSON.stringify({ url: `https://${DOMAIN}${path}`, referrer: '', lang: 'en-US', vp_w: 1440, vp_h: 900 }),
    });
    assert.equal(response.status, 202);
  }
  await eventually('the hits are counted', async () => (await hitkeep.stats(siteId)).summary.pageviews === 4);
  browser = await launchChromium();
  owner = await newTab();
  await owner.goto(`${hitkeep.base}/settings/teams`);
  await signIn(owner, OWNER, OWNER_PASSWORD);
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await hitkeep?.stop();
});

describe('teams', () => {
  test('the owner sees the team with its role and invites an admin by link', async () => {
    await owner.getByTestId('team').waitFor();
    assert.equal(await owner.getByTestId('my-role').innerText(), 'Owner');
    assert.equal(await owner.getByTestId('team-row').count(), 1);
    await owner.getByTestId('team-keys').waitFor();
    await owner.getByTestId('team-activity').waitFor();
    await owner.getByTestId('invite-role').selectOption('admin');
    await owner.getByTestId('invite-create').click();
    const link = owner.getByTestId('invitation-link');
    await link.waitFor();
    invitationLink = (await link.innerText()).trim();
    assert.match(invitationLink, new RegExp(`^${hitkeep.base.replace(/[.]/g, '\\.')}/invite/[A-Za-z0-9_-]{20,}$`));
    await eventually('the open invitation is listed', async () => (await owner.getByTestId('invitation-row').count()) === 1);
    assert.match(await owner.getByTestId('invitation-row').innerText(), /Admin · anyone with the link/);
    await owner.screenshot({ path: `${SHOTS}teams-invite.png`, fullPage: true });
  });

  test('the admin opens the link in another browser, creates an account and sees the team\'s site', async () => {
    colleague = await newTab();
    await colleague.goto(invitationLink);
    await colleague.getByTestId('invite-register').waitFor();
    assert.equal(await colleague.getByTestId('invite-role').innerText(), 'Admin');
    assert.ok((await colleague.getByTestId('invite-team').innerText()).length > 0);
    await colleague.screenshot({ path: `${SHOTS}teams-invitation-page.png`, fullPage: true });
    await colleague.getByTestId('invite-email-input').fill(ADMIN);
    await colleague.getByTestId('invite-password').fill(ADMIN_PASSWORD);
    await colleague.getByTestId('invite-submit').click();
    await colleague.getByTestId('site-list').waitFor();
    assert.match(await colleague.getByTestId('site-list').innerText(), new RegExp(DOMAIN.replace('.', '\\.')));
    // an admin changes the site's settings and its share links, but does not delete it
    await colleague.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    await colleague.getByTestId('share-links').waitFor();
    await colleague.getByTestId('settings-save').waitFor();
    assert.equal(await colleague.getByTestId('delete-site').count(), 0);
    assert.equal(await colleague.getByTestId('site-settings-readonly').count(), 0);
    // a used link says so
    const again = await newTab({ expect404: true });
    await again.goto(invitationLink);
    await again.getByTestId('invite-error').waitFor();
    assert.match(await again.getByTestId('invite-error').innerText(), /used or expired/);
  });

  test('the owner makes the admin a member: the site\'s settings controls go away', async () => {
    await owner.reload();
    const row = owner.locator(`[data-testid="member-row"][data-email="${ADMIN}"]`);
    await row.waitFor();
    await row.getByTestId('member-role-select').selectOption('member');
    await eventually('role changed', async () => /Role changed to Member/.test(await owner.getByTestId('team-message').innerText()));
    assert.equal(await row.getByTestId('member-role-select').inputValue(), 'member');
    await owner.screenshot({ path: `${SHOTS}teams-members.png`, fullPage: true });

    await colleague.goto(`${hitkeep.base}/sites/${siteId}`);
    await colleague.getByTestId('site-title').waitFor();
    await eventually('the KPIs load', async () => (await colleague.locator('[data-kpi="pageviews"] [data-testid="kpi-value"]').innerText()) !== '–');
    assert.equal(await colleague.getByTestId('site-settings-link').count(), 0, 'no settings link for a member');
    await colleague.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    await colleague.getByTestId('site-settings-readonly').waitFor();
    assert.equal(await colleague.getByTestId('settings-save').count(), 0);
    assert.equal(await colleague.getByTestId('share-links').count(), 0);
    assert.equal(await colleague.getByTestId('delete-site').count(), 0);
    assert.ok(await colleague.getByTestId('settings-name').isDisabled());
    await colleague.screenshot({ path: `${SHOTS}teams-member-site-settings.png`, fullPage: true });
    // the member sees the team, without invitations, roles to change, keys or activity
    await colleague.goto(`${hitkeep.base}/settings/teams`);
    await colleague.getByTestId('team').waitFor();
    assert.equal(await colleague.getByTestId('my-role').innerText(), 'Member');
    assert.equal(await colleague.getByTestId('invite').count(), 0);
    assert.equal(await colleague.getByTestId('member-role-select').count(), 0);
    assert.equal(await colleague.getByTestId('team-keys').count(), 0);
    assert.equal(await colleague.getByTestId('team-activity').count(), 0);
  });
});

describe('a second team', () => {
  test('the owner creates a team and invites the signed-in colleague by e-mail, who joins with one button', async () => {
    await owner.goto(`${hitkeep.base}/settings/teams`);
    await owner.getByTestId('team-name').fill('Second team');
    await owner.getByTestId('team-create').click();
    await eventually('the new team is chosen', async () => (await owner.getByTestId('team-title').innerText()) === 'Second team');
    assert.equal(await owner.getByTestId('team-row').count(), 2);
    assert.match(owner.url(), /[?&]team=\d+/);
    await owner.getByTestId('invite-role').selectOption('member');
    await owner.getByTestId('invite-email').fill(ADMIN);
    await owner.getByTestId('invite-create').click();
    const link = (await owner.getByTestId('invitation-link').innerText()).trim();
    assert.match(await owner.getByTestId('invitation-row').innerText(), new RegExp(`Member · ${ADMIN.replace('.', '\\.')}`));

    await colleague.goto(link);
    await colleague.getByTestId('invite-join').waitFor();
    assert.equal(await colleague.getByTestId('invite-team').innerText(), 'Second team');
    await colleague.getByTestId('invite-join').click();
    await colleague.getByTestId('site-list').waitFor();
    await colleague.goto(`${hitkeep.base}/settings/teams`);
    await eventually('two teams', async () => (await colleague.getByTestId('team-row').count()) === 2);
    // an invitation revoked before use is gone from the list
    await owner.getByTestId('invite-create').click();
    await eventually('one open invitation', async () => (await owner.getByTestId('invitation-row').count()) === 1);
    await owner.getByTestId('invitation-revoke').click();
    await owner.getByTestId('no-invitations').waitFor();
  });
});

describe('sharing', () => {
  test('the owner creates a share link with a password; it is listed', async () => {
    await owner.goto(`${hitkeep.base}/sites/${siteId}/settings`);
    await owner.getByTestId('share-links').waitFor();
    await owner.getByTestId('delete-site').waitFor();
    await owner.getByTestId('share-label').fill('Client');
    await owner.getByTestId('share-password-new').fill(SHARE_PASSWORD);
    await owner.getByTestId('share-create').click();
    await owner.getByTestId('new-share-link').waitFor();
    shareLink = (await owner.getByTestId('share-link-value').innerText()).trim();
    assert.match(shareLink, /\/share\/[A-Za-z0-9_-]{20,}$/);
    await eventually('the link is listed', async () => (await owner.getByTestId('share-link-row').count()) === 1);
    assert.match(await owner.getByTestId('share-link-row').innerText(), /Client · password/);
    assert.equal(await owner.getByTestId('delete-site-submit').locator('button').isDisabled(), true, 'delete waits for the typed domain');
    await owner.screenshot({ path: `${SHOTS}share-links.png`, fullPage: true });
  });

  test('a stranger opens the link: wrong password, then the right one; the numbers are the stats API\'s', async () => {
    const stranger = await newTab();
    await stranger.goto(shareLink);
    await stranger.getByTestId('share-unlock').waitFor();
    await stranger.getByTestId('share-password').fill('not the password');
    await stranger.getByTestId('share-submit').click();
    await stranger.getByTestId('share-password-error').waitFor();
    assert.match(await stranger.getByTestId('share-password-error').innerText(), /Wrong password/);
    await stranger.getByTestId('share-password').fill(SHARE_PASSWORD);
    await stranger.getByTestId('share-submit').click();
    await stranger.getByTestId('share-banner').waitFor();
    assert.equal(await stranger.getByTestId('site-title').innerText(), 'Team shop');
    const [from, to] = (await stranger.getByTestId('range-days').innerText()).split(' – ');
    const stats = await hitkeep.api('GET', `/api/sites/${siteId}/stats?from=${from}&to=${to}`);
    assert.equal(stats.summary.pageviews, 4);
    const kpi = (key) => kpiValue(stranger, key);
    await eventually('pageviews KPI', async () => (await kpi('pageviews').innerText()) === number(stats.summary.pageviews));
    assert.equal(await kpi('visitors').innerText(), number(stats.summary.visitors));
    assert.equal(await kpi('sessions').innerText(), number(stats.summary.sessions));
    // the cards come first, the top lists right after them
    await eventually('the lists', async () => (await stranger.getByTestId('panel-loading').count()) === 0);
    const pages = await stranger.locator('[data-panel="pages"] [data-testid="row"]').evaluateAll((rows) => rows.map((r) => r.dataset.value));
    assert.deepEqual(pages.sort(), stats.pages.map((p) => p.value).sort());
    // read-only: no way into the account's pages
    assert.equal(await stranger.getByTestId('site-settings-link').count(), 0);
    assert.equal(await stranger.getByTestId('settings-link').count(), 0);
    assert.equal(await stranger.getByTestId('live').count(), 0);
    // a filter works on the shared view too
    await stranger.locator('[data-panel="pages"] [data-testid="row"][data-value="/pricing"]').click();
    await stranger.getByTestId('filter-chip').waitFor();
    const filtered = await hitkeep.api('GET', `/api/sites/${siteId}/stats?from=${from}&to=${to}&filter=page:/pricing`);
    await eventually('filtered pageviews', async () => (await kpi('pageviews').innerText()) === number(filtered.summary.pageviews));
    await stranger.screenshot({ path: `${SHOTS}share-dashboard.png`, fullPage: true });
    // a reload keeps the access (this tab's session storage), a revoked link is gone
    await stranger.reload();
    await stranger.getByTestId('share-banner').waitFor();
    // done loading before the next test revokes the link under it
    await eventually('the lists after the reload', async () => (await stranger.getByTestId('panel-loading').count()) === 0
      && (await stranger.locator('[data-panel="pages"] [data-testid="row"]').count()) > 0);
  });

  test('a revoked share link shows that it is gone', async () => {
    await owner.getByTestId('share-revoke').click();
    await owner.getByTestId('no-share-links').waitFor();
    const late = await newTab({ expect404: true });
    await late.goto(shareLink);
    await late.getByTestId('share-error').waitFor();
  });
});

describe('deleting a site', () => {
  test('the owner deletes a site after typing its domain; it is gone from the list', async () => {
    const doomed = await hitkeep.api('POST', '/api/sites', { domain: 'doomed.example', name: 'Doomed', timezone: 'UTC' });
    await owner.goto(`${hitkeep.base}/sites/${doomed.id}/settings`);
    await owner.getByTestId('delete-site').waitFor();
    const submit = owner.getByTestId('delete-site-submit').locator('button');
    await owner.getByTestId('delete-confirm').fill('doomed.exampl');
    assert.equal(await submit.isDisabled(), true, 'a wrong domain does not enable the button');
    await owner.getByTestId('delete-confirm').fill('doomed.example');
    await eventually('the button is enabled', async () => !(await submit.isDisabled()));
    await submit.click();
    await owner.getByTestId('site-list').waitFor();
    assert.doesNotMatch(await owner.getByTestId('site-list').innerText(), /doomed\.example/);
    const sites = await hitkeep.api('GET', '/api/sites');
    assert.deepEqual(sites.map((site) => site.domain), [DOMAIN]);
  });
});

describe('layout', () => {
  test('teams on a phone and in the dark; the sign-in page with its new links', async () => {
    const phone = await owner.context().newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${hitkeep.base}/settings/teams`);
    await phone.getByTestId('members').waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone, ${overflow}px`);
    await phone.screenshot({ path: `${SHOTS}teams-phone.png`, fullPage: true });
    await phone.emulateMedia({ colorScheme: 'dark' });
    await phone.setViewportSize({ width: 1280, height: 900 });
    await phone.screenshot({ path: `${SHOTS}teams-dark.png`, fullPage: true });
    await phone.close();

    const signedOut = await newTab();
    await signedOut.goto(`${hitkeep.base}/`);
    await signedOut.getByTestId('forgot').waitFor();
    await signedOut.getByTestId('remember').waitFor();
    await signedOut.screenshot({ path: `${SHOTS}sign-in.png`, fullPage: true });
  });
});

describe('password reset', () => {
  test('forgot password: the link from the server log sets a new one; remember me keeps the cookie 30 days', async () => {
    const tab = await newTab();
    await tab.goto(`${hitkeep.base}/`);
    await tab.getByTestId('forgot').click();
    await tab.getByTestId('reset-email').fill(ADMIN);
    await tab.getByTestId('reset-request').click();
    await tab.getByTestId('reset-sent').waitFor();
    const link = await eventually('the reset link in the server log', async () => {
      const links = hitkeep.logText().match(/https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+/g);
      return links?.at(-1);
    });
    await tab.goto(link);
    await tab.getByTestId('reset-password').fill(NEW_PASSWORD);
    await tab.getByTestId('reset-repeat').fill('something else');
    await tab.getByTestId('reset-submit').click();
    await tab.getByTestId('reset-error').waitFor();
    await tab.getByTestId('reset-repeat').fill(NEW_PASSWORD);
    await tab.getByTestId('reset-submit').click();
    await tab.getByTestId('reset-done').waitFor();
    await tab.screenshot({ path: `${SHOTS}password-reset.png`, fullPage: true });
    await tab.getByTestId('reset-sign-in').click();
    await tab.getByTestId('email').fill(ADMIN);
    await tab.getByTestId('password').fill(ADMIN_PASSWORD);
    await tab.getByTestId('auth-submit').click();
    await tab.getByTestId('auth-error').waitFor();
    await signIn(tab, ADMIN, NEW_PASSWORD, { remember: true });
    const cookie = (await tab.context().cookies()).find((c) => c.name === 'hk_token');
    assert.ok(cookie.expires > Date.now() / 1000 + 20 * 86400, `remembered cookie expires ${cookie.expires}`);
    // the reset ended the colleague's other session
    await colleague.goto(`${hitkeep.base}/settings`);
    await colleague.getByTestId('auth-submit').waitFor();
  });

  test('no unexpected browser errors', () => {
    assert.deepEqual(problems, []);
  });
});
