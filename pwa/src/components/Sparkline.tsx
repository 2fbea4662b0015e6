// Requests per minute over the last hour as 60 thin bars, failures in red on top of each: a
// glance, not a chart (the Usage page has those). Values are in the bars' titles.
import { For } from "solid-js";

export function Sparkline(props: { requests: number[]; failed: number[]; label: string }) {
  const width = 300;
  const height = 56;
  const max = () => Math.max(1, ...props.requests);
  const bar = () => width / Math.max(1, props.requests.length);
  return (
    <svg
      class="spark"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={props.label}
    >
      <line class="base" x1="0" x2={width} y1={height - 0.5} y2={height - 0.5} />
      <For each={props.requests}>
        {(count, i) => {
          const h = () => (count / max()) * (height - 4);
          const f = () => ((props.failed[i()] ?? 0) / max()) * (height - 4);
          return (
            <g>
              <rect class="req" x={i() * bar() + 0.5} y={height - h()} width={Math.max(1, bar() - 1)} height={h()} />
              <rect class="fail" x={i() * bar() + 0.5} y={height - f()} width={Math.max(1, bar() - 1)} height={f()} />
            </g>
          );
        }}
      </For>
    </svg>
  );
}
