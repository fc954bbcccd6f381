import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { ListRow } from './cards';
import { compact, countryName } from './format';
import type { WorldMap } from './world-map';

/**
 * The countries of the range on a world map, coloured by visitors; a click (or Enter) on a country with
 * visitors filters the dashboard by it. The boundaries (world-atlas, about 100 kB) load with the first map,
 * in a chunk of their own. Countries too small for the map's scale are listed under it.
 */
@Component({
  selector: 'hk-country-map',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (map(); as m) {
      <svg [attr.viewBox]="'0 0 ' + m.width + ' ' + m.height" class="block w-full h-auto" role="group"
           aria-label="Visitors by country" data-testid="country-map">
        @for (shape of shapes(); track $index) {
          @if (shape.visitors > 0) {
            <path [attr.d]="shape.d" [attr.fill-opacity]="shape.opacity" [attr.data-value]="shape.code" [attr.data-visitors]="shape.visitors"
                  class="fill-primary stroke-surface-0 dark:stroke-surface-900 cursor-pointer outline-none hover:stroke-surface-900 dark:hover:stroke-surface-0 focus-visible:stroke-surface-900 dark:focus-visible:stroke-surface-0"
                  stroke-width="0.6" tabindex="0" role="button" [attr.aria-label]="shape.label" data-testid="map-country"
                  (click)="pick.emit(shape.code)" (keydown.enter)="pick.emit(shape.code)" (keydown.space)="$event.preventDefault(); pick.emit(shape.code)"
                  (mouseenter)="hovered.set(shape.label)" (mouseleave)="hovered.set(null)" (focus)="hovered.set(shape.label)" (blur)="hovered.set(null)">
              <title>{{ shape.label }}</title>
            </path>
          } @else {
            <path [attr.d]="shape.d" [attr.data-value]="shape.code" class="fill-surface-200 dark:fill-surface-700 stroke-surface-0 dark:stroke-surface-900"
                  stroke-width="0.6" />
          }
        }
      </svg>
      <p class="text-xs text-surface-500 mt-1 mb-0 min-h-4" aria-live="polite" data-testid="map-hover">
        {{ hovered() ?? (rows().length ? 'Click a country to filter by it' : '') }}
      </p>
      @if (unmapped().length) {
        <p class="text-xs text-surface-500 mt-1 mb-0 flex flex-wrap gap-x-2" data-testid="map-unmapped">
          <span>Too small for the map:</span>
          @for (row of unmapped(); track row.value) {
            <button type="button" class="p-0 border-0 bg-transparent text-primary cursor-pointer text-xs" [attr.data-value]="row.value"
                    (click)="pick.emit(row.value)">{{ row.label }} {{ row.count }}</button>
          }
        </p>
      }
    } @else if (failed()) {
      <p class="text-sm text-surface-500">The map could not be loaded; the Countries tab lists them.</p>
    } @else {
      <div class="aspect-[2/1] rounded bg-surface-100 dark:bg-surface-800 animate-pulse" aria-busy="true" aria-label="Loading the map"></div>
    }
  `,
})
export class CountryMap {
  /** the countries list of the stats answer */
  readonly rows = input<readonly ListRow[]>([]);
  /** a country's code, to filter by it */
  readonly pick = output<string>();

  protected readonly map = signal<WorldMap | null>(null);
  protected readonly failed = signal(false);
  protected readonly hovered = signal<string | null>(null);

  private readonly visitors = computed(() => new Map(this.rows().map((row) => [row.value, row.visitors ?? row.pageviews ?? 0])));

  protected readonly shapes = computed(() => {
    const map = this.map();
    const visitors = this.visitors();
    const max = Math.max(0, ...visitors.values());
    const shade = this.shade;
    return (map?.shapes ?? []).map((shape) => {
      const n = visitors.get(shape.code) ?? 0;
      const name = countryName(shape.code);
      return { ...shape, visitors: n, opacity: shade ? shade(n, max) : 0, label: `${name === shape.code ? shape.name : name}: ${compact(n)} visitor${n === 1 ? '' : 's'}` };
    });
  });

  /** countries with visitors that the 1:110m map does not draw (Singapore, Malta, ...) */
  protected readonly unmapped = computed(() => {
    const drawn = new Set((this.map()?.shapes ?? []).map((shape) => shape.code));
    return this.rows().filter((row) => row.value && !drawn.has(row.value))
      .map((row) => ({ value: row.value, label: countryName(row.value), count: compact(row.visitors ?? 0) }));
  });

  private shade: ((visitors: number, max: number) => number) | null = null;

  constructor() {
    import('./world-map').then((module) => {
      this.shade = module.shade;
      this.map.set(module.worldMap());
    }).catch(() => this.failed.set(true));
  }
}
