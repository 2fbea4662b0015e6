// What an upstream answer says about the key that made it (contract §7): classified by the
// error's type and the API's own documented messages, never by words anywhere in the body.
import { describe, expect, test } from "bun:test";
import { classify } from "../../server/upstream/outcome.ts";

const none = new Headers();
const error = (type: string, message: string) => JSON.stringify({ type: "error", error: { type, message } });

describe("upstream outcome", () => {
  test("a 400 that quotes the client's text is about the request, not the key", () => {
    const quoted = [
      error("invalid_request_error", "Unexpected value(s) `billing-report-2025` for the `anthropic-beta` header."),
      error("invalid_request_error", "model: claude-billing-credit-balance is not a valid model id"),
      error("invalid_request_error", "messages.0.content: Your credit balance is too low (quoted by the client)"),
      "billing credit balance permission_error",
      "<html>billing</html>",
    ];
    for (const body of quoted) expect(classify(400, none, body, 0)).toEqual({ kind: "final" });
  });

  test("the API's own credit-balance 400 and any 402 retire the key for billing", () => {
    const credit = error(
      "invalid_request_error",
      "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
    );
    expect(classify(400, none, credit, 0)).toEqual({ kind: "invalid", reason: "billing" });
    expect(classify(402, none, error("billing_error", "payment required"), 0)).toEqual({
      kind: "invalid",
      reason: "billing",
    });
  });

  test("403 counts only as the permission_error type, not the word in a message", () => {
    expect(classify(403, none, error("permission_error", "Your API key does not have permission"), 0)).toEqual({
      kind: "invalid",
      reason: "permission",
    });
    expect(classify(403, none, error("invalid_request_error", "the permission_error beta is unknown"), 0)).toEqual({
      kind: "final",
    });
    expect(classify(403, none, "<html>forbidden by a company proxy: permission_error</html>", 0)).toEqual({
      kind: "final",
    });
  });

  test("401 is the key; 429 cools it; 5xx and 529 are transient", () => {
    expect(classify(401, none, error("authentication_error", "invalid x-api-key"), 0)).toEqual({
      kind: "invalid",
      reason: "authentication",
    });
    expect(classify(429, new Headers({ "retry-after": "7" }), "", 1000)).toEqual({
      kind: "rate_limited",
      untilMs: 8000,
    });
    for (const status of [500, 502, 503, 529]) expect(classify(status, none, "", 0)).toEqual({ kind: "transient" });
  });
});
