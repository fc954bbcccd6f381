import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ChipModule } from 'primeng/chip';
import { MessageModule } from 'primeng/message';
import { Api, Site, errorText } from './api';
import { DEFAULT_RANGE, RANGES, resolveRange, todayIn } from './date-range';
import { Filter, chipLabel, parseFilters, sameFilters, serializeFilters, withoutFilter } from './filters';
import { Funnel, FunnelResult, funnelBars } from './funnel';
import { compact, rate } from './format';
import { can } from './permissions';

/**
 * A site's funnels (/sites/:id/funnels?funnel=3): the steps of one as bars, each as long as its share of the
 * first step's visitors, with who dropped off since the step before. Range and filters are the dashboard's
 * (the same query parameters), so a filtered dashboard opens a filtered funnel.
 */
@Component({
  selector: 'hk-funnel-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ChipModule, MessageModule],
  template: `
    <a [routerLink]="['/sites', id()]" queryParamsHandling="preserve" class="text-sm text-primary">← Dashboard</a>
    <div class="flex flex-wrap items-end justify-between gap-3 mb-4">
      <div class="min-w-0">
        <h1 class="text-2xl font-semibold m-0">Funnels</h1>
        <p class="text-sm text-surface-500 m-0">{{ site()?.name || site()?.domain }} · <span data-testid="range-days">{{ days().from }} – {{ days().to }}</span></p>
      </div>
      <div class="flex flex-wrap gap-2">
        @if (funnels().length) {
          <label class="flex flex-col gap-1 text-sm">
            <span class="sr-only">Funnel</span>
            <select class="rounded-md border border-surface-300 dark:border-surface-700 bg-surface-0 dark:bg-surface-900 text-inherit px-2 py-2 text-sm max-w-60"
                    [ngModel]="selected()?.id" (ngModelChange)="choose($event)" data-testid="funnel-select">
              @for (f of funnels(); track f.id) { <option [ngValue]="f.id">{{ f.name }}</option> }
            </select>
          </label>
        }
        <label class="flex flex-col gap-1 text-sm">
          <span class="sr-only">Date range</span>
          <select class="rounded-md border border-surface-300 dark:border-surface-700 bg-surface-0 dark:bg-surface-900 text-inherit px-2 py-2 text-sm"
                  [ngModel]="range().key" (ngModelChange)="setRange($event)" data-testid="funnel-range">
            @for (r of ranges; track r.key) { <option [value]="r.key">{{ r.label }}</option> }
            @if (range().key === 'custom') { <option value="custom">{{ days().from }} – {{ days().to }}</option> }
          </select>
        </label>
      </div>
    </div>

    @if (filters().length) {
      <div class="flex flex-wrap gap-2 mb-4" data-testid="filters">
        @for (filter of filters(); track filter.dim) {
          <p-chip [label]="chipLabel(filter)" [removable]="true" (onRemove)="removeFilter(filter)" data-testid="filter-chip" />
        }
      </div>
    }
    @if (error()) { <p-message severity="error" styleClass="mb-4" data-testid="funnel-error" [text]="error()!" /> }

    @if (loaded() && funnels().length === 0) {
      <p class="text-surface-500" data-testid="no-funnels">
        No funnels yet.
        @if (canManage()) { <a [routerLink]="['/sites', id(), 'settings']" fragment="funnels" class="text-primary">Add one in the site settings</a>. }
      </p>
    } @else if (result(); as r) {
      <section class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4" data-testid="funnel"
               [attr.aria-label]="r.name">
        <div class="flex flex-wrap items-baseline justify-between gap-2 mb-3">
          <h2 class="text-lg font-semibold m-0">{{ r.name }}</h2>
          <span class="text-sm text-surface-500">{{ r.window === '24h' ? 'Steps within 24 hours' : 'Steps within one session' }}</span>
        </div>
        @if (bars().length) {
          <p class="text-sm mb-4" data-testid="funnel-summary">
            <strong data-testid="funnel-conversion">{{ rate(bars()[bars().length - 1].conversion_rate) }}</strong> of
            {{ count(bars()[0].visitors) }} visitors who started went through all {{ bars().length }} steps.
          </p>
        }
        <ol class="list-none p-0 m-0 flex flex-col gap-3" data-testid="funnel-steps" aria-label="Steps">
          @for (bar of bars(); track $index; let i = $index) {
            @if (i > 0) {
              <li class="text-xs text-red-700 dark:text-red-300 pl-2" data-testid="funnel-dropoff" [attr.data-dropoff]="bar.dropoff"
                  [attr.data-rate]="bar.dropoff_rate">
                ↓ {{ count(bar.dropoff) }} dropped off ({{ rate(bar.dropoff_rate) }})
              </li>
            }
            <li data-testid="funnel-step" [attr.data-visitors]="bar.visitors" [attr.data-rate]="bar.conversion_rate">
              <div class="flex justify-between gap-2 text-sm mb-1">
                <span class="min-w-0 truncate"><span class="text-surface-500">{{ i + 1 }}.</span> {{ bar.label }}</span>
                <span class="tabular-nums shrink-0"><strong>{{ count(bar.visitors) }}</strong> · {{ rate(bar.conversion_rate) }}</span>
              </div>
              <div class="relative h-7 rounded bg-surface-100 dark:bg-surface-800 overflow-hidden" role="img"
                   [attr.aria-label]="'Step ' + (i + 1) + ': ' + bar.visitors + ' visitors, ' + rate(bar.conversion_rate) + ' of the first step'">
                <div class="absolute inset-y-0 left-0 bg-primary" [style.width.%]="bar.width"></div>
                <div class="absolute inset-y-0 bg-red-400/35 dark:bg-red-500/30" [style.left.%]="bar.width" [style.width.%]="bar.lost"></div>
              </div>
            </li>
          }
        </ol>
      </section>
    } @else if (!error()) {
      <div class="h-48 rounded-xl bg-surface-100 dark:bg-surface-800 animate-pulse" aria-busy="true" aria-label="Loading"></div>
    }
  `,
})
export class FunnelPage {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  /** the route's :id */
  readonly id = input.required<string>();

  protected readonly ranges = RANGES;
  protected readonly rate = rate;
  protected readonly count = compact;
  protected readonly chipLabel = chipLabel;
  protected readonly site = signal<Site | null>(null);
  protected readonly funnels = signal<Funnel[]>([]);
  protected readonly loaded = signal(false);
  protected readonly result = signal<FunnelResult | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly canManage = computed(() => can(this.site()?.role, 'manage-goals'));

  private readonly query = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly range = computed(() => {
    const q = this.query();
    return resolveRange(q.get('range'), q.get('from'), q.get('to'), todayIn(this.site()?.timezone ?? 'UTC'));
  });
  protected readonly days = computed(() => ({ from: this.range().from, to: this.range().to }), {
    equal: (a, b) => a.from === b.from && a.to === b.to,
  });
  /** equal while the same: another parameter's change does not load the funnel again */
  protected readonly filters = computed(() => parseFilters(this.query().getAll('filter')), { equal: sameFilters });
  protected readonly selected = computed(() => {
    const wanted = Number(this.query().get('funnel'));
    return this.funnels().find((f) => f.id === wanted) ?? this.funnels().at(0) ?? null;
  });
  protected readonly bars = computed(() => funnelBars(this.result()?.steps ?? []));

  private loadToken = 0;

  constructor() {
    effect(() => {
      const id = Number(this.id());
      this.api.sites().then((sites) => this.site.set(sites.find((s) => s.id === id) ?? null)).catch((e) => this.error.set(errorText(e)));
      this.api.funnels(id).then((funnels) => this.funnels.set(funnels)).catch((e) => this.error.set(errorText(e)))
        .finally(() => this.loaded.set(true));
    });
    effect(() => {
      const funnel = this.selected();
      const days = this.days();
      const filters = serializeFilters(this.filters());
      if (!funnel || !this.site()) return;
      const token = ++this.loadToken;
      this.api.funnel(Number(this.id()), funnel.id, days.from, days.to, filters).then((result) => {
        if (token !== this.loadToken) return;
        this.result.set(result);
        this.error.set(null);
      }).catch((e) => {
        if (token === this.loadToken) this.error.set(errorText(e));
      });
    });
  }

  protected choose(id: number): void {
    this.navigate({ funnel: id });
  }

  protected setRange(key: string): void {
    // a custom range stays as it is; presets replace it
    if (key !== 'custom') this.navigate({ range: key === DEFAULT_RANGE ? null : key, from: null, to: null });
  }

  protected removeFilter(filter: Filter): void {
    const rest = withoutFilter(this.filters(), filter);
    this.navigate({ filter: rest.length ? serializeFilters(rest) : null });
  }

  private navigate(queryParams: Record<string, unknown>): void {
    this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}
