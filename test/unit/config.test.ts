import { describe, expect, test } from "bun:test";
import { parseArgs, UsageError } from "../../server/cli/args.ts";
import { defaultDataDir } from "../../server/config/paths.ts";
import { ConfigError, resolveConfig } from "../../server/config/resolve.ts";
import { defaults } from "../../server/config/schema.ts";

const resolve = (file: Record<string, unknown>, env: Record<string, string> = {}, flags = {}) =>
  resolveConfig({ file, filePath: "/x/pocketgate.toml", env, flags });

describe("resolveConfig", () => {
  test("defaults match the documented ones", () => {
    const { config } = resolve({});
    expect(config).toEqual(defaults);
    expect(config.port).toBe(8484);
    expect(config.upstream_base_url).toBe("https://api.anthropic.com");
    expect(config.first_byte_timeout).toBe(600);
    expect(config.stream_idle_timeout).toBe(300);
    expect(config.passthrough).toBe(false);
    expect(config.body_limit).toBe(32 * 1024 * 1024);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test("flags beat environment beat file", () => {
    expect(resolve({ port: 1 }).config.port).toBe(1);
    expect(resolve({ port: 1 }, { POCKETGATE_PORT: "2" }).config.port).toBe(2);
    expect(resolve({ port: 1 }, { POCKETGATE_PORT: "2" }, { port: "3" }).config.port).toBe(3);
  });

  test("environment strings are parsed into types", () => {
    const { config } = resolve(
      {},
      {
        POCKETGATE_UPSTREAM_KEYS: " sk-ant-a , sk-ant-b,,",
        POCKETGATE_PASSTHROUGH: "yes",
        POCKETGATE_BODY_LIMIT: "1MiB",
        POCKETGATE_STREAM_IDLE_TIMEOUT: "0.5",
        POCKETGATE_UPSTREAM_BASE_URL: "http://127.0.0.1:9/",
        POCKETGATE_PROXY: "http://proxy.local:3128",
      },
    );
    expect(config.upstream_keys).toEqual(["sk-ant-a", "sk-ant-b"]);
    expect(config.passthrough).toBe(true);
    expect(config.body_limit).toBe(1 << 20);
    expect(config.stream_idle_timeout).toBe(0.5);
    expect(config.upstream_base_url).toBe("http://127.0.0.1:9");
    expect(config.proxy).toBe("http://proxy.local:3128");
  });

  test("unknown keys and variables warn, they do not fail", () => {
    const { warnings } = resolve({ colour: "teal" }, { POCKETGATE_COLOUR: "x", POCKETGATE_DATA_DIR: "/d" });
    expect(warnings).toEqual([
      'unknown key "colour" in /x/pocketgate.toml is ignored',
      "unknown environment variable POCKETGATE_COLOUR is ignored",
    ]);
  });

  test.each([
    [{ port: 70000 }, "port = 70000 (from /x/pocketgate.toml); expected an integer from 0 to 65535"],
    [{ port: "80" }, undefined],
    [{ proxy: "socks5://x" }, 'proxy = "socks5://x"'],
    [{ first_byte_timeout: 0 }, "first_byte_timeout = 0"],
    [{ body_limit: "12 parsecs" }, 'body_limit = "12 parsecs"'],
    [{ password: 5 }, "password = (hidden)"],
  ] as [Record<string, unknown>, string | undefined][])("invalid %j is named", (file, message) => {
    if (message === undefined) {
      expect(resolve(file).config.port).toBe(80);
      return;
    }
    expect(() => resolve(file)).toThrow(ConfigError);
    expect(() => resolve(file)).toThrow(message);
  });
});

describe("parseArgs", () => {
  test("flags in both spellings", () => {
    expect(parseArgs(["--host", "0.0.0.0", "--port=9000", "--data-dir", "/d", "--config", "/c.toml"])).toEqual({
      command: "serve",
      dataDir: "/d",
      configFile: "/c.toml",
      flags: { host: "0.0.0.0", port: "9000" },
    });
  });
  test("commands", () => {
    expect(parseArgs(["--version"]).command).toBe("version");
    expect(parseArgs(["-h"]).command).toBe("help");
    expect(parseArgs(["reset-password", "--data-dir", "/d"]).command).toBe("reset-password");
  });
  test("mistakes are usage errors", () => {
    expect(() => parseArgs(["--port"])).toThrow(UsageError);
    expect(() => parseArgs(["--nope"])).toThrow('unknown argument "--nope"');
  });
});

test("data dir: XDG_CONFIG_HOME, else ~/.config", () => {
  expect(defaultDataDir({ XDG_CONFIG_HOME: "/xdg" }, "/home/u")).toBe("/xdg/pocketgate");
  expect(defaultDataDir({}, "/home/u")).toBe("/home/u/.config/pocketgate");
  expect(defaultDataDir({ XDG_CONFIG_HOME: "relative" }, "/home/u")).toBe("/home/u/.config/pocketgate");
});
