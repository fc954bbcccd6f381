// The first requests of a page load, sent before Angular starts (early-start.ts): the site list (which also
// tells whether someone is signed in) and, on a dashboard (/sites/3?range=30d), the cards and chart of its
// range. On a slow machine Angular takes several hundred milliseconds to load, start, and load and draw the
// dashboard; asked only then, the stats would come after all that, while the server could have answered
// long before. Api takes these answers (once each) instead of asking again; a failed or refused early
// request counts for nothing, and Api asks itself as if there had been none (so a 401 still shows the
// sign-in form). Plain functions (no Angular) so node --test can check them (test/early.test.mjs).
import { resolveRange, todayIn } from './date-range';
import { parseFilters, serializeFilters } from './filters';

/** What the dashboard asks for first (dashboard.ts load): the cards and the chart, the top lists after. */
export const FIRST_PARTS: readonly string[] = ['summary', 'chart'];

/** How long an early answer waits to be taken: a page opened later asks afresh. */
const KEEP_MS = 10_000;

interface Early {
  readonly at: number;
  readonly answer: Promise<unknown | null>;
  /** the answer once it is in: a page made after that can show it in its first render, without a wait */
  settled?: { readonly value: unknown | null };
}

/**
 * The early answers by path. early-start.ts is bundled on its own (it runs before the app's bundle has
 * loaded), so this module is in both bundles, twice: the map is kept on the window, under a registered
 * symbol, for both copies to share.
 */
const early: Map<string, Early> = ((globalThis as any)[Symbol.for('hitkeep.early')] ??= new Map<string, Early>());

/**
 * A query value encoded as Angular's HttpParams does (encodeURIComponent, but @ : $ , ; = ? / kept), so
 * the same request is the same URL whichever of the two built it.
 */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/%(40|3A|24|2C|3B|3D|3F|2F)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The query of a stats-like request: the range, one `filter` each, and optionally the parts and the rows a list. */
export function statsQuery(from: string, to: string, filters: readonly string[], parts?: readonly string[], limit?: number): string {
  const pairs = [['from', from], ['to', to], ...filters.map((filter) => ['filter', filter])];
  if (parts) pairs.push(['parts', parts.join(',')]);
  if (limit) pairs.push(['limit', String(limit)]);
  return '?' + pairs.map(([key, value]) => `${key}=${encode(value)}`).join('&');
}

export function statsPath(siteId: number, from: string, to: string, filters: readonly string[], parts?: readonly string[], limit?: number): string {
  return `/api/sites/${siteId}/stats${statsQuery(from, to, filters, parts, limit)}`;
}

interface SiteZone { id: number; timezone: string; }

/** Whether the address is a site's dashboard (/sites/3), the page whose stats are asked for early. */
export function isDashboardPath(pathname: string): boolean {
  return /^\/sites\/\d+\/?$/.test(pathname);
}

/**
 * The request the dashboard at this address sends first, once the site (its time zone) is known; null for
 * any other page. `search` is the address's query (?range=...&filter=...).
 */
export function firstStatsPath(pathname: string, search: string, sites: readonly SiteZone[]): string | null {
  if (!isDashboardPath(pathname)) return null;
  const id = Number(pathname.split('/')[2]);
  const site = sites.find((s) => s.id === id);
  if (!site) return null;
  const query = new URLSearchParams(search);
  const range = resolveRange(query.get('range'), query.get('from'), query.get('to'), todayIn(site.timezone));
  return statsPath(site.id, range.from, range.to, serializeFilters(parseFilters(query.getAll('filter'))), FIRST_PARTS);
}

/** GET of a JSON answer; null for anything but a 200 (the caller then asks again the usual way). */
function getJson(path: string): Promise<unknown | null> {
  return fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
}

/** Sends a request, and keeps its answer for takeEarly or takeSettledEarly. */
function sendEarly(path: string, at: number): Promise<unknown | null> {
  const entry: Early = { at, answer: getJson(path) };
  early.set(path, entry);
  entry.answer.then((value) => { entry.settled = { value }; });
  return entry.answer;
}

/** Sends the site list request and, on a dashboard, its first stats request as soon as the list is in. */
export function sendEarlyRequests(where: { pathname: string; search: string }): void {
  const now = Date.now();
  const sites = sendEarly('/api/sites', now);
  if (!isDashboardPath(where.pathname)) return;
  // The first use of Intl in a page costs 60 to 160 ms here (ICU's data): the first stats request needs it
  // (today in the site's zone), so it is paid now, while the site list is on its way, not after it.
  todayIn('UTC');
  sites.then((list) => {
    const path = Array.isArray(list) ? firstStatsPath(where.pathname, where.search, list) : null;
    if (path) sendEarly(path, now);
  });
}

/**
 * On a dashboard's address, preloads the modules the dashboard needs beyond the page's initial ones, which the
 * build names in index.html's `<meta name="hk-dashboard-modules">` (scripts/dashboard-modules.mjs): fetched and
 * compiled while Angular starts, rather than one after another once its router asks for the route.
 */
export function preloadDashboardModules(where: { pathname: string }, doc: Document): void {
  if (!isDashboardPath(where.pathname)) return;
  const names = doc.querySelector('meta[name="hk-dashboard-modules"]')?.getAttribute('content') ?? '';
  for (const name of names.split(' ').filter((n) => /^chunk-[A-Za-z0-9]+\.js$/.test(n))) {
    const link = doc.createElement('link');
    link.rel = 'modulepreload';
    link.href = name;
    doc.head.appendChild(link);
  }
}

/** Whether an early answer may still be taken: a page opened later asks afresh. */
function recent(entry: Early): boolean {
  return Date.now() - entry.at <= KEEP_MS;
}

/**
 * The early answer of this path (once): a promise of the answer, or of null when the early request failed;
 * null when there was no such request, or it was sent too long ago.
 */
export function takeEarly<T>(path: string): Promise<T | null> | null {
  const found = early.get(path);
  if (!found) return null;
  early.delete(path);
  return recent(found) ? (found.answer as Promise<T | null>) : null;
}

/**
 * The early answer of this path (once) if it is already in and usable: the answer itself, with no promise to
 * wait for; null otherwise (not sent, still on its way, failed or refused, or sent too long ago), and then
 * takeEarly still has it.
 */
export function takeSettledEarly<T>(path: string): T | null {
  const found = early.get(path);
  if (!found?.settled || found.settled.value === null || !recent(found)) return null;
  early.delete(path);
  return found.settled.value as T;
}
