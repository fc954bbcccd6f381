// How much work the site dashboard makes its page's main thread do before the visitors card shows its number:
// the thread time (CPU, from a Chromium trace of its top-level tasks) from navigation start until then, next to
// the wall time of the same loads. On a machine shared with other work the wall time mostly measures the
// others (at a load average of 12 on 2 cores the page's main thread ran a quarter of the time it was busy);
// the thread time moves much less, so it tells whether a change made the page itself cheaper. Not a test.
//   node perf/dashboard-cpu.mjs BASE EMAIL PASSWORD SITE_ID RANGE RUNS     (one warm-up load first)
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../lib/harness.mjs';
import { sessionToken } from './session-token.mjs';

const [base, email, password, siteId, range = '30d', runs = '5'] = process.argv.slice(2);
const token = await sessionToken(base, email, password);

const browser = await launchChromium();
const tracePath = join(tmpdir(), `dashboard-cpu-${process.pid}.json`);
const threadTimes = [];
const wallTimes = [];
for (let run = 0; run <= Number(runs); run++) {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'hk_token', value: token, url: base }]);
  // the moment the number is in the page, taken by the page itself (no polling delay)
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const value = document.querySelector('[data-kpi="visitors"] [data-testid="kpi-value"]');
      if (value && /\d/.test(value.textContent || '')) {
        window.__numberShown = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const page = await context.newPage();
  await browser.startTracing(page, { path: tracePath, categories: ['toplevel', 'blink.user_timing', 'loading'] });
  await page.goto(`${base}/sites/${siteId}?range=${range}`);
  await page.waitForFunction(() => window.__numberShown, null, { timeout: 30000, polling: 100 });
  const shown = await page.evaluate(() => window.__numberShown);
  await browser.stopTracing();
  await context.close();
  if (run === 0) continue; // the first load warms the server and the browser
  const events = JSON.parse(readFileSync(tracePath, 'utf8')).traceEvents;
  const starts = events.filter((e) => e.name === 'navigationStart' && JSON.stringify(e.args).includes(new URL(base).host));
  const start = starts[starts.length - 1];
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain' && e.pid === start.pid)
    .map((e) => e.tid));
  const end = start.ts + shown * 1000;
  let threadMicros = 0;
  for (const e of events) {
    if (e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.pid === start.pid && mainThreads.has(e.tid) && e.ts >= start.ts && e.ts <= end) {
      threadMicros += e.tdur ?? 0;
    }
  }
  threadTimes.push(threadMicros / 1000);
  wallTimes.push(shown);
}
rmSync(tracePath, { force: true });
await browser.close();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(JSON.stringify({ range, runs: threadTimes.length, main_thread_ms: Math.round(median(threadTimes)), wall_ms: Math.round(median(wallTimes)),
  all_main_thread_ms: threadTimes.map(Math.round), all_wall_ms: wallTimes.map(Math.round) }));
