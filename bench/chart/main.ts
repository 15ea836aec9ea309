/**
 * Figure 3: from response JSON to painted canvas, Tokenscope's MetricChart (toChartModel + the
 * component) against bare chart.js with the same options, in the same page, alternating runs.
 * Figure 3c: the same with "Compare with": two answers (the current period and the shifted one), merged by
 * withShifted and drawn with the earlier series dashed, against bare chart.js drawing the same 400 datasets.
 */
import { createApp, h, nextTick } from 'vue';
import MetricChart from '../../components/MetricChart.vue';
import { Chart, SERIES_COLORS } from '../../components/chart-setup';
import { toChartModel } from '../../lib/charts/metric-series';
import { withShifted } from '../../lib/charts/period-compare';
import type { MetricData } from '../../lib/dynatrace/types';

const SERIES = 200;
const POINTS = 1440;

function response(shift = 0): string {
  const t0 = Date.UTC(2026, 10, 27);
  const timestamps = Array.from({ length: POINTS }, (_, i) => t0 + (i + 1) * 60_000);
  const data = Array.from({ length: SERIES }, (_, s) => {
    const id = `HOST-${s.toString(16).toUpperCase().padStart(16, '0')}`;
    return { dimensions: [id], dimensionMap: { 'dt.entity.host': id }, timestamps, values: timestamps.map((_, i) => (i % 97 === 0 ? null : 20 + 30 * Math.sin((i + s * 7 + shift) / 60) + (s % 10))) };
  });
  return JSON.stringify({ totalCount: SERIES, nextPageKey: null, resolution: '1m', result: [{ metricId: 'builtin:host.cpu.usage:splitBy("dt.entity.host")', dataPointCountRatio: 0, dimensionCountRatio: 0, data }] });
}

const painted = () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));

async function ours(json: string, earlierJson?: string): Promise<number> {
  const host = document.getElementById('ours')!;
  host.innerHTML = '';
  const el = document.createElement('div');
  host.appendChild(el);
  const start = performance.now();
  const data = JSON.parse(json) as MetricData;
  let model = toChartModel(data);
  if (earlierJson) model = withShifted(model, toChartModel(JSON.parse(earlierJson) as MetricData), 86_400_000, '1 day earlier');
  const app = createApp({ render: () => h(MetricChart, { model, title: 'bench', unit: 'Percent' }) });
  app.mount(el);
  await nextTick();
  await painted();
  const ms = performance.now() - start;
  app.unmount();
  return ms;
}

async function bare(json: string, earlierJson?: string): Promise<number> {
  const canvas = document.getElementById('bare-canvas') as HTMLCanvasElement;
  const start = performance.now();
  const data = JSON.parse(json) as MetricData;
  const series = data.result[0]!.data;
  const earlier = earlierJson ? (JSON.parse(earlierJson) as MetricData).result[0]!.data : [];
  const dataset = (s: (typeof series)[number], i: number, dashed: boolean) => ({
    label: s.dimensionMap['dt.entity.host'] ?? '',
    data: s.timestamps.map((x, j) => ({ x, y: s.values[j] ?? null })),
    borderColor: SERIES_COLORS[i % SERIES_COLORS.length], backgroundColor: SERIES_COLORS[i % SERIES_COLORS.length],
    borderWidth: 1.5, pointRadius: 0, spanGaps: false, borderDash: dashed ? [6, 4] : [],
  });
  const chart = new Chart(canvas.getContext('2d')!, {
    type: 'line',
    data: {
      datasets: [...series.map((s, i) => dataset(s, i, false)), ...earlier.map((s, i) => dataset(s, i, true))],
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: { x: { type: 'linear' }, y: { type: 'linear', beginAtZero: true } },
      plugins: { decimation: { enabled: true, algorithm: 'lttb', samples: 400 }, legend: { display: false } },
    },
  });
  await painted();
  const ms = performance.now() - start;
  chart.destroy();
  return ms;
}

async function main() {
  const json = response();
  await ours(json); await bare(json); // warm-up
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 7; i++) { a.push(await ours(json)); b.push(await bare(json)); }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const earlier = response(1440);
  await ours(json, earlier); await bare(json, earlier);
  const c: number[] = [];
  const d: number[] = [];
  for (let i = 0; i < 7; i++) { c.push(await ours(json, earlier)); d.push(await bare(json, earlier)); }
  (window as unknown as { __bench: unknown }).__bench = {
    ours: median(a), bare: median(b), runs: a.length, series: SERIES, points: POINTS,
    compared: { ours: median(c), bare: median(d), datasets: 2 * SERIES },
  };
}
void main();
