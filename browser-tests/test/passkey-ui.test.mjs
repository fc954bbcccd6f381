// Passkeys through the dashboard's own buttons (passkey.test.mjs drives the API from a page): Chromium's
// virtual authenticator, the dashboard at http://localhost:<port> (WebAuthn needs a secure context and a
// domain as relying party id). Add a passkey in the settings, sign in with it alone, then use it as the
// second factor after the password.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { USER_AGENT, eventually, launchChromium, startHitKeep } from '../lib/harness.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'browser-tests-password'; // the harness's owner

let hitkeep;
let browser;
let tab;
let base;

async function signedIn() {
  await tab.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
  const me = await tab.evaluate(async () => (await fetch('/api/user')).status);
  assert.equal(me, 200, 'the session cookie works');
}

async function signOut() {
  await tab.getByRole('button', { name: 'Sign out', exact: true }).click();
  await tab.getByTestId('email').waitFor();
}

describe('passkeys in the dashboard', () => {
  before(async () => {
    hitkeep = await startHitKeep();
    base = hitkeep.base.replace('127.0.0.1', 'localhost');
    browser = await launchChromium();
    const context = await browser.newContext({ userAgent: USER_AGENT, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });
  });

  after(async () => {
    await browser?.close();
    await hitkeep?.stop();
  });

  test('add a passkey in the settings', async () => {
    await tab.goto(`${base}/`);
    await tab.getByTestId('email').fill(EMAIL);
    await tab.getByTestId('password').fill(PASSWORD);
    await tab.getByTestId('auth-submit').click();
    await signedIn();
    await tab.goto(`${base}/settings`);
    await tab.getByTestId('passkey-name').fill('Laptop');
    await tab.getByTestId('passkey-add').click();
    await eventually('the passkey listed', async () => (await tab.getByTestId('passkey-row').count()) === 1);
    assert.match(await tab.getByTestId('passkey-row').innerText(), /Laptop/);
    const listed = await tab.evaluate(async () => (await (await fetch('/api/user/passkeys')).json()).passkeys);
    assert.deepEqual(listed.map((p) => p.name), ['Laptop']);
  });

  test('sign in with the passkey alone', async () => {
    await signOut();
    await tab.getByTestId('passkey-sign-in').click();
    await signedIn();
    const listed = await tab.evaluate(async () => (await (await fetch('/api/user/passkeys')).json()).passkeys);
    assert.ok(listed[0].last_used_at, 'the sign-in is recorded on the passkey');
  });

  test('after the password, the passkey is the second factor', async () => {
    await signOut();
    await tab.getByTestId('email').fill(EMAIL);
    await tab.getByTestId('password').fill(PASSWORD);
    await tab.getByTestId('auth-submit').click();
    await tab.getByTestId('second-factor-passkey').click();
    await signedIn();
  });
});
