// Number formatting of the dashboard: plain functions (no Angular) so node --test can check them
// (test/format.test.mjs). The locale is the browser's unless a test passes one.

/** Made once per locale and options: a card's rows are formatted on every change, and making one is slow. */
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''} ${JSON.stringify(options)}`;
  let made = numberFormats.get(key);
  if (!made) {
    made = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, made);
  }
  return made;
}

/** 1234 as "1,234" (in the locale's grouping). */
export function integer(n: number, locale?: string): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(Math.round(n));
}

/** 1234 as "1.2K", 1234567 as "1.2M"; below 10,000 the whole number, so small sites read exactly. */
export function compact(n: number, locale?: string): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) < 10_000) return integer(n, locale);
  return numberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

/** A share in percent (already 0-100) as "42%", small non-zero shares with one decimal ("0.4%"). */
export function percent(n: number, locale?: string): string {
  if (!Number.isFinite(n)) return '–';
  const digits = n !== 0 && Math.abs(n) < 1 ? 1 : 0;
  return `${numberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n)}%`;
}

/** Seconds as "42s", "3m 07s" or "1h 02m". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A change in percent (a whole number, from percentChange) as "+12%" / "−5%" (a real minus sign). */
export function signedPercent(pct: number, locale?: string): string {
  const magnitude = integer(Math.abs(pct), locale);
  return pct > 0 ? `+${magnitude}%` : pct < 0 ? `−${magnitude}%` : '0%';
}

/** A conversion or drop-off rate as the API gives it (a percentage with one decimal): "33.3%", "50%". */
export function rate(n: number, locale?: string): string {
  if (!Number.isFinite(n)) return '–';
  return `${numberFormat(locale, { maximumFractionDigits: 1 }).format(n)}%`;
}

let regions: Intl.DisplayNames | null | undefined;

/** A country's name from its ISO code ("DE" as "Germany" in the browser's language); the code when unknown. */
export function countryName(code: string, locale?: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    const names = locale ? new Intl.DisplayNames(locale, { type: 'region' }) : (regions ??= new Intl.DisplayNames(undefined, { type: 'region' }));
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}
