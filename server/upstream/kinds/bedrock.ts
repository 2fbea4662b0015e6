// Amazon Bedrock (issue 19): InvokeModel and InvokeModelWithResponseStream, signed with SigV4 by
// aws4fetch (or a Bedrock API key as a Bearer token), the body adjusted as Bedrock documents
// (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html:
// anthropic_version "bedrock-2023-05-31" in the body, the model in the path, betas as
// anthropic_beta), its AWS event-stream reply decoded into Anthropic SSE and its errors mapped.
import { AwsV4Signer } from "aws4fetch";
import { parseAwsCredential } from "../../providers/cloud-credentials.ts";
import type { Provider } from "../../providers/registry.ts";
import { bedrockError } from "./bedrock-errors.ts";
import { eventStreamToSse } from "./bedrock-stream.ts";
import { encodeBody, modelTable, noSuchEndpoint, parseBody, platformModel, poolCredential } from "./cloud-answers.ts";
import type { KindRequest, Prepared, ProviderKindModule } from "./kind.ts";

const BEDROCK_VERSION = "bedrock-2023-05-31";
const EVENT_STREAM = "application/vnd.amazon.eventstream";
/** Derived signing keys, one per secret, day, region and service (aws4fetch's own cache), bounded. */
const signingKeys = new Map<string, ArrayBuffer>();
const MAX_SIGNING_KEYS = 256;

function adjusted(
  request: KindRequest,
  provider: Provider,
): { id: string; stream: boolean; body: Uint8Array<ArrayBuffer> } {
  const body = parseBody(request.body);
  const id = platformModel(provider, body.model);
  const stream = body.stream === true;
  delete body.model;
  // The endpoint decides streaming; Bedrock refuses the field itself.
  delete body.stream;
  body.anthropic_version ??= BEDROCK_VERSION;
  const betas = request.headers.get("anthropic-beta");
  if (betas !== null && body.anthropic_beta === undefined) {
    // Headers.get joins repeated headers with ", ".
    body.anthropic_beta = betas
      .split(",")
      .map((b) => b.trim())
      .filter((b) => b !== "");
  }
  return { id, stream, body: encodeBody(body) };
}

export const bedrockKind: ProviderKindModule = {
  async prepare(request: KindRequest, provider: Provider): Promise<Prepared> {
    if (request.method === "GET" && request.path === "/v1/models") return { answer: modelTable(provider) };
    // Bedrock's runtime counts no tokens (the Anthropic Bedrock SDK leaves count_tokens out):
    // the route then gives its local estimate.
    if (request.method !== "POST" || request.path !== "/v1/messages") {
      return { answer: noSuchEndpoint(provider, request.path) };
    }
    const read = poolCredential(request, provider, parseAwsCredential);
    if ("answer" in read) return read;
    const { credential } = read;
    const { id, stream, body } = adjusted(request, provider);
    const url = `${provider.baseUrl}/model/${encodeURIComponent(id)}/${stream ? "invoke-with-response-stream" : "invoke"}`;
    const headers = new Headers(provider.headers);
    headers.set("content-type", "application/json");
    headers.set("accept", stream ? EVENT_STREAM : "application/json");
    if (credential.kind === "bearer") {
      headers.set("authorization", `Bearer ${credential.token}`);
      return { url, headers, body };
    }
    // A new day (or a removed key) leaves old entries behind: start over rather than grow for ever.
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    const signed = await new AwsV4Signer({
      method: "POST",
      url,
      headers,
      body,
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      ...(credential.sessionToken === undefined ? {} : { sessionToken: credential.sessionToken }),
      service: "bedrock",
      region: provider.region ?? "us-east-1",
      cache: signingKeys,
    }).sign();
    return { url, headers: signed.headers, body };
  },

  async reply(response: Response, provider: Provider, request: KindRequest): Promise<Response> {
    const headers = new Headers(response.headers);
    // Bedrock's request id under the name clients and the request log read.
    const requestId = response.headers.get("x-amzn-requestid");
    if (requestId !== null) headers.set("request-id", requestId);
    if (response.status >= 400) return bedrockError(response, provider, request, headers);
    if (response.body && (response.headers.get("content-type") ?? "").startsWith(EVENT_STREAM)) {
      headers.set("content-type", "text/event-stream; charset=utf-8");
      headers.delete("content-length");
      return new Response(response.body.pipeThrough(eventStreamToSse()), { status: response.status, headers });
    }
    return new Response(response.body, { status: response.status, headers });
  },
};
