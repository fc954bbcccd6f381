// The OpenAPI document the single binary serves at /api/docs/openapi.json: public, valid OpenAPI 3.1 by an
// independent validator (@seriousme/openapi-schema-validator, which also resolves every $ref), and true to the
// server: real replies of the main routes, errors included, match the schemas it gives them (checked with ajv
// in JSON Schema 2020-12, the dialect of OpenAPI 3.1). The dashboard's reference page (/docs/api) shows every
// operation and schema of it without a session and without asking any other host. That every registered route is
// documented, and nothing else, is app's ApiDocsTest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { day, eventually, launchChromium, startHitKeep, USER_AGENT } from '../lib/harness.mjs';

let hitkeep;
let document;
let ajv;

before(async () => {
  hitkeep = await startHitKeep();
  const response = await fetch(`${hitkeep.base}/api/docs/openapi.json`);
  assert.equal(response.status, 200, 'served without a session');
  assert.match(response.headers.get('content-type'), /^application\/json/);
  document = await response.json();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi.json');
});

after(async () => {
  await hitkeep?.stop();
});

/** A JSON pointer segment: ~ and / escaped. */
const segment = (text) => String(text).replace(/~/g, '~0').replace(/\//g, '~1');

/** The schema the document gives the reply of method path with that status, compiled. */
function replySchema(method, path, status) {
  const operation = document.paths[path]?.[method];
  assert.ok(operation, `${method.toUpperCase()} ${path} is documented`);
  let response = operation.responses[String(status)];
  assert.ok(response, `${method.toUpperCase()} ${path} documents a ${status}`);
  let pointer = `#/paths/${segment(path)}/${method}/responses/${status}`;
  if (response.$ref) {
    pointer = response.$ref;
    response = document.components.responses[response.$ref.split('/').pop()];
  }
  assert.ok(response.content?.['application/json'], `${method.toUpperCase()} ${path} ${status} is JSON`);
  return ajv.getSchema(`openapi.json${pointer}/content/application~1json/schema`);
}

/** Calls the route as the owner (or as anyone with cookie: false) and checks the reply against its schema. */
async function checked(method, template, path, { body, status = 200, cookie = true } = {}) {
  const response = await fetch(hitkeep.base + path, {
    method: method.toUpperCase(),
    headers: {
      'Content-Type': 'application/json', Origin: hitkeep.base, 'Sec-Fetch-Site': 'same-origin',
      ...(cookie ? { Cookie: hitkeep.cookie } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const reply = JSON.parse(await response.text());
  assert.equal(response.status, status, `${method.toUpperCase()} ${path}: ${JSON.stringify(reply)}`);
  const validate = replySchema(method, template, status);
  assert.ok(validate(reply), `${method.toUpperCase()} ${path} ${status} does not match its schema: `
    + `${JSON.stringify(validate.errors, null, 1)}\nreply: ${JSON.stringify(reply).slice(0, 2000)}`);
  return reply;
}

test('the document is valid OpenAPI 3.1 with both ways to sign in', async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document));
  assert.deepEqual(result, { valid: true });
  assert.equal(validator.version, '3.1');
  assert.deepEqual(Object.keys(document.components.securitySchemes).sort(), ['bearerApiKey', 'cookieSession']);
  assert.equal(document.components.securitySchemes.cookieSession.name, 'hk_token');
});

test('real replies match their schemas', async () => {
  const range = `from=${day(-1)}&to=${day(1)}`;
  const site = await checked('post', '/api/sites', '/api/sites',
    { body: { domain: 'openapi.example', name: 'Docs', timezone: 'UTC' }, status: 201 });
  await checked('get', '/api/sites', '/api/sites');
  await checked('get', '/api/sites/{id}', `/api/sites/${site.id}`);
  const user = await checked('get', '/api/user', '/api/user');
  await checked('get', '/api/teams', '/api/teams');
  await checked('get', '/api/teams/{team}', `/api/teams/${user.teams[0].id}`);
  await checked('post', '/api/user/api-keys', '/api/user/api-keys', { body: { name: 'docs' }, status: 201 });
  await checked('get', '/api/user/api-keys', '/api/user/api-keys');
  await checked('get', '/api/user/passkeys', '/api/user/passkeys');
  await checked('get', '/api/audit', '/api/audit');
  await checked('post', '/api/sites/{id}/share-links', `/api/sites/${site.id}/share-links`, { body: { label: 'docs' }, status: 201 });
  await checked('post', '/api/sites/{id}/goals', `/api/sites/${site.id}/goals`,
    { body: { name: 'Pricing', type: 'pageview', path: '/pricing' }, status: 201 });
  await checked('post', '/api/sites/{id}/goals', `/api/sites/${site.id}/goals`,
    { body: { name: 'Pro signup', type: 'event', event: 'Signup', property: { key: 'plan', value: 'pro' } }, status: 201 });
  await checked('get', '/api/sites/{id}/goals', `/api/sites/${site.id}/goals`);
  await checked('post', '/api/sites/{id}/annotations', `/api/sites/${site.id}/annotations`,
    { body: { date: day(0), text: 'launch' }, status: 201 });
  await checked('get', '/api/sites/{id}/annotations', `/api/sites/${site.id}/annotations`);
  const funnel = await checked('post', '/api/sites/{id}/funnels', `/api/sites/${site.id}/funnels`, {
    body: { name: 'Signup', window: 'session', steps: [{ type: 'pageview', path: '/pricing' }, { type: 'event', event: 'Signup' }] },
    status: 201,
  });
  await checked('get', '/api/sites/{id}/funnels', `/api/sites/${site.id}/funnels`);

  const send = (path, body) => fetch(`${hitkeep.base}${path}`, {
    method: 'POST', headers: { 'Content-Type': 'text/plain', 'User-Agent': USER_AGENT }, body: JSON.stringify(body),
  });
  assert.equal((await send('/ingest', { url: 'https://openapi.example/pricing', session_id: 'openapi-1' })).status, 202);
  assert.equal((await send('/ingest/event', { name: 'Signup', url: 'https://openapi.example/pricing', session_id: 'openapi-1',
    props: { plan: 'pro' } })).status, 202);
  await eventually('the hits to land', async () => (await hitkeep.stats(site.id)).events?.length === 1);

  const stats = await checked('get', '/api/sites/{id}/stats', `/api/sites/${site.id}/stats?${range}&breakdown=prop:plan`);
  assert.deepEqual(stats.goals.map((goal) => `${goal.name} ${goal.visitors}`), ['Pricing 1', 'Pro signup 1']);
  assert.deepEqual(stats.events_by_prop.map((row) => `${row.event} ${row.value}`), ['Signup pro']);
  const live = await checked('get', '/api/sites/{id}/live', `/api/sites/${site.id}/live`);
  assert.deepEqual(live.pages, [{ value: '/pricing', visitors: 1 }]);
  const report = await checked('get', '/api/sites/{id}/funnels/{funnel}', `/api/sites/${site.id}/funnels/${funnel.id}?${range}`);
  assert.deepEqual(report.steps.map((step) => step.visitors), [1, 1]);

  // errors: their bodies are the documented Error
  await checked('get', '/api/sites/{id}', '/api/sites/999999', { status: 404 });
  await checked('get', '/api/sites', '/api/sites', { status: 401, cookie: false });
  await checked('post', '/api/sites/{id}/funnels', `/api/sites/${site.id}/funnels`,
    { body: { name: 'Short', steps: [{ type: 'pageview', path: '/' }] }, status: 400 });
  await checked('get', '/api/sites/{id}/stats', `/api/sites/${site.id}/stats?from=yesterday`, { status: 400 });
  await checked('delete', '/api/sites/{id}/funnels/{funnel}', `/api/sites/${site.id}/funnels/${funnel.id}`);
});

test('the reference page shows every operation and schema, signed out, from this server alone', async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const hosts = new Set();
    page.on('request', (request) => hosts.add(new URL(request.url()).host));
    await page.goto(`${hitkeep.base}/docs/api`);
    const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    await page.locator('[data-testid="operation"]').nth(operations - 1).waitFor();
    assert.equal(await page.locator('[data-testid="operation"]').count(), operations);
    assert.equal(await page.locator('[data-testid="schema"]').count(), Object.keys(document.components.schemas).length);
    const report = page.locator('[data-operation="GET /api/sites/{id}/funnels/{funnel}"]');
    assert.match(await report.innerText(), /FunnelReport/);
    assert.match(await report.innerText(), /Sign in with: session cookie or API key \(Bearer\)/);
    await page.locator('[data-testid="docs-search"]').fill('funnels');
    await eventually('the search to narrow the list', async () => (await page.locator('[data-testid="operation"]').count()) === 4);
    assert.deepEqual([...hosts], [new URL(hitkeep.base).host], 'no CDN, no font host: only this server');
  } finally {
    await browser.close();
  }
});
