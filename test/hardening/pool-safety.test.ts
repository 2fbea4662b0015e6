// No client request can retire the pool (issue 11, defect 6): upstream 400s quote what the client
// sent, so a 400 whose text mentions billing must leave every key active.
import { expect, test } from "bun:test";
import { adminKeys, adminLogin } from "../harness/admin.ts";
import { clientHeaders, runtime, startGateway } from "../harness/gateway.ts";
import { defaultResponder, startMockUpstream } from "../harness/mock-upstream.ts";
import { messagesBody, postMessages } from "../harness/suite.ts";

const KEYS = ["sk-ant-api03-pool-A-aaaaaaaaaaaa", "sk-ant-api03-pool-B-bbbbbbbbbbbb"];

test(`a client's unknown beta named "billing…" does not retire any key, on ${runtime}`, async () => {
  await using mock = startMockUpstream();
  // What the API answers for an unknown beta: a 400 that quotes the value.
  mock.reply((r) => {
    const beta = r.headers.get("anthropic-beta");
    if (beta) {
      const message = `Unexpected value(s) \`${beta}\` for the \`anthropic-beta\` header. Please consult our documentation.`;
      return {
        status: 400,
        body: JSON.stringify({ type: "error", error: { type: "invalid_request_error", message } }),
      };
    }
    return defaultResponder(r);
  });
  await using gateway = await startGateway({ upstream: mock.url, env: { POCKETGATE_UPSTREAM_KEYS: KEYS.join(",") } });
  for (let i = 0; i < 4; i++) {
    const hostile = await postMessages(gateway.url, {
      headers: clientHeaders({ "anthropic-beta": "billing-report-2025,credit-balance-too-low" }),
      body: messagesBody({ messages: [{ role: "user", content: `attempt ${i}` }] }),
    });
    expect(hostile.status).toBe(400);
    expect(await hostile.text()).toContain("billing-report-2025");
  }
  const keys = await adminKeys(gateway, await adminLogin(gateway));
  expect(keys.map((k) => k.state)).toEqual(["active", "active"]);
  const after = await postMessages(gateway.url);
  expect(after.status).toBe(200);
});
