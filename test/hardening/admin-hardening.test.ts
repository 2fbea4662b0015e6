// The admin API under attack (issue 11, defects 2, 3, 5, 11 and 12): the session is checked
// before any body is read, bodies are small and shallow, state-changing calls prove they come from
// the app, logins are throttled per address before the hash, a password change ends every
// session made with the old one, and the app cannot be framed.
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { adminLogin } from "../harness/admin.ts";
import { ADMIN_PASSWORD, CLIENT_KEY, runtime, startGateway, tempDir, UPSTREAM_KEY } from "../harness/gateway.ts";
import { MiB, peakRssOf, rssOf } from "../harness/process-stats.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();
const url = (path: string) => `${suite.gateway.url}/api${path}`;
const json = { "content-type": "application/json" };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const deep = (depth: number) => `{"a":${"[".repeat(depth)}1${"]".repeat(depth)}}`;

describe(`the session comes first on ${runtime}`, () => {
  test("an unauthenticated 64 MiB login body is refused unread, memory stays flat", async () => {
    const before = rssOf(suite.gateway.pid);
    const big = new Uint8Array(64 * MiB).fill(0x20);
    const response = await fetch(url("/login"), { method: "POST", headers: json, body: big });
    expect(response.status).toBe(413);
    expect((await response.json()).error.type).toBe("request_too_large");
    expect(peakRssOf(suite.gateway.pid) - before).toBeLessThan(48 * MiB);
  }, 20_000);

  for (const [method, path] of [
    ["PATCH", "/settings"],
    ["PATCH", "/keys/x"],
    ["POST", "/keys"],
    ["POST", "/clients"],
    ["POST", "/password"],
  ] as const) {
    test(`${method} ${path} without a session gets 401 before its body is read`, async () => {
      const started = performance.now();
      const response = await fetch(url(path), { method, headers: json, body: deep(50_000) });
      expect(response.status).toBe(401);
      expect((await response.json()).error.type).toBe("authentication_error");
      expect(performance.now() - started).toBeLessThan(1000);
    });
  }

  test("a logged-in admin's deeply nested body gets a JSON 400, not a 422 stack overflow", async () => {
    const token = await adminLogin(suite.gateway);
    for (const path of ["/settings", "/keys/x"]) {
      const response = await fetch(url(path), {
        method: "PATCH",
        headers: { ...json, ...bearer(token) },
        // 40 KB: within the admin body limit, so it is the nesting that is refused.
        body: deep(20_000),
      });
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect((await response.json()).error.message).toContain("nested");
    }
  });
});

describe(`state-changing calls prove they come from the app, on ${runtime}`, () => {
  const cookieOf = async () => {
    const response = await fetch(url("/login"), {
      method: "POST",
      headers: json,
      body: JSON.stringify({ password: ADMIN_PASSWORD }),
    });
    return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  };
  const clientNames = async (token: string) =>
    ((await (await fetch(url("/clients"), { headers: bearer(token) })).json()).clients as { name: string }[]).map(
      (c) => c.name,
    );

  test("a form post from another origin with the session cookie is refused and changes nothing", async () => {
    const cookie = await cookieOf();
    const token = await adminLogin(suite.gateway);
    const attacks: [string, Record<string, string>, string][] = [
      [
        "form, other port",
        { cookie, origin: "http://127.0.0.1:9", "content-type": "application/x-www-form-urlencoded" },
        "name=csrf-1",
      ],
      [
        "text/plain, other port",
        { cookie, origin: "http://127.0.0.1:9", "content-type": "text/plain" },
        '{"name":"csrf-2"}',
      ],
      [
        "JSON, cross-site fetch",
        { cookie, "sec-fetch-site": "same-site", "content-type": "application/json" },
        '{"name":"csrf-3"}',
      ],
      [
        "JSON, other origin",
        { cookie, origin: "http://localhost:1234", "content-type": "application/json" },
        '{"name":"csrf-4"}',
      ],
      [
        "form without Origin from a browser",
        { cookie, "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" },
        "name=csrf-5",
      ],
    ];
    for (const [name, headers, body] of attacks) {
      const response = await fetch(url("/clients"), { method: "POST", headers, body });
      expect([403, 415]).toContain(response.status);
      expect(typeof (await response.json()).error.message, name).toBe("string");
    }
    expect((await clientNames(token)).filter((n) => n.startsWith("csrf"))).toEqual([]);
    // The app itself (same origin, JSON) still works, with the cookie or the Bearer token.
    const origin = suite.gateway.url;
    const own = await fetch(url("/clients"), {
      method: "POST",
      headers: { cookie, origin, "sec-fetch-site": "same-origin", ...json },
      body: JSON.stringify({ name: "made-by-the-app" }),
    });
    expect(own.status).toBe(200);
    // Behind a TLS proxy that rewrites Host, the browser's host arrives as X-Forwarded-Host.
    const proxied = (forwarded?: string) =>
      fetch(url("/clients"), {
        method: "POST",
        headers: {
          cookie,
          origin: "https://gw.example.com",
          "sec-fetch-site": "same-origin",
          ...(forwarded ? { "x-forwarded-host": forwarded } : {}),
          ...json,
        },
        body: JSON.stringify({ name: `behind-a-proxy-${forwarded ?? "none"}` }),
      });
    expect((await proxied("gw.example.com")).status).toBe(200);
    expect((await proxied()).status).toBe(403);
  });

  test("the app's pages forbid framing and carry a strict Content-Security-Policy", async () => {
    for (const path of ["/", "/index.html"]) {
      const response = await fetch(`${suite.gateway.url}${path}`);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      await response.arrayBuffer();
    }
  });
});

describe(`admin answers that were 500s, on ${runtime}`, () => {
  test("limit=1.5 on the request log is a 400", async () => {
    const token = await adminLogin(suite.gateway);
    const response = await fetch(url("/requests?limit=1.5"), { headers: bearer(token) });
    expect(response.status).toBe(400);
  });

  test("a client name with a lone surrogate is refused, twice, with 400", async () => {
    const token = await adminLogin(suite.gateway);
    for (let i = 0; i < 2; i++) {
      const response = await fetch(url("/clients"), {
        method: "POST",
        headers: { ...json, ...bearer(token) },
        body: '{"name":"bad\\ud800name"}',
      });
      expect(response.status).toBe(400);
    }
    expect(suite.gateway.stderr()).not.toContain("internal error");
  });
});

describe(`an admin call that does fail, on ${runtime}`, () => {
  test("a database held locked by another process gives a 500 that is logged with its cause", async () => {
    const token = await adminLogin(suite.gateway);
    const { Database } = await import("bun:sqlite");
    const db = new Database(join(suite.gateway.dataDir, "pocketgate.db"));
    db.exec("PRAGMA busy_timeout = 0; BEGIN EXCLUSIVE");
    try {
      const response = await fetch(url("/clients"), {
        method: "POST",
        headers: { ...json, ...bearer(token) },
        body: JSON.stringify({ name: "while-locked" }),
      });
      expect(response.status).toBe(500);
      const id = (await response.json()).request_id as string;
      // The log line names the request, the route and the cause (SQLite's own words).
      const line =
        suite.gateway
          .stderr()
          .split("\n")
          .find((l) => l.includes(id)) ?? "";
      expect(line).toContain("POST /api/clients");
      expect(line).toMatch(/database is locked|SQLITE_BUSY/i);
    } finally {
      db.exec("ROLLBACK");
      db.close();
    }
  }, 20_000);
});

/** A login from a chosen local address (node:http can bind the source address). */
function loginFrom(port: number, host: string, localAddress: string, password: string): Promise<number> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ password });
    const req = httpRequest(
      {
        host,
        port,
        path: "/api/login",
        method: "POST",
        localAddress,
        headers: { ...json, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

describe(`login throttling on ${runtime}`, () => {
  test("300 parallel wrong logins reach the hash at most 5 times; the owner at another address gets in at once", async () => {
    // Listening on every interface (dual stack), so ::1 and 127.0.0.1 are two addresses.
    await using gateway = await startGateway({ upstream: suite.mock.url, config: { HOST: "::" } });
    const statuses = await Promise.all(
      Array.from({ length: 300 }, () => loginFrom(gateway.port, "127.0.0.1", "127.0.0.1", "wrong-password-guess")),
    );
    const count = (s: number) => statuses.filter((x) => x === s).length;
    expect(count(401)).toBeLessThanOrEqual(5);
    expect(count(429)).toBeGreaterThanOrEqual(295);
    // Another loopback IPv4 address is the same client (anyone local can use any of 127/8)...
    expect(await loginFrom(gateway.port, "127.0.0.1", "127.0.0.2", ADMIN_PASSWORD)).toBe(429);
    // ...but the owner at another address is not locked out.
    expect(await loginFrom(gateway.port, "::1", "::1", ADMIN_PASSWORD)).toBe(200);
  }, 30_000);
});

describe(`sessions and password changes on ${runtime}`, () => {
  test("changing the password ends every session made before it; the caller gets a new one", async () => {
    const dataDir = tempDir();
    const first = "first-admin-password-0123456789";
    const second = "second-admin-password-0123456789";
    writeFileSync(join(dataDir, "pocketgate.toml"), `admin_password = "${first}"\n`);
    await using gateway = await startGateway({
      upstream: suite.mock.url,
      dataDir,
      fresh: true,
      env: { POCKETGATE_PASSWORD: CLIENT_KEY, POCKETGATE_UPSTREAM_KEYS: UPSTREAM_KEY },
    });
    const old = await adminLogin(gateway, first);
    const caller = await adminLogin(gateway, first);
    const changed = await fetch(`${gateway.url}/api/password`, {
      method: "POST",
      headers: { ...json, ...bearer(caller) },
      body: JSON.stringify({ current: first, next: second }),
    });
    expect(changed.status).toBe(200);
    const fresh = (await changed.json()) as { token?: string };
    for (const token of [old, caller]) {
      expect((await fetch(`${gateway.url}/api/keys`, { headers: bearer(token) })).status).toBe(401);
    }
    expect(typeof fresh.token).toBe("string");
    expect((await fetch(`${gateway.url}/api/keys`, { headers: bearer(fresh.token ?? "") })).status).toBe(200);
    expect(await adminLogin(gateway, second)).toBeString();
    await expect(adminLogin(gateway, first)).rejects.toThrow("401");
  });
});
