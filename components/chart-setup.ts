import {
  BarController, BarElement, Chart, Decimation, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';

/**
 * Only the chart.js parts Tokenscope draws with (tree-shaken; `chart.js/auto` would pull everything), plus the
 * chart.js project's own zoom plugin for drag-to-zoom (its drag handling, threshold and selection box; it brings
 * hammerjs for touch gestures, left out: components/no-touch-gestures.ts).
 */
Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, Decimation, Legend, Tooltip, Filler, zoomPlugin);

export { Chart };

/** A colour-blind-friendly palette (Okabe–Ito, extended), cycled per series. */
export const SERIES_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#7f7f7f', '#1b9e77', '#7570b3'];
