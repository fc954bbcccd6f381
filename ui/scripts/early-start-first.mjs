// Moves the early-start script (early-start.ts, built as Angular's "polyfills" bundle) to the top of the built
// index.html's <head> (right after <base href>, which its relative address needs), as <script type="module" async>. Angular's build puts it at the end of <body>, after
// the modulepreload links of the eight initial chunks: the browser then fetched it last of nine, six at a time
// over HTTP/1.1, and the site list request it sends went out only 0.4 to 0.6 s into the load. First in <head> it
// is the page's first request, and `async` runs it as soon as it is in, without waiting for the stylesheet or
// for the document's end. Its job is only to send requests early: if main ran first after all, the app would
// simply ask for itself (early.ts). The CSP forbids inline scripts, so it stays a file.
//
//   node scripts/early-start-first.mjs [INDEX]     (run after `ng build` by the ui module's build and by `npm run build`)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** index.html with the polyfills script first in <head> (after <base>), async; an error if the build's markup is not as expected. */
export function earlyStartFirst(html) {
  const tag = html.match(/<script src="(polyfills-[A-Za-z0-9]+\.js)" type="module"><\/script>/);
  if (!tag) {
    if (/<script src="polyfills-[A-Za-z0-9]+\.js" type="module" async><\/script>/.test(html)) return html; // done before
    throw new Error('index.html: no <script src="polyfills-....js" type="module"> (did the Angular build change?)');
  }
  const withoutTag = html.replace(tag[0], '');
  const base = withoutTag.match(/<base href="[^"]*">/);
  if (!base) throw new Error('index.html: no <base href>');
  const at = base.index + base[0].length;
  return `${withoutTag.slice(0, at)}\n  <script src="${tag[1]}" type="module" async></script>${withoutTag.slice(at)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const index = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../target/classes/io/hitkeep/ui/index.html');
  writeFileSync(index, earlyStartFirst(readFileSync(index, 'utf8')));
  console.log(`${index}: the early-start script first`);
}
