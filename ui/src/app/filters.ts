import { countryName } from './format';

// The dashboard's filters: "dim:value" strings, one `filter` query parameter each
// (/sites/1?filter=country:DE&filter=page:/pricing). At most one filter per dimension: a click on another
// row of the same panel replaces it. Plain functions so node --test can check them (test/filters.test.mjs).

export interface Filter { dim: string; value: string; }

/** The dimensions the stats API filters by (core StatsRequest), with their chip labels. */
export const DIMENSIONS: Readonly<Record<string, string>> = {
  page: 'Page', hostname: 'Host', source: 'Source', referrer: 'Referrer', medium: 'Medium',
  utm_source: 'UTM source', utm_medium: 'UTM medium', utm_campaign: 'UTM campaign', utm_term: 'UTM term',
  utm_content: 'UTM content', country: 'Country', browser: 'Browser', browser_version: 'Browser version',
  os: 'OS', os_version: 'OS version', device: 'Device', language: 'Language', event: 'Event', goal: 'Goal',
};

/** One "dim:value" (the value may itself hold colons); null for anything else. */
export function parseFilter(text: string): Filter | null {
  const at = text.indexOf(':');
  if (at <= 0) return null;
  const dim = text.slice(0, at);
  if (!Object.hasOwn(DIMENSIONS, dim)) return null;
  return { dim, value: text.slice(at + 1) };
}

export function serializeFilter(filter: Filter): string {
  return `${filter.dim}:${filter.value}`;
}

/** The filters of the URL's `filter` parameters: unknown dimensions dropped, the last one of a dimension wins. */
export function parseFilters(params: readonly string[]): Filter[] {
  let filters: Filter[] = [];
  for (const text of params) {
    const filter = parseFilter(text);
    if (filter) filters = withFilter(filters, filter);
  }
  return filters;
}

export function serializeFilters(filters: readonly Filter[]): string[] {
  return filters.map(serializeFilter);
}

/** Whether two lists hold the same filters in the same order (the URL changed, but not its filters). */
export function sameFilters(a: readonly Filter[], b: readonly Filter[]): boolean {
  return a.length === b.length && a.every((f, i) => f.dim === b[i].dim && f.value === b[i].value);
}

/** Adds a filter, replacing one of the same dimension in its place (so chips do not jump around). */
export function withFilter(filters: readonly Filter[], filter: Filter): Filter[] {
  const at = filters.findIndex((f) => f.dim === filter.dim);
  if (at < 0) return [...filters, filter];
  const next = [...filters];
  next[at] = filter;
  return next;
}

export function withoutFilter(filters: readonly Filter[], filter: Filter): Filter[] {
  return filters.filter((f) => !(f.dim === filter.dim && f.value === filter.value));
}

/** A chip's text: "Country: Germany (DE)" when a display name is known, else "Page: /pricing". */
export function filterLabel(filter: Filter, displayName?: (filter: Filter) => string | null): string {
  const label = DIMENSIONS[filter.dim] ?? filter.dim;
  const name = displayName?.(filter);
  return `${label}: ${name && name !== filter.value ? `${name} (${filter.value})` : filter.value || '(none)'}`;
}

/** A chip's text in the browser's language: countries by name ("Country: Germany (DE)"). */
export function chipLabel(filter: Filter): string {
  return filterLabel(filter, (f) => (f.dim === 'country' ? countryName(f.value) : null));
}
