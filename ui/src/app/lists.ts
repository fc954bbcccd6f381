// A site's excluded addresses and paths: the API keeps them as one comma-separated string
// ("10.0.0.0/8,192.168.1.7"), the settings form as one entry a line. Plain functions for node --test.

/** The textarea's lines (commas too) as the API's string: trimmed, blank and repeated entries dropped. */
export function linesToList(text: string): string {
  const seen = new Set<string>();
  for (const entry of text.split(/[\n,]/)) {
    const trimmed = entry.trim();
    if (trimmed) seen.add(trimmed);
  }
  return [...seen].join(',');
}

/** The API's string as one entry a line. */
export function listToLines(list: string | null | undefined): string {
  return (list ?? '').split(',').map((entry) => entry.trim()).filter(Boolean).join('\n');
}
