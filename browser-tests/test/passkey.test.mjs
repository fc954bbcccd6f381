// Passkeys (WebAuthn) end to end: the single binary, headless Chromium with its virtual authenticator (CDP
// WebAuthn domain), ceremonies driven from a page at http://localhost:<port> (a secure context whose host is
// the relying party id the server uses when HITKEEP_PUBLIC_URL is unset). The authenticator holds one passkey
// at a time, swapped through CDP, so it is always clear which passkey answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { USER_AGENT, launchChromium, startHitKeep } from '../lib/harness.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'browser-tests-password'; // the harness's owner
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** CDP reports credential ids in standard base64; WebAuthn JSON uses base64url */
const base64url = (base64) => base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

let hitkeep;
let browser;
let page;
let cdp;
let authenticatorId;
/** passkeys by name: the server's record and the credential (private key included) the authenticator held */
const passkeys = {};
let held = null;

// Runs in the page: base64url <-> ArrayBuffer, the JSON calls, and navigator.credentials with the
// options the server sent, the result encoded back into the standard JSON form.
const PAGE_HELPERS = `
window.webauthn = (() => {
  const decode = (text) => {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };
  const encode = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const call = async (method, path, body) => {
    const response = await fetch(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const descriptors = (list) => (list || []).map((d) => ({ ...d, id: decode(d.id) }));
  const create = async (options) => {
    const credential = await navigator.credentials.create({ publicKey: {
      ...options,
      challenge: decode(options.challenge),
      user: { ...options.user, id: decode(options.user.id) },
      excludeCredentials: descriptors(options.excludeCredentials),
    } });
    return {
      id: credential.id, rawId: encode(credential.rawId), type: credential.type,
      response: {
        clientDataJSON: encode(credential.response.clientDataJSON),
        attestationObject: encode(credential.response.attestationObject),
        transports: credential.response.getTransports(),
      },
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  };
  const get = async (options) => {
    const credential = await navigator.credentials.get({ publicKey: {
      ...options,
      challenge: decode(options.challenge),
      allowCredentials: descriptors(options.allowCredentials),
    } });
    return {
      id: credential.id, rawId: encode(credential.rawId), type: credential.type,
      response: {
        clientDataJSON: encode(credential.response.clientDataJSON),
        authenticatorData: encode(credential.response.authenticatorData),
        signature: encode(credential.response.signature),
        userHandle: credential.response.userHandle ? encode(credential.response.userHandle) : null,
      },
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  };
  /** register/start, navigator.credentials.create, register/finish; every answer, or the browser's refusal */
  const register = async (name) => {
    const start = await call('POST', '/api/user/passkeys/register/start', { name });
    if (start.status !== 200) return { start };
    let credential;
    try {
      credential = await create(start.body.options);
    } catch (e) {
      return { start, refused: e.name };
    }
    const finish = await call('POST', '/api/user/passkeys/register/finish',
      { ceremony: start.body.ceremony, credential, name });
    return { start, finish };
  };
  /** login/passkey/start, navigator.credentials.get, login/passkey/finish (with the challenge, if any) */
  const signIn = async (challenge) => {
    const start = await call('POST', '/api/login/passkey/start', challenge ? { challenge } : {});
    if (start.status !== 200) return { start };
    const credential = await get(start.body.options);
    const body = { ceremony: start.body.ceremony, credential };
    if (challenge) body.challenge = challenge;
    const finish = await call('POST', '/api/login/passkey/finish', body);
    return { start, finish, body };
  };
  return { call, register, signIn };
})();
`;

const call = (method, path, body) => page.evaluate(([m, p, b]) => window.webauthn.call(m, p, b), [method, path, body]);
const register = (name) => page.evaluate((n) => window.webauthn.register(n), name);
const signIn = (challenge) => page.evaluate((c) => window.webauthn.signIn(c), challenge);
const list = async () => {
  const answer = await call('GET', '/api/user/passkeys');
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.passkeys;
};
const signedIn = async () => (await call('GET', '/api/user')).status === 200;

async function credentialsOnAuthenticator() {
  return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
}

/** Puts the named passkey, alone, on the authenticator (keeping the signature count the other one reached). */
async function hold(name) {
  if (held === name) return;
  if (held) {
    const [current] = await credentialsOnAuthenticator();
    passkeys[held].credential = current;
  }
  await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: passkeys[name].credential });
  held = name;
}

async function registerOnEmptyAuthenticator(name) {
  if (held) {
    const [current] = await credentialsOnAuthenticator();
    passkeys[held].credential = current;
    await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
    held = null;
  }
  const answer = await register(name);
  assert.equal(answer.start.status, 200, JSON.stringify(answer.start.body));
  assert.equal(answer.refused, undefined, 'the authenticator made a credential');
  assert.equal(answer.finish.status, 201, JSON.stringify(answer.finish.body));
  const [credential] = await credentialsOnAuthenticator();
  assert.equal(credential.isResidentCredential, true, 'a discoverable credential');
  assert.equal(credential.rpId, 'localhost');
  passkeys[name] = { record: answer.finish.body, credential };
  held = name;
  return answer;
}

async function logout() {
  assert.equal((await call('POST', '/api/logout')).status, 200);
  assert.equal(await signedIn(), false, 'signed out');
}

describe('passkeys', () => {
  before(async () => {
    // every ceremony here comes from one address; the default (10 a minute) is for attackers, not this test
    process.env.HITKEEP_LOGIN_RATE_LIMIT = '200';
    hitkeep = await startHitKeep();
    const port = new URL(hitkeep.base).port;
    browser = await launchChromium();
    const context = await browser.newContext({ userAgent: USER_AGENT });
    await context.addInitScript({ content: PAGE_HELPERS });
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    }));
    // localhost, not 127.0.0.1: WebAuthn wants a secure context whose host is a domain (the relying party id)
    await page.goto(`http://localhost:${port}/readyz`);
    const login = await call('POST', '/api/login', { email: EMAIL, password: PASSWORD });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(await signedIn(), true);
  });

  after(async () => {
    await browser?.close();
    await hitkeep?.stop();
  });

  test('registers two named passkeys, never the same authenticator twice, and lists them', async () => {
    const laptop = await registerOnEmptyAuthenticator('Laptop');
    const options = laptop.start.body.options;
    assert.equal(options.rp.id, 'localhost');
    assert.equal(options.user.name, EMAIL);
    assert.equal(options.authenticatorSelection.residentKey, 'required');
    assert.equal(options.authenticatorSelection.userVerification, 'preferred');
    assert.deepEqual(options.excludeCredentials ?? [], [], 'nothing to exclude yet');
    assert.equal(laptop.finish.body.name, 'Laptop');
    assert.match(laptop.finish.body.created_at, RFC3339);
    assert.equal(laptop.finish.body.last_used_at, null);

    // the same authenticator again: the server excludes its credential, so the browser refuses
    const again = await register('Laptop again');
    assert.equal(again.start.status, 200);
    assert.equal(again.start.body.options.excludeCredentials.length, 1);
    assert.equal(again.start.body.options.excludeCredentials[0].id, base64url(passkeys.Laptop.credential.credentialId));
    assert.equal(again.refused, 'InvalidStateError');

    const phone = await registerOnEmptyAuthenticator('Phone');
    assert.equal(phone.start.body.options.excludeCredentials.length, 1);
    assert.equal(phone.finish.body.name, 'Phone');

    const listed = await list();
    assert.deepEqual(listed.map((p) => p.name), ['Laptop', 'Phone']);
    assert.deepEqual(listed.map((p) => p.id), [passkeys.Laptop.record.id, passkeys.Phone.record.id]);
    for (const passkey of listed) {
      assert.match(passkey.created_at, RFC3339);
      assert.equal(passkey.last_used_at, null);
    }
  });

  test('renames a passkey; a name over 100 characters or an unknown id is refused', async () => {
    const renamed = await call('PATCH', `/api/user/passkeys/${passkeys.Laptop.record.id}`, { name: 'Work laptop' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, 'Work laptop');
    assert.equal(renamed.body.id, passkeys.Laptop.record.id);
    assert.deepEqual((await list()).map((p) => p.name), ['Work laptop', 'Phone']);

    const tooLong = await call('PATCH', `/api/user/passkeys/${passkeys.Laptop.record.id}`, { name: 'x'.repeat(101) });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.error, /100 characters/);

    // ids not among the caller's passkeys (there is one user here; PasskeyRoutesTest covers another's)
    for (const [method, body] of [['PATCH', { name: 'mine now' }], ['DELETE', undefined]]) {
      const missing = await call(method, '/api/user/passkeys/987654', body);
      assert.equal(missing.status, 404, `${method}: ${JSON.stringify(missing.body)}`);
      assert.equal(typeof missing.body.error, 'string');
    }
  });

  test('signs in with a passkey alone: no e-mail, no password', async () => {
    await logout();
    await hold('Phone');
    const { start, finish } = await signIn();
    assert.equal(start.status, 200, JSON.stringify(start.body));
    assert.equal(start.body.options.rpId, 'localhost');
    assert.deepEqual(start.body.options.allowCredentials ?? [], [], 'discoverable: any passkey of this site');
    assert.equal(finish.status, 200, JSON.stringify(finish.body));
    assert.equal(finish.body.user.email, EMAIL);

    const cookies = await page.context().cookies(hitkeep.base.replace('127.0.0.1', 'localhost'));
    const token = cookies.find((cookie) => cookie.name === 'hk_token');
    assert.ok(token && token.value.length > 20, 'hk_token set');
    assert.equal(token.httpOnly, true);
    const user = await call('GET', '/api/user');
    assert.equal(user.status, 200);
    assert.equal(user.body.email, EMAIL);

    const phone = (await list()).find((p) => p.name === 'Phone');
    assert.match(phone.last_used_at, RFC3339, 'last use recorded');
    assert.equal((await list()).find((p) => p.name === 'Work laptop').last_used_at, null);
  });

  test('password sign-in now asks for a second factor, and a passkey gives it', async () => {
    await logout();
    const login = await call('POST', '/api/login', { email: EMAIL, password: PASSWORD });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.second_factor, 'required');
    assert.deepEqual(login.body.factors, ['passkey']);
    assert.equal(await signedIn(), false, 'no session before the second factor');

    await hold('Laptop');
    const { start, finish } = await signIn(login.body.challenge);
    assert.equal(start.status, 200, JSON.stringify(start.body));
    assert.deepEqual(start.body.options.allowCredentials.map((d) => d.id).sort(),
      [passkeys.Laptop.credential.credentialId, passkeys.Phone.credential.credentialId].map(base64url).sort(),
      'only this user\'s passkeys are offered');
    assert.equal(finish.status, 200, JSON.stringify(finish.body));
    assert.equal(finish.body.user.email, EMAIL);
    assert.equal(await signedIn(), true);

    const audit = await call('GET', '/api/audit');
    const details = audit.body.events.filter((e) => e.event === 'login').map((e) => e.detail);
    assert.equal(details[0], 'password and passkey');
    assert.ok(details.includes('passkey'), JSON.stringify(details));
    assert.deepEqual(audit.body.events.filter((e) => e.event === 'passkey_added').map((e) => e.detail).sort(), ['Laptop', 'Phone']);
  });

  test('a replayed finish (same ceremony) is refused', async () => {
    await logout();
    const { finish, body } = await signIn();
    assert.equal(finish.status, 200, JSON.stringify(finish.body));
    await logout();
    const replay = await call('POST', '/api/login/passkey/finish', body);
    assert.equal(replay.status, 401, JSON.stringify(replay.body));
    assert.match(replay.body.error, /used already/);
    assert.equal(await signedIn(), false, 'the replay set no cookie');
  });

  test('a deleted passkey cannot sign in', async () => {
    const { finish } = await signIn();
    assert.equal(finish.status, 200, JSON.stringify(finish.body));
    const deleted = await call('DELETE', `/api/user/passkeys/${passkeys.Phone.record.id}`);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.deepEqual(deleted.body, { id: passkeys.Phone.record.id, deleted: true });
    assert.deepEqual((await list()).map((p) => p.name), ['Work laptop']);
    assert.equal((await call('DELETE', `/api/user/passkeys/${passkeys.Phone.record.id}`)).status, 404, 'deleted already');
    const audit = await call('GET', '/api/audit');
    assert.equal(audit.body.events.find((e) => e.event === 'passkey_removed')?.detail, 'Phone');

    await logout();
    await hold('Phone'); // the authenticator still has it; the server no longer does
    const refused = await signIn();
    assert.equal(refused.start.status, 200);
    assert.equal(refused.finish.status, 401, JSON.stringify(refused.finish.body));
    assert.equal(typeof refused.finish.body.error, 'string');
    assert.equal(await signedIn(), false);

    await hold('Laptop');
    const stillWorks = await signIn();
    assert.equal(stillWorks.finish.status, 200, 'the other passkey still signs in');
  });
});
