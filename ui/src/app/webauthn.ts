// WebAuthn's JSON <-> browser shapes: the server sends and wants base64url text (no padding) where
// navigator.credentials.create/get take and give ArrayBuffers. Pure functions, no Angular.

/** base64url (RFC 4648 §5, padding optional) -> bytes; throws on characters outside the alphabet. */
export function fromBase64url(text: string): ArrayBuffer {
  const clean = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(clean) || clean.length % 4 === 1) throw new Error('not base64url');
  const base64 = clean.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (clean.length % 4)) % 4);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** bytes -> base64url without padding. */
export function toBase64url(data: ArrayBuffer | ArrayBufferView): string {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

type Json = Record<string, any>;

/** A descriptor list's ids (excludeCredentials, allowCredentials) to bytes. */
function descriptors(list: Json[] | undefined): Json[] | undefined {
  return list?.map((d) => ({ ...d, id: fromBase64url(d['id']) }));
}

/** The server's creation options (publicKey, or {publicKey}) -> what navigator.credentials.create takes. */
export function creationOptions(options: Json): Json {
  const o = options['publicKey'] ?? options;
  return {
    ...o,
    challenge: fromBase64url(o['challenge']),
    user: { ...o['user'], id: fromBase64url(o['user']['id']) },
    excludeCredentials: descriptors(o['excludeCredentials']),
  };
}

/** The server's request options (publicKey, or {publicKey}) -> what navigator.credentials.get takes. */
export function requestOptions(options: Json): Json {
  const o = options['publicKey'] ?? options;
  return { ...o, challenge: fromBase64url(o['challenge']), allowCredentials: descriptors(o['allowCredentials']) };
}

/** A credential (attestation or assertion) from the browser -> the JSON the server reads (base64url fields). */
export function credentialJson(credential: {
  id: string; rawId: ArrayBuffer; type: string; authenticatorAttachment?: string | null;
  response: Json; getClientExtensionResults?: () => Json;
}): Json {
  const response: Json = {};
  for (const key of ['clientDataJSON', 'attestationObject', 'authenticatorData', 'signature', 'userHandle']) {
    const value = credential.response[key];
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) response[key] = toBase64url(value as ArrayBuffer);
  }
  const transports = typeof credential.response['getTransports'] === 'function' ? credential.response['getTransports']() : undefined;
  if (transports) response['transports'] = transports;
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    response,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
  };
}

const SERVER_FLAG = 'hk-passkeys';

/**
 * What this browser last learned about the server's passkeys: 'no' after GET /api/user/passkeys answered
 * 404 (or a passkey sign-in found no such route), 'yes' after it answered a list, null before either.
 * Signed out, a server without passkeys cannot be told from one with them without starting a ceremony.
 */
export function serverPasskeys(): 'yes' | 'no' | null {
  try {
    const flag = localStorage.getItem(SERVER_FLAG);
    return flag === 'yes' || flag === 'no' ? flag : null;
  } catch {
    return null;
  }
}

export function rememberServerPasskeys(supported: boolean): void {
  try {
    localStorage.setItem(SERVER_FLAG, supported ? 'yes' : 'no');
  } catch {
    // private mode: ask again next time
  }
}

/** Whether this browser can use passkeys at all. */
export function passkeysAvailable(): boolean {
  return typeof window !== 'undefined' && typeof (window as any).PublicKeyCredential === 'function' && !!navigator.credentials;
}

/** Runs navigator.credentials.create with the server's options; answers the credential as the server's JSON. */
export async function createPasskey(options: Json): Promise<Json> {
  const credential = (await navigator.credentials.create({ publicKey: creationOptions(options) as any })) as any;
  if (!credential) throw new Error('No passkey was created.');
  return credentialJson(credential);
}

/** Runs navigator.credentials.get with the server's options; answers the assertion as the server's JSON. */
export async function getPasskey(options: Json): Promise<Json> {
  const credential = (await navigator.credentials.get({ publicKey: requestOptions(options) as any })) as any;
  if (!credential) throw new Error('No passkey was chosen.');
  return credentialJson(credential);
}
