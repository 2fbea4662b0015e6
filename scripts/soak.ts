// `npm run soak` (outside `npm test`): the gateway under 30 minutes of mixed traffic — native
// and OpenAI requests, streamed and whole, count_tokens and models, clients that leave mid-stream,
// bad requests, admin calls, idle keep-alive sockets — against the mock upstream on 127.0.0.1.
// RSS and open descriptors are sampled every 10 s and written as a table to
// soak/results/LATEST.md. Once warm (the first fifth of the run), neither may trend upward: the
// last third's median RSS within 15% (and 16 MiB) of the warm third's, descriptors within 16.
// SOAK_MINUTES shortens or lengthens the run; GATEWAY_RUNTIME=node soaks the Node path.
import { mkdirSync, writeFileSync } from "node:fs";
import type { Socket } from "node:net";
import { join } from "node:path";
import { adminLogin } from "../test/harness/admin.ts";
import { CLIENT_KEY, ROOT, runtime, startGateway } from "../test/harness/gateway.ts";
import { startMockUpstream } from "../test/harness/mock-upstream.ts";
import { fdsOf, MiB, rssOf } from "../test/harness/process-stats.ts";
import { openSocket } from "../test/harness/raw-http.ts";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_MS ?? 10_000);
const WORKERS = 8;
const model = "claude-sonnet-4-6";

const mock = startMockUpstream();
const gateway = await startGateway({
  upstream: mock.url,
  config: { CLIENT_IDLE_TIMEOUT: process.env.SOAK_IDLE ?? "5" },
});
const base = gateway.url;
const client = { "x-api-key": CLIENT_KEY, "content-type": "application/json", "anthropic-version": "2023-06-01" };
const messages = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, max_tokens: 32, messages: [{ role: "user", content: "soak" }], ...extra });
const chat = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, messages: [{ role: "user", content: "soak" }], ...extra });

let token = await adminLogin(gateway);
const statuses = new Map<string, number>();
const note = (kind: string, status: number | string) => {
  const key = `${kind} ${status}`;
  statuses.set(key, (statuses.get(key) ?? 0) + 1);
};

/** One request of a kind picked by weight; the body is always read (or the client leaves). */
async function one(i: number): Promise<void> {
  const pick = i % 20;
  const post = (path: string, body: string, signal?: AbortSignal) =>
    fetch(`${base}${path}`, { method: "POST", headers: client, body, signal });
  if (pick < 5) {
    const r = await post("/v1/messages", messages());
    note("messages", r.status);
    await r.arrayBuffer();
  } else if (pick < 9) {
    const r = await post("/v1/messages", messages({ stream: true }));
    note("messages stream", r.status);
    await r.arrayBuffer();
  } else if (pick < 12) {
    const r = await post("/v1/chat/completions", chat({ stream: true, stream_options: { include_usage: true } }));
    note("chat stream", r.status);
    await r.arrayBuffer();
  } else if (pick < 14) {
    const r = await post("/v1/chat/completions", chat());
    note("chat", r.status);
    await r.arrayBuffer();
  } else if (pick === 14) {
    const r = await post(
      "/v1/messages/count_tokens",
      JSON.stringify({ model, messages: [{ role: "user", content: "x" }] }),
    );
    note("count_tokens", r.status);
    await r.arrayBuffer();
  } else if (pick === 15) {
    const r = await fetch(`${base}/v1/models`, { headers: client });
    note("models", r.status);
    await r.arrayBuffer();
  } else if (pick === 16) {
    // A client that leaves as soon as the stream starts.
    const abort = new AbortController();
    const r = await post("/v1/messages", messages({ stream: true }), abort.signal);
    note("left mid-stream", r.status);
    abort.abort();
    await r.arrayBuffer().catch(() => {});
  } else if (pick === 17) {
    const r = await post("/v1/chat/completions", '{"model":');
    note("bad json", r.status);
    await r.arrayBuffer();
  } else if (pick === 18) {
    const r = await fetch(`${base}/api/status`, { headers: { authorization: `Bearer ${token}` } });
    if (r.status === 401) token = await adminLogin(gateway);
    note("admin status", r.status);
    await r.arrayBuffer();
  } else {
    const r = await fetch(`${base}/v1/messages`, {
      method: "POST",
      headers: { ...client, "x-api-key": "wrong" },
      body: messages(),
    });
    note("wrong key", r.status);
    await r.arrayBuffer();
  }
}

/** Sockets that make one request and then sit idle until the gateway closes them. */
async function idleSockets(count: number): Promise<void> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = await openSocket(gateway.port).catch(() => undefined);
    if (!socket) continue;
    socket.on("error", () => {});
    socket.write("GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    sockets.push(socket);
  }
}

interface Sample {
  readonly minute: number;
  readonly rssMiB: number;
  readonly fds: number;
  readonly requests: number;
}

const started = performance.now();
const until = started + MINUTES * 60_000;
let done = 0;
let failures = 0;
const failureKinds = new Map<string, number>();
const samples: Sample[] = [];
const sample = () => {
  samples.push({
    minute: (performance.now() - started) / 60_000,
    rssMiB: rssOf(gateway.pid) / MiB,
    fds: fdsOf(gateway.pid),
    requests: done,
  });
  mock.requests.length = 0; // the mock's own record of requests, not the gateway's memory
  const s = samples.at(-1) as Sample;
  process.stderr.write(
    `${s.minute.toFixed(1)} min  rss ${s.rssMiB.toFixed(1)} MiB  fds ${s.fds}  requests ${s.requests}\n`,
  );
};
// Idle sockets right after each sample: the gateway closes them after its 5 s idle timeout, before
// the next sample, so a sample that still sees them shows a leak.
const sampleAndIdle = () => {
  sample();
  void idleSockets(20);
};
sampleAndIdle();
const sampler = setInterval(sampleAndIdle, SAMPLE_MS);

await Promise.all(
  Array.from({ length: WORKERS }, async (_, w) => {
    let i = w;
    while (performance.now() < until) {
      try {
        await one(i);
      } catch (error) {
        failures++;
        const kind = `request ${i % 20}: ${String((error as Error).message ?? error).slice(0, 60)}`;
        failureKinds.set(kind, (failureKinds.get(kind) ?? 0) + 1);
      }
      i += WORKERS;
      done++;
    }
  }),
);
clearInterval(sampler);
sample();

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const warmFrom = Math.floor(samples.length / 5);
const warm = samples.slice(warmFrom, warmFrom + Math.max(1, Math.floor(samples.length / 3)));
const last = samples.slice(-Math.max(1, Math.floor(samples.length / 3)));
const warmRss = median(warm.map((s) => s.rssMiB));
const lastRss = median(last.map((s) => s.rssMiB));
const warmFds = Math.max(...warm.map((s) => s.fds));
const lastFds = median(last.map((s) => s.fds));
const rssOk = lastRss <= Math.max(warmRss * 1.15, warmRss + 16);
const fdsOk = lastFds <= warmFds + 16;
const bugs = gateway.stderr().match(/^error req_.*$/gm) ?? [];

const first = samples[0] as Sample;
const end = samples.at(-1) as Sample;
const lines = [
  `# Soak: ${MINUTES} min of mixed traffic, gateway on ${runtime}`,
  "",
  `${done} requests (${failures} failed on the client side), ${WORKERS} at a time, plus 20 idle sockets after each sample.`,
  ...[...failureKinds].map(([k, n]) => `  client-side failure ×${n}: ${k}`),
  `Start: ${first.rssMiB.toFixed(1)} MiB RSS, ${first.fds} descriptors. End: ${end.rssMiB.toFixed(1)} MiB, ${end.fds} descriptors.`,
  `Warm median ${warmRss.toFixed(1)} MiB, last-third median ${lastRss.toFixed(1)} MiB: ${rssOk ? "no upward trend" : "RSS GREW"}.`,
  `Descriptors: warm max ${warmFds}, last-third median ${lastFds}: ${fdsOk ? "no upward trend" : "DESCRIPTORS GREW"}.`,
  `Bugs logged by the gateway: ${bugs.length}.`,
  "",
  "| minute | RSS (MiB) | descriptors | requests done |",
  "| -----: | --------: | ----------: | ------------: |",
  ...samples.map((s) => `| ${s.minute.toFixed(1)} | ${s.rssMiB.toFixed(1)} | ${s.fds} | ${s.requests} |`),
  "",
  "Statuses:",
  "",
  ...[...statuses].sort().map(([k, n]) => `- ${k}: ${n}`),
  "",
];
const dir = join(ROOT, "soak/results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "LATEST.md"), lines.join("\n"));
process.stdout.write(`${lines.slice(0, 8 + failureKinds.size).join("\n")}\nTable: soak/results/LATEST.md\n`);

await gateway[Symbol.asyncDispose]();
await mock.close();
process.exit(rssOk && fdsOk && bugs.length === 0 ? 0 : 1);
