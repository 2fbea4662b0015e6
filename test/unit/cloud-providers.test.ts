// Bedrock and Vertex providers (issue 19), their pure parts: the config fields, the credentials,
// the model tables and addresses, and the AWS event-stream decoder under any cut of its bytes.
import { describe, expect, test } from "bun:test";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import fc from "fast-check";
import type { Config } from "../../server/config/schema.ts";
import { credentialLabel, parseAwsCredential, parseServiceAccount } from "../../server/providers/cloud-credentials.ts";
import { type ProviderDef, providersParser } from "../../server/providers/config.ts";
import { providerPrice } from "../../server/providers/prices.ts";
import { providersOf } from "../../server/providers/registry.ts";
import { eventStreamToSse } from "../../server/upstream/kinds/bedrock-stream.ts";
import { eventStreamOf } from "../harness/mock-bedrock.ts";
import { serviceAccountKey } from "../harness/mock-vertex.ts";

const parse = (list: unknown[]) => providersParser(list);
const failure = (list: unknown[]) => (parse(list) as { expected?: string }).expected;
const providers = (list: unknown[]) =>
  providersOf({
    upstream_base_url: "https://api.anthropic.com",
    upstream_keys: [],
    providers: parse(list) as ProviderDef[],
  } as unknown as Config);

describe("the config of a cloud provider", () => {
  test("Bedrock: region required and checked; the address, the inference profile and the model table follow from it", () => {
    expect(failure([{ name: "aws", kind: "bedrock" }])).toContain('region: an AWS region such as "us-east-1"');
    expect(failure([{ name: "aws", kind: "bedrock", region: "US East" }])).toContain("an AWS region");
    const [, aws] = providers([{ name: "aws", kind: "bedrock", region: "eu-central-1" }]);
    expect(aws?.baseUrl).toBe("https://bedrock-runtime.eu-central-1.amazonaws.com");
    expect(aws?.modelIds["claude-haiku-4-5"]).toBe("eu.anthropic.claude-haiku-4-5-20251001-v1:0");
    expect(aws?.modelIds["claude-haiku-4-5-20251001"]).toBe("eu.anthropic.claude-haiku-4-5-20251001-v1:0");
    expect(aws?.models).toContain("claude-sonnet-4-6");
    expect(aws?.promptCache).toBe(false);
    const [, none] = providers([
      {
        name: "aws",
        kind: "bedrock",
        region: "us-east-1",
        inference_profile: "none",
        model_ids: { "claude-opus-4-8": "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc" },
        models: ["claude-opus-4-8"],
      },
    ]);
    expect(none?.modelIds["claude-haiku-4-5"]).toBe("anthropic.claude-haiku-4-5-20251001-v1:0");
    expect(none?.modelIds["claude-opus-4-8"]).toStartWith("arn:aws:bedrock:");
    expect(none?.models).toEqual(["claude-opus-4-8"]);
  });

  test("Vertex: region and project required; global, multi-region and regional addresses", () => {
    expect(failure([{ name: "gcp", kind: "vertex", region: "global" }])).toContain(
      "project: the Google Cloud project id",
    );
    const address = (region: string) =>
      providers([{ name: "gcp", kind: "vertex", region, project: "my-project-1" }])[1]?.baseUrl;
    expect(address("global")).toBe("https://aiplatform.googleapis.com/v1");
    expect(address("eu")).toBe("https://aiplatform.eu.rep.googleapis.com/v1");
    expect(address("us-east5")).toBe("https://us-east5-aiplatform.googleapis.com/v1");
    const [, gcp] = providers([{ name: "gcp", kind: "vertex", region: "global", project: "my-project-1" }]);
    expect(gcp?.modelIds["claude-sonnet-4-5"]).toBe("claude-sonnet-4-5@20250929");
    expect(gcp?.tokenUrl).toBe("https://oauth2.googleapis.com/token");
  });

  test("what a kind does not take is refused by name", () => {
    expect(failure([{ name: "aws", kind: "bedrock", region: "us-east-1", prompt_cache: true }])).toContain(
      "automatic prompt caching is not offered on Amazon Bedrock",
    );
    expect(failure([{ name: "aws", kind: "bedrock", region: "us-east-1", auth: "bearer" }])).toContain("leave it out");
    expect(failure([{ name: "aws", kind: "bedrock", region: "us-east-1", project: "x-project" }])).toContain(
      'only for kind = "vertex"',
    );
    expect(failure([{ name: "ds", base_url: "https://x.example", region: "us-east-1" }])).toContain(
      'only for kind = "bedrock" or "vertex"',
    );
    expect(failure([{ name: "anthropic", kind: "bedrock", region: "us-east-1" }])).toContain(
      "give a bedrock provider another name",
    );
    expect(failure([{ name: "x", kind: "azure" }])).toContain('"anthropic"');
  });
});

describe("cloud credentials", () => {
  test("AWS: long-term pairs, temporary triples, Bedrock API keys; each mistake named", () => {
    const id = "AKIAIOSFODNN7EXAMPLE";
    const key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    expect(parseAwsCredential(`${id}:${key}`)).toEqual({ kind: "sigv4", accessKeyId: id, secretAccessKey: key });
    expect(parseAwsCredential(`ASIAIOSFODNN7EXAMPLE:${key}:FwoGZXIvYXdzEJr//////////token==`)).toMatchObject({
      sessionToken: "FwoGZXIvYXdzEJr//////////token==",
    });
    expect(parseAwsCredential(`ASIAIOSFODNN7EXAMPLE:${key}`)).toContain("without its session token");
    expect(parseAwsCredential(id)).toContain("access key id alone");
    expect(parseAwsCredential("ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl")).toEqual({
      kind: "bearer",
      token: "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl",
    });
    expect(parseAwsCredential(`nope:${key}`)).toContain("access key id");
  });

  test("a service account key file; shown by its e-mail, an AWS pair by its access key id", () => {
    const sa = serviceAccountKey("my-project-1");
    const parsed = parseServiceAccount(sa.json);
    expect(parsed).toMatchObject({ client_email: sa.email, project_id: "my-project-1" });
    expect(parseServiceAccount('{"type":"authorized_user"}')).toContain("not a service account key");
    expect(parseServiceAccount(JSON.stringify({ client_email: "a@b" }))).toContain("no private_key");
    expect(credentialLabel(JSON.stringify(parsed))).toBe(sa.email);
    expect(credentialLabel("AKIAIOSFODNN7EXAMPLE:secret")).toBe("AKIAIOSFODNN7EXAMPLE:…");
    expect(credentialLabel("sk-ant-api03-abcdefghijklmnop")).toBe("sk-ant-…mnop");
  });
});

const decoder = new TextDecoder();
async function decode(pieces: Uint8Array[]): Promise<string> {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  }).pipeThrough(eventStreamToSse());
  let out = "";
  for await (const chunk of stream) out += decoder.decode(chunk);
  return out;
}
const joined = (frames: Uint8Array[]) => Uint8Array.from(frames.flatMap((f) => [...f]));

describe("Bedrock's event stream as Anthropic SSE", () => {
  const frames = eventStreamOf("basic_response.sse");
  const whole = joined(frames);

  test("each chunk becomes one SSE record named by its type, the recorded events in order", async () => {
    const sse = await decode([whole]);
    const names = [...sse.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(names).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(sse).toContain('"text":" there"');
  });

  test("the same records however the bytes are cut", async () => {
    const expected = await decode([whole]);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: whole.length - 1 }), { maxLength: 30 }),
        async (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), whole.length];
          const pieces = points.slice(1).map((end, i) => whole.subarray(points[i], end));
          expect(await decode(pieces)).toBe(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  test("an exception message becomes an Anthropic error event; a corrupt frame or a cut-off end is an error", async () => {
    const codec = new EventStreamCodec(
      (b) => decoder.decode(b),
      (s) => new TextEncoder().encode(s),
    );
    const exception = codec.encode({
      headers: {
        ":message-type": { type: "string", value: "exception" },
        ":exception-type": { type: "string", value: "throttlingException" },
        ":content-type": { type: "string", value: "application/json" },
      },
      body: new TextEncoder().encode(JSON.stringify({ message: "Too many tokens, please wait" })),
    });
    const sse = await decode([frames[0] as Uint8Array, exception]);
    expect(sse).toEndWith(
      `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "Amazon Bedrock: throttlingException: Too many tokens, please wait" } })}\n\n`,
    );
    const corrupt = whole.slice();
    corrupt[20] = (corrupt[20] ?? 0) ^ 0xff;
    await expect(decode([corrupt])).rejects.toThrow();
    await expect(decode([whole.subarray(0, whole.length - 3)])).rejects.toThrow("ended inside a message");
  });
});

describe("what a cloud provider's requests cost", () => {
  test("Anthropic's list price on a global endpoint; 10% more on a regional one for Sonnet 4.5 and later; a provider's own price first", () => {
    const [, global, regional] = providers([
      { name: "gcp", kind: "vertex", region: "global", project: "my-project-1" },
      { name: "aws", kind: "bedrock", region: "us-east-1", prices: { "claude-opus-4-6": { input: 4, output: 20 } } },
    ]);
    expect(providerPrice(global, "claude-sonnet-4-5")).toMatchObject({ input: 3, output: 15, cache_read: 0.3 });
    expect(providerPrice(regional, "claude-sonnet-4-5")).toMatchObject({ input: 3.3, output: 16.5, cache_read: 0.33 });
    expect(providerPrice(regional, "claude-sonnet-4-5-20250929")?.input).toBe(3.3);
    expect(providerPrice(regional, "claude-opus-4-1")).toMatchObject({ input: 15, output: 75 });
    expect(providerPrice(regional, "claude-opus-4-6")).toMatchObject({ input: 4, output: 20 });
    expect(providerPrice(regional, "not-a-claude-model")).toBeUndefined();
    // A reply that names the model the platform's way is priced as the model it stands for.
    expect(providerPrice(regional, "us.anthropic.claude-sonnet-4-5-20250929-v1:0")?.input).toBe(3.3);
    expect(providerPrice(regional, "us.anthropic.claude-haiku-4-5-20251001-v1:0")?.output).toBe(5.5);
    expect(providerPrice(global, "claude-sonnet-4-5@20250929")?.output).toBe(15);
    expect(providerPrice(global, "claude-opus-4-1@20250805")?.output).toBe(75);
  });
});

describe("hostile input to the cloud parts", () => {
  test("any table of fields for a cloud provider is parsed or refused in words, never thrown", () => {
    const field = fc.constantFrom(
      "region",
      "project",
      "model_ids",
      "inference_profile",
      "token_url",
      "base_url",
      "auth",
      "prompt_cache",
      "models",
    );
    fc.assert(
      fc.property(
        fc.constantFrom("bedrock", "vertex", "anthropic", "x"),
        fc.dictionary(field, fc.anything()),
        (kind, raw) => {
          const parsed = providersParser([{ name: "cloud", kind, base_url: "http://127.0.0.1:1", ...raw }]);
          expect(Array.isArray(parsed) || typeof (parsed as { expected?: unknown }).expected === "string").toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("any pasted text is a credential or a reason, never an exception", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(["object", "string"]).toContain(typeof parseAwsCredential(text));
        expect(["object", "string"]).toContain(typeof parseServiceAccount(text));
        expect(typeof credentialLabel(text)).toBe("string");
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(["object", "string"]).toContain(typeof parseServiceAccount(text));
      }),
      { numRuns: 300 },
    );
  });
});
