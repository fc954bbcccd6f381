// The import screen's plain logic (site settings): which tool a file comes from, whether the server will
// take it, upload progress and the list's wording. Plain functions for node --test.

export type ImportSource = 'plausible' | 'goatcounter';

/** The server's limit on an upload (HITKEEP_IMPORT_MAX_BYTES, 50MB by default); it answers 413 above it. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/**
 * The tool a file most likely comes from: GoatCounter delivers goatcounter-export-<code>-<time>.csv.gz,
 * Plausible a zip named after the site (plausible_io_20241231.zip). Null when the name says nothing.
 */
export function guessSource(fileName: string): ImportSource | null {
  const name = fileName.toLowerCase();
  if (name.startsWith('goatcounter') || name.endsWith('.csv') || name.endsWith('.csv.gz')) return 'goatcounter';
  if (name.endsWith('.zip')) return 'plausible';
  return null;
}

/** Why the server would refuse the file before reading it, or null when it may try. */
export function fileProblem(source: ImportSource, file: { name: string; size: number }, maxBytes = DEFAULT_MAX_BYTES): string | null {
  if (file.size === 0) return 'The file is empty.';
  if (file.size > maxBytes) return `The file is ${formatBytes(file.size)}; the server takes at most ${formatBytes(maxBytes)}.`;
  if (source === 'plausible' && !file.name.toLowerCase().endsWith('.zip')) {
    return 'A Plausible export is the .zip file Plausible makes (Site settings → Imports & Exports → Export).';
  }
  return null;
}

/** Whole percent of the upload sent, 0 to 100. */
export function percentSent(sent: number, total: number): number {
  if (!total || total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((sent / total) * 100)));
}

/** "512 B", "1.5 KB", "48.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** "Plausible" for plausible. */
export function sourceLabel(source: string): string {
  return source === 'goatcounter' ? 'GoatCounter' : source === 'plausible' ? 'Plausible' : source;
}

/** The days an import covers, as the list shows them ("2024-03-01 – 2024-03-03"; one day alone). */
export function importDays(from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return 'in progress';
  return from === to ? from : `${from} – ${to}`;
}
