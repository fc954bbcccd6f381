// What every browser test needs: the real single binary (app/target/hitkeep.jar) on a free loopback port
// with a fresh data directory, a signed-in owner with one site, a tiny server for the test pages, and
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no browser is downloaded).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, openSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.HITKEEP_CHROMIUM || '/usr/bin/chromium';
// HeadlessChrome in the user agent is (rightly) dropped as a bot by the gateway.
export const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls until check() returns a truthy value, or fails after timeoutMs with the last value seen. */
export async function eventually(what, check, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.stack : JSON.stringify(last)}`);
}

/** The running jar; with owner: false no account is created (the dashboard test signs up in the browser). */
export async function startHitKeep({ owner = true } = {}) {
  const jar = process.env.HITKEEP_JAR || new URL('../../app/target/hitkeep.jar', import.meta.url).pathname;
  if (!existsSync(jar)) throw new Error(`${jar} is missing: build the app module first (./mvnw -B package)`);
  const java = process.env.HITKEEP_JAVA || (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin/java') : 'java');
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'hitkeep-browser-'));
  const logFile = join(data, 'hitkeep.log');
  const log = openSync(logFile, 'a');
  const child = spawn(java, ['-Xmx384m', '-jar', jar], {
    env: {
      ...process.env,
      HITKEEP_HTTP_PORT: String(port),
      HITKEEP_HTTP_HOST: '127.0.0.1',
      HITKEEP_DATA_PATH: data,
      HITKEEP_JWT_SECRET: 'browser-tests-secret-0123456789abcdef',
    },
    stdio: ['ignore', log, log],
  });
  const base = `http://127.0.0.1:${port}`;
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  try {
    await eventually('GET /readyz == 200', async () => {
      if (exited !== null) throw new Error(`hitkeep.jar exited with ${exited}`);
      const response = await fetch(`${base}/readyz`);
      return response.status === 200;
    }, 120000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n--- hitkeep.log (end) ---\n${readFileSync(join(data, 'hitkeep.log'), 'utf8').slice(-3000)}`);
  }

  const stop = async () => {
    if (exited === null) {
      const gone = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(20000)]);
      if (exited === null) child.kill('SIGKILL');
    }
    rmSync(data, { recursive: true, force: true });
  };
  /** what the server has logged so far (the password reset link is logged until e-mail delivery exists) */
  const logText = () => readFileSync(logFile, 'utf8');
  if (!owner) return { base, stop, logText };

  const password = 'browser-tests-password';
  const signUp = await fetch(`${base}/api/initial-user`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base, 'Sec-Fetch-Site': 'same-origin' },
    body: JSON.stringify({ email: 'owner@example.com', password }),
  });
  if (signUp.status !== 201) throw new Error(`initial-user: ${signUp.status} ${await signUp.text()}`);
  const cookie = signUp.headers.getSetCookie().map((header) => header.split(';')[0]).find((c) => c.startsWith('hk_token='));
  const api = async (method, path, body) => {
    const response = await fetch(base + path, {
      method,
      headers: { 'Content-Type': 'application/json', Origin: base, 'Sec-Fetch-Site': 'same-origin', Cookie: cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text);
  };
  return {
    base,
    api,
    /** the owner's session cookie, hk_token=... */
    cookie,
    /** The stats of a site for yesterday to tomorrow (the site's time zone is UTC). */
    async stats(siteId) {
      const day = (offset) => new Date(Date.now() + offset * 864e5).toISOString().slice(0, 10);
      return api('GET', `/api/sites/${siteId}/stats?from=${day(-1)}&to=${day(1)}`);
    },
    stop,
    logText,
  };
}

/**
 * Serves test pages on a free loopback port: render(path) gives a page's HTML or undefined; any other path
 * with a file extension is a small download, anything else a plain page.
 */
export async function servePages(render) {
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://pages').pathname;
    const html = render(path);
    if (html) {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(html);
    } else if (/\.\w+$/.test(path)) {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Disposition': 'attachment' });
      response.end('file');
    } else {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>elsewhere</title><p>elsewhere');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Chromium; `args` adds switches (e.g. --host-resolver-rules, to serve test pages under real-looking host names). */
export async function launchChromium({ args = [] } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args],
    // playwright gives every launch a fresh temporary --user-data-dir of its own (and refuses one in args)
  });
}

/**
 * A desktop tab (en-US, UTC, 1280 x 900, a non-headless user agent) whose console errors, page errors and
 * 404 answers are pushed to problems; a 404 whose URL matches allowed404 (a section that hides itself on a
 * server without that API) is not a problem. The console line of a 404 is left to the URL check: it names none.
 */
export async function watchedTab(browser, problems, allowed404 = /$^/) {
  const context = await browser.newContext({ userAgent: USER_AGENT, timezoneId: 'UTC', locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  tab.on('console', (message) => {
    if (message.type() === 'error' && !/401|Unauthorized|status of 404/.test(message.text())) problems.push(message.text());
  });
  tab.on('response', (response) => {
    if (response.status() === 404 && !allowed404.test(response.url())) problems.push(`404 ${response.url()}`);
  });
  tab.on('pageerror', (error) => problems.push(String(error)));
  return { context, tab };
}

/** A count as the dashboard shows it (en-US grouping: 1,234). */
export const number = (n) => new Intl.NumberFormat('en-US').format(n);

/** The value on one of the dashboard's KPI cards (visitors, pageviews, ...) of a page. */
/** The UTC date `offset` days from today, as the dashboard writes a range's ends (2026-05-04). */
export const day = (offset) => new Date(Date.now() + offset * 864e5).toISOString().slice(0, 10);
/** The dashboard's default range, the last 7 days, in the site's time zone (UTC in these tests). */
export const LAST_7_DAYS = { from: day(-6), to: day(0) };

export const kpiValue = (page, key) => page.locator(`[data-kpi="${key}"] [data-testid="kpi-value"]`);

/** RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30 s) of a base32 secret, for the 30 s step {@code offset} from now. */
export function totp(secret, offset = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + offset));
  const hash = createHmac('sha1', key).update(counter).digest();
  const at = hash[hash.length - 1] & 15;
  return String((hash.readUInt32BE(at) & 0x7fffffff) % 1e6).padStart(6, '0');
}
