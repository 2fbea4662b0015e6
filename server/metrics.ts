// In-memory metrics, rendered in the Prometheus text format (version 0.0.4).

type Labels = Readonly<Record<string, string>>;

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
/** Callers reuse their label objects (see `labelsFor`), so each one's text is built once. */
const labelTexts = new WeakMap<Labels, string>();
const labelText = (labels: Labels) => {
  let text = labelTexts.get(labels);
  if (text === undefined) {
    const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
    text = parts.length ? `{${parts.join(",")}}` : "";
    labelTexts.set(labels, text);
  }
  return text;
};

/**
 * The same frozen label object for the same values, so the metrics code can cache its text:
 * `labelsFor("route", "messages", "status", "200")`.
 */
const interned = new Map<string, Labels>();
export function labelsFor(...pairs: string[]): Labels {
  // A key without joining: the values are short and never hold \u0000.
  let key = "";
  for (const part of pairs) key += `${part}\u0000`;
  let labels = interned.get(key);
  if (!labels) {
    const built: Record<string, string> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) built[pairs[i] as string] = pairs[i + 1] as string;
    labels = Object.freeze(built);
    interned.set(key, labels);
  }
  return labels;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export function createMetrics() {
  const counters = new Map<string, { help: string; values: Map<string, number> }>();
  const histograms = new Map<string, { help: string; values: Map<string, Histogram> }>();

  const counter = (name: string, help: string) => getOrCreate(counters, name, () => ({ help, values: new Map() }));
  const histogram = (name: string, help: string) => getOrCreate(histograms, name, () => ({ help, values: new Map() }));

  return {
    inc(name: string, help: string, labels: Labels, by = 1): void {
      const c = counter(name, help);
      const key = labelText(labels);
      c.values.set(key, (c.values.get(key) ?? 0) + by);
    },
    observe(name: string, help: string, labels: Labels, seconds: number): void {
      const h = histogram(name, help);
      const v = getOrCreate(h.values, labelText(labels), () => ({
        counts: LATENCY_BUCKETS.map(() => 0),
        sum: 0,
        count: 0,
      }));
      LATENCY_BUCKETS.forEach((le, i) => {
        if (seconds <= le) v.counts[i] = (v.counts[i] ?? 0) + 1;
      });
      v.sum += seconds;
      v.count++;
    },
    /** Gauges are computed at scrape time by the caller and passed in. */
    render(gauges: { name: string; help: string; values: [Labels, number][] }[] = []): string {
      const out: string[] = [];
      for (const [name, c] of counters) {
        out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
        for (const [labels, value] of c.values) out.push(`${name}${labels} ${value}`);
      }
      for (const [name, h] of histograms) {
        out.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`);
        for (const [labels, v] of h.values) {
          const inner = labels.slice(1, -1);
          const withLe = (le: string) => `{${inner ? `${inner},` : ""}le="${le}"}`;
          for (const [i, le] of LATENCY_BUCKETS.entries())
            out.push(`${name}_bucket${withLe(String(le))} ${v.counts[i]}`);
          out.push(
            `${name}_bucket${withLe("+Inf")} ${v.count}`,
            `${name}_sum${labels} ${v.sum}`,
            `${name}_count${labels} ${v.count}`,
          );
        }
      }
      for (const g of gauges) {
        out.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
        for (const [labels, value] of g.values) out.push(`${g.name}${labelText(labels)} ${value}`);
      }
      return `${out.join("\n")}\n`;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * The Host a client on this machine uses: a loopback address or "localhost". A page on a DNS name
 * that an attacker pointed at 127.0.0.1 (DNS rebinding) connects from loopback too, but names its
 * own host, so loopback trust needs both.
 */
export function isLoopbackHost(host: string | null): boolean {
  if (host === null) return false;
  const name = host.toLowerCase().replace(/:\d+$/, "");
  return name === "localhost" || name === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}
