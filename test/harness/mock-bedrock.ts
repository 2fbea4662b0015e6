// A mock Amazon Bedrock runtime on 127.0.0.1, port 0 (issue 19). It checks every request's SigV4
// signature with an implementation independent of the gateway's (the AWS SDK's own signer,
// @smithy/signature-v4) — or a Bedrock API key as a Bearer token — refuses what Bedrock refuses
// (a signature for another region, an unknown or expired credential, a body with `model` or
// `stream` or without anthropic_version) in Bedrock's own error shapes, and answers a stream in
// AWS event-stream framing built with the AWS codec, each chunk a recorded Anthropic event.
import { Sha256 } from "@aws-crypto/sha256-js";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { SignatureV4 } from "@smithy/signature-v4";
import { fixtureStream } from "./fixtures.ts";
import { textMessage } from "./mock-upstream.ts";

export interface AwsKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Bedrock answers ExpiredTokenException for it. */
  readonly expired?: boolean;
}

export type BedrockTrouble = "throttle" | "unavailable";

export interface BedrockRequest {
  readonly path: string;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
  /** How it proved itself: a verified SigV4 signature, or a Bedrock API key. */
  readonly auth: "sigv4" | "bearer";
}

export interface MockBedrock extends AsyncDisposable {
  readonly url: string;
  readonly requests: BedrockRequest[];
  /** Answer the next requests with these troubles, in order. */
  trouble(...next: BedrockTrouble[]): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (b) => decoder.decode(b),
  (s) => encoder.encode(s),
);

/** Bedrock's error: the name in x-amzn-ErrorType, the words in {"message"}. */
const awsError = (status: number, name: string, message: string) =>
  new Response(JSON.stringify({ message }), {
    status,
    headers: {
      "content-type": "application/json",
      "x-amzn-errortype": `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      "x-amzn-requestid": "bedrock-req-1",
    },
  });

/** The recorded stream's events, as Bedrock sends them: one `chunk` message each. */
export function eventStreamOf(fixture: string, text?: string): Uint8Array[] {
  const events = fixtureStream(fixture)
    .split("\n\n")
    .map((record) => /^data: (.*)$/m.exec(record)?.[1])
    .filter((data): data is string => data !== undefined)
    .map((data) => JSON.parse(data) as Record<string, unknown>)
    .filter((event) => event.type !== "ping");
  return events.map((event) => {
    if (text !== undefined && event.type === "content_block_delta") {
      (event.delta as Record<string, unknown>).text = text;
      text = "";
    }
    if (event.type === "message_stop") {
      event["amazon-bedrock-invocationMetrics"] = { inputTokenCount: 11, outputTokenCount: 6 };
    }
    const bytes = Buffer.from(JSON.stringify(event)).toString("base64");
    return codec.encode({
      headers: {
        ":event-type": { type: "string", value: "chunk" },
        ":content-type": { type: "string", value: "application/json" },
        ":message-type": { type: "string", value: "event" },
      },
      body: encoder.encode(JSON.stringify({ bytes, p: "abcdefghij" })),
    });
  });
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

/** undefined when the signature is right; else Bedrock's refusal. */
async function checkSignature(req: Request, body: Uint8Array, region: string, keys: readonly AwsKey[]) {
  const match = AUTH.exec(req.headers.get("authorization") ?? "");
  if (!match)
    return awsError(403, "IncompleteSignatureException", "Authorization header requires a valid SigV4 signature.");
  const [, id, , scopeRegion, service, signedHeaders = "", signature] = match;
  const key = keys.find((k) => k.accessKeyId === id);
  if (!key)
    return awsError(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
  if (service !== "bedrock")
    return awsError(403, "InvalidSignatureException", `Credential should be scoped to correct service: 'bedrock'.`);
  if (scopeRegion !== region) {
    return awsError(403, "InvalidSignatureException", `Credential should be scoped to a valid region. `);
  }
  if (key.expired)
    return awsError(403, "ExpiredTokenException", "The security token included in the request is expired");
  const date = req.headers.get("x-amz-date") ?? "";
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  if (!(Math.abs(Date.now() - signingDate.getTime()) < 5 * 60_000)) {
    return awsError(403, "InvalidSignatureException", "Signature expired");
  }
  if (key.sessionToken !== undefined && req.headers.get("x-amz-security-token") !== key.sessionToken) {
    return awsError(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  // Only what the client signed, as this server received it.
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(";")) headers[name] = req.headers.get(name) ?? "";
  const signer = new SignatureV4({
    // Bedrock's runtime takes no x-amz-content-sha256 header (the body's hash is signed all the same).
    applyChecksum: false,
    service: "bedrock",
    region,
    sha256: Sha256,
    credentials: {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      ...(key.sessionToken === undefined ? {} : { sessionToken: key.sessionToken }),
    },
  });
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    },
    { signingDate },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  if (expected !== signature) {
    return awsError(
      403,
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    );
  }
  return undefined;
}

export function startMockBedrock(options: {
  region: string;
  keys: readonly AwsKey[];
  apiKeys?: readonly string[];
  text?: string;
}): MockBedrock {
  const requests: BedrockRequest[] = [];
  const troubles: BedrockTrouble[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const body = new Uint8Array(await req.arrayBuffer());
      const bearer = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
      let auth: BedrockRequest["auth"] = "sigv4";
      if (bearer !== undefined) {
        if (!options.apiKeys?.includes(bearer))
          return awsError(
            403,
            "UnrecognizedClientException",
            "Invalid API Key format: Must start with pre-defined prefix",
          );
        auth = "bearer";
      } else {
        const refused = await checkSignature(req, body, options.region, options.keys);
        if (refused) return refused;
      }
      const path = new URL(req.url).pathname;
      const match = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/.exec(path);
      if (!match || req.method !== "POST") return awsError(404, "UnknownOperationException", "Unknown operation");
      const parsed = JSON.parse(decoder.decode(body)) as Record<string, unknown>;
      requests.push({ path, headers: req.headers, body: parsed, auth });
      if (parsed.anthropic_version !== "bedrock-2023-05-31") {
        return awsError(
          400,
          "ValidationException",
          "Malformed input request: #: required key [anthropic_version] not found",
        );
      }
      for (const extraneous of ["model", "stream"]) {
        if (extraneous in parsed) {
          return awsError(
            400,
            "ValidationException",
            `Malformed input request: #: extraneous key [${extraneous}] is not permitted`,
          );
        }
      }
      const trouble = troubles.shift();
      if (trouble === "throttle")
        return awsError(429, "ThrottlingException", "Too many requests, please wait before trying again.");
      if (trouble === "unavailable")
        return awsError(503, "ServiceUnavailableException", "Bedrock is unable to process your request.");
      const model = decodeURIComponent(match[1] ?? "");
      if (match[2] === "invoke") {
        return Response.json(textMessage(options.text ?? "Hello from Bedrock", model), {
          headers: { "x-amzn-requestid": "bedrock-req-3" },
        });
      }
      const frames = eventStreamOf("basic_response.sse", options.text);
      let index = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            const frame = frames[index++];
            if (frame === undefined) return controller.close();
            // Frames cut across reads, as TCP may deliver them.
            const cut = Math.floor(frame.length / 2);
            controller.enqueue(frame.subarray(0, cut));
            controller.enqueue(frame.subarray(cut));
          },
        }),
        { headers: { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "bedrock-req-2" } },
      );
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    trouble: (...next) => troubles.push(...next),
    async [Symbol.asyncDispose]() {
      await server.stop(true);
    },
  };
}
