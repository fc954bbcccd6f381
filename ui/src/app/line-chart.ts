import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, effect, inject, input, untracked, viewChild } from '@angular/core';
import type { Chart } from 'chart.js';
import { afterNextPaint } from './after-paint';

/** What chart.ts's chartData gives: the labels and the datasets (and anything a plugin or a tooltip reads). */
export interface LineChartData { labels: unknown[]; datasets: object[]; [extra: string]: unknown; }

/**
 * The dashboard's line chart: Chart.js on a canvas that fills this element (as tall as `height`).
 * Cheaper than PrimeNG's p-chart in three ways that show on a slow machine: Chart.js loads in a chunk of
 * its own, only when there is something to draw; the chart is drawn first after the next paint, so the
 * numbers above it show before it; and new data updates the chart in place (p-chart destroyed and made
 * it again on every change of its data: three times while the dashboard loads).
 */
@Component({
  selector: 'hk-line-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block relative', '[style.height]': 'height()' },
  template: `<canvas #canvas role="img" [attr.aria-label]="ariaLabel()"></canvas>`,
})
export class LineChart {
  readonly data = input.required<LineChartData>();
  /** Chart.js options: read once, when the chart is made */
  readonly options = input<object>({});
  /** Chart.js plugins of this chart: read once, when the chart is made */
  readonly plugins = input<object[]>([]);
  readonly ariaLabel = input('');
  readonly height = input('16rem');

  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart | null = null;
  private making = false;
  private destroyed = false;

  constructor() {
    effect(() => {
      const data = this.data();
      if (this.chart) {
        this.chart.data = data as Chart['data'];
        this.chart.update();
      } else if (!this.making && data.labels.length > 0) {
        this.making = true;
        this.make();
      }
    });
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.chart?.destroy();
      this.chart = null;
    });
  }

  private async make(): Promise<void> {
    await afterNextPaint();
    const { Chart } = await import('./chart-js');
    if (this.destroyed) return;
    this.chart = new Chart(this.canvas().nativeElement, {
      type: 'line',
      data: untracked(this.data) as Chart['data'],
      options: untracked(this.options),
      plugins: untracked(this.plugins) as Chart['config']['plugins'],
    });
  }
}
