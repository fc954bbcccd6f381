// Date ranges of the dashboard, as YYYY-MM-DD days in the site's time zone. Plain functions (no Angular)
// so node --test can check them (test/date-range.test.mjs).

export type RangeKey = 'today' | 'yesterday' | '7d' | '30d' | 'mtd' | 'last_month' | '12mo';

export const RANGES: ReadonlyArray<{ key: RangeKey; label: string }> = [
  { key: 'today', label: 'Today' },
  { key: 'yesterday', label: 'Yesterday' },
  { key: '7d', label: 'Last 7 days' },
  { key: '30d', label: 'Last 30 days' },
  { key: 'mtd', label: 'Month to date' },
  { key: 'last_month', label: 'Last month' },
  { key: '12mo', label: 'Last 12 months' },
];

export const DEFAULT_RANGE: RangeKey = '7d';

export function isRangeKey(value: unknown): value is RangeKey {
  return RANGES.some((range) => range.key === value);
}

/** Made once per time zone: making one is slow (tens of milliseconds for the first zone on a slow machine). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormatIn(timeZone: string): Intl.DateTimeFormat {
  let dayFormat = dayFormats.get(timeZone);
  if (!dayFormat) {
    try {
      dayFormat = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      dayFormat = dayFormatIn('UTC');
    }
    dayFormats.set(timeZone, dayFormat);
  }
  return dayFormat;
}

/** The calendar day of {@code now} in {@code timeZone} (an IANA name; a bad one falls back to UTC). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = dayFormatIn(timeZone).formatToParts(now);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function parse(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = parse(day);
  date.setUTCDate(date.getUTCDate() + days);
  return format(date);
}

/** Whether {@code day} is a real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isDay(day: unknown): day is string {
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  return format(parse(day)) === day;
}

/** The same day {@code years} years later (or earlier); 29 Feb becomes 28 Feb in a common year. */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y + years, m - 1, d));
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
  return format(date);
}

/** The longest custom range: three years (the stats API refuses more than 3 x 366 days). */
export const MAX_CUSTOM_YEARS = 3;

/** Why {from, to} is not a usable custom range, or null when it is. */
export function customRangeError(from: unknown, to: unknown): string | null {
  if (!isDay(from)) return 'Enter a start date.';
  if (!isDay(to)) return 'Enter an end date.';
  if (from > to) return 'The start date must not be after the end date.';
  if (to > addYears(from, MAX_CUSTOM_YEARS)) return `A range can span at most ${MAX_CUSTOM_YEARS} years.`;
  return null;
}

/**
 * The range of the URL's query: a preset (`range=30d`), a custom one (`range=custom&from=...&to=...`), or
 * the default with the reason when a custom one is not valid.
 */
export function resolveRange(
  range: string | null, from: string | null, to: string | null, today: string,
): { key: RangeKey | 'custom'; from: string; to: string; error: string | null } {
  if (range === 'custom') {
    const error = customRangeError(from, to);
    if (error === null) return { key: 'custom', from: from as string, to: to as string, error: null };
    return { key: DEFAULT_RANGE, ...rangeDays(DEFAULT_RANGE, today), error };
  }
  const key = isRangeKey(range) ? range : DEFAULT_RANGE;
  return { key, ...rangeDays(key, today), error: null };
}

/** {from, to} (both inclusive) of a range, relative to {@code today} (YYYY-MM-DD). */
export function rangeDays(key: RangeKey, today: string): { from: string; to: string } {
  const date = parse(today);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  switch (key) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const yesterday = addDays(today, -1);
      return { from: yesterday, to: yesterday };
    }
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'mtd':
      return { from: format(new Date(Date.UTC(y, m, 1))), to: today };
    case 'last_month':
      return { from: format(new Date(Date.UTC(y, m - 1, 1))), to: format(new Date(Date.UTC(y, m, 0))) };
    case '12mo': {
      // the same day a year ago, plus one: 365 or 366 days ending today (29 Feb a year on is 1 Mar)
      const start = new Date(Date.UTC(y - 1, m, date.getUTCDate()));
      if (start.getUTCMonth() !== m) start.setUTCDate(0);
      start.setUTCDate(start.getUTCDate() + 1);
      return { from: format(start), to: today };
    }
  }
}

/** The number of days from {@code from} to {@code to}, both inclusive (1 for a single day). */
export function dayCount(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / 864e5) + 1;
}

/**
 * The period compared with {from, to}: the same number of days just before it, so the two always have the
 * same length (month to date 1-22 Nov compares with 10-31 Oct, last month (30 days, November) with the 30
 * days before it, today with yesterday). Both inclusive.
 */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = dayCount(from, to);
  return { from: addDays(from, -days), to: addDays(from, -1) };
}

/**
 * The change from {@code previous} to {@code current} in percent, rounded to a whole number; null when
 * there is nothing to compare with (previous 0 or unknown), so the dashboard shows "—".
 */
export function percentChange(current: number | undefined, previous: number | undefined): number | null {
  if (current === undefined || previous === undefined || !Number.isFinite(current) || !Number.isFinite(previous) || previous === 0) {
    return null;
  }
  const change = Math.round(((current - previous) / Math.abs(previous)) * 100);
  return change === 0 ? 0 : change; // no -0
}

/** The time zones this browser knows, with {@code preferred} first if it is missing. */
export function timeZones(preferred: string): string[] {
  const known: string[] = typeof (Intl as any).supportedValuesOf === 'function' ? (Intl as any).supportedValuesOf('timeZone') : [];
  const zones = ['UTC', ...known.filter((zone) => zone !== 'UTC')];
  if (preferred && !zones.includes(preferred)) zones.unshift(preferred);
  return zones;
}
