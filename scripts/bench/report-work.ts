// The rows of real work (issue 18), each against its target: ratios to the floor of the same
// runtime, measured in the same repetition. Pure.
import { type Figures, type Row, type Spread, spread } from "./report.ts";

const RUNTIMES = ["bun", "node"] as const;
const NATIVE = [
  ["chat", "400 KB chat"],
  ["code", "600 KB Claude Code turn"],
  ["thinking", "2,000-event thinking stream"],
] as const;

export function workRows(f: Figures): Row[] {
  const reps = f.reps.filter((r) => r.work);
  if (reps.length === 0) return [];
  const per = (pick: (work: Figures["reps"][number]["work"]) => number) => spread(reps.map((r) => pick(r.work)));
  const value = (key: string, field: string) => (work: Figures["reps"][number]["work"]) =>
    work[key]?.[field] ?? Number.NaN;
  /** Minus direct-to-mock with the same body (the OpenAI chat's is the native chat's). */
  const added = (runtime: string, scenario: string, target: string, kind: "p50" | "p99") => {
    const base = scenario === "openai-chat" ? "chat" : scenario;
    return per(
      (w) => value(`${runtime}:${scenario}:${target}:c1`, kind)(w) - value(`${runtime}:${base}:direct:c1`, kind)(w),
    );
  };
  const rows: Row[] = [];
  for (const runtime of RUNTIMES) {
    for (const [scenario, label] of NATIVE) {
      const section = `${label}, native, on ${runtime === "bun" ? "Bun" : "Node 22"}`;
      for (const [kind, factor] of [
        ["p50", 1.3],
        ["p99", 1.5],
      ] as const) {
        const pg = added(runtime, scenario, "pocketgate", kind);
        const floor = added(runtime, scenario, "floor", kind);
        const portkey = added(runtime, scenario, "portkey", kind);
        rows.push({
          section,
          metric: `added latency ${kind}, concurrency 1`,
          pocketgate: pg,
          floor,
          ...(Number.isNaN(portkey.median) ? {} : { portkey }),
          unit: "ms",
          target: `≤ ${factor} × floor`,
          met: pg.median <= factor * floor.median,
        });
      }
      const rps = (target: string) => per(value(`${runtime}:${scenario}:${target}:c16`, "rps"));
      const pgRps = rps("pocketgate");
      const floorRps = rps("floor");
      rows.push({
        section,
        metric: `requests/s, concurrency 16 (direct: ${rps("direct").median.toFixed(0)})`,
        pocketgate: pgRps,
        floor: floorRps,
        unit: "req/s",
        target: "≥ 0.8 × floor",
        met: pgRps.median >= 0.8 * floorRps.median,
      });
      const cpu = (target: string) => per(value(`${runtime}:${scenario}:${target}:c1`, "cpu_ms_per_1000"));
      const pgCpu = cpu("pocketgate");
      const floorCpu = cpu("floor");
      rows.push({
        section,
        metric: "CPU time per 1,000 requests (user + system)",
        pocketgate: pgCpu,
        floor: floorCpu,
        unit: "ms",
        target: "≤ 1.3 × floor",
        met: pgCpu.median <= 1.3 * floorCpu.median,
      });
    }
    const openai = added(runtime, "openai-chat", "pocketgate", "p50");
    const floor = added(runtime, "chat", "floor", "p50");
    rows.push({
      section: `400 KB chat, OpenAI route, on ${runtime === "bun" ? "Bun" : "Node 22"}`,
      metric: "added latency p50 (floor: its native passthrough of the same chat)",
      pocketgate: openai,
      floor,
      unit: "ms",
      target: "≤ 2 × floor",
      met: openai.median <= 2 * floor.median,
    });
  }
  const one = (v: number): Spread => ({ median: v, min: v, max: v });
  const perStream = (peak: number, idle: number) => ((peak - idle) * 1024) / (f.settings.streams ?? 512);
  const perStreamKiB = perStream(f.memory.peak, f.memory.idle);
  rows.push(
    {
      section: "memory",
      metric: `(peak − idle RSS) per open stream, ${f.settings.streams} streams, Bun`,
      pocketgate: one(perStreamKiB),
      ...(f.memory.floorPeak ? { floor: one(perStream(f.memory.floorPeak, f.memory.floorIdle)) } : {}),
      unit: "KiB",
      target: "≤ 64 KiB",
      met: perStreamKiB <= 64,
    },
    {
      section: "memory",
      metric: "RSS idle, Bun",
      pocketgate: one(f.memory.idle),
      floor: one(f.memory.floorIdle),
      unit: "MiB",
      target: "≤ 40 MiB",
      met: f.memory.idle <= 40,
    },
    {
      section: "memory",
      metric: "RSS idle, Node 22 (pocketgate.mjs)",
      pocketgate: one(f.memory.nodeIdle),
      floor: one(f.memory.nodeFloorIdle),
      unit: "MiB",
      target: "≤ 1.3 × Node floor",
      met: f.memory.nodeIdle <= 1.3 * f.memory.nodeFloorIdle,
    },
  );
  return rows;
}
