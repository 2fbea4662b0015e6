// Admin API helpers for route tests.
import type { KeysResponse } from "../../server/admin/schemas.ts";
import { ADMIN_PASSWORD, type Gateway } from "./gateway.ts";

export async function adminLogin(gateway: Gateway, password = ADMIN_PASSWORD): Promise<string> {
  const response = await fetch(`${gateway.url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

export async function adminKeys(gateway: Gateway, token: string): Promise<KeysResponse["keys"]> {
  const response = await fetch(`${gateway.url}/api/keys`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /api/keys: ${response.status} ${await response.text()}`);
  return ((await response.json()) as KeysResponse).keys;
}

/** One admin API call, logged in afresh: `{status, json}`. */
export async function adminCall(gateway: Gateway, method: string, path: string, body?: unknown) {
  const token = await adminLogin(gateway);
  const response = await fetch(`${gateway.url}/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever fields they check
  return { status: response.status, json: (await response.json()) as any };
}
