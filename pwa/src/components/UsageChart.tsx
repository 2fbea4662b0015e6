// Cost or tokens per day as stacked bars (uPlot), one colour per model or client, with axes and
// values on tap: the readout under the chart shows the day under the finger (or the latest day).
// Every day of the period is there, empty days as zero. Colours come from the stylesheet, so the
// chart follows the theme.
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { UsageGroupRow } from "../../../server/admin/schemas.ts";
import { formatCount, formatDay, formatUsd } from "../lib/format.ts";
import { lang, t } from "../lib/i18n.ts";
import { themeStore } from "../lib/theme.ts";
import { tokensOf } from "../lib/tokens.ts";

export type Metric = "cost" | "tokens";
/** Series shown by name; the rest are summed as "other". */
const MAX_SERIES = 6;

const metricOf = (r: UsageGroupRow, metric: Metric) => (metric === "cost" ? r.cost_usd : tokensOf(r));
const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
export const seriesColor = (i: number) => cssVar(`--chart-${(i % 8) + 1}`);

/** The last `n` days (UTC, as the server groups them), oldest first. */
function lastDays(n: number, now = Date.now()): string[] {
  const today = Math.floor(now / 86_400_000);
  return Array.from({ length: n }, (_, i) => new Date((today - n + 1 + i) * 86_400_000).toISOString().slice(0, 10));
}

export interface ChartData {
  readonly days: string[];
  /** Series names, biggest first ("other" last when there are more than MAX_SERIES). */
  readonly names: string[];
  /** values[s][d]: series s on day d. */
  readonly values: number[][];
}

export function chartData(rows: UsageGroupRow[], period: number, metric: Metric, otherName: string): ChartData {
  const days = lastDays(period);
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.series ?? "", (totals.get(r.series ?? "") ?? 0) + metricOf(r, metric));
  const ranked = [...totals]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => name);
  const named = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const names = ranked.length > MAX_SERIES ? [...named, otherName] : named;
  const values = names.map(() => days.map(() => 0));
  for (const r of rows) {
    const d = dayIndex.get(r.group);
    if (d === undefined) continue;
    const at = named.indexOf(r.series ?? "");
    const s = at >= 0 ? at : names.length - 1;
    if (at < 0 && names.length === named.length) continue; // a series with nothing in it
    const row = values[s];
    if (row) row[d] = (row[d] ?? 0) + metricOf(r, metric);
  }
  return { days, names, values };
}

export function UsageChart(props: { data: ChartData; metric: Metric; label: (name: string) => string }) {
  let box!: HTMLDivElement;
  let plot: uPlot | undefined;
  const [picked, setPicked] = createSignal<number>();
  const day = () => picked() ?? props.data.days.length - 1;
  const format = (v: number) => (props.metric === "cost" ? formatUsd(v) : formatCount(v, true));
  const totalOn = (d: number) => props.data.values.reduce((sum, s) => sum + (s[d] ?? 0), 0);

  const build = () => {
    plot?.destroy();
    const { days, names, values } = props.data;
    // Stacked: each series is drawn as the sum of itself and those below it, tallest first.
    const stacked = values.map((_, s) =>
      days.map((_, d) => values.slice(0, s + 1).reduce((a, v) => a + (v[d] ?? 0), 0)),
    );
    const order = names.map((_, s) => s).reverse();
    const muted = cssVar("--muted");
    const grid = cssVar("--border");
    // As many day labels as fit, about 64 px apart, always ending on the latest day.
    const every = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor((box.clientWidth - 60) / 64))));
    const bars = uPlot.paths.bars?.({ size: [0.72, 40], align: 0 });
    const opts: uPlot.Options = {
      width: Math.max(240, box.clientWidth),
      height: 220,
      legend: { show: false },
      // Room on the right for the last day's label, which is centred on the last bar.
      padding: [12, 24, 0, 0],
      cursor: { points: { show: false }, drag: { x: false, y: false, setScale: false }, y: false },
      scales: {
        x: { time: false, range: () => [-0.5, days.length - 0.5] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          stroke: muted,
          grid: { show: false },
          ticks: { show: false },
          splits: () => days.map((_, i) => i).filter((i) => (days.length - 1 - i) % every === 0),
          values: (_u, splits) => splits.map((i) => formatDay(days[i] ?? "")),
          font: "12px system-ui, sans-serif",
        },
        {
          stroke: muted,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          size: 60,
          values: (_u, splits) => splits.map((v) => format(v)),
          font: "12px system-ui, sans-serif",
        },
      ],
      series: [
        {},
        ...order.map((s) => ({
          label: names[s],
          fill: seriesColor(s),
          stroke: seriesColor(s),
          width: 0,
          paths: bars,
          points: { show: false },
        })),
      ],
      hooks: {
        // Hover or tap: the readout follows; leaving the chart keeps the last day shown.
        setCursor: [
          (u) => {
            if (u.cursor.idx !== null && u.cursor.idx !== undefined) setPicked(u.cursor.idx);
          },
        ],
      },
    };
    plot = new uPlot(opts, [days.map((_, i) => i), ...order.map((s) => stacked[s] ?? [])], box);
    // A tap places the cursor where the finger was (touch sends no hover).
    plot.over.addEventListener("click", (event) => {
      const idx = plot?.posToIdx(event.offsetX);
      if (idx !== undefined && idx >= 0) setPicked(idx);
    });
  };

  onMount(() => {
    build();
    const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(240, box.clientWidth), height: 220 }));
    resize.observe(box);
    onCleanup(() => {
      resize.disconnect();
      plot?.destroy();
    });
  });
  // New data, another metric, theme or language: drawn again.
  createEffect(on([() => props.data, () => props.metric, themeStore.theme, lang], () => build(), { defer: true }));

  const readout = createMemo(() =>
    props.data.names.map((name, s) => ({ name, s, v: props.data.values[s]?.[day()] ?? 0 })).filter((x) => x.v > 0),
  );
  return (
    <div class="stack tight">
      <div
        ref={box}
        class="chart"
        role="img"
        aria-label={`${t("perDay")}: ${t(props.metric === "cost" ? "cost" : "tokens")}`}
      />
      <div class="readout" aria-live="polite" data-testid="chart-readout">
        <strong>
          {formatDay(props.data.days[day()] ?? "")} · {format(totalOn(day()))}
        </strong>
        <Show when={readout().length > 0} fallback={<span class="muted"> · {t("tapHint")}</span>}>
          <ul class="small plain-list">
            <For each={readout()}>
              {(item) => (
                <li>
                  <span class="swatch" style={{ background: seriesColor(item.s) }} />
                  {props.label(item.name)}: {format(item.v)}
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>
    </div>
  );
}
