import { ChangeDetectionStrategy, Component, ElementRef, afterRenderEffect, computed, input, output, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Card, activeTab, barRows, cardIsEmpty, tabRows } from './cards';
import { CountryMap } from './country-map';
import { compact, countryName, rate } from './format';

/** Rows a card shows before "Show all". */
const SHORT = 10;

/**
 * One tabbed card of the dashboard (pages | entry | exit, ...): the tab the URL names, its rows as bars,
 * a click on a row filters by it. A card with no row in any tab collapses to one line.
 */
@Component({
  selector: 'hk-top-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, CountryMap],
  host: { class: 'block min-w-0' },
  template: `
    @if (loaded() && empty()) {
      <section class="rounded-xl border border-dashed border-surface-200 dark:border-surface-800 px-3 py-2 text-sm flex flex-wrap gap-x-2 justify-between"
               [attr.data-card]="card().key" data-empty="true" [attr.aria-label]="card().title">
        <span class="font-semibold">{{ card().title }}</span>
        <span class="text-surface-500" data-testid="card-empty">{{ card().none }}
          @if (card().key === 'events' && goalsLink()) { · <a [routerLink]="goalsLink()" class="text-primary">add a goal</a> }
        </span>
      </section>
    } @else {
      <section class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-3 min-w-0"
               [attr.data-card]="card().key" [attr.aria-label]="card().title">
        <div class="flex items-center justify-between gap-2 mb-1 min-w-0">
          @if (card().tabs.length > 1) {
            <div #tablist role="tablist" [attr.aria-label]="card().title" class="flex gap-1 overflow-x-auto min-w-0 -mx-1 px-1 pb-0.5">
              @for (t of card().tabs; track t.key) {
                <button type="button" role="tab" [attr.aria-selected]="t.key === tab().key" [attr.data-tab]="t.key"
                        [attr.id]="card().key + '-tab-' + t.key" [attr.aria-controls]="card().key + '-panel'"
                        class="shrink-0 whitespace-nowrap text-sm px-2 py-1 rounded border-0 cursor-pointer bg-transparent text-inherit"
                        [class]="t.key === tab().key ? 'font-semibold bg-surface-100 dark:bg-surface-800' : (hasRows(t.list) ? 'text-surface-600 dark:text-surface-300 hover:bg-surface-100 dark:hover:bg-surface-800' : 'text-surface-400 dark:text-surface-500')"
                        (click)="choose(t.key)">{{ t.label }}</button>
              }
            </div>
          } @else {
            <h2 class="font-semibold text-sm m-0 px-1 py-1">{{ card().title }}</h2>
          }
        </div>
        <div role="tabpanel" [attr.id]="card().key + '-panel'" [attr.data-panel]="tab().key === 'map' ? 'map' : tab().list"
             [attr.aria-labelledby]="card().tabs.length > 1 ? card().key + '-tab-' + tab().key : null">
          @if (!loaded()) {
            <div class="flex flex-col gap-2" data-testid="panel-loading" aria-busy="true" aria-label="Loading">
              @for (bar of [1, 2, 3]; track bar) { <div class="h-4 rounded bg-surface-100 dark:bg-surface-800 animate-pulse"></div> }
            </div>
          } @else if (tab().key === 'map') {
            <hk-country-map [rows]="allRows()" (pick)="filter.emit({ dim: 'country', value: $event })" />
          } @else if (rows().length === 0) {
            <p class="text-sm text-surface-500 m-0 px-2" data-testid="tab-empty">
              @if (tab().list === 'goals') {
                No goals yet.@if (goalsLink()) { <a [routerLink]="goalsLink()" class="text-primary">Add one in the site settings</a>. }
              } @else { Nothing in this range. }
            </p>
          } @else {
            <p class="flex justify-end text-xs text-surface-500 m-0 mb-1 px-2" data-testid="unit">{{ tab().unit === 'Conversion' ? 'Visitors · conversion rate' : tab().unit }}</p>
            <ul class="list-none p-0 m-0 flex flex-col gap-1">
              @for (row of rows(); track row.value) {
                <li>
                  <button type="button" class="relative w-full flex justify-between gap-2 text-left text-sm px-2 py-1 rounded cursor-pointer bg-transparent border-0 text-inherit hover:bg-surface-100 dark:hover:bg-surface-800"
                          [title]="'Filter by ' + row.label" (click)="filter.emit({ dim: tab().dim, value: row.value })" data-testid="row"
                          [attr.data-value]="row.value">
                    <span class="absolute inset-y-0 left-0 rounded bg-primary/15" [style.width.%]="row.share"></span>
                    <span class="relative truncate" data-testid="row-label">{{ row.label }}</span>
                    <span class="relative tabular-nums shrink-0">
                      <span data-testid="row-count">{{ row.count }}</span>
                      @if (row.rate !== null) {
                        · <span data-testid="row-rate" [attr.data-rate]="row.rawRate">{{ row.rate }}</span>
                      }
                    </span>
                  </button>
                </li>
              }
            </ul>
            @if (allRows().length > short) {
              <button type="button" class="mt-1 text-xs text-primary bg-transparent border-0 cursor-pointer px-2" data-testid="more"
                      (click)="expanded.set(!expanded())">{{ expanded() ? 'Show fewer' : 'Show all ' + allRows().length }}</button>
            }
            @if (tab().list === 'events' && eventProps().length) {
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
          }
        </div>
      </section>
    }
  `,
})
export class TopCard {
  readonly card = input.required<Card>();
  /** the stats answer (its lists) */
  readonly stats = input<Record<string, unknown> | null>(null);
  /** false while the lists are on their way */
  readonly loaded = input(false);
  /** the tab the URL names (null: the first) */
  readonly tabKey = input<string | null>(null);
  /** where goals are added (the site settings), for those who may; null: not offered */
  readonly goalsLink = input<unknown[] | null>(null);
  readonly tabChange = output<string>();
  readonly filter = output<{ dim: string; value: string }>();

  protected readonly short = SHORT;
  protected readonly expanded = signal(false);
  protected readonly tab = computed(() => activeTab(this.card(), this.tabKey()));
  protected readonly empty = computed(() => cardIsEmpty(this.card(), this.stats()));
  protected readonly allRows = computed(() => tabRows(this.tab(), this.stats()));
  protected readonly rows = computed(() => {
    const tab = this.tab();
    const shown = this.expanded() ? this.allRows() : this.allRows().slice(0, SHORT);
    return barRows(tab, shown).map((row) => ({
      value: row.value,
      label: !row.value ? '(none)' : tab.list === 'countries' ? countryName(row.value) : row.value,
      count: compact(row.n),
      share: row.share,
      rate: tab.unit === 'Conversion' ? rate(row.conversion_rate ?? 0) : null,
      rawRate: row.conversion_rate ?? null,
    }));
  });

  /** event_props of the stats answer (newer servers only): shown under the events */
  protected readonly eventProps = computed(() => {
    const props = this.stats()?.['event_props'];
    if (!Array.isArray(props)) return [];
    return props.map((p: { event: string; key: string; value: string; count: number }) => ({
      event: p.event, key: p.key, value: p.value, count: compact(p.count ?? 0),
    }));
  });

  private readonly tablist = viewChild<ElementRef<HTMLElement>>('tablist');

  constructor() {
    // a tab chosen by the URL may sit past the edge of a narrow card: scroll the tab row (only it) to show it
    afterRenderEffect(() => {
      const list = this.tablist()?.nativeElement;
      this.tab();
      const active = list?.querySelector<HTMLElement>('[aria-selected="true"]');
      if (!list || !active) return;
      const tab = active.getBoundingClientRect();
      const row = list.getBoundingClientRect();
      if (tab.left < row.left || tab.right > row.right) list.scrollLeft += tab.left - row.left - 8;
    });
  }

  protected hasRows(list: string): boolean {
    const rows = this.stats()?.[list];
    return Array.isArray(rows) && rows.length > 0;
  }

  protected choose(key: string): void {
    this.expanded.set(false);
    this.tabChange.emit(key);
  }
}
