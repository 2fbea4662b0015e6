// The load generator, in its own process: one job from argv[2] (JSON), results as JSON on
// stdout, with this process's own CPU use so it can be seen not to be the bottleneck.
//   latency     `count` requests one after another (after `warmup`): each one's time
//   throughput  `concurrency` workers for `durationMs`: completed requests per second
//   streams     `concurrency` streams at once: time to first byte, per-frame delay (frame text
//               "<seq>@<sent at>"), frames lost or out of order
import { readFileSync } from "node:fs";

export interface Target {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Read the body from this file instead (bodies of real size do not fit in an argument). */
  readonly bodyFile?: string;
}
export type Job =
  | ({ kind: "latency"; count: number; warmup: number } & Target)
  | ({ kind: "throughput"; concurrency: number; durationMs: number; warmupMs: number } & Target)
  | ({ kind: "streams"; concurrency: number; frames: number } & Target);

const now = () => performance.timeOrigin + performance.now();

export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

async function once(t: Target): Promise<number> {
  const response = await fetch(t.url, { method: "POST", headers: t.headers, body: t.body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  return response.status;
}

async function latency(job: Extract<Job, { kind: "latency" }>) {
  for (let i = 0; i < job.warmup; i++) await once(job);
  const times: number[] = [];
  for (let i = 0; i < job.count; i++) {
    const started = performance.now();
    await once(job);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { n: times.length, p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function throughput(job: Extract<Job, { kind: "throughput" }>) {
  let stop = performance.now() + job.warmupMs;
  let done = 0;
  let errors = 0;
  const worker = async () => {
    while (performance.now() < stop) {
      try {
        await once(job);
        done++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  done = 0;
  errors = 0;
  const started = performance.now();
  stop = started + job.durationMs;
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { rps: done / seconds, errors };
}

async function oneStream(t: Target, frames: number) {
  const started = now();
  const response = await fetch(t.url, { method: "POST", headers: t.headers, body: t.body });
  if (!response.body || response.status !== 200) throw new Error(`status ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let ttfb = Number.NaN;
  let buffer = "";
  const delays: number[] = [];
  let expected = 0;
  let reordered = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const at = now();
    if (Number.isNaN(ttfb)) ttfb = at - started;
    buffer += value;
    let cut = buffer.indexOf("\n\n");
    while (cut >= 0) {
      const record = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      cut = buffer.indexOf("\n\n");
      const text = /"text":"(\d+)@([\d.]+)"/.exec(record);
      if (!text) continue;
      const seq = Number(text[1]);
      if (seq !== expected) reordered++;
      expected = seq + 1;
      delays.push(at - Number(text[2]));
    }
  }
  return { ttfb, delays, lost: frames - delays.length, reordered };
}

async function streams(job: Extract<Job, { kind: "streams" }>) {
  const results = await Promise.allSettled(Array.from({ length: job.concurrency }, () => oneStream(job, job.frames)));
  const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const delays = ok.flatMap((r) => r.delays).sort((a, b) => a - b);
  const ttfbs = ok.map((r) => r.ttfb).sort((a, b) => a - b);
  return {
    streams: ok.length,
    failed: results.length - ok.length,
    frames: delays.length,
    lost: ok.reduce((n, r) => n + r.lost, 0) + (results.length - ok.length) * job.frames,
    reordered: ok.reduce((n, r) => n + r.reordered, 0),
    ttfb_p50: percentile(ttfbs, 50),
    frame_p50: percentile(delays, 50),
    frame_p99: percentile(delays, 99),
  };
}

if (import.meta.main) {
  const parsed = JSON.parse(process.argv[2] ?? "{}") as Job;
  const job = parsed.bodyFile ? { ...parsed, body: readFileSync(parsed.bodyFile, "utf8") } : parsed;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result =
    job.kind === "latency"
      ? await latency(job)
      : job.kind === "throughput"
        ? await throughput(job)
        : await streams(job);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100;
  process.stdout.write(`${JSON.stringify({ ...result, loadgen_cpu_percent: cpuPercent })}\n`);
}
