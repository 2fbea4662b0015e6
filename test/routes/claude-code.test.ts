// The real Claude Code CLI as the client of the /code profile.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { CLIENT_KEY, ROOT, runProcess, runtime, tempDir, UPSTREAM_KEY } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT } from "../harness/mock-upstream.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();

describe(`Claude Code through the gateway on ${runtime}`, () => {
  test(
    'claude -p "say hi" prints the mock\'s reply',
    async () => {
      const { stdout, stderr, code } = await runProcess(
        [join(ROOT, "node_modules/.bin/claude"), "-p", "say hi"],
        {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: tempDir("pocketgate-claude-home-"),
          ANTHROPIC_BASE_URL: `${suite.gateway.url}/code`,
          ANTHROPIC_AUTH_TOKEN: CLIENT_KEY,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        },
        { timeoutMs: 90_000 },
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout.trim()).toBe(MOCK_REPLY_TEXT);
      const messages = suite.mock.requests.filter((r) => r.path === "/v1/messages");
      expect(messages.length).toBeGreaterThan(0);
      for (const request of messages) {
        expect(request.search).toBe("?beta=true");
        expect(request.headers.get("x-api-key")).toBe(UPSTREAM_KEY);
        expect(request.headers.get("authorization")).toBeNull();
        expect(request.headers.get("anthropic-version")).toBeString();
      }
    },
    { timeout: 100_000 },
  );

  test(
    "with gateway model discovery on, Claude Code lists the gateway's models (with their limits)",
    async () => {
      const home = tempDir("pocketgate-claude-home-");
      const child = Bun.spawn([join(ROOT, "node_modules/.bin/claude"), "-p", "say hi", "--model", "claude-opus-5"], {
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: home,
          ANTHROPIC_BASE_URL: `${suite.gateway.url}/code`,
          ANTHROPIC_AUTH_TOKEN: CLIENT_KEY,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
          CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: "1",
        },
        stdout: "pipe",
        stderr: "pipe",
        stdin: "ignore",
      });
      const timer = setTimeout(() => child.kill(), 90_000);
      const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
      clearTimeout(timer);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(MOCK_REPLY_TEXT);
      // The CLI keeps what discovery found in its cache (HOME/.claude/cache/gateway-models.json).
      const file = Bun.file(join(home, ".claude/cache/gateway-models.json"));
      for (let i = 0; i < 100 && !(await file.exists()); i++) await Bun.sleep(50);
      const cached = (await file.json()) as { baseUrl: string; models: { id: string; description?: string }[] };
      expect(cached.baseUrl).toBe(`${suite.gateway.url}/code`);
      expect(cached.models.map((m) => m.id)).toContain("claude-fable-5-1");
      expect(cached.models.find((m) => m.id === "claude-test-upstream-7")?.description).toBe(
        "300K context · 20K output",
      );
    },
    { timeout: 100_000 },
  );
});
