// The CLI as a user meets it: first start, later starts, config errors, reset-password.
import { describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, runtime, startGateway, tempDir } from "../harness/gateway.ts";
import { startMockUpstream } from "../harness/mock-upstream.ts";

const secretLine = /(Client key|Admin password):\s+(\S+)/g;

describe(`CLI on ${runtime}`, () => {
  test("first start prints the secrets once, stores the admin password only as a hash; the second start prints none", async () => {
    await using mock = startMockUpstream();
    const dataDir = tempDir();
    let clientKey = "";
    let adminPassword = "";
    {
      await using first = await startGateway({ upstream: mock.url, fresh: true, dataDir });
      const out = first.stdout();
      const found = Object.fromEntries([...out.matchAll(secretLine)].map((m) => [m[1], m[2]]));
      clientKey = found["Client key"] ?? "";
      adminPassword = found["Admin password"] ?? "";
      expect(clientKey).toMatch(/^pg-[A-Za-z0-9]{40}$/);
      expect(adminPassword).toMatch(/^[A-Za-z0-9]{32,}$/);
      expect(out).toContain(`${first.url}/v1`);
      expect(out).toContain(`ANTHROPIC_BASE_URL=${first.url}/code`);
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
      const authorised = await fetch(`${first.url}/v1/models`, { headers: { "x-api-key": clientKey } });
      expect(authorised.status).toBe(200);
    }
    const file = join(dataDir, "pocketgate.toml");
    const stored = readFileSync(file, "utf8");
    expect(stored).not.toContain(adminPassword);
    expect(stored).toMatch(/admin_password_hash = "scrypt\$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The database holds keys and usage: private too (its WAL is gone after a clean stop).
    expect(statSync(join(dataDir, "pocketgate.db")).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o077).toBe(0);
    {
      await using second = await startGateway({ upstream: mock.url, fresh: true, dataDir });
      const out = second.stdout() + second.stderr();
      expect(out).not.toContain(clientKey);
      expect(out).not.toContain(adminPassword);
      expect(out).not.toMatch(/Admin password:/);
      expect(out).toContain("reset-password");
      expect(out).toContain(file);
      const authorised = await fetch(`${second.url}/v1/models`, { headers: { authorization: `Bearer ${clientKey}` } });
      expect(authorised.status).toBe(200);
    }
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    [
      "port",
      { POCKETGATE_PORT: "eighty" },
      /port = "eighty" \(from the environment variable POCKETGATE_PORT\); expected an integer from 0 to 65535/,
    ],
    [
      "upstream_base_url",
      { POCKETGATE_UPSTREAM_BASE_URL: "ftp://x" },
      /upstream_base_url = "ftp:\/\/x".*expected an http:\/\/ or https:\/\/ URL/,
    ],
    [
      "stream_idle_timeout",
      { POCKETGATE_STREAM_IDLE_TIMEOUT: "-3" },
      /stream_idle_timeout = "-3".*expected a number of seconds/,
    ],
    ["passthrough", { POCKETGATE_PASSTHROUGH: "maybe" }, /passthrough = "maybe".*expected true or false/],
    ["body_limit", { POCKETGATE_BODY_LIMIT: "lots" }, /body_limit = "lots".*expected a size in bytes/],
  ];
  test.each(invalid)(
    "an invalid %s stops start-up naming the key, value and expected form",
    async (_, env, message) => {
      const result = await runCli(["--data-dir", tempDir()], env);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).not.toContain("listening");
    },
  );

  test("an invalid value in the file names the file; a bad TOML file says how to recover", async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, "pocketgate.toml"), 'first_byte_timeout = "soon"\n');
    const bad = await runCli(["--data-dir", dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`first_byte_timeout = "soon" (from ${join(dataDir, "pocketgate.toml")})`);
    writeFileSync(join(dataDir, "pocketgate.toml"), "port = = 3\n");
    const broken = await runCli(["--data-dir", dataDir]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("cannot read");
    expect(broken.stderr).not.toContain("    at ");
  });

  test("a secret's invalid value is not echoed", async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, "pocketgate.toml"), "upstream_keys = 12345678\n");
    const hidden = await runCli(["--data-dir", dataDir]);
    expect(hidden.code).toBe(1);
    expect(hidden.stderr).toContain("upstream_keys = (hidden)");
    expect(hidden.stderr).not.toContain("12345678");
  });

  test("a shared-state URL of the wrong kind stops start-up; its value (it may hold a password) is not echoed", async () => {
    const wrong = await runCli(["--data-dir", tempDir()], { POCKETGATE_REDIS_URL: "http://user:hunter2@cache:6379" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("redis_url");
    expect(wrong.stderr).toContain("redis://");
    expect(wrong.stderr).not.toContain("hunter2");
  });

  test.if(runtime === "node")("on Node, shared state says it needs Bun, and starts nothing", async () => {
    const node = await runCli(["--data-dir", tempDir()], { POCKETGATE_DATABASE_URL: "postgres://127.0.0.1:9/none" });
    expect(node.code).toBe(1);
    expect(node.stderr).toContain("database_url needs the Bun runtime");
    expect(node.stdout).not.toContain("listening");
  });

  test("precedence: flags over environment over file; unknown keys warn", async () => {
    await using mock = startMockUpstream();
    const dataDir = tempDir();
    writeFileSync(join(dataDir, "pocketgate.toml"), 'host = "127.0.0.2"\nport = 1\nfavourite_colour = "teal"\n');
    await using gateway = await startGateway({
      upstream: mock.url,
      dataDir,
      env: { POCKETGATE_HOST: "127.0.0.1", POCKETGATE_PORT: "2", POCKETGATE_COLOUR: "x" },
    });
    // --port 0 (the harness flag) beat POCKETGATE_PORT=2 and the file's 1; the env host beat the file's.
    expect(gateway.port).toBeGreaterThan(2);
    expect(gateway.stdout()).toContain("listening on http://127.0.0.1:");
    expect(gateway.stderr()).toContain('unknown key "favourite_colour"');
    expect(gateway.stderr()).toContain("POCKETGATE_COLOUR");
  });

  test("reset-password prints a new password once and stores only its hash", async () => {
    const dataDir = tempDir();
    const result = await runCli(["reset-password", "--data-dir", dataDir]);
    expect(result.code).toBe(0);
    const password = /New admin password \(shown only now\): (\S+)/.exec(result.stdout)?.[1] ?? "";
    expect(password.length).toBeGreaterThanOrEqual(32);
    const stored = readFileSync(join(dataDir, "pocketgate.toml"), "utf8");
    expect(stored).not.toContain(password);
    expect(stored).toContain("admin_password_hash");
  });

  test("--version, --help and a wrong flag", async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dir, "../../package.json"), "utf8"));
    expect((await runCli(["--version"])).stdout.trim()).toBe(pkg.version);
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--data-dir");
    expect(help.stdout).toContain("reset-password");
    const wrong = await runCli(["--prot", "1"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('unknown argument "--prot"');
  });
});
