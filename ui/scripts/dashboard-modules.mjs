// Names the modules a dashboard needs beyond the page's initial ones in a <meta> of the built index.html, for
// the early-start script (early.ts, preloadModules) to preload on a dashboard's address. Without it the
// browser learns of them late and one after another: main.js must be fetched and evaluated before it asks for
// the dashboard's route chunk, and only that chunk's imports name the dashboard's own code and the chart
// library (~165 kB). Preloaded, they are fetched and compiled while Angular starts. The list is made here
// because their names carry content hashes; on other pages (the sign-in, the site list) nothing is fetched.
//
//   node scripts/dashboard-modules.mjs [INDEX]     (after `ng build` and early-start-first.mjs, by the ui module's build and by `npm run build`)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const META = 'hk-dashboard-modules';

/**
 * The dashboard route's chunk and every chunk it imports, however deep, that index.html does not load already
 * (its modulepreloads and main): the route's chunk first, then in the order their imports name them.
 * `read(name)` gives a built file's text.
 */
export function dashboardModules(html, read) {
  const main = html.match(/<script src="(main-[A-Za-z0-9]+\.js)" type="module"><\/script>/)?.[1];
  if (!main) throw new Error('index.html: no <script src="main-....js" type="module"> (did the Angular build change?)');
  const route = read(main).match(/import\("\.\/(chunk-[A-Za-z0-9]+\.js)"\)\.then\(\(?(\w+)\)?=>\2\.DashboardPage\)/)?.[1];
  if (!route) throw new Error(`${main}: no import("./chunk-....js").then(m => m.DashboardPage) (did the routes change?)`);
  const loaded = new Set([main, ...[...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1])]);
  const found = [];
  const queue = [route];
  while (queue.length > 0) {
    const name = queue.shift();
    if (loaded.has(name)) continue;
    loaded.add(name);
    found.push(name);
    for (const m of read(name).matchAll(/(?:from|import)\s*"\.\/(chunk-[A-Za-z0-9]+\.js)"/g)) queue.push(m[1]);
  }
  return found;
}

/** index.html with the <meta> naming `modules`, right after <base href> (before the early-start script that reads it). */
export function withDashboardModules(html, modules) {
  const tag = `<meta name="${META}" content="${modules.join(' ')}">`;
  const without = html.replace(new RegExp(`\\n  <meta name="${META}" content="[^"]*">`), '');
  const base = without.match(/<base href="[^"]*">/);
  if (!base) throw new Error('index.html: no <base href>');
  const at = base.index + base[0].length;
  return `${without.slice(0, at)}\n  ${tag}${without.slice(at)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const index = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../target/classes/io/hitkeep/ui/index.html');
  const html = readFileSync(index, 'utf8');
  const modules = dashboardModules(html, (name) => readFileSync(join(dirname(index), name), 'utf8'));
  writeFileSync(index, withDashboardModules(html, modules));
  console.log(`${index}: a dashboard preloads ${modules.length} modules (${modules.join(', ')})`);
}
