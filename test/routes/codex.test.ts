// Codex CLI (@openai/codex, a dev dependency) against the gateway's /v1/responses, as a user sets
// it up: a custom provider with wire_api = "responses", the client key in its env_key, HOME a
// fresh directory. `codex exec` prints the reply; in a second run the model asks for a shell
// call, Codex runs it and sends the output back, and the final answer is printed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLIENT_KEY, type Gateway, ROOT, runProcess, runtime, startGateway } from "../harness/gateway.ts";
import {
  MOCK_REPLY_TEXT,
  type MockUpstream,
  type ReceivedRequest,
  sseRecord,
  startMockUpstream,
  textStream,
} from "../harness/mock-upstream.ts";

const MODEL = "claude-sonnet-4-6";
const sse = { "content-type": "text/event-stream" };
let mock: MockUpstream;
let gateway: Gateway;
let home: string;
let work: string;

beforeAll(async () => {
  mock = startMockUpstream();
  gateway = await startGateway({ upstream: mock.url });
  home = mkdtempSync(join(tmpdir(), "codex-home-"));
  work = mkdtempSync(join(tmpdir(), "codex-work-"));
  mkdirSync(join(home, ".codex"));
  writeFileSync(
    join(home, ".codex/config.toml"),
    `model = "${MODEL}"
model_provider = "pocketgate"

[model_providers.pocketgate]
name = "pocketgate"
base_url = "${gateway.url}/v1"
env_key = "POCKETGATE_KEY"
wire_api = "responses"
`,
  );
});

afterAll(async () => {
  await gateway?.[Symbol.asyncDispose]();
  await mock?.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** `codex exec <prompt>` in the test's throwaway directory, as a user with this HOME runs it. */
const codexExec = (prompt: string) =>
  runProcess(
    [
      join(ROOT, "node_modules/.bin/codex"),
      "exec",
      "--skip-git-repo-check",
      // The test's own throwaway directory; Codex's sandbox needs kernel features a CI container may lack.
      "--dangerously-bypass-approvals-and-sandbox",
      prompt,
    ],
    { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, POCKETGATE_KEY: CLIENT_KEY, NO_COLOR: "1" },
    { cwd: work, timeoutMs: 90_000 },
  );

/** A tool_use stream asking for Codex's exec_command tool. */
function shellCallStream(id: string, cmd: string): string[] {
  const record = sseRecord;
  return [
    record("message_start", {
      type: "message_start",
      message: {
        id: "msg_tool",
        type: "message",
        role: "assistant",
        model: MODEL,
        content: [],
        stop_reason: null,
        usage: { input_tokens: 50, output_tokens: 1 },
      },
    }),
    record("content_block_start", {
      type: "content_block_start",
      index: 0,
      content_block: { type: "tool_use", id, name: "exec_command", input: {} },
    }),
    record("content_block_delta", {
      type: "content_block_delta",
      index: 0,
      delta: { type: "input_json_delta", partial_json: JSON.stringify({ cmd }) },
    }),
    record("content_block_stop", { type: "content_block_stop", index: 0 }),
    record("message_delta", {
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { output_tokens: 20 },
    }),
    record("message_stop", { type: "message_stop" }),
  ];
}

const messagesCalls = () => mock.requests.filter((r) => r.path === "/v1/messages");

describe(`Codex CLI against /v1/responses, gateway on ${runtime}`, () => {
  test("codex exec prints the reply", async () => {
    const result = await codexExec("say hi");
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(MOCK_REPLY_TEXT);
    const body = messagesCalls().at(-1)?.json() as { tools: { name: string }[]; system: unknown[] };
    expect(body.tools.map((t) => t.name)).toContain("exec_command");
    expect(JSON.stringify(body.system).length).toBeGreaterThan(1000); // Codex's instructions
    console.log(`codex exec "say hi" printed:\n${result.stdout}`);
  }, 120_000);

  test("a shell call: Codex runs it, sends the output back, and prints the final answer", async () => {
    const callId = "toolu_codex_shell_1";
    let toolResult = "";
    mock.replyOnce({ headers: sse, chunks: shellCallStream(callId, "echo pocketgate") });
    mock.replyOnce((request: ReceivedRequest) => {
      const messages = request.json().messages as {
        role: string;
        content: { type: string; tool_use_id?: string; content?: unknown }[];
      }[];
      const result = messages
        .flatMap((m) => m.content)
        .find((b) => b.type === "tool_result" && b.tool_use_id === callId);
      toolResult = JSON.stringify(result?.content ?? "");
      return {
        headers: sse,
        chunks: textStream(`The command printed ${toolResult.includes("pocketgate") ? "pocketgate" : "nothing"}.`),
      };
    });
    const result = await codexExec("run echo pocketgate and tell me what it printed");
    expect(result.code).toBe(0);
    expect(toolResult).toContain("pocketgate");
    expect(result.stdout.trim()).toBe("The command printed pocketgate.");
    expect(result.stderr).toContain("echo pocketgate");
    console.log(
      `codex exec with a shell call printed:\n${result.stdout}\nstderr (tail):\n${result.stderr.slice(-800)}`,
    );
  }, 120_000);
});
