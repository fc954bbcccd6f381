// Imports one of src/app's plain TypeScript modules (no Angular in it): bundled in memory by esbuild (which
// the Angular build brings), with the modules and npm packages it imports (world-map.ts reads world-atlas
// and topojson-client), and imported as a data: URL, so no build step is needed.
import { buildSync } from 'esbuild';

export async function load(name) {
  const { outputFiles } = buildSync({
    entryPoints: [new URL(`../src/app/${name}.ts`, import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'error',
  });
  return import('data:text/javascript;base64,' + Buffer.from(outputFiles[0].contents).toString('base64'));
}
