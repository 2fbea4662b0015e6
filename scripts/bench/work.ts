// Real work (issue 18): bodies the size of real traffic and a long reasoning stream, at
// concurrency 1 and 16, for direct-to-mock, the floor and pocketgate, on Bun and on Node (the
// phone's runtime), with each target's CPU time per 1,000 requests read from /proc/<pid>/stat.
// Results are keyed "<runtime>:<scenario>:<target>:<c1|c16>".
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Job, Target } from "./loadgen.ts";
import { claudeCodeTurn, tavernChat, tavernChatOpenAi, thinkingStream } from "./payloads.ts";

type Result = Record<string, number>;

export interface WorkService {
  readonly port: number;
  readonly pid: number;
}

export interface WorkSide {
  readonly runtime: "bun" | "node";
  readonly floor: WorkService;
  readonly pocketgate: WorkService;
  /** Portkey on the same big bodies (it runs on Node; measured once, beside the Bun side). */
  readonly portkey?: WorkService & { readonly headers: Record<string, string> };
}

/** The kernel's clock ticks per second for utime/stime (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU of a process so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

const MODEL = "claude-sonnet-4-6";

export interface WorkSettings {
  readonly count: number;
  readonly warmup: number;
  readonly throughputMs: number;
  readonly thinkingEvents: number;
}

/** The scenario bodies, written once to files the load generator reads. */
export function writeBodies(dir: string, settings: WorkSettings) {
  const files = {
    chat: join(dir, "chat.json"),
    code: join(dir, "code.json"),
    thinking: join(dir, "thinking.json"),
    "openai-chat": join(dir, "openai-chat.json"),
  };
  writeFileSync(files.chat, tavernChat(MODEL));
  writeFileSync(files.code, claudeCodeTurn(MODEL));
  writeFileSync(files.thinking, thinkingStream(MODEL, settings.thinkingEvents));
  writeFileSync(files["openai-chat"], tavernChatOpenAi(MODEL));
  const sizes = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, readFileSync(file).length]));
  return { files, sizes };
}

export async function measureWork(
  sides: readonly WorkSide[],
  upstream: string,
  clientKey: string,
  files: ReturnType<typeof writeBodies>["files"],
  settings: WorkSettings,
  loadgen: (job: Job) => Promise<Result>,
): Promise<Record<string, Result>> {
  const out: Record<string, Result> = {};
  const anthropic = { "content-type": "application/json", "anthropic-version": "2023-06-01" };
  const native = (scenario: "chat" | "code" | "thinking", side: WorkSide): [string, Target, number | undefined][] => [
    [
      "direct",
      {
        url: `${upstream}/v1/messages`,
        headers: { ...anthropic, "x-api-key": "sk-ant-direct" },
        body: "",
        bodyFile: files[scenario],
      },
      undefined,
    ],
    [
      "floor",
      {
        url: `http://127.0.0.1:${side.floor.port}/v1/messages`,
        headers: anthropic,
        body: "",
        bodyFile: files[scenario],
      },
      side.floor.pid,
    ],
    [
      "pocketgate",
      {
        url: `http://127.0.0.1:${side.pocketgate.port}/v1/messages`,
        headers: { ...anthropic, "x-api-key": clientKey },
        body: "",
        bodyFile: files[scenario],
      },
      side.pocketgate.pid,
    ],
    ...(side.portkey && scenario !== "thinking"
      ? [
          [
            "portkey",
            {
              url: `http://127.0.0.1:${side.portkey.port}/v1/messages`,
              headers: { ...anthropic, ...side.portkey.headers },
              body: "",
              bodyFile: files[scenario],
            },
            side.portkey.pid,
          ] as [string, Target, number | undefined],
        ]
      : []),
  ];
  for (const side of sides) {
    const scenarios: [string, [string, Target, number | undefined][]][] = [
      ["chat", native("chat", side)],
      ["code", native("code", side)],
      ["thinking", native("thinking", side)],
      [
        "openai-chat",
        [
          [
            "pocketgate",
            {
              url: `http://127.0.0.1:${side.pocketgate.port}/v1/chat/completions`,
              headers: { "content-type": "application/json", authorization: `Bearer ${clientKey}` },
              body: "",
              bodyFile: files["openai-chat"],
            },
            side.pocketgate.pid,
          ],
        ],
      ],
    ];
    for (const [scenario, targets] of scenarios) {
      for (const [name, target, pid] of targets) {
        const key = `${side.runtime}:${scenario}:${name}`;
        const before = pid === undefined ? 0 : cpuMs(pid);
        const c1 = await loadgen({ kind: "latency", count: settings.count, warmup: settings.warmup, ...target });
        const spent = pid === undefined ? Number.NaN : cpuMs(pid) - before;
        // CPU over warm-up and measured requests alike: per 1,000 requests.
        out[`${key}:c1`] = { ...c1, cpu_ms_per_1000: (spent / (settings.count + settings.warmup)) * 1000 };
        out[`${key}:c16`] = await loadgen({
          kind: "throughput",
          concurrency: 16,
          durationMs: settings.throughputMs,
          warmupMs: 300,
          ...target,
        });
      }
    }
  }
  return out;
}
