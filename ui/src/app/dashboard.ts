import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { ChartModule } from 'primeng/chart';
import { ChipModule } from 'primeng/chip';
import { MessageModule } from 'primeng/message';
import { InputTextModule } from 'primeng/inputtext';
import { SelectModule } from 'primeng/select';
import { FormsModule } from '@angular/forms';
import { Api, Row, Site, Stats, Summary, errorText } from './api';
import { chartData } from './chart';
import { DEFAULT_RANGE, RANGES, RangeKey, customRangeError, percentChange, previousPeriod, resolveRange, todayIn } from './date-range';
import { Filter, filterLabel, parseFilters, serializeFilters, withFilter, withoutFilter } from './filters';
import { compact, duration, integer, percent, signedPercent } from './format';
import { can } from './permissions';

/**
 * Where a dashboard's numbers come from: a site of the account (GET /api/sites/{id}/stats), or a share
 * link (GET /api/share/{token}/stats), which is read-only: no settings, no live poll.
 */
export interface StatsSource {
  readonly shared: boolean;
  site(): Promise<Site>;
  /** with parts (summary, chart, lists, events) only those */
  stats(from: string, to: string, filters: string[], parts?: string[]): Promise<Stats>;
  live?(): Promise<number | null>;
}

/** The top lists of the stats answer, with the filter a click on a row adds. */
const PANELS: ReadonlyArray<{ key: string; title: string; dim: string }> = [
  { key: 'pages', title: 'Pages', dim: 'page' },
  { key: 'entry_pages', title: 'Entry pages', dim: 'page' },
  { key: 'exit_pages', title: 'Exit pages', dim: 'page' },
  { key: 'sources', title: 'Sources', dim: 'source' },
  { key: 'mediums', title: 'Mediums', dim: 'medium' },
  { key: 'referrers', title: 'Referrers', dim: 'referrer' },
  { key: 'utm_sources', title: 'UTM sources', dim: 'utm_source' },
  { key: 'utm_mediums', title: 'UTM mediums', dim: 'utm_medium' },
  { key: 'utm_campaigns', title: 'UTM campaigns', dim: 'utm_campaign' },
  { key: 'countries', title: 'Countries', dim: 'country' },
  { key: 'browsers', title: 'Browsers', dim: 'browser' },
  { key: 'browser_versions', title: 'Browser versions', dim: 'browser_version' },
  { key: 'os', title: 'Operating systems', dim: 'os' },
  { key: 'os_versions', title: 'OS versions', dim: 'os_version' },
  { key: 'devices', title: 'Devices', dim: 'device' },
  { key: 'languages', title: 'Languages', dim: 'language' },
  { key: 'events', title: 'Events', dim: 'event' },
];

const CUSTOM = 'custom';

/**
 * A KPI's change against the previous period: "+12%" green when better, "−5%" red when worse (for the
 * bounce rate lower is better), "—" when the previous period had 0; null until both periods are loaded.
 */
function change(current: number | undefined, previous: number | undefined, lowerIsBetter: boolean) {
  if (current === undefined || previous === undefined) return null;
  const pct = percentChange(current, previous);
  if (pct === null) return { text: '—', trend: 'none', tone: 'text-surface-500' };
  if (pct === 0) return { text: '0%', trend: 'flat', tone: 'text-surface-500' };
  const better = lowerIsBetter ? pct < 0 : pct > 0;
  return {
    text: `${pct > 0 ? '▲ ' : '▼ '}${signedPercent(pct)}`,
    trend: pct > 0 ? 'up' : 'down',
    tone: better ? 'text-green-600 dark:text-green-400' : 'text-red-600 dark:text-red-400',
  };
}

let regions: Intl.DisplayNames | null = null;
try {
  regions = new Intl.DisplayNames(undefined, { type: 'region' });
} catch {
  regions = null;
}

/** A row's label: countries by name (the filter keeps the ISO code), an empty value as (none). */
function rowLabel(panel: string, value: string): string {
  if (!value) return '(none)';
  if (panel === 'countries' && /^[A-Z]{2}$/.test(value)) {
    try {
      return regions?.of(value) ?? value;
    } catch {
      return value;
    }
  }
  return value;
}

@Component({
  selector: 'hk-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, FormsModule, ButtonModule, ChartModule, ChipModule, InputTextModule, MessageModule, SelectModule],
  template: `
    <div class="flex flex-wrap items-center gap-3 justify-between mb-4">
      <div class="min-w-0">
        @if (!shared()) { <a routerLink="/" class="text-sm text-primary">← Sites</a> }
        <h1 class="text-2xl font-semibold" data-testid="site-title">{{ site()?.name || site()?.domain || 'Site' }}</h1>
        @if (site(); as s) {
          <p class="text-sm text-surface-500">
            {{ s.domain }} · {{ s.timezone }} · <span data-testid="range-days">{{ days().from }} – {{ days().to }}</span>
            @if (!shared() && canEdit()) {
              · <a [routerLink]="['/sites', s.id, 'settings']" class="text-primary" data-testid="site-settings-link">Site settings</a>
            }
          </p>
        }
      </div>
      <div class="flex flex-wrap items-center gap-3">
        @if (!shared()) {
          <span class="inline-flex items-center gap-2 text-sm" data-testid="live">
            <span class="inline-block w-2 h-2 rounded-full bg-green-500"></span>
            {{ live() ?? '–' }} live
          </span>
        }
        @if (resolved().key === 'custom' && !customOpen()) {
          <p-button label="Change dates" size="small" [text]="true" (onClick)="setRange('custom')" data-testid="custom-edit" />
        }
        <p-select [options]="ranges()" optionLabel="label" optionValue="key" [ngModel]="selectedRange()"
                  (ngModelChange)="setRange($event)" data-testid="range" ariaLabel="Date range" />
      </div>
    </div>

    @if (customOpen()) {
      <form class="flex flex-wrap items-end gap-3 mb-4 rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-3"
            (submit)="applyCustom($event)" data-testid="custom-range" aria-label="Custom date range">
        <label class="flex flex-col text-sm gap-1">
          <span>From</span>
          <input type="date" name="from" pInputText [ngModel]="customFrom()" (ngModelChange)="customFrom.set($event)"
                 [attr.aria-invalid]="customError() ? true : null" aria-describedby="custom-range-error" data-testid="custom-from" required>
        </label>
        <label class="flex flex-col text-sm gap-1">
          <span>To</span>
          <input type="date" name="to" pInputText [ngModel]="customTo()" (ngModelChange)="customTo.set($event)"
                 [attr.aria-invalid]="customError() ? true : null" aria-describedby="custom-range-error" data-testid="custom-to" required>
        </label>
        <p-button type="submit" label="Apply" size="small" data-testid="custom-apply" />
        <p-button type="button" label="Cancel" size="small" [text]="true" (onClick)="customOpen.set(false)" />
        <p id="custom-range-error" class="w-full text-sm text-red-600 dark:text-red-400 m-0" role="alert" data-testid="custom-error">{{ customError() }}</p>
      </form>
    }
    @if (resolved().error; as rangeError) {
      <p-message severity="warn" styleClass="mb-4" data-testid="range-error">
        The custom range in the link is not usable ({{ rangeError }}); showing the last 7 days.
      </p-message>
    }

    @if (filters().length) {
      <div class="flex flex-wrap gap-2 mb-4" data-testid="filters">
        @for (filter of filters(); track filter.dim) {
          <p-chip [label]="chipLabel(filter)" [removable]="true" (onRemove)="removeFilter(filter)" data-testid="filter-chip" />
        }
      </div>
    }

    @if (error()) {
      <p-message severity="error" styleClass="mb-4" data-testid="error">
        <span>Could not load the stats: {{ error() }}</span>
        <p-button label="Retry" size="small" [text]="true" (onClick)="reload()" />
      </p-message>
    }

    <section class="grid grid-cols-2 md:grid-cols-3 lg:grid-cols-6 gap-3 mb-4" data-testid="kpis">
      @for (kpi of kpis(); track kpi.key) {
        <div class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-3"
             [attr.data-kpi]="kpi.key">
          <div class="text-xs uppercase tracking-wide text-surface-500">{{ kpi.label }}</div>
          <div class="text-2xl font-semibold mt-1" data-testid="kpi-value">{{ kpi.value }}</div>
          @if (kpi.change; as c) {
            <div class="text-xs mt-1 tabular-nums" [class]="c.tone" data-testid="kpi-change" [attr.data-trend]="c.trend"
                 [title]="'Compared with ' + previousDays().from + ' – ' + previousDays().to + ': ' + kpi.previous">{{ c.text }}</div>
          }
        </div>
      }
    </section>
    @if (stats()?.imported?.note; as note) {
      <p class="text-xs text-surface-500 -mt-2 mb-4" data-testid="imported-note">
        {{ stats()!.summary.imported ? 'Includes imported data' : 'Leaves out imported data' }}
        ({{ stats()!.imported.from }} – {{ stats()!.imported.to }}): {{ note }}.
      </p>
    }

    <section class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-3 mb-4">
      @if (stats() && !hasTraffic()) {
        <p class="text-surface-500 text-center py-10" data-testid="empty">
          No pageviews in this range yet.@if (!shared()) { Add <code>&lt;script defer src="{{ origin }}/hk.js"&gt;&lt;/script&gt;</code> to the site's pages.}
        </p>
      } @else {
        <div class="h-64">
          <p-chart type="line" [data]="chart()" [options]="chartOptions" height="16rem"
                   [ariaLabel]="'Pageviews and visitors from ' + days().from + ' to ' + days().to" />
        </div>
        @if (comparing()) {
          <p class="text-xs text-surface-500 mt-2 mb-0" data-testid="chart-compare">
            Dashed: the previous period, {{ previousDays().from }} – {{ previousDays().to }}
          </p>
        }
      }
    </section>

    <section class="grid gap-3 md:grid-cols-2 lg:grid-cols-3">
      @for (panel of panels(); track panel.key) {
        <div class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-3 min-w-0"
             [attr.data-panel]="panel.key">
          <h2 class="font-semibold mb-2 flex justify-between text-sm">
            <span>{{ panel.title }}</span><span class="text-surface-500 font-normal">{{ panel.unit }}</span>
          </h2>
          @if (!listsLoaded()) {
            <div class="flex flex-col gap-2" data-testid="panel-loading" aria-busy="true" aria-label="Loading">
              @for (bar of [1, 2, 3]; track bar) {
                <div class="h-4 rounded bg-surface-100 dark:bg-surface-800 animate-pulse"></div>
              }
            </div>
          } @else if (panel.rows.length === 0) {
            <p class="text-sm text-surface-500">Nothing yet</p>
          } @else {
            <ul class="list-none p-0 m-0 flex flex-col gap-1">
              @for (row of panel.rows; track row.value) {
                <li>
                  <button type="button" class="relative w-full flex justify-between gap-2 text-left text-sm px-2 py-1 rounded cursor-pointer bg-transparent border-0 text-inherit hover:bg-surface-100 dark:hover:bg-surface-800"
                          [title]="'Filter by ' + row.value" (click)="addFilter(panel.dim, row.value)" data-testid="row"
                          [attr.data-value]="row.value">
                    <span class="absolute inset-y-0 left-0 rounded bg-primary/15" [style.width.%]="row.share"></span>
                    <span class="relative truncate" data-testid="row-label">{{ row.label }}</span>
                    <span class="relative tabular-nums" data-testid="row-count">{{ row.count }}</span>
                  </button>
                </li>
              }
            </ul>
          }
          @if (panel.key === 'events' && eventProps().length) {
            <h3 class="font-semibold mt-3 mb-1 text-xs uppercase tracking-wide text-surface-500">Properties</h3>
            <ul class="list-none p-0 m-0 flex flex-col gap-1 text-sm" data-testid="event-props">
              @for (prop of eventProps(); track $index) {
                <li class="flex justify-between gap-2 px-2">
                  <span class="truncate" [title]="prop.event + ' · ' + prop.key + ' = ' + prop.value">
                    {{ prop.event }} · {{ prop.key }} = <strong>{{ prop.value }}</strong>
                  </span>
                  <span class="tabular-nums">{{ prop.count }}</span>
                </li>
              }
            </ul>
          }
        </div>
      }
    </section>
  `,
})
export class DashboardPage {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  /** the route's :id (a site of the account) */
  readonly id = input<string>('');
  /** or where else the numbers come from (a share link) */
  readonly source = input<StatsSource | null>(null);
  private readonly from = computed(() => this.source() ?? this.siteSource(Number(this.id())));
  protected readonly shared = computed(() => this.from().shared);
  /** admins and owners change a site's settings; members (and unknown roles of older servers: shown) read */
  protected readonly canEdit = computed(() => {
    const role = this.site()?.role;
    return role === undefined || can(role, 'edit-site');
  });

  protected readonly origin = location.origin;
  protected readonly ranges = computed(() => [
    ...RANGES, { key: CUSTOM, label: this.resolved().key === CUSTOM ? 'Custom range' : 'Custom range…' },
  ]);
  protected readonly site = signal<Site | null>(null);
  protected readonly stats = signal<Stats | null>(null);
  /** the same filters over the same number of days just before the range (null until loaded or on error) */
  protected readonly previous = signal<Stats | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly live = signal<number | null>(null);
  /** false while the top lists of the shown range are still on their way (the cards come first) */
  protected readonly listsLoaded = signal(false);

  /** the custom range form: open while choosing, its two days, the reason they are not usable */
  protected readonly customOpen = signal(false);
  protected readonly customFrom = signal('');
  protected readonly customTo = signal('');
  protected readonly customError = signal<string | null>(null);

  private readonly query = toSignal(this.route.queryParamMap, { requireSync: true });
  private readonly today = signal(todayIn('UTC'));
  /** the range of the URL: a preset, or range=custom&from=...&to=... */
  protected readonly resolved = computed(() => {
    const q = this.query();
    return resolveRange(q.get('range'), q.get('from'), q.get('to'), this.today());
  });
  protected readonly selectedRange = computed(() => (this.customOpen() ? CUSTOM : this.resolved().key));
  protected readonly filters = computed(() => parseFilters(this.query().getAll('filter')));
  protected readonly days = computed(() => ({ from: this.resolved().from, to: this.resolved().to }), {
    equal: (a, b) => a.from === b.from && a.to === b.to,
  });
  protected readonly previousDays = computed(() => previousPeriod(this.days().from, this.days().to));

  protected readonly kpis = computed(() => {
    const s = this.stats()?.summary;
    const p = this.previous()?.summary;
    const show = (v: number | undefined, f: (n: number) => string) => (v === undefined ? '–' : f(v));
    const kpi = (key: string, label: string, pick: (x: Summary) => number, f: (n: number) => string, lowerIsBetter = false) => {
      const current = s ? pick(s) : undefined;
      const before = p ? pick(p) : undefined;
      return { key, label, value: show(current, f), previous: show(before, f), change: change(current, before, lowerIsBetter) };
    };
    const count = (n: number) => integer(n);
    return [
      kpi('visitors', 'Visitors', (x) => x.visitors, count),
      kpi('pageviews', 'Pageviews', (x) => x.pageviews, count),
      kpi('sessions', 'Sessions', (x) => x.sessions, count),
      kpi('bounce_rate', 'Bounce rate', (x) => x.bounce_rate, (n) => percent(Math.round(n)), true),
      kpi('visit_duration', 'Visit duration', (x) => x.avg_session_duration, duration),
      kpi('pages_per_visit', 'Pages / visit', (x) => x.pages_per_session, (n) => n.toFixed(1)),
    ];
  });

  protected readonly hasTraffic = computed(() => (this.stats()?.summary.pageviews ?? 0) > 0 || (this.stats()?.events?.length ?? 0) > 0);

  protected readonly panels = computed(() => {
    const stats = this.stats();
    return PANELS.map((panel) => {
      const list: Row[] = stats?.[panel.key] ?? [];
      const counted = list.map((row) => ({ value: row.value, n: panel.key === 'events' ? row.count ?? 0 : row.visitors ?? row.pageviews ?? 0 }));
      const max = Math.max(1, ...counted.map((row) => row.n));
      return {
        ...panel,
        unit: panel.key === 'events' ? 'Count' : 'Visitors',
        rows: counted.map((row) => ({
          value: row.value, label: rowLabel(panel.key, row.value), count: compact(row.n), share: (row.n / max) * 100,
        })),
      };
    });
  });

  /** event_props of the stats answer (newer servers only): shown under the events */
  protected readonly eventProps = computed(() => {
    const props = this.stats()?.['event_props'];
    if (!Array.isArray(props)) return [];
    return props.map((p: { event: string; key: string; value: string; count: number }) => ({
      event: p.event, key: p.key, value: p.value, count: compact(p.count ?? 0),
    }));
  });

  protected readonly comparing = computed(() => (this.previous()?.chart?.length ?? 0) > 0);
  protected readonly chart = computed(() => chartData(this.stats()?.chart ?? [], this.previous()?.chart ?? null));

  protected readonly chartOptions = {
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { labels: { color: '#888' } },
      tooltip: {
        callbacks: {
          // a previous-period line names its own day: "Pageviews (previous period), 11-08: 12"
          label: (item: any) => {
            const when = item.datasetIndex >= 2 ? item.chart.data.previousLabels?.[item.dataIndex] : null;
            return `${item.dataset.label}${when ? `, ${when.replace('T', ' ').slice(5, 16)}` : ''}: ${item.formattedValue}`;
          },
        },
      },
    },
    scales: {
      x: { ticks: { color: '#888', maxRotation: 0, autoSkipPadding: 12 }, grid: { display: false } },
      y: { beginAtZero: true, ticks: { color: '#888', precision: 0 }, grid: { color: 'rgba(136,136,136,0.2)' } },
    },
  };

  private loadToken = 0;

  constructor() {
    // the site (for its time zone), then the stats whenever the id, range or filters change
    effect(() => {
      this.from().site().then((site) => {
        this.today.set(todayIn(site.timezone));
        this.site.set(site);
      }).catch((e) => this.error.set(errorText(e)));
    });
    effect(() => {
      const site = this.site();
      const days = this.days();
      const filters = this.filters();
      if (site) this.load(site.id, days.from, days.to, serializeFilters(filters));
    });
    const timer = setInterval(() => this.refreshLive(), 10_000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** the account's site of this id, its stats and its live counter */
  private siteSource(id: number): StatsSource {
    const api = this.api;
    return {
      shared: false,
      async site() {
        const site = (await api.sites()).find((s) => s.id === id);
        if (!site) throw new Error('No such site.');
        return site;
      },
      stats: (from, to, filters, parts) => api.stats(id, from, to, filters, parts),
      live: () => api.live(id),
    };
  }

  private async load(_id: number, from: string, to: string, filters: string[]): Promise<void> {
    const token = ++this.loadToken;
    const source = this.from();
    // The cards and the chart first: a cheap query (parts=summary,chart) that makes the page useful while
    // the top lists, the heaviest part on a big site, are still counted. The previous period, for the
    // changes on the cards and the dashed line, needs nothing else; without it the cards show no change.
    // Asked for after the range's own cards, so on a busy server those come first.
    const cards = ['summary', 'chart'];
    const days = previousPeriod(from, to);
    try {
      const first = await source.stats(from, to, filters, cards);
      if (token !== this.loadToken) return;
      this.listsLoaded.set(false);
      this.stats.set(first);
      this.live.set(first.summary.live_visitors ?? null);
      this.error.set(null);
      source.stats(days.from, days.to, filters, cards).catch(() => null)
        .then((before) => { if (token === this.loadToken) this.previous.set(before); });
      const lists = await source.stats(from, to, filters, ['lists', 'events']);
      if (token !== this.loadToken) return;
      this.stats.set({ ...first, ...lists });
      this.listsLoaded.set(true);
    } catch (e) {
      if (token === this.loadToken) this.error.set(errorText(e));
    }
  }

  /** live visitors every 10 s: GET /api/sites/{id}/live, a cheap count (not the whole stats again) */
  private async refreshLive(): Promise<void> {
    const site = this.site();
    const source = this.from();
    if (!site || document.hidden || !source.live) return;
    this.today.set(todayIn(site.timezone));
    try {
      this.live.set(await source.live());
    } catch {
      // the next tick tries again
    }
  }

  protected reload(): void {
    const site = this.site();
    if (site) this.load(site.id, this.days().from, this.days().to, serializeFilters(this.filters()));
  }

  protected chipLabel(filter: Filter): string {
    return filterLabel(filter, (f) => (f.dim === 'country' ? rowLabel('countries', f.value) : null));
  }

  /** range and filters into the URL, which drives everything else */
  private navigate(range: { key: string; from?: string; to?: string }, filters: Filter[]): void {
    const custom = range.key === CUSTOM;
    this.router.navigate([], {
      relativeTo: this.route,
      queryParams: {
        range: range.key === DEFAULT_RANGE ? null : range.key,
        from: custom ? range.from : null,
        to: custom ? range.to : null,
        filter: filters.length ? serializeFilters(filters) : null,
      },
    });
  }

  /** the current range as the URL has it */
  private currentRange() {
    const r = this.resolved();
    return { key: r.key, from: r.from, to: r.to };
  }

  protected setRange(key: RangeKey | typeof CUSTOM): void {
    if (key === CUSTOM) {
      this.customFrom.set(this.days().from);
      this.customTo.set(this.days().to);
      this.customError.set(null);
      this.customOpen.set(true);
      return;
    }
    this.customOpen.set(false);
    this.navigate({ key }, this.filters());
  }

  protected applyCustom(event: Event): void {
    event.preventDefault();
    const from = this.customFrom();
    const to = this.customTo();
    const error = customRangeError(from, to);
    this.customError.set(error);
    if (error) return;
    this.customOpen.set(false);
    this.navigate({ key: CUSTOM, from, to }, this.filters());
  }

  protected addFilter(dim: string, value: string): void {
    this.navigate(this.currentRange(), withFilter(this.filters(), { dim, value }));
  }

  protected removeFilter(filter: Filter): void {
    this.navigate(this.currentRange(), withoutFilter(this.filters(), filter));
  }
}
