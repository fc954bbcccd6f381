// Goals and funnels from the settings' forms, and the funnel screen's bars: src/app/goals.ts, src/app/funnel.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { goalBody, targetOf, describeTarget, blankTarget } = await load('goals');
const { funnelBody, funnelBars, stepName, MAX_STEPS } = await load('funnel');

const form = (fields) => ({ ...blankTarget(), ...fields });

test('a goal from the form: a path glob, an event, an event with one property', () => {
  assert.deepEqual(goalBody(' Docs ', form({ path: ' /docs/* ' })), { body: { name: 'Docs', type: 'pageview', path: '/docs/*' } });
  assert.deepEqual(goalBody('Signup', form({ type: 'event', event: 'Signup', path: '/ignored' })),
    { body: { name: 'Signup', type: 'event', event: 'Signup' } });
  assert.deepEqual(goalBody('Pro', form({ type: 'event', event: 'Signup', key: 'plan', value: 'pro' })),
    { body: { name: 'Pro', type: 'event', event: 'Signup', property: { key: 'plan', value: 'pro' } } });
});

test('what is wrong with a goal form, said before asking the server', () => {
  const rows = [
    ['', form({ path: '/a' }), /name/],
    ['x'.repeat(101), form({ path: '/a' }), /100/],
    ['a', form({ path: '' }), /path/],
    ['a', form({ path: 'docs' }), /starts with \//],
    ['a', form({ path: '/a b' }), /no spaces/],
    ['a', form({ type: 'event' }), /event/],
    ['a', form({ type: 'event', event: 'Signup', key: 'plan' }), /both/],
    ['a', form({ type: 'event', event: 'Signup', value: 'pro' }), /both/],
  ];
  for (const [name, fields, wanted] of rows) assert.match(goalBody(name, fields).error ?? '', wanted, JSON.stringify([name, fields]));
  assert.ok('target' in targetOf(form({ path: '/' })));
});

test('a target in words', () => {
  assert.equal(describeTarget({ type: 'pageview', path: '/docs/*' }), 'Visits /docs/*');
  assert.equal(describeTarget({ type: 'event', event: 'Signup' }), 'Event Signup');
  assert.equal(describeTarget({ type: 'event', event: 'Signup', property: { key: 'plan', value: 'pro' } }), 'Event Signup with plan = pro');
});

test('a funnel from the form: 2 to 8 valid steps and a window', () => {
  const steps = [form({ path: '/pricing' }), form({ type: 'event', event: 'Signup' })];
  assert.deepEqual(funnelBody(' Checkout ', steps, '24h'), {
    body: { name: 'Checkout', window: '24h', steps: [{ type: 'pageview', path: '/pricing' }, { type: 'event', event: 'Signup' }] },
  });
  assert.match(funnelBody('', steps, 'session').error, /name/);
  assert.match(funnelBody('f', steps.slice(0, 1), 'session').error, /2 to 8/);
  assert.match(funnelBody('f', Array.from({ length: MAX_STEPS + 1 }, () => form({ path: '/' })), 'session').error, /2 to 8/);
  assert.match(funnelBody('f', [steps[0], form({ path: 'x' })], 'session').error, /^Step 2: /);
});

test('a funnel step keeps its label when one is typed, and goes without one otherwise', () => {
  const steps = [form({ path: '/pricing', label: ' Saw pricing ' }), form({ type: 'event', event: 'Signup', label: '  ' })];
  assert.deepEqual(funnelBody('Checkout', steps, 'session').body.steps,
    [{ type: 'pageview', path: '/pricing', label: 'Saw pricing' }, { type: 'event', event: 'Signup' }]);
  assert.match(funnelBody('f', [form({ path: '/', label: 'x'.repeat(101) }), steps[1]], 'session').error, /^Step 1: .*100/);
});

test('the settings list names a step by its typed label, or by its target when the server made the label', () => {
  assert.equal(stepName({ type: 'pageview', path: '/pricing', label: '/pricing' }), 'Visits /pricing');
  assert.equal(stepName({ type: 'event', event: 'Signup', property: { key: 'plan', value: 'pro' }, label: 'Signup (plan: pro)' }),
    'Event Signup with plan = pro');
  assert.equal(stepName({ type: 'event', event: 'Signup', label: 'Signed up' }), 'Signed up');
  assert.equal(stepName({ type: 'pageview', path: '/' }), 'Visits /');
});

test('funnel bars: the length is a share of the first step, the dashed part who dropped off since the step before', () => {
  const steps = [
    { label: 'Visits /pricing', visitors: 8, conversion_rate: 100, dropoff: 0, dropoff_rate: 0 },
    { label: 'Event Signup', visitors: 2, conversion_rate: 25, dropoff: 6, dropoff_rate: 75 },
    { label: 'Visits /welcome', visitors: 1, conversion_rate: 12.5, dropoff: 1, dropoff_rate: 50 },
  ];
  assert.deepEqual(funnelBars(steps).map((b) => [b.width, b.lost, b.dropoff_rate]), [[100, 0, 0], [25, 75, 75], [12.5, 12.5, 50]]);
  const nobody = funnelBars([{ ...steps[0], visitors: 0 }, { ...steps[1], visitors: 0 }]);
  assert.deepEqual(nobody.map((b) => [b.width, b.lost]), [[0, 0], [0, 0]]);
  assert.deepEqual(funnelBars([]), []);
});
