// The two build steps around `ng build` (scripts/): PrimeNG's theme made into a stylesheet, and the early-start
// script moved to the top of index.html. The stylesheet's look in the browser is checked by browser-tests'
// dashboard test (no theme CSS made in the page, the Aura colours in light and dark).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { earlyStartFirst } from '../scripts/early-start-first.mjs';
import { THEME, primeModulesOf, styleClassesOf, stylesheet, themeStyles } from '../scripts/primeng-theme.mjs';

const BUILT = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>HitKeep</title>
  <base href="/">
<link rel="stylesheet" href="styles-AMI6ET3F.css"></head>
<body>
  <hk-root></hk-root>
<link rel="modulepreload" href="chunk-HEPBO7QY.js"><script src="polyfills-BXC444AW.js" type="module"></script><script src="main-6WEJ7S2A.js" type="module"></script></body>
</html>`;

test('the early-start script moves to the head, right after <base> (its address is relative), async', () => {
  const html = earlyStartFirst(BUILT);
  assert.match(html, /<base href="\/">\n  <script src="polyfills-BXC444AW.js" type="module" async><\/script>\n<link rel="stylesheet"/);
  assert.equal(html.match(/polyfills-/g).length, 1, 'once');
  assert.match(html, /<link rel="modulepreload" href="chunk-HEPBO7QY.js"><script src="main-6WEJ7S2A.js" type="module"><\/script><\/body>/);
  assert.equal(earlyStartFirst(html), html, 'a second run changes nothing');
});

test('an index.html not as the build makes it is an error, not a silent no-op', () => {
  assert.throws(() => earlyStartFirst(BUILT.replace(/<script src="polyfills[^<]*<\/script>/, '')), /no <script src="polyfills/);
  assert.throws(() => earlyStartFirst(BUILT.replace('<base href="/">', '')), /no <base href>/);
});

test('the theme stylesheet has the common tokens and every PrimeNG component the app imports, in dark mode too', async () => {
  const modules = primeModulesOf(fileURLToPath(new URL('../src', import.meta.url)));
  assert.ok(modules.includes('primeng/button') && modules.includes('primeng/select'), modules.join(' '));
  assert.ok(!modules.includes('primeng/config'));
  const styles = themeStyles(THEME, await styleClassesOf(modules));
  const names = styles.map((style) => style.name);
  assert.deepEqual(names.slice(0, 4), ['primitive-variables', 'semantic-variables', 'global-variables', 'global-style']);
  // the select's own parts (its overlay) come with it, an enclosing component before the ones it contains
  for (const name of ['button', 'select', 'inputtext', 'message', 'chip', 'toggleswitch', 'textarea', 'progressbar']) {
    assert.ok(names.includes(`${name}-variables`) && names.includes(`${name}-style`), name);
  }
  assert.ok(names.indexOf('select-style') < names.indexOf('overlay-style'));
  assert.equal(new Set(names).size, names.length, 'each once');
  const css = stylesheet(styles);
  assert.match(css, /--p-primary-color:/);
  assert.match(css, /@media \(prefers-color-scheme: ?dark\)/, 'dark mode follows the system');
  assert.match(css, /\.p-button\{/);
  assert.doesNotMatch(css, /dt\(|undefined|\[object/, 'every token resolved');
});
