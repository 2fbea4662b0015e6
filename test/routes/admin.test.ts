// The admin API's sessions: no session, no answer; logins are throttled; logout ends a session.
import { describe, expect, test } from "bun:test";
import { adminKeys, adminLogin } from "../harness/admin.ts";
import { runtime } from "../harness/gateway.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();
const login = (password: unknown) =>
  fetch(`${suite.gateway.url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ password }),
  });

describe(`admin API sessions on ${runtime}`, () => {
  test("requests without a valid session are refused", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer not-a-session" },
      { cookie: "pg_session=forged" },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${suite.gateway.url}/api/keys`, { headers });
      expect(response.status).toBe(401);
      expect((await response.json()).error.type).toBe("authentication_error");
    }
  });

  test("a session works by Bearer and by cookie, and logout ends it", async () => {
    const token = await adminLogin(suite.gateway);
    expect((await adminKeys(suite.gateway, token)).filter((k) => k.provider === "anthropic").length).toBe(1);
    const byCookie = await fetch(`${suite.gateway.url}/api/keys`, { headers: { cookie: `pg_session=${token}` } });
    expect(byCookie.status).toBe(200);
    const out = await fetch(`${suite.gateway.url}/api/logout`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).toBe(200);
    expect(
      (await fetch(`${suite.gateway.url}/api/keys`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
  });

  test("a malformed login body gets 400 naming the field", async () => {
    const response = await login(42);
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain("password");
  });

  test("failed logins are throttled, and the right password is refused while throttled", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login(`wrong-${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toContain(429);
    const throttled = await login("test-admin-password-0123456789abcdef");
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
