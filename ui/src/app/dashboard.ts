import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { ChartModule } from 'primeng/chart';
import { ChipModule } from 'primeng/chip';
import { MessageModule } from 'primeng/message';
import { SelectModule } from 'primeng/select';
import { FormsModule } from '@angular/forms';
import { Api, Row, Site, Stats, Summary, errorText } from './api';
import { DEFAULT_RANGE, RANGES, RangeKey, isRangeKey, percentChange, previousPeriod, rangeDays, todayIn } from './date-range';

/** The top lists of the stats answer, with the filter a click on a row adds. */
const PANELS: ReadonlyArray<{ key: string; title: string; dim: string }> = [
  { key: 'pages', title: 'Pages', dim: 'page' },
  { key: 'entry_pages', title: 'Entry pages', dim: 'page' },
  { key: 'exit_pages', title: 'Exit pages', dim: 'page' },
  { key: 'sources', title: 'Sources', dim: 'source' },
  { key: 'referrers', title: 'Referrers', dim: 'referrer' },
  { key: 'utm_sources', title: 'UTM sources', dim: 'utm_source' },
  { key: 'countries', title: 'Countries', dim: 'country' },
  { key: 'browsers', title: 'Browsers', dim: 'browser' },
  { key: 'os', title: 'Operating systems', dim: 'os' },
  { key: 'devices', title: 'Devices', dim: 'device' },
  { key: 'languages', title: 'Languages', dim: 'language' },
  { key: 'events', title: 'Events', dim: 'event' },
];

const DIM_LABELS: Record<string, string> = {
  page: 'Page', source: 'Source', referrer: 'Referrer', utm_source: 'UTM source', country: 'Country',
  browser: 'Browser', os: 'OS', device: 'Device', language: 'Language', event: 'Event',
};

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

const integer = new Intl.NumberFormat();

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
    text: `${pct > 0 ? '▲ +' : '▼ −'}${integer.format(Math.abs(pct))}%`,
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
  imports: [RouterLink, FormsModule, ButtonModule, ChartModule, ChipModule, MessageModule, SelectModule],
  template: `
    <div class="flex flex-wrap items-center gap-3 justify-between mb-4">
      <div>
        <a routerLink="/" class="text-sm text-primary">← Sites</a>
        <h1 class="text-2xl font-semibold" data-testid="site-title">{{ site()?.name || site()?.domain || 'Site' }}</h1>
        @if (site(); as s) {
          <p class="text-sm text-surface-500">{{ s.domain }} · {{ s.timezone }} · {{ days().from }} – {{ days().to }}</p>
        }
      </div>
      <div class="flex items-center gap-3">
        <span class="inline-flex items-center gap-2 text-sm" data-testid="live">
          <span class="inline-block w-2 h-2 rounded-full bg-green-500"></span>
          {{ live() ?? '–' }} live
        </span>
        <p-select [options]="ranges" optionLabel="label" optionValue="key" [ngModel]="range()"
                  (ngModelChange)="setRange($event)" data-testid="range" ariaLabel="Date range" />
      </div>
    </div>

    @if (filters().length) {
      <div class="flex flex-wrap gap-2 mb-4" data-testid="filters">
        @for (filter of filters(); track filter) {
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

    <section class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-3 mb-4">
      @if (stats() && !hasTraffic()) {
        <p class="text-surface-500 text-center py-10" data-testid="empty">
          No pageviews in this range yet. Add <code>&lt;script defer src="{{ origin }}/hk.js"&gt;&lt;/script&gt;</code> to the site's pages.
        </p>
      } @else {
        <div class="h-64">
          <p-chart type="line" [data]="chartData()" [options]="chartOptions" height="16rem" />
        </div>
      }
    </section>

    <section class="grid gap-3 md:grid-cols-2 lg:grid-cols-3">
      @for (panel of panels(); track panel.key) {
        <div class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-3"
             [attr.data-panel]="panel.key">
          <h2 class="font-semibold mb-2 flex justify-between text-sm">
            <span>{{ panel.title }}</span><span class="text-surface-500 font-normal">{{ panel.unit }}</span>
          </h2>
          @if (panel.rows.length === 0) {
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
        </div>
      }
    </section>
  `,
})
export class DashboardPage {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  /** the route's :id */
  readonly id = input.required<string>();

  protected readonly origin = location.origin;
  protected readonly ranges = [...RANGES];
  protected readonly site = signal<Site | null>(null);
  protected readonly stats = signal<Stats | null>(null);
  /** the same filters over the same number of days just before the range (null until loaded or on error) */
  protected readonly previous = signal<Stats | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly live = signal<number | null>(null);

  private readonly query = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly range = computed<RangeKey>(() => {
    const value = this.query().get('range');
    return isRangeKey(value) ? value : DEFAULT_RANGE;
  });
  protected readonly filters = computed(() => this.query().getAll('filter').filter((f) => f.includes(':')));
  private readonly today = signal(todayIn('UTC'));
  protected readonly days = computed(() => rangeDays(this.range(), this.today()));
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
    const count = (n: number) => integer.format(n);
    return [
      kpi('visitors', 'Visitors', (x) => x.visitors, count),
      kpi('pageviews', 'Pageviews', (x) => x.pageviews, count),
      kpi('sessions', 'Sessions', (x) => x.sessions, count),
      kpi('bounce_rate', 'Bounce rate', (x) => x.bounce_rate, (n) => `${Math.round(n)}%`, true),
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
          value: row.value, label: rowLabel(panel.key, row.value), count: integer.format(row.n), share: (row.n / max) * 100,
        })),
      };
    });
  });

  protected readonly chartData = computed(() => {
    const chart = this.stats()?.chart ?? [];
    const hourly = chart.length > 0 && chart[0].t.includes('T');
    return {
      labels: chart.map((point) => (hourly ? point.t.slice(11, 16) : point.t.slice(5))),
      datasets: [
        { label: 'Pageviews', data: chart.map((p) => p.pageviews), borderColor: '#10b981', backgroundColor: 'rgba(16,185,129,0.15)', fill: true, tension: 0.3, cubicInterpolationMode: 'monotone', pointRadius: 0 },
        { label: 'Visitors', data: chart.map((p) => p.visitors), borderColor: '#6366f1', backgroundColor: 'transparent', tension: 0.3, cubicInterpolationMode: 'monotone', pointRadius: 0 },
      ],
    };
  });

  protected readonly chartOptions = {
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: { legend: { labels: { color: '#888' } } },
    scales: {
      x: { ticks: { color: '#888', maxRotation: 0, autoSkipPadding: 12 }, grid: { display: false } },
      y: { beginAtZero: true, ticks: { color: '#888', precision: 0 }, grid: { color: 'rgba(136,136,136,0.2)' } },
    },
  };

  private loadToken = 0;

  constructor() {
    // the site (for its time zone), then the stats whenever the id, range or filters change
    effect(() => {
      const id = Number(this.id());
      this.api.sites().then((sites) => {
        const site = sites.find((s) => s.id === id) ?? null;
        if (!site) {
          this.error.set('No such site.');
          return;
        }
        this.today.set(todayIn(site.timezone));
        this.site.set(site);
      }).catch((e) => this.error.set(errorText(e)));
    });
    effect(() => {
      const site = this.site();
      const days = this.days();
      const filters = this.filters();
      if (site) this.load(site.id, days.from, days.to, filters);
    });
    const timer = setInterval(() => this.refreshLive(), 10_000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  private async load(id: number, from: string, to: string, filters: string[]): Promise<void> {
    const token = ++this.loadToken;
    // the previous period alongside; without it the cards just show no change
    const days = previousPeriod(from, to);
    const previous = this.api.stats(id, days.from, days.to, filters).catch(() => null);
    try {
      const [stats, before] = await Promise.all([this.api.stats(id, from, to, filters), previous]);
      if (token !== this.loadToken) return;
      this.stats.set(stats);
      this.previous.set(before);
      this.live.set(stats.summary.live_visitors ?? null);
      this.error.set(null);
    } catch (e) {
      if (token === this.loadToken) this.error.set(errorText(e));
    }
  }

  /** live_visitors every 10 s: a small query of today, unfiltered */
  private async refreshLive(): Promise<void> {
    const site = this.site();
    if (!site || document.hidden) return;
    const today = todayIn(site.timezone);
    this.today.set(today);
    try {
      const stats = await this.api.stats(site.id, today, today, []);
      this.live.set(stats.summary.live_visitors ?? null);
    } catch {
      // the next tick tries again
    }
  }

  protected reload(): void {
    const site = this.site();
    if (site) this.load(site.id, this.days().from, this.days().to, this.filters());
  }

  protected chipLabel(filter: string): string {
    const at = filter.indexOf(':');
    const dim = filter.slice(0, at);
    const value = filter.slice(at + 1);
    return `${DIM_LABELS[dim] ?? dim}: ${dim === 'country' ? `${rowLabel('countries', value)} (${value})` : value}`;
  }

  private navigate(range: RangeKey, filters: string[]): void {
    this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { range: range === DEFAULT_RANGE ? null : range, filter: filters.length ? filters : null },
    });
  }

  protected setRange(range: RangeKey): void {
    this.navigate(range, this.filters());
  }

  protected addFilter(dim: string, value: string): void {
    const filter = `${dim}:${value}`;
    const rest = this.filters().filter((f) => !f.startsWith(dim + ':'));
    this.navigate(this.range(), [...rest, filter]);
  }

  protected removeFilter(filter: string): void {
    this.navigate(this.range(), this.filters().filter((f) => f !== filter));
  }
}
