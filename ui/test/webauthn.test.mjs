// WebAuthn JSON <-> ArrayBuffer conversions of the passkey screens: src/app/webauthn.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { fromBase64url, toBase64url, creationOptions, requestOptions, credentialJson } = await load('webauthn');

const bytes = (buffer) => [...new Uint8Array(buffer)];

test('base64url round trip, without padding, with the URL alphabet', () => {
  for (const [name, input, text] of [
    ['empty', [], ''],
    ['one byte', [0xff], '_w'],
    ['two bytes', [0xfb, 0xff], '-_8'],
    ['three bytes', [1, 2, 3], 'AQID'],
    ['"hello"', [...Buffer.from('hello')], 'aGVsbG8'],
  ]) {
    assert.equal(toBase64url(new Uint8Array(input).buffer), text, name);
    assert.deepEqual(bytes(fromBase64url(text)), input, name);
  }
});

test('all 256 byte values survive the round trip', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(bytes(fromBase64url(toBase64url(all.buffer))), [...all]);
  assert.equal(toBase64url(all.buffer), Buffer.from(all).toString('base64url'));
});

test('padding is accepted; characters outside the alphabet and impossible lengths are not', () => {
  assert.deepEqual(bytes(fromBase64url('_w==')), [0xff]);
  assert.throws(() => fromBase64url('a+b/'), /base64url/, 'plain base64 characters');
  assert.throws(() => fromBase64url('abcde'), /base64url/, 'length 4n+1');
  assert.throws(() => fromBase64url('ab cd'), /base64url/);
});

test('a typed array view is encoded by its own bytes, not its whole buffer', () => {
  const view = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
  assert.equal(toBase64url(view), 'AQID');
});

test('creation options: challenge, user id and excluded credential ids become bytes; the rest is kept', () => {
  const options = creationOptions({
    publicKey: {
      rp: { id: 'localhost', name: 'HitKeep' },
      user: { id: 'AQID', name: 'a@example.com', displayName: 'a@example.com' },
      challenge: 'aGVsbG8',
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: [{ type: 'public-key', id: '_w' }],
    },
  });
  assert.ok(options.challenge instanceof ArrayBuffer);
  assert.deepEqual(bytes(options.challenge), [...Buffer.from('hello')]);
  assert.deepEqual(bytes(options.user.id), [1, 2, 3]);
  assert.equal(options.user.name, 'a@example.com');
  assert.deepEqual(bytes(options.excludeCredentials[0].id), [0xff]);
  assert.equal(options.excludeCredentials[0].type, 'public-key');
  assert.deepEqual(options.pubKeyCredParams, [{ type: 'public-key', alg: -7 }]);
  assert.equal(options.rp.id, 'localhost');
});

test('request options: the bare publicKey object works too; no allowCredentials stays absent', () => {
  const options = requestOptions({ challenge: 'AQID', rpId: 'localhost', userVerification: 'preferred' });
  assert.deepEqual(bytes(options.challenge), [1, 2, 3]);
  assert.equal(options.allowCredentials, undefined);
  assert.equal(options.rpId, 'localhost');
  const allowed = requestOptions({ publicKey: { challenge: 'AQID', allowCredentials: [{ type: 'public-key', id: 'AQID' }] } });
  assert.deepEqual(bytes(allowed.allowCredentials[0].id), [1, 2, 3]);
});

test('an assertion becomes JSON with base64url fields; a missing userHandle is left out', () => {
  const json = credentialJson({
    id: 'AQID',
    rawId: new Uint8Array([1, 2, 3]).buffer,
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response: {
      clientDataJSON: new Uint8Array(Buffer.from('{"type":"webauthn.get"}')).buffer,
      authenticatorData: new Uint8Array([5, 6]).buffer,
      signature: new Uint8Array([7]).buffer,
      userHandle: null,
    },
    getClientExtensionResults: () => ({}),
  });
  assert.deepEqual(json, {
    id: 'AQID',
    rawId: 'AQID',
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response: {
      clientDataJSON: Buffer.from('{"type":"webauthn.get"}').toString('base64url'),
      authenticatorData: 'BQY',
      signature: 'Bw',
    },
    clientExtensionResults: {},
  });
});

test('an attestation keeps its attestationObject and transports', () => {
  const json = credentialJson({
    id: 'AQID',
    rawId: new Uint8Array([1, 2, 3]).buffer,
    type: 'public-key',
    response: {
      clientDataJSON: new Uint8Array([1]).buffer,
      attestationObject: new Uint8Array([2]).buffer,
      getTransports: () => ['internal', 'hybrid'],
    },
  });
  assert.equal(json.response.attestationObject, 'Ag');
  assert.deepEqual(json.response.transports, ['internal', 'hybrid']);
  assert.deepEqual(json.clientExtensionResults, {});
  assert.equal(json.authenticatorAttachment, undefined);
});
