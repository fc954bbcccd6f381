// The dashboard's line chart: this range against the previous one, aligned bucket by bucket (day 1 with
// day 1, hour 0 with hour 0), the previous one dashed and faded. Plain data (no Angular, no chart.js) so
// node --test can check it (test/chart.test.mjs).

export interface Point { t: string; pageviews: number; visitors: number; }

const PAGEVIEWS = '#10b981';
const VISITORS = '#6366f1';

/** A point's axis label: "14:00" for hours, "11-22" for days. */
export function bucketLabel(t: string): string {
  return t.includes('T') ? t.slice(11, 16) : t.slice(5, 10);
}

/**
 * Chart.js data: pageviews and visitors, plus the previous period's when given (a shorter previous series
 * leaves gaps, a longer one is cut to this range's length).
 */
export function chartData(current: readonly Point[], previous: readonly Point[] | null) {
  const align = (pick: (p: Point) => number) => current.map((_, i) => (previous && i < previous.length ? pick(previous[i]) : null));
  const line = { tension: 0.3, cubicInterpolationMode: 'monotone', pointRadius: 0 };
  const datasets: Record<string, unknown>[] = [
    { ...line, label: 'Pageviews', data: current.map((p) => p.pageviews), borderColor: PAGEVIEWS, backgroundColor: 'rgba(16,185,129,0.15)', fill: true },
    { ...line, label: 'Visitors', data: current.map((p) => p.visitors), borderColor: VISITORS, backgroundColor: 'transparent' },
  ];
  if (previous && previous.length > 0) {
    datasets.push(
      { ...line, label: 'Pageviews (previous period)', data: align((p) => p.pageviews), borderColor: 'rgba(16,185,129,0.45)', backgroundColor: 'transparent', borderDash: [6, 4], borderWidth: 1.5, spanGaps: false },
      { ...line, label: 'Visitors (previous period)', data: align((p) => p.visitors), borderColor: 'rgba(99,102,241,0.45)', backgroundColor: 'transparent', borderDash: [6, 4], borderWidth: 1.5, spanGaps: false },
    );
  }
  return {
    labels: current.map((p) => bucketLabel(p.t)),
    /** the previous period's own dates, for the tooltip */
    previousLabels: current.map((_, i) => (previous && i < previous.length ? previous[i].t : null)),
    datasets,
  };
}

export interface Note { date: string; text: string; }

/**
 * Where the annotations of a range sit on the chart: the bucket of their day (the first hour of it on an
 * hourly chart), several of one day together; days outside the chart are left out.
 */
export function annotationMarks(points: readonly Point[], notes: readonly Note[]): Array<{ index: number; date: string; texts: string[] }> {
  const marks = new Map<number, { index: number; date: string; texts: string[] }>();
  for (const note of notes) {
    const index = points.findIndex((p) => p.t.slice(0, 10) === note.date);
    if (index < 0) continue;
    const mark = marks.get(index) ?? { index, date: note.date, texts: [] };
    mark.texts.push(note.text);
    marks.set(index, mark);
  }
  return [...marks.values()].sort((a, b) => a.index - b.index);
}
