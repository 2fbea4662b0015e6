// The container image (issue 14). No container engine runs here, so the Dockerfile is checked
// against the built files: every path it copies exists after `npm run build` (and .dockerignore
// lets it through), it runs as a non-root user with the data directory as a volume, and its exact
// ENTRYPOINT, with its ENV, starts a gateway that warns about 0.0.0.0 and proxies; its exact
// HEALTHCHECK command passes while that runs and fails once it stops. The two mappings a
// container makes are made here too: the image's paths are the copied files, and the volume and
// published port are a temporary folder and a free port.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { freePort, ROOT, tempDir } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, startMockUpstream } from "../harness/mock-upstream.ts";
import { NODE22_DIR } from "../harness/termux.ts";

const mock = startMockUpstream();
afterAll(() => mock.close());

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const space = line.indexOf(" ");
      return { op: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
    });
}

const dockerfile = instructions(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
const all = (op: string) => dockerfile.filter((i) => i.op === op).map((i) => i.args);
const one = (op: string) => {
  const found = all(op);
  expect(found).toHaveLength(1);
  return found[0] ?? "";
};
const env: Record<string, string> = Object.fromEntries(
  all("ENV").flatMap((args) => [...args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1] ?? "", m[2] ?? ""])),
);
/** COPY sources by their path in the image. */
const copies = new Map(
  all("COPY").map((args) => {
    const words = args.split(/\s+/).filter((w) => !w.startsWith("--"));
    return [words.at(-1) ?? "", words.slice(0, -1)] as const;
  }),
);
/** An exec-form command with the image's paths mapped to the files they were copied from. */
const onThisMachine = (argv: string[]) =>
  argv.map((word, i) => {
    if (i === 0 && word === "node") return join(NODE22_DIR, "node");
    const source = copies.get(word)?.[0];
    return source ? join(ROOT, source) : word;
  });

describe("Dockerfile", () => {
  test("a small Node 22 base; every copied path exists after the build and passes .dockerignore", () => {
    expect(one("FROM")).toMatch(/^node:22-alpine$/);
    expect(copies.size).toBeGreaterThan(0);
    const ignore = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
    expect(ignore).toContain("*");
    for (const sources of copies.values()) {
      for (const source of sources) {
        expect(existsSync(join(ROOT, source))).toBe(true);
        expect(ignore).toContain(`!${source}`);
      }
    }
  });

  test("runs as a non-root user, keeps its data in a volume, listens on 0.0.0.0 at the exposed port", () => {
    expect(one("USER")).not.toMatch(/^(root|0)(:|$)/);
    expect(env.POCKETGATE_HOST).toBe("0.0.0.0");
    expect(JSON.parse(one("VOLUME"))).toEqual([env.POCKETGATE_DATA_DIR]);
    expect(one("EXPOSE")).toBe(env.POCKETGATE_PORT ?? "unset");
    expect(all("RUN").join("\n")).toContain(`chown node:node ${env.POCKETGATE_DATA_DIR}`);
  });

  test(
    "its exact ENTRYPOINT starts a gateway that warns about every interface and proxies; its HEALTHCHECK passes, then fails once it stops",
    async () => {
      const entrypoint = JSON.parse(one("ENTRYPOINT")) as string[];
      const healthcheck = JSON.parse(/CMD (\[.*\])$/.exec(one("HEALTHCHECK"))?.[1] ?? "[]") as string[];
      expect(healthcheck[0]).toBe("node");
      const port = await freePort();
      const childEnv = {
        ...env,
        PATH: "/usr/bin:/bin",
        HOME: tempDir("pocketgate-home-"),
        // The volume and the published port.
        POCKETGATE_DATA_DIR: tempDir("pocketgate-volume-"),
        POCKETGATE_PORT: String(port),
        POCKETGATE_UPSTREAM_BASE_URL: mock.url,
        POCKETGATE_UPSTREAM_KEYS: "sk-ant-api03-container-test-key",
      };
      const child = Bun.spawn(onThisMachine(entrypoint), { env: childEnv, stdout: "pipe", stderr: "pipe" });
      try {
        let out = "";
        const decoder = new TextDecoder();
        for await (const chunk of child.stdout) {
          out += decoder.decode(chunk, { stream: true });
          if (/Admin password:\s+\S+/.test(out)) break;
        }
        expect(out).toContain(`listening on http://127.0.0.1:${port} and on every other interface (0.0.0.0)`);
        expect(out).toContain("Warning: other devices on the network can connect");
        const clientKey = /Client key:\s+(\S+)/.exec(out)?.[1] ?? "";
        expect(clientKey).toMatch(/^pg-/);
        expect(existsSync(join(childEnv.POCKETGATE_DATA_DIR, "pocketgate.toml"))).toBe(true);

        const anthropic = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey: clientKey, maxRetries: 0 });
        const reply = await anthropic.messages.create({
          model: "claude-sonnet-4-6",
          max_tokens: 16,
          messages: [{ role: "user", content: "hi from the container" }],
        });
        expect(reply.content[0]).toMatchObject({ text: MOCK_REPLY_TEXT });

        const check = () => Bun.spawn(onThisMachine(healthcheck), { env: childEnv }).exited;
        expect(await check()).toBe(0);
        child.kill("SIGTERM");
        await child.exited;
        expect(await check()).toBe(1);
      } finally {
        child.kill("SIGKILL");
      }
    },
    30_000,
  );
});
