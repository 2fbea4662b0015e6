// The stderr line per failed request (server/routes/failure-line.ts): one line, no secrets, and a
// flood summarised rather than printed.
import { describe, expect, test } from "bun:test";
import { createFailureLine, type FailureFacts, formatFailure } from "../../server/routes/failure-line.ts";

const facts: FailureFacts = {
  status: 502,
  method: "POST",
  path: "/v1/chat/completions",
  client: "phone-tavern",
  model: "claude-sonnet-4-6",
  keyLabel: "personal",
  streamEnd: undefined,
  error: { type: "api_error", message: "upstream api.anthropic.com is unreachable: ECONNREFUSED" },
  durationMs: 12,
};

describe("failure line", () => {
  test("says who, what, which key, how long and why, in one line", () => {
    expect(formatFailure(facts)).toBe(
      "failed 502 POST /v1/chat/completions from phone-tavern (claude-sonnet-4-6, key personal) after 12 ms: api_error: upstream api.anthropic.com is unreachable: ECONNREFUSED",
    );
    expect(formatFailure({ ...facts, client: undefined, model: "", keyLabel: undefined, status: 401 })).toStartWith(
      "failed 401 POST /v1/chat/completions from an unidentified client after 12 ms",
    );
    expect(formatFailure({ ...facts, status: 200, streamEnd: "client_gone", error: undefined })).toBe(
      "failed 200 stream client_gone POST /v1/chat/completions from phone-tavern (claude-sonnet-4-6, key personal) after 12 ms",
    );
  });

  test("no secret and no forged line: keys are redacted, control characters and newlines removed", () => {
    const line = formatFailure({
      ...facts,
      client: "evil\nfailed 200 fake",
      error: { type: "invalid_request_error", message: "bad key sk-ant-api03-abcdefghijklmnop in\r\nthe body" },
    });
    expect(line).not.toContain("\n");
    expect(line).not.toContain("\r");
    expect(line).not.toContain("sk-ant-api03-abcdefghijklmnop");
    expect(line).toContain("[redacted]");
  });

  test("a flood: 20 lines, then one every 2 s, with a count of those not printed", () => {
    let now = 0;
    const lines: string[] = [];
    const print = createFailureLine(
      (line) => lines.push(line),
      () => now,
    );
    for (let i = 0; i < 100; i++) print(facts);
    expect(lines).toHaveLength(20);
    now += 2000;
    print(facts);
    expect(lines.slice(20)).toEqual([
      "(80 more failed requests not printed; the request log has each)",
      formatFailure(facts),
    ]);
  });
});
