// PrimeNG's theme (the Aura preset) as a plain stylesheet, made once at build time: target/generated/primeng-theme.css,
// the second of angular.json's styles. In PrimeNG's styled mode the browser otherwise builds this CSS from the
// preset's design tokens on every page load (the common tokens at the first PrimeNG component, each component's
// at its first use): 100 to 175 ms of main-thread work on this machine before the first PrimeNG component shows.
// The app therefore tells PrimeNG `theme: 'none'` (app.config.ts) and PrimeNG leaves its theme alone; what it
// still adds itself are the few theme-independent core rules (p-hidden-accessible, the icons' size).
//
// The CSS is PrimeNG's own: this script makes the very calls PrimeNG makes in the browser
// (BaseComponent._loadThemeStyles: the common theme, then each component's tokens and style), through PrimeNG's
// own style classes, and writes what they would have put into <style> elements, in the same order (the layer
// order first, the common theme, then the components, an enclosing component before the ones it contains).
// Which components: every PrimeNG component and directive the app imports (`from 'primeng/...'` in src/), and
// everything they import or provide in turn, found through their Angular metadata.
//
//   node scripts/primeng-theme.mjs [OUT]        (run by the ui module's build and by `npm run build`)
import '@angular/compiler'; // PrimeNG's classes are partially compiled: Angular's JIT compiler finishes them on import
import { Injector } from '@angular/core';
import Aura from '@primeuix/themes/aura';
import { Theme } from '@primeuix/styled';
import { BaseStyle } from 'primeng/base';
import { BaseComponentStyle } from 'primeng/basecomponent';
import { UseStyle } from 'primeng/usestyle';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The theme the app had in providePrimeNG; dark mode follows the system (prefers-color-scheme), like Tailwind's dark: variant. */
export const THEME = { preset: Aura, options: { darkModeSelector: 'system' } };

const UI = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The PrimeNG entry points the app's sources import (primeng/button, ...), in order of first appearance. */
export function primeModulesOf(dir) {
  const found = new Set();
  const visit = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.name.endsWith('.ts')) {
        for (const [, module] of readFileSync(child, 'utf8').matchAll(/from '(primeng\/[a-z/]+)'/g)) found.add(module);
      }
    }
  };
  visit(dir);
  found.delete('primeng/config');
  return [...found];
}

/**
 * The style classes these modules' components and directives use, an enclosing one before those it contains:
 * each class's decorator metadata (kept by the partial compilation) lists its providers (its style class among
 * them) and what it imports or, for an NgModule, exports.
 */
export async function styleClassesOf(modules) {
  const styles = [];
  const seen = new Set();
  const visit = (type) => {
    if (typeof type !== 'function' || seen.has(type)) return;
    seen.add(type);
    if (type.prototype instanceof BaseStyle) {
      styles.push(type);
      return;
    }
    for (const decorator of type.decorators ?? []) {
      const meta = decorator.args?.[0] ?? {};
      for (const provider of meta.providers ?? []) visit(typeof provider === 'function' ? provider : provider?.useClass);
      for (const imported of [...(meta.imports ?? []), ...(meta.exports ?? [])].flat(Infinity)) visit(imported);
    }
  };
  for (const module of modules) {
    const exports = await import(module);
    for (const value of Object.values(exports)) if (value?.ɵcmp || value?.ɵdir) visit(value);
  }
  return styles;
}

/** The <style> elements PrimeNG would add for these style classes under this theme: [{ name, css, first }]. */
export function themeStyles(theme, styleClasses) {
  const added = [];
  const recorder = { use: (css, { name, first = false } = {}) => (added.push({ name, css, first }), {}) };
  const injector = Injector.create({ providers: [{ provide: UseStyle, useValue: recorder }, BaseStyle, BaseComponentStyle, ...styleClasses] });
  Theme.setTheme(theme);
  const base = injector.get(BaseStyle);
  const { primitive, semantic, global, style } = base.getCommonTheme();
  base.load(primitive?.css, { name: 'primitive-variables' });
  base.load(semantic?.css, { name: 'semantic-variables' });
  base.load(global?.css, { name: 'global-variables' });
  base.loadBaseStyle({ name: 'global-style' }, style);
  for (const styleClass of styleClasses) {
    const component = injector.get(styleClass);
    const { css, style: extra } = component.getComponentTheme() || {};
    component.load(css, { name: `${component.name}-variables` });
    component.loadStyle({ name: `${component.name}-style` }, extra);
  }
  base.load(base.getLayerOrderThemeCSS(), { name: 'layer-order', first: true });
  const named = new Map();
  for (const entry of added) if (entry.css && !named.has(entry.name)) named.set(entry.name, entry);
  const all = [...named.values()];
  return [...all.filter((entry) => entry.first), ...all.filter((entry) => !entry.first)];
}

/** The stylesheet: each PrimeNG style element's CSS under a comment with its name (data-primeng-style-id). */
export function stylesheet(styles) {
  return styles.map(({ name, css }) => `/* ${name} */\n${css}\n`).join('');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? join(UI, 'target/generated/primeng-theme.css');
  const styles = themeStyles(THEME, await styleClassesOf(primeModulesOf(join(UI, 'src'))));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `/* Made by scripts/primeng-theme.mjs from PrimeNG's Aura preset: do not edit */\n${stylesheet(styles)}`);
  console.log(`${out}: ${styles.length} PrimeNG styles (${styles.map((style) => style.name).join(' ')})`);
}
