// Times the site dashboard in Chromium against a running HitKeep: from navigation start until the KPI
// cards show numbers (the moment the page is useful). Not a test: bench/dashboard/run.sh seeds a big site
// and an empty one, then runs this for both, so the figure comes with a baseline from the same run.
//   node perf/dashboard-load.mjs BASE EMAIL PASSWORD SITE_ID RANGE RUNS
// NETWORK=RTT_MS,KBIT_S: Chromium's network emulation (each way), e.g. NETWORK=40,10000 for a 10 Mbit/s line 40 ms
// away; without it the page loads over loopback, where the bytes sent hardly count.
import { launchChromium } from '../lib/harness.mjs';
import { sessionToken } from './session-token.mjs';

const [base, email, password, siteId, range = '30d', runs = '5'] = process.argv.slice(2);
const token = await sessionToken(base, email, password);

const browser = await launchChromium();
const times = [];
const statsTimes = [];
for (let run = 0; run < Number(runs); run++) {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'hk_token', value: token, url: base }]);
  const page = await context.newPage();
  if (process.env.NETWORK) {
    const [latency, kbits] = process.env.NETWORK.split(',').map(Number);
    const cdp = await context.newCDPSession(page);
    const bytesPerSecond = (kbits * 1000) / 8;
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
  }
  const statsDone = [];
  page.on('requestfinished', (request) => {
    if (request.url().includes('/stats?')) statsDone.push(request.timing().responseEnd);
  });
  await page.goto(`${base}/sites/${siteId}?range=${range}`);
  await page.waitForFunction(() => {
    const value = document.querySelector('[data-kpi="visitors"] [data-testid="kpi-value"]');
    return value && /\d/.test(value.textContent || '');
  }, null, { timeout: 30000, polling: 'raf' });
  const ready = await page.evaluate(() => performance.now());
  times.push(ready);
  if (process.env.TRACE) {
    // what the page fetched and when, relative to navigation start
    const trace = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((e) => `${new URL(e.name).pathname.split('/').pop()}${new URL(e.name).searchParams.get('parts') ? '[' + new URL(e.name).searchParams.get('parts') + ']' : ''} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)}`));
    console.error(`run ${run}: ready ${Math.round(ready)} ms; ${trace.join(', ')}`);
  }
  if (statsDone.length) statsTimes.push(Math.max(...statsDone));
  // Let the page finish what it asked for (the lists, the previous period, the cards) before the next load: closed
  // at once, its requests went on in the server and the next load waited behind them, which no single visit does.
  await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {});
  await context.close();
}
await browser.close();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(JSON.stringify({ range, runs: times.length, median_ms: Math.round(median(times)),
  all_ms: times.map(Math.round), stats_requests_done_ms: statsTimes.length ? Math.round(median(statsTimes)) : null }));
