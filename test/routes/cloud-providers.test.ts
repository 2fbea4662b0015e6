// Claude on Amazon Bedrock and Google Vertex AI as providers (issue 19), through the real
// clients: the Anthropic SDK's stream accumulator, the OpenAI SDK's stream, Claude Code. The
// mocks check the SigV4 signature with the AWS SDK's signer and the service account's JWT with
// node:crypto; failover across Anthropic, Bedrock and Vertex on a 529; and errors that name the
// provider and say what to fix.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { adminCall, adminKeys, adminLogin } from "../harness/admin.ts";
import {
  CLIENT_KEY,
  clientHeaders,
  type Gateway,
  ROOT,
  runProcess,
  startGateway,
  tempDir,
} from "../harness/gateway.ts";
import { type MockBedrock, startMockBedrock } from "../harness/mock-bedrock.ts";
import { type MockUpstream, startMockUpstream } from "../harness/mock-upstream.ts";
import { type MockVertex, serviceAccountKey, startMockVertex } from "../harness/mock-vertex.ts";

const REGION = "us-west-2";
const PROJECT = "pocketgate-test";
const LOCATION = "us-east5";
const aws = (id: string) => ({
  accessKeyId: `AKIA${id.padEnd(16, "7")}`,
  secretAccessKey: `wJalrXUtnFEMI/K7MDENG/bPxRfiCY${id.padEnd(10, "K")}`,
});
const MAIN = aws("MAIN");
const BUSY = aws("BUSY");
const EXPIRED = {
  accessKeyId: "ASIAEXPIREDKEY777777",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXPIREDKEY",
  sessionToken: "IQoJb3JpZ2luX2VjEXPIREDSESSIONTOKEN0123456789==",
  expired: true,
};
const BEDROCK_API_KEY = "ABSKQmVkcm9ja0FQSUtleS1wb2NrZXRnYXRlLXRlc3Q=";
const secret = (k: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  [k.accessKeyId, k.secretAccessKey, k.sessionToken].filter(Boolean).join(":");
const account = serviceAccountKey(PROJECT);
const deleted = serviceAccountKey(PROJECT, "deleted");

const post = (gateway: Gateway, body: unknown, path = "/v1/messages") =>
  fetch(`${gateway.url}${path}`, { method: "POST", headers: clientHeaders(), body: JSON.stringify(body) });
const ask = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  max_tokens: 64,
  messages: [{ role: "user" as const, content: `hello ${model} ${Math.random()}` }],
  ...extra,
});
/** The error a request is refused with, after checking the status it came with. */
const refusal = async (body: unknown, status: number) => {
  const response = await post(gateway, body);
  expect(response.status).toBe(status);
  return ((await response.json()) as { error: { type: string; message: string } }).error;
};

/** `claude -p "say hi"` with this model through a gateway's /code profile: its exit, stderr and reply. */
const claudeSays = async (gateway: Gateway, model: string) => {
  const { stdout, stderr, code } = await runProcess(
    [join(ROOT, "node_modules/.bin/claude"), "-p", "say hi", "--model", model],
    {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: tempDir("pocketgate-claude-home-"),
      ANTHROPIC_BASE_URL: `${gateway.url}/code`,
      ANTHROPIC_AUTH_TOKEN: CLIENT_KEY,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    },
    { timeoutMs: 90_000 },
  );
  return { code, stderr, reply: stdout.trim() };
};

let anthropic: MockUpstream;
let bedrock: MockBedrock;
let vertex: MockVertex;
let gateway: Gateway;

beforeAll(async () => {
  anthropic = startMockUpstream();
  bedrock = startMockBedrock({
    region: REGION,
    keys: [MAIN, BUSY, EXPIRED],
    apiKeys: [BEDROCK_API_KEY],
    text: "Hello from Bedrock",
  });
  vertex = startMockVertex({
    project: PROJECT,
    region: LOCATION,
    accounts: [account, deleted],
    disabled: [deleted.email],
    text: "Hello from Vertex",
  });
  const cloud = (name: string, extra: Record<string, unknown>) =>
    extra.kind === "vertex"
      ? {
          name,
          kind: "vertex",
          region: LOCATION,
          project: PROJECT,
          base_url: vertex.url,
          token_url: vertex.tokenUrl,
          keys: [account.json],
          ...extra,
        }
      : { name, kind: "bedrock", region: REGION, base_url: bedrock.url, keys: [secret(MAIN)], ...extra };
  gateway = await startGateway({
    upstream: anthropic.url,
    config: {
      PROVIDERS: JSON.stringify([
        cloud("bedrock", { kind: "bedrock", priority: 200 }),
        cloud("bedrock-key", { kind: "bedrock", keys: [BEDROCK_API_KEY], models: ["claude-haiku-4-5"] }),
        // Tried before Anthropic for one model: a 529 there fails over to Anthropic.
        cloud("bedrock-first", { kind: "bedrock", priority: 10, models: ["claude-opus-4-6"] }),
        cloud("bedrock-busy", { kind: "bedrock", keys: [secret(BUSY)], models: ["busy-*"] }),
        cloud("bedrock-expired", { kind: "bedrock", keys: [secret(EXPIRED)], models: ["expired-*"] }),
        cloud("bedrock-eu", { kind: "bedrock", region: "eu-west-1", models: ["eu-*"] }),
        cloud("vertex", { kind: "vertex", priority: 300 }),
        // Tried before Anthropic for one model: its model's 529 fails over to Anthropic.
        cloud("vertex-first", { kind: "vertex", priority: 5, models: ["claude-haiku-4-5-20251001"] }),
        cloud("vertex-old", { kind: "vertex", keys: [deleted.json], models: ["old-*"] }),
        cloud("vertex-eu", { kind: "vertex", region: "europe-west1", models: ["eu-*"] }),
      ]),
    },
  });
});

afterAll(async () => {
  await gateway?.[Symbol.asyncDispose]();
  await bedrock?.[Symbol.asyncDispose]();
  await vertex?.[Symbol.asyncDispose]();
  await anthropic?.close();
});

describe("Amazon Bedrock", () => {
  test("the Anthropic SDK's stream accumulator: signed (checked by the AWS SDK's signer), the body as Bedrock takes it, the event stream as SSE", async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: CLIENT_KEY });
    const stream = client.messages.stream(ask("bedrock/claude-sonnet-4-5"), {
      headers: { "anthropic-beta": "context-1m-2025-08-07, fine-grained-tool-streaming-2025-05-14" },
    });
    const message = await stream.finalMessage();
    expect(message.content.map((b) => (b.type === "text" ? b.text : b.type))).toEqual(["Hello from Bedrock"]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(6);
    const seen = bedrock.requests.at(-1);
    expect(seen?.auth).toBe("sigv4");
    // us-west-2 → the US cross-region inference profile of the model.
    expect(seen?.path).toBe("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
    expect(seen?.body.anthropic_version).toBe("bedrock-2023-05-31");
    expect(seen?.body.anthropic_beta).toEqual(["context-1m-2025-08-07", "fine-grained-tool-streaming-2025-05-14"]);
    expect("model" in (seen?.body ?? {})).toBe(false);
    expect(seen?.headers.get("x-api-key")).toBeNull();
  });

  test("the OpenAI SDK's stream", async () => {
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: CLIENT_KEY });
    const stream = await openai.chat.completions.create({
      model: "bedrock/claude-sonnet-4-5",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("Hello from Bedrock");
    expect(bedrock.requests.at(-1)?.path).toEndWith("/invoke-with-response-stream");
  });

  test("the Responses API (the OpenAI SDK's responses.stream)", async () => {
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: CLIENT_KEY });
    const response = await openai.responses
      .stream({ model: "bedrock/claude-sonnet-4-6", input: "say hi" })
      .finalResponse();
    expect(response.output_text).toBe("Hello from Bedrock");
    expect(bedrock.requests.at(-1)?.path).toBe("/model/us.anthropic.claude-sonnet-4-6/invoke-with-response-stream");
  });

  test("not streamed: InvokeModel's JSON passes; a Bedrock API key goes as a Bearer token", async () => {
    const response = await post(gateway, ask("bedrock-key/claude-haiku-4-5"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-pocketgate-provider")).toBe("bedrock-key");
    expect(response.headers.get("request-id")).toBe("bedrock-req-3");
    expect(((await response.json()) as { content: unknown }).content).toEqual([
      { type: "text", text: "Hello from Bedrock" },
    ]);
    const seen = bedrock.requests.at(-1);
    expect(seen?.auth).toBe("bearer");
    expect(seen?.path).toBe("/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke");
  });

  test("count_tokens: Bedrock's runtime counts none, so the local estimate answers, marked as one", async () => {
    const before = bedrock.requests.length;
    const response = await post(gateway, ask("bedrock/claude-sonnet-4-5"), "/v1/messages/count_tokens");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-pocketgate-estimate")).toBe("true");
    expect(((await response.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    expect(bedrock.requests.length).toBe(before);
  });

  test("Claude Code (claude -p) with Bedrock serving its model", async () => {
    await using only = await startGateway({
      upstream: anthropic.url,
      config: {
        PROVIDERS: JSON.stringify([
          { name: "anthropic", enabled: false },
          { name: "bedrock", kind: "bedrock", region: REGION, base_url: bedrock.url, keys: [secret(MAIN)] },
        ]),
      },
    });
    const before = bedrock.requests.length;
    expect(await claudeSays(only, "claude-sonnet-4-6")).toEqual({ code: 0, stderr: "", reply: "Hello from Bedrock" });
    const mine = bedrock.requests.slice(before);
    expect(mine.length).toBeGreaterThan(0);
    for (const request of mine) expect(request.auth).toBe("sigv4");
  }, 100_000);
});

describe("Google Vertex AI", () => {
  test("the Anthropic SDK's stream accumulator: a token from the service account's signed JWT, the body as Vertex takes it", async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: CLIENT_KEY });
    const message = await client.messages
      // A client may not bill its requests to another project of the service account's.
      .stream(ask("vertex/claude-sonnet-4-5"), { headers: { "x-goog-user-project": "someone-elses-project" } })
      .finalMessage();
    expect(message.content.map((b) => (b.type === "text" ? b.text : b.type))).toEqual(["Hello from Vertex"]);
    const seen = vertex.requests.at(-1);
    expect(seen?.path).toBe(
      `/v1/projects/${PROJECT}/locations/${LOCATION}/publishers/anthropic/models/claude-sonnet-4-5%4020250929:streamRawPredict`,
    );
    expect(seen?.body.anthropic_version).toBe("vertex-2023-10-16");
    expect(seen?.body.stream).toBe(true);
    expect(seen?.headers.get("x-goog-user-project")).toBeNull();
    expect(seen?.headers.get("authorization")).toStartWith("Bearer ya29.");
    expect(vertex.exchanges.granted).toBeGreaterThanOrEqual(1);
  });

  test("the OpenAI SDK's stream; the token is reused, not fetched per request", async () => {
    const granted = vertex.exchanges.granted;
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: CLIENT_KEY });
    for (let i = 0; i < 2; i++) {
      const stream = await openai.chat.completions.create({
        model: "vertex/claude-haiku-4-5",
        stream: true,
        messages: [{ role: "user", content: `hi ${i}` }],
      });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      expect(text).toBe("Hello from Vertex");
    }
    expect(vertex.exchanges.granted).toBe(granted);
  });

  test("count_tokens goes to Vertex's count-tokens endpoint, with the platform's model id", async () => {
    const response = await post(gateway, ask("vertex/claude-haiku-4-5"), "/v1/messages/count_tokens");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ input_tokens: 42 });
    const seen = vertex.requests.at(-1);
    expect(seen?.path).toEndWith("/publishers/anthropic/models/count-tokens:rawPredict");
    expect(seen?.body.model).toBe("claude-haiku-4-5@20251001");
  });

  test("GET /v1/models lists what the cloud providers serve", async () => {
    const response = await fetch(`${gateway.url}/v1/models?limit=1000`, { headers: clientHeaders() });
    const ids = ((await response.json()) as { data: { id: string }[] }).data.map((m) => m.id);
    expect(ids).toContain("claude-sonnet-4-5");
  });

  test("Claude Code (claude -p) with Vertex serving its model", async () => {
    await using only = await startGateway({
      upstream: anthropic.url,
      config: {
        PROVIDERS: JSON.stringify([
          { name: "anthropic", enabled: false },
          {
            name: "vertex",
            kind: "vertex",
            region: LOCATION,
            project: PROJECT,
            base_url: vertex.url,
            token_url: vertex.tokenUrl,
            keys: [account.json],
          },
        ]),
      },
    });
    expect(await claudeSays(only, "claude-opus-4-5")).toEqual({ code: 0, stderr: "", reply: "Hello from Vertex" });
  }, 100_000);
});

describe("failover on a 529 between Anthropic and the clouds", () => {
  test("Anthropic overloaded → Bedrock serves the same model", async () => {
    const before = bedrock.requests.length;
    anthropic.replyOnce({
      status: 529,
      body: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
    });
    const response = await post(gateway, ask("claude-sonnet-4-6"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-pocketgate-provider")).toBe("bedrock");
    expect(bedrock.requests.length).toBe(before + 1);
    expect(bedrock.requests.at(-1)?.path).toBe("/model/us.anthropic.claude-sonnet-4-6/invoke");
  });

  test("Bedrock overloaded (ServiceUnavailableException) → Anthropic serves it", async () => {
    const asked = anthropic.requests.length;
    bedrock.trouble("unavailable");
    const response = await post(gateway, ask("claude-opus-4-6"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-pocketgate-provider")).toBe("anthropic");
    expect(anthropic.requests.length).toBe(asked + 1);
  });

  test("Vertex's model overloaded (its own 529) → Anthropic serves it", async () => {
    vertex.trouble("overloaded");
    const response = await post(gateway, ask("claude-haiku-4-5-20251001"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-pocketgate-provider")).toBe("anthropic");
  });
});

describe("errors that name the provider and say what to fix", () => {
  test("Bedrock, expired session token: 401, renew the session token", async () => {
    const error = await refusal(ask("expired-model"), 401);
    expect(error.type).toBe("authentication_error");
    expect(error.message).toContain('provider "bedrock-expired" (Amazon Bedrock, us-west-2)');
    expect(error.message).toContain("session token has expired");
    expect(error.message).not.toContain(EXPIRED.secretAccessKey);
  });

  test("Bedrock, wrong region: 400, set the provider's region", async () => {
    const error = await refusal(ask("eu-model", { model: "bedrock-eu/claude-sonnet-4-5" }), 400);
    expect(error.message).toContain('provider "bedrock-eu" (Amazon Bedrock, eu-west-1)');
    expect(error.message).toContain("set region");
  });

  test("Bedrock, throttled account: 429, the credential cools and is not asked again meanwhile", async () => {
    bedrock.trouble("throttle");
    const error = await refusal(ask("busy-model"), 429);
    expect(error.type).toBe("rate_limit_error");
    expect(error.message).toContain('provider "bedrock-busy" (Amazon Bedrock, us-west-2)');
    expect(error.message).toContain("throttled");
    const keys = await adminKeys(gateway, await adminLogin(gateway));
    expect(keys.find((k) => k.provider === "bedrock-busy")?.state).toBe("cooling");
    // The key is shown by its access key id only.
    expect(keys.find((k) => k.provider === "bedrock-busy")?.masked).toBe(`${BUSY.accessKeyId}:…`);
    const asked = bedrock.requests.length;
    const again = await post(gateway, ask("busy-model"));
    expect(again.status).toBe(429);
    expect(bedrock.requests.length).toBe(asked);
  });

  test("Vertex, deleted service account key: 401, create a new key", async () => {
    const error = await refusal(ask("old-model"), 401);
    expect(error.message).toContain(`provider "vertex-old" (Vertex AI, project ${PROJECT}, ${LOCATION})`);
    expect(error.message).toContain(`Google refused service account ${deleted.email}`);
    expect(error.message).toContain("create a new JSON key");
  });

  test("Vertex, deleted service account key: the provider's Test says so too", async () => {
    const tested = await adminCall(gateway, "POST", "/providers/vertex-old/test");
    expect(tested.json.status).toBe(401);
    expect(tested.json.message).toContain(`Google refused service account ${deleted.email}`);
  });

  test("Vertex, an access token revoked before it expired: one 503, then a new token, and the key stays in the pool", async () => {
    vertex.revokeTokens();
    const granted = vertex.exchanges.granted;
    const error = await refusal(ask("vertex/claude-haiku-4-5"), 503);
    expect(error.message).toContain("Google refused the access token");
    const again = await post(gateway, ask("vertex/claude-haiku-4-5"));
    expect(again.status).toBe(200);
    expect(vertex.exchanges.granted).toBe(granted + 1);
    const keys = await adminKeys(gateway, await adminLogin(gateway));
    expect(keys.find((k) => k.provider === "vertex")?.state).toBe("active");
  });

  test("Vertex, wrong region: 404, the model is not served there", async () => {
    const error = await refusal(ask("x", { model: "vertex-eu/claude-sonnet-4-5" }), 404);
    expect(error.message).toContain('provider "vertex-eu" (Vertex AI');
    expect(error.message).toContain("not served in europe-west1");
  });

  test("Vertex, quota exhausted: 429 naming the project", async () => {
    vertex.trouble("exhausted");
    const error = await refusal(ask("vertex/claude-sonnet-4-5"), 429);
    expect(error.message).toContain(`project ${PROJECT} is out of quota`);
  });
});

describe("adding Bedrock and Vertex providers in the admin app", () => {
  test("a Bedrock provider with AWS credentials, a Vertex one with a pasted key file: shown without their secrets, and serving", async () => {
    // Its providers come from the admin app only (in the suite's two-provider phase, a provider
    // set in the environment would lock them): the upstream given as the environment, not `upstream`.
    await using own = await startGateway({ env: { POCKETGATE_UPSTREAM_BASE_URL: anthropic.url } });
    const bad = await adminCall(own, "POST", "/providers", {
      name: "aws",
      kind: "bedrock",
      region: REGION,
      keys: "AKIAONLYTHEID7777777",
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain("is an access key id alone");

    const added = await adminCall(own, "POST", "/providers", {
      name: "aws",
      kind: "bedrock",
      region: REGION,
      base_url: bedrock.url,
      keys: secret(MAIN),
    });
    expect(added.status).toBe(200);
    const aws = added.json.providers.find((p: { name: string }) => p.name === "aws");
    expect(aws).toMatchObject({ kind: "bedrock", region: REGION, prompt_cache: false, keys: { total: 1, active: 1 } });
    expect(aws.model_ids["claude-sonnet-4-6"]).toBe("us.anthropic.claude-sonnet-4-6");

    // The key file as downloaded: pretty-printed over many lines.
    const pretty = JSON.stringify(JSON.parse(account.json), null, 2);
    const notJson = await adminCall(own, "POST", "/providers", {
      name: "gcp",
      kind: "vertex",
      region: LOCATION,
      project: PROJECT,
      keys: "{ not json",
    });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.message).toContain("not the JSON of a service account key file");
    const gcp = await adminCall(own, "POST", "/providers", {
      name: "gcp",
      kind: "vertex",
      region: LOCATION,
      project: PROJECT,
      keys: pretty,
    });
    expect(gcp.status).toBe(200);

    const keys = await adminKeys(own, await adminLogin(own));
    expect(keys.find((k) => k.provider === "aws")?.masked).toBe(`${MAIN.accessKeyId}:…`);
    expect(keys.find((k) => k.provider === "gcp")?.masked).toBe(account.email);
    const everything = JSON.stringify(keys) + JSON.stringify(gcp.json);
    expect(everything).not.toContain(MAIN.secretAccessKey);
    expect(everything).not.toContain("PRIVATE KEY");

    // The provider's Test proves the credential with a real request (its model list is a table).
    const tested = await adminCall(own, "POST", "/providers/aws/test");
    expect(tested.json).toMatchObject({ status: 200, message: "the key works" });
    expect(bedrock.requests.at(-1)?.path).toBe("/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke");
    const response = await post(own, ask("aws/claude-sonnet-4-6"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-pocketgate-provider")).toBe("aws");
    await response.arrayBuffer();
    // Billed as Bedrock bills it: Sonnet 4.6 on a regional (US) inference profile, list price +10%:
    // 12 input tokens at $3.30/M and 9 output tokens at $16.50/M.
    const usage = await adminCall(own, "GET", "/usage?by=provider");
    const billed = usage.json.rows.find((r: { group: string }) => r.group === "aws");
    expect(billed.requests).toBe(1);
    expect(billed.cost_usd).toBeCloseTo(12 * 3.3e-6 + 9 * 16.5e-6, 9);
    // The Vertex provider's address is Google's (from the region): its model list is its table.
    const view = (await adminCall(own, "GET", "/providers")).json.providers.find(
      (p: { name: string }) => p.name === "gcp",
    );
    expect(view.base_url).toBe(`https://${LOCATION}-aiplatform.googleapis.com/v1`);
    expect(view.models).toContain("claude-haiku-4-5");
  });
});
