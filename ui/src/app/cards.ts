// The dashboard's tabbed cards, grouped the way site owners know from Plausible: pages | entry | exit;
// sources | referrers | mediums | UTM source, medium, campaign; a world map | countries; browsers |
// versions | OS | OS versions | devices; languages; events | goals. Each card keeps its tab in the URL
// query under the card's key (/sites/1?sources=utm_campaign&devices=os); the first tab is the default and
// leaves the URL alone. Plain functions so node --test can check them (test/cards.test.mjs).

/** One tab: its name in the URL, its label, the list of the stats answer it shows, the filter a row adds. */
export interface Tab {
  readonly key: string;
  readonly label: string;
  readonly list: string;
  readonly dim: string;
  /** what the numbers on its rows count */
  readonly unit: 'Visitors' | 'Count' | 'Conversion';
}

export interface Card {
  /** the card's query parameter */
  readonly key: string;
  readonly title: string;
  readonly tabs: readonly Tab[];
  /** what the card says when none of its lists has a row */
  readonly none: string;
}

const tab = (key: string, label: string, list: string, dim: string, unit: Tab['unit'] = 'Visitors'): Tab => ({ key, label, list, dim, unit });

export const CARDS: readonly Card[] = [
  {
    key: 'pages', title: 'Pages', none: 'No pages in this range',
    tabs: [tab('top', 'Top pages', 'pages', 'page'), tab('entry', 'Entry pages', 'entry_pages', 'page'), tab('exit', 'Exit pages', 'exit_pages', 'page')],
  },
  {
    key: 'sources', title: 'Sources', none: 'No sources in this range',
    tabs: [
      tab('sources', 'Sources', 'sources', 'source'), tab('referrers', 'Referrers', 'referrers', 'referrer'),
      tab('mediums', 'Mediums', 'mediums', 'medium'), tab('utm_source', 'UTM source', 'utm_sources', 'utm_source'),
      tab('utm_medium', 'UTM medium', 'utm_mediums', 'utm_medium'), tab('utm_campaign', 'UTM campaign', 'utm_campaigns', 'utm_campaign'),
    ],
  },
  {
    key: 'locations', title: 'Locations', none: 'No countries in this range',
    tabs: [tab('map', 'Map', 'countries', 'country'), tab('countries', 'Countries', 'countries', 'country')],
  },
  {
    key: 'devices', title: 'Devices', none: 'No browsers or devices in this range',
    tabs: [
      tab('browsers', 'Browsers', 'browsers', 'browser'), tab('versions', 'Versions', 'browser_versions', 'browser_version'),
      tab('os', 'OS', 'os', 'os'), tab('os_versions', 'OS versions', 'os_versions', 'os_version'), tab('devices', 'Devices', 'devices', 'device'),
    ],
  },
  { key: 'languages', title: 'Languages', none: 'No languages in this range', tabs: [tab('languages', 'Languages', 'languages', 'language')] },
  {
    key: 'events', title: 'Events and goals', none: 'No events and no goals yet',
    tabs: [tab('events', 'Events', 'events', 'event', 'Count'), tab('goals', 'Goals', 'goals', 'goal', 'Conversion')],
  },
];

/** The tab the URL's value names, the card's first for anything else. */
export function activeTab(card: Card, value: string | null | undefined): Tab {
  return card.tabs.find((t) => t.key === value) ?? card.tabs[0];
}

/** The query change that selects a tab: the first tab removes the parameter (null), so default URLs stay short. */
export function tabQuery(card: Card, key: string): Record<string, string | null> {
  const chosen = activeTab(card, key);
  return { [card.key]: chosen === card.tabs[0] ? null : chosen.key };
}

export interface ListRow { value: string; pageviews?: number; visitors?: number; count?: number; conversion_rate?: number; }

/** What a row of a tab counts: events by how often they happened, everything else by visitors. */
export function rowCount(t: Tab, row: ListRow): number {
  return t.unit === 'Count' ? row.count ?? 0 : row.visitors ?? row.pageviews ?? 0;
}

/** A tab's list of the stats answer (goals are named, not valued: their name is the row's value). */
export function tabRows(t: Tab, stats: Record<string, unknown> | null | undefined): ListRow[] {
  const list = stats?.[t.list];
  if (!Array.isArray(list)) return [];
  return t.list === 'goals' ? list.map((goal) => ({ ...goal, value: goal.name })) : list;
}

/**
 * The rows with the width of their bar: a share of the biggest count (of the conversion rate for goals,
 * so a bar reads as "how many of all visitors").
 */
export function barRows<R extends ListRow>(t: Tab, rows: readonly R[]): Array<R & { n: number; share: number }> {
  if (t.unit === 'Conversion') {
    return rows.map((row) => ({ ...row, n: row.visitors ?? 0, share: Math.max(0, Math.min(100, row.conversion_rate ?? 0)) }));
  }
  const counted = rows.map((row) => ({ ...row, n: rowCount(t, row) }));
  const max = Math.max(1, ...counted.map((row) => row.n));
  return counted.map((row) => ({ ...row, share: (row.n / max) * 100 }));
}

/** Whether none of the card's lists has a row: such a card collapses to one line. */
export function cardIsEmpty(card: Card, stats: Record<string, unknown> | null | undefined): boolean {
  return card.tabs.every((t) => tabRows(t, stats).length === 0);
}
