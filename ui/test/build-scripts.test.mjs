// The build steps around `ng build` (scripts/): PrimeNG's theme made into a stylesheet, the early-start
// script moved to the top of index.html, and the dashboard's modules named there for it to preload. The stylesheet's look in the browser is checked by browser-tests'
// dashboard test (no theme CSS made in the page, the Aura colours in light and dark).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { earlyStartFirst } from '../scripts/early-start-first.mjs';
import { dashboardModules, withDashboardModules } from '../scripts/dashboard-modules.mjs';
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

test('a dashboard preloads its route chunk and what it imports, however deep, but nothing the page loads already', () => {
  const files = {
    'main-6WEJ7S2A.js': 'import{a}from"./chunk-HEPBO7QY.js";const r=[{path:"",loadComponent:()=>import("./chunk-SITES111.js").then(t=>t.SitesPage)},'
      + '{path:"sites/:id",loadComponent:()=>import("./chunk-ROUTE222.js").then(t=>t.DashboardPage)}];import("./chunk-ROUTE222.js").catch(()=>{});',
    'chunk-ROUTE222.js': 'import{a}from"./chunk-DASH3333.js";import"./chunk-HEPBO7QY.js";import"./chunk-CHART444.js";export{a as DashboardPage};',
    'chunk-DASH3333.js': 'import{b}from"./chunk-CHART444.js";import{c}from"./chunk-SHARED55.js";var a=1;export{a};',
    'chunk-CHART444.js': 'var b=2;export{b};',
    'chunk-SHARED55.js': 'import"./chunk-HEPBO7QY.js";var c=3;export{c};',
  };
  const read = (name) => { if (!(name in files)) throw new Error(`read ${name}`); return files[name]; };
  const modules = dashboardModules(BUILT, read);
  assert.deepEqual(modules, ['chunk-ROUTE222.js', 'chunk-DASH3333.js', 'chunk-CHART444.js', 'chunk-SHARED55.js'],
    'not the initial chunk, not the site list\'s route, each once');
  const html = withDashboardModules(earlyStartFirst(BUILT), modules);
  assert.match(html, /<base href="\/">\n  <meta name="hk-dashboard-modules" content="chunk-ROUTE222.js chunk-DASH3333.js chunk-CHART444.js chunk-SHARED55.js">\n  <script src="polyfills-/,
    'before the early-start script that reads it');
  assert.equal(withDashboardModules(html, modules), html, 'a second run changes nothing');
  assert.throws(() => dashboardModules(BUILT, (name) => (name.startsWith('main') ? 'no routes' : read(name))), /DashboardPage/);
  assert.throws(() => dashboardModules(BUILT.replace(/<script src="main[^<]*<\/script>/, ''), read), /no <script src="main/);
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
