// Chart.js with only what the dashboard's line chart draws (lines, a filled area, two scales, the legend and
// the tooltip), registered once. Imported lazily by line-chart.ts, so the library loads beside the page and
// not in front of its numbers; 'chart.js/auto' would bring every chart type and scale.
import { CategoryScale, Chart, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Legend, Tooltip);

export { Chart };
