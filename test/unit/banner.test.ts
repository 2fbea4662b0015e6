// The start banner (issue 11, defect 13): listening on every interface is said plainly, with a
// warning, while the first line keeps the address a client on this device uses.
import { expect, test } from "bun:test";
import { banner } from "../../server/cli/banner.ts";

const input = (host: string) => ({
  version: "0.1.0",
  runtime: "bun 1",
  host,
  port: 8484,
  configPath: "/x/pocketgate.toml",
  upstreamKeyCount: 1,
  generated: {},
  adminFromEnv: false,
});

test("0.0.0.0 and :: say every interface, with a warning", () => {
  for (const host of ["0.0.0.0", "::"]) {
    const text = banner(input(host));
    const first = text.split("\n")[0] ?? "";
    expect(first).toMatch(/listening on http:\/\/127\.0\.0\.1:8484 and on every other interface/);
    expect(first).toContain(host);
    expect(text).toContain("Warning: other devices on the network can connect");
  }
});

test("a LAN address warns; loopback does not", () => {
  expect(banner(input("192.168.1.20"))).toContain("Warning:");
  for (const host of ["127.0.0.1", "localhost", "::1"]) expect(banner(input(host))).not.toContain("Warning:");
});

test("the admin app's address comes first among the addresses (the README's next step)", () => {
  const lines = banner(input("127.0.0.1")).split("\n");
  const at = lines.findIndex((line) => line.includes("Admin app:"));
  expect(lines[at]).toContain("http://127.0.0.1:8484/ ");
  expect(at).toBeLessThan(lines.findIndex((line) => line.includes("Anthropic API:")));
});
