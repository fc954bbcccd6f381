import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { ChipModule } from 'primeng/chip';
import { MessageModule } from 'primeng/message';
import { InputTextModule } from 'primeng/inputtext';
import { SelectModule } from 'primeng/select';
import { FormsModule } from '@angular/forms';
import { afterNextPaint } from './after-paint';
import { Annotation, Api, Live, Site, Stats, Summary, errorText } from './api';
import { CARDS, Card, tabQuery } from './cards';
import { annotationMarks, chartData } from './chart';
import { DEFAULT_RANGE, RANGES, RangeKey, customRangeError, percentChange, previousPeriod, resolveRange, todayIn } from './date-range';
import { Filter, chipLabel, parseFilters, sameFilters, serializeFilters, withFilter, withoutFilter } from './filters';
import { duration, integer, percent, signedPercent } from './format';
import { can } from './permissions';
import { LineChart } from './line-chart';
import { TopCard } from './top-card';

/**
 * Where a dashboard's numbers come from: a site of the account (GET /api/sites/{id}/stats), or a share
 * link (GET /api/share/{token}/stats), which is read-only: no settings, no live poll.
 */
export interface StatsSource {
  readonly shared: boolean;
  site(): Promise<Site>;
  /** the site if it is known already (no wait), else null: the page shows it in its first render */
  settledSite?(): Site | null;
  /** with parts (summary, chart, lists, events, goals) only those; limit: rows a list */
  stats(from: string, to: string, filters: string[], parts?: string[], limit?: number): Promise<Stats>;
  /** these stats if their answer is in already (asked for before Angular started), else null */
  settledStats?(from: string, to: string, filters: string[], parts?: string[]): Stats | null;
  live?(): Promise<Live>;
  /** the notes on the chart's days */
  annotations?(from: string, to: string): Promise<Annotation[]>;
}

/**
 * Rows a list of the stats answer brings: a card shows ten and the rest on "Show all", and the map colours
 * this many countries (the lists are counted in full anyway; only the answer grows).
 */
const LIST_LIMIT = 50;

const CUSTOM = 'custom';

const NO_POINTS: Stats['chart'] = [];

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

@Component({
  selector: 'hk-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, FormsModule, ButtonModule, ChipModule, InputTextModule, LineChart, MessageModule, SelectModule, TopCard],
  template: `
    <div class="flex flex-wrap items-center gap-3 justify-between mb-4">
      <div class="min-w-0">
        @if (!shared()) { <a routerLink="/" class="text-sm text-primary">← Sites</a> }
        <h1 class="text-2xl font-semibold" data-testid="site-title">{{ site()?.name || site()?.domain || 'Site' }}</h1>
        @if (site(); as s) {
          <p class="text-sm text-surface-500">
            {{ s.domain }} · {{ s.timezone }} · <span data-testid="range-days">{{ days().from }} – {{ days().to }}</span>
            @if (!shared()) {
              · <a [routerLink]="['/sites', s.id, 'funnels']" queryParamsHandling="preserve" class="text-primary" data-testid="funnels-link">Funnels</a>
            }
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
            {{ live()?.live_visitors ?? '–' }} live
          </span>
        }
        @if (!shared() && site(); as s) {
          <span class="text-sm" data-testid="export">
            Export
            @for (format of exportFormats; track format.key) {
              <a class="text-primary ml-1" [href]="exportUrl(s.id, format.key)" download [attr.data-testid]="'export-' + format.key"
                 [title]="'Raw pageviews and events of ' + days().from + ' – ' + days().to + ' as ' + format.label">{{ format.label }}</a>
            }
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
        <div class="relative h-64" data-testid="chart">
          <hk-line-chart [data]="chart()" [options]="chartOptions" [plugins]="chartPlugins" height="16rem"
                         [ariaLabel]="'Pageviews and visitors from ' + days().from + ' to ' + days().to" />
          @for (marker of markers(); track marker.index) {
            <div class="absolute w-0 border-l border-dashed border-amber-500 pointer-events-none" aria-hidden="true"
                 [style.left.px]="marker.left" [style.top.px]="marker.top" [style.height.px]="marker.height"></div>
            <button type="button" class="group absolute -translate-x-1/2 p-1 bg-transparent border-0 cursor-pointer"
                    [style.left.px]="marker.left" [style.top.px]="marker.top - 14" data-testid="annotation-marker"
                    [attr.data-date]="marker.date" [attr.aria-label]="'Note on ' + marker.date + ': ' + marker.text">
              <span class="block w-2.5 h-2.5 rotate-45 rounded-sm bg-amber-500"></span>
              <span role="tooltip" data-testid="annotation-text"
                    class="hidden group-hover:block group-focus:block absolute top-5 z-10 w-max max-w-56 whitespace-normal text-left rounded px-2 py-1 text-xs shadow bg-surface-900 text-surface-0 dark:bg-surface-0 dark:text-surface-900"
                    [class]="marker.alignRight ? 'right-0' : 'left-0'">{{ marker.date }}: {{ marker.text }}</span>
            </button>
          }
        </div>
        @if (comparing()) {
          <p class="text-xs text-surface-500 mt-2 mb-0" data-testid="chart-compare">
            Dashed: the previous period, {{ previousDays().from }} – {{ previousDays().to }}
          </p>
        }
      }
    </section>

    @if (!shared() && live(); as l) {
      <section class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 px-3 py-2 mb-4 text-sm"
               data-testid="live-panel" aria-label="Live">
        <div class="flex flex-wrap items-center justify-between gap-2">
          <span class="flex items-center gap-2">
            <span class="inline-block w-2 h-2 rounded-full" [class]="l.live_visitors > 0 ? 'bg-green-500 animate-pulse' : 'bg-surface-300 dark:bg-surface-600'"></span>
            @if (l.live_visitors > 0) {
              <span><strong data-testid="live-count">{{ l.live_visitors }}</strong> {{ l.live_visitors === 1 ? 'visitor' : 'visitors' }} in the last five minutes</span>
            } @else {
              <span class="text-surface-500" data-testid="live-none">Nobody on the site in the last five minutes</span>
            }
          </span>
          @if (liveAt()) { <span class="text-xs text-surface-500">updated {{ liveAt() }}</span> }
        </div>
        @if (l.live_visitors > 0 && (l.pages?.length || l.sources?.length)) {
          <div class="grid gap-x-6 gap-y-2 sm:grid-cols-2 mt-2">
            @for (list of [{ key: 'pages', title: 'Pages', rows: l.pages ?? [] }, { key: 'sources', title: 'Sources', rows: l.sources ?? [] }]; track list.key) {
              <div class="min-w-0" [attr.data-testid]="'live-' + list.key">
                <h3 class="text-xs uppercase tracking-wide text-surface-500 font-semibold m-0 mb-1">{{ list.title }}</h3>
                <ul class="list-none p-0 m-0 flex flex-col gap-0.5">
                  @for (row of list.rows.slice(0, 5); track row.value) {
                    <li class="flex justify-between gap-2" [attr.data-value]="row.value">
                      <span class="truncate">{{ row.value || '(none)' }}</span><span class="tabular-nums">{{ row.visitors ?? 0 }}</span>
                    </li>
                  } @empty { <li class="text-surface-500">–</li> }
                </ul>
              </div>
            }
          </div>
        }
      </section>
    }

    <!-- the cards (and their code) come after the numbers above have been painted -->
    @defer (when numbersPainted(); prefetch on idle) {
      <section class="grid gap-3 md:grid-cols-2 items-start" data-testid="cards">
        @for (card of cards; track card.key) {
          <hk-top-card [card]="card" [stats]="stats()" [loaded]="listsLoaded()" [tabKey]="query().get(card.key)" [goalsLink]="goalsLink()"
                       (tabChange)="setTab(card, $event)" (filter)="addFilter($event.dim, $event.value)" />
        }
      </section>
    } @placeholder {
      <section class="grid gap-3 md:grid-cols-2 items-start" aria-busy="true" aria-label="Loading">
        @for (card of cards; track card.key) {
          <div class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-3 flex flex-col gap-2">
            <div class="h-6 w-32 rounded bg-surface-100 dark:bg-surface-800"></div>
            @for (bar of [1, 2, 3]; track bar) { <div class="h-4 rounded bg-surface-100 dark:bg-surface-800 animate-pulse"></div> }
          </div>
        }
      </section>
    }
  `,
})
export class DashboardPage {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  /** the route's :id (a site of the account) */
  readonly id = input<string>('');
  /** the raw hits of the shown range as a download (GET /api/sites/{id}/export; the session cookie goes along) */
  protected readonly exportFormats = [{ key: 'csv', label: 'CSV' }, { key: 'ndjson', label: 'NDJSON' }, { key: 'parquet', label: 'Parquet' }];
  protected exportUrl(siteId: number, format: string): string {
    const days = this.days();
    return `/api/sites/${siteId}/export?from=${days.from}&to=${days.to}&format=${format}`;
  }
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
  /** visitors of the last five minutes, with their pages and sources when the server tells */
  protected readonly live = signal<Live | null>(null);
  /** when the live panel was last refreshed (HH:MM:SS) */
  protected readonly liveAt = signal<string | null>(null);
  protected readonly cards = CARDS;
  /** where a goal is added, for those who may */
  protected readonly goalsLink = computed(() => {
    const site = this.site();
    return site && !this.shared() && this.canEdit() ? ['/sites', site.id, 'settings'] : null;
  });
  /** the notes of the range, drawn on the chart */
  protected readonly annotations = signal<Annotation[]>([]);
  /** where the chart's buckets are drawn (from Chart.js, after each layout), to put the annotation markers there */
  private readonly axis = signal<{ xs: number[]; top: number; bottom: number; width: number } | null>(null);
  /** true once the first numbers have been painted: then the cards below them are made */
  protected readonly numbersPainted = signal(false);
  /** false while the top lists of the shown range are still on their way (the cards come first) */
  protected readonly listsLoaded = signal(false);

  /** the custom range form: open while choosing, its two days, the reason they are not usable */
  protected readonly customOpen = signal(false);
  protected readonly customFrom = signal('');
  protected readonly customTo = signal('');
  protected readonly customError = signal<string | null>(null);

  protected readonly query = toSignal(this.route.queryParamMap, { requireSync: true });
  private readonly today = signal(todayIn('UTC'));
  /** the range of the URL: a preset, or range=custom&from=...&to=... */
  protected readonly resolved = computed(() => {
    const q = this.query();
    return resolveRange(q.get('range'), q.get('from'), q.get('to'), this.today());
  });
  protected readonly selectedRange = computed(() => (this.customOpen() ? CUSTOM : this.resolved().key));
  /** equal while the same: a tab's change of the URL does not load the stats again */
  protected readonly filters = computed(() => parseFilters(this.query().getAll('filter')), { equal: sameFilters });
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

  /** the annotation markers: a dashed line at the bucket of their day, the text on hover (or focus, or a tap) */
  protected readonly markers = computed(() => {
    const axis = this.axis();
    if (!axis) return [];
    return annotationMarks(this.points(), this.annotations())
      .filter((mark) => mark.index < axis.xs.length)
      .map((mark) => ({
        index: mark.index, date: mark.date, text: mark.texts.join(' · '), left: axis.xs[mark.index],
        top: axis.top, height: axis.bottom - axis.top, alignRight: axis.xs[mark.index] > axis.width / 2,
      }));
  });

  /** reports where Chart.js put the buckets (a microtask later: not while Angular renders) */
  protected readonly chartPlugins = [{
    id: 'hkAxis',
    afterLayout: (chart: any) => {
      const x = chart.scales?.x;
      const area = chart.chartArea;
      if (!x || !area) return;
      const next = {
        xs: (chart.data.labels ?? []).map((_: unknown, i: number) => Math.round(x.getPixelForValue(i))),
        top: Math.round(area.top), bottom: Math.round(area.bottom), width: Math.round(chart.width),
      };
      queueMicrotask(() => {
        if (JSON.stringify(this.axis()) !== JSON.stringify(next)) this.axis.set(next);
      });
    },
  }];

  protected readonly comparing = computed(() => (this.previous()?.chart?.length ?? 0) > 0);
  /** the chart's points: the same array when only the top lists come in, so the chart is not drawn again */
  private readonly points = computed(() => this.stats()?.chart ?? NO_POINTS);
  private readonly previousPoints = computed(() => this.previous()?.chart ?? null);
  protected readonly chart = computed(() => chartData(this.points(), this.previousPoints()));

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
      // grace: headroom above the highest point, where the annotation markers stand
      y: { beginAtZero: true, grace: '10%', ticks: { color: '#888', precision: 0 }, grid: { color: 'rgba(136,136,136,0.2)' } },
    },
  };

  private loadToken = 0;

  constructor() {
    // The site (for its time zone), then the stats whenever the id, range or filters change. When the answers
    // are in already (asked for before Angular started, early.ts), both are set while this first runs, and the
    // first render shows the numbers: no render without the site, none without the stats, no wait between.
    effect(() => {
      const source = this.from();
      const known = source.settledSite?.();
      if (known) this.showSite(known);
      else source.site().then((site) => this.showSite(site)).catch((e) => this.error.set(errorText(e)));
    });
    effect(() => {
      const site = this.site();
      const days = this.days();
      const filters = this.filters();
      if (site) this.load(site.id, days.from, days.to, serializeFilters(filters));
    });
    // the notes of the range (a share link has none)
    effect(() => {
      const site = this.site();
      const days = this.days();
      const source = this.from();
      if (!site || !source.annotations) return;
      source.annotations(days.from, days.to).then((notes) => this.annotations.set(notes)).catch(() => this.annotations.set([]));
    });
    // the live panel at once, not only after the first 10 s
    effect(() => {
      if (this.site()) this.refreshLive();
    });
    const timer = setInterval(() => this.refreshLive(), 10_000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  private showSite(site: Site): void {
    this.today.set(todayIn(site.timezone));
    this.site.set(site);
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
      settledSite: () => api.settledSites()?.find((s) => s.id === id) ?? null,
      stats: (from, to, filters, parts, limit) => api.stats(id, from, to, filters, parts, limit),
      settledStats: (from, to, filters, parts) => api.settledStats(id, from, to, filters, parts),
      live: () => api.live(id),
      annotations: (from, to) => api.annotations(id, from, to),
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
      // (set before the first await when it is in already: then in the same render as the site)
      const first = source.settledStats?.(from, to, filters, cards) ?? await source.stats(from, to, filters, cards);
      if (token !== this.loadToken) return;
      this.listsLoaded.set(false);
      this.stats.set(first);
      this.paintCardsNext();
      const count = first.summary.live_visitors;
      if (count !== undefined) this.live.update((live) => (live ? { ...live, live_visitors: count } : { live_visitors: count }));
      this.error.set(null);
      source.stats(days.from, days.to, filters, cards).catch(() => null)
        .then((before) => { if (token === this.loadToken) this.previous.set(before); });
      const lists = await source.stats(from, to, filters, ['lists', 'events', 'goals'], LIST_LIMIT);
      if (token !== this.loadToken) return;
      this.stats.set({ ...first, ...lists });
      this.listsLoaded.set(true);
    } catch (e) {
      if (token === this.loadToken) this.error.set(errorText(e));
      this.paintCardsNext();
    }
  }

  /** the cards once what is on the page now (the numbers, or the error) has been painted */
  private paintCardsNext(): void {
    if (!this.numbersPainted()) afterNextPaint().then(() => this.numbersPainted.set(true));
  }

  /** live visitors every 10 s: GET /api/sites/{id}/live, a cheap count and the pages and sources of now (not the whole stats again) */
  private async refreshLive(): Promise<void> {
    const site = this.site();
    const source = this.from();
    if (!site || document.hidden || !source.live) return;
    this.today.set(todayIn(site.timezone));
    try {
      this.live.set(await source.live());
      this.liveAt.set(new Date().toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
    } catch {
      // the next tick tries again
    }
  }

  protected reload(): void {
    const site = this.site();
    if (site) this.load(site.id, this.days().from, this.days().to, serializeFilters(this.filters()));
  }

  protected readonly chipLabel = chipLabel;

  /** range and filters into the URL, which drives everything else (the cards' tabs stay) */
  private navigate(range: { key: string; from?: string; to?: string }, filters: Filter[]): void {
    const custom = range.key === CUSTOM;
    this.router.navigate([], {
      relativeTo: this.route,
      queryParamsHandling: 'merge',
      queryParams: {
        range: range.key === DEFAULT_RANGE ? null : range.key,
        from: custom ? range.from : null,
        to: custom ? range.to : null,
        filter: filters.length ? serializeFilters(filters) : null,
      },
    });
  }

  /** a card's tab into the URL, in place of the current entry (the back button leaves the page, not the tab) */
  protected setTab(card: Card, key: string): void {
    this.router.navigate([], { relativeTo: this.route, queryParamsHandling: 'merge', queryParams: tabQuery(card, key), replaceUrl: true });
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
