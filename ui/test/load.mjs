// Imports one of src/app's plain TypeScript modules (no Angular in it): compiled in memory by esbuild
// (which the Angular build brings) and imported as a data: URL, so no build step is needed. Relative
// imports of such modules are not resolved: the modules under test import nothing.
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

export async function load(name) {
  const source = readFileSync(new URL(`../src/app/${name}.ts`, import.meta.url), 'utf8');
  const { code } = transformSync(source, { loader: 'ts', format: 'esm', target: 'es2022' });
  return import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));
}
