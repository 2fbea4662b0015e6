// The README's phone route, followed literally (issue 14): the commands of its "With npm" block
// run in order in a simulated Termux (test/harness/termux.ts), each in a new session, as typed;
// npm reaches a loopback registry serving the packed package. The one difference from a phone:
// the port comes from the environment (POCKETGATE_PORT, as the config file would set it), so the
// test cannot collide with anything on 8484. Then an SDK call goes through the running service,
// and the README's status, log and remove commands are checked too.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { healthStatus, ROOT } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, startMockUpstream } from "../harness/mock-upstream.ts";
import { npmEnv, packPackage, startRegistry } from "../harness/npm.ts";
import { simulatedTermux } from "../harness/termux.ts";

const mock = startMockUpstream();
afterAll(() => mock.close());

/** The commands of the code block after the `termux-npm-route` marker, as written. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const marker = readme.indexOf("<!-- termux-npm-route");
  expect(marker).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(marker))?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

describe("README: On your Android phone, with npm", () => {
  test(
    "four commands from pkg install to the admin app, then an SDK call through the running service",
    async () => {
      const commands = readmeCommands();
      expect(commands).toHaveLength(4);
      expect(commands[0]).toStartWith("pkg install nodejs-lts");
      await using registry = startRegistry(packPackage());
      const npm = npmEnv(registry.url);
      const t = await simulatedTermux({
        services: false,
        env: { POCKETGATE_UPSTREAM_BASE_URL: mock.url, POCKETGATE_UPSTREAM_KEYS: "sk-ant-api03-readme-test-key" },
      });

      const outputs: string[] = [];
      for (const command of commands) {
        const result = await t.shell(command, npm);
        expect({ command, ...result }).toMatchObject({ command, code: 0 });
        outputs.push(result.out);
      }
      const install = outputs[2] ?? "";

      expect(install).toContain("These secrets are shown only now.");
      expect(install).toContain(`writing ${t.prefix}/var/service/pocketgate/run`);
      // The secrets come last, where the screen ends.
      expect(install.trimEnd()).toMatch(/Admin password:\s+\S+$/);
      expect(install).toContain(`It is running: http://127.0.0.1:${t.port}/health answers.`);
      const clientKey = /Client key:\s+(\S+)/.exec(install)?.[1] ?? "";
      expect(clientKey).toMatch(/^pg-/);
      // npm asked the registry for this package and its tarball, and for nothing else.
      expect(registry.requests).toEqual(["/pocketgate", expect.stringMatching(/^\/pocketgate\/-\/pocketgate-.*\.tgz$/)]);
      // npm put the command where Termux's npm does: $PREFIX/bin, its files in $PREFIX/lib.
      expect(existsSync(join(t.prefix, "lib/node_modules/pocketgate/dist/pocketgate.mjs"))).toBe(true);

      const calls = readFileSync(t.calls, "utf8");
      expect(calls).toContain("pkg install nodejs-lts termux-services\n");
      expect(calls).toContain("sv restart pocketgate\n");
      expect(calls).toEndWith("termux-open-url http://127.0.0.1:8484/\n");
      const base = `http://127.0.0.1:${t.port}`;
      expect(await (await fetch(`${base}/`)).text()).toContain('<div id="root">');

      const anthropic = new Anthropic({ baseURL: base, apiKey: clientKey, maxRetries: 0 });
      const reply = await anthropic.messages.create({
        model: "claude-sonnet-4-6",
        max_tokens: 16,
        messages: [{ role: "user", content: "hi from the README" }],
      });
      expect(reply.content[0]).toMatchObject({ text: MOCK_REPLY_TEXT });

      // The README's day-to-day commands.
      const status = await t.shell("pocketgate service status");
      expect(status.code).toBe(0);
      expect(status.out).toContain("run: pocketgate");
      expect(status.out).toContain(`Running: ${base}/health answers`);
      const logs = await t.shell("pocketgate service logs");
      expect(logs.code).toBe(0);
      expect(logs.out).toContain("listening on");
      expect(logs.out).not.toContain(clientKey);

      const removed = await t.shell("pocketgate service uninstall && npm uninstall -g pocketgate", npm);
      expect(removed.code).toBe(0);
      expect(removed.out).toContain(`Your data is kept in ${t.home}/.config/pocketgate`);
      expect(readFileSync(t.calls, "utf8")).toEndWith("sv down pocketgate\n");
      expect(await healthStatus(t.port)).toBe(0);
      expect(existsSync(join(t.prefix, "bin/pocketgate"))).toBe(false);
      expect(existsSync(join(t.prefix, "var/service/pocketgate"))).toBe(false);
      expect(existsSync(join(t.home, ".termux/boot/pocketgate"))).toBe(false);
      expect(existsSync(join(t.home, ".config/pocketgate/pocketgate.toml"))).toBe(true);
    },
    120_000,
  );
});
