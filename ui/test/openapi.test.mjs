// The API reference's reading of the OpenAPI document (src/app/openapi.ts), on the document the server serves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from './load.mjs';

const { sections, namedSchemas, typeOf, matches } = await load('openapi');
const doc = JSON.parse(readFileSync(new URL('../../query-api/src/main/resources/io/hitkeep/query/openapi.json', import.meta.url), 'utf8'));

test('every operation is shown once, under its tag, in the document\'s tag order', () => {
  const all = sections(doc);
  const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  assert.equal(all.reduce((n, section) => n + section.operations.length, 0), operations);
  assert.deepEqual(all.map((section) => section.tag), doc.tags.map((tag) => tag.name));
  const report = all.find((s) => s.tag === 'Funnels').operations.find((op) => op.path === '/api/sites/{id}/funnels/{funnel}' && op.method === 'GET');
  assert.deepEqual(report.parameters.map((p) => `${p.name} ${p.in} ${p.type}${p.required ? ' required' : ''}`),
    ['id path integer required', 'funnel path integer required', 'from query string (date)', 'to query string (date)', 'filter query string[]']);
  assert.deepEqual(report.replies.map((r) => `${r.status} ${r.schema?.type}`),
    ['200 FunnelReport', '400 Error', '401 Error', '404 Error', '429 Error', '503 Error']);
  assert.deepEqual(report.auth, ['session cookie', 'API key (Bearer)']);
  const login = all.find((s) => s.tag === 'Accounts').operations.find((op) => op.path === '/api/login');
  assert.deepEqual(login.auth, ['public']);
  assert.equal(login.body.type, 'Login');
});

test('schemas list their fields, nested ones indented, variants marked', () => {
  const schemas = namedSchemas(doc);
  const report = schemas.find((s) => s.name === 'FunnelReport');
  assert.deepEqual(report.view.fields.map((f) => `${'  '.repeat(f.depth)}${f.name}: ${f.type}${f.required ? '*' : ''}`), [
    'id: integer*', 'name: string*', 'window: FunnelWindow*', 'steps: object[]*', '  label: string*', '  visitors: integer*',
    '  conversion_rate: number*', '  dropoff: integer*', '  dropoff_rate: number*']);
  const goal = schemas.find((s) => s.name === 'GoalDefinition');
  assert.deepEqual(goal.view.fields.filter((f) => f.depth === 0).map((f) => f.name), ['one of (1)', 'one of (2)']);
  assert.equal(typeOf(doc, { type: 'array', items: { $ref: '#/components/schemas/Site' } }), 'Site[]');
  assert.equal(typeOf(doc, { enum: ['session', '24h'] }), '"session" | "24h"');
});

test('the search keeps operations whose method, path, summary or tag has the words', () => {
  const op = { method: 'GET', path: '/api/sites/{id}/live', summary: 'Visitors of the last five minutes' };
  assert.ok(matches(op, 'Stats', 'live'));
  assert.ok(matches(op, 'Stats', ' FIVE '));
  assert.ok(matches(op, 'Stats', 'stats'));
  assert.ok(!matches(op, 'Stats', 'funnel'));
  assert.ok(matches(op, 'Stats', ''));
});
