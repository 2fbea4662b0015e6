// What Bedrock and Vertex providers share: the model a request names in the platform's terms,
// the body adjusted as both document, answers made without a call, and errors in Anthropic's
// shape naming the provider. Pure.
import { type AnthropicErrorType, errorBody, GatewayError, newRequestId } from "../../errors.ts";
import type { Provider } from "../../providers/registry.ts";
import type { KindRequest } from "./kind.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** "Amazon Bedrock, us-east-1" — how an error names where it came from. */
export const platformName = (provider: Provider): string =>
  `provider "${provider.name}" (${provider.kind === "bedrock" ? "Amazon Bedrock" : "Vertex AI"}${
    provider.project === undefined ? "" : `, project ${provider.project}`
  }, ${provider.region})`;

/** The request body as an object (the routes checked it is one). */
export const parseBody = (body: Uint8Array | undefined): Record<string, unknown> =>
  body === undefined ? {} : (JSON.parse(decoder.decode(body)) as Record<string, unknown>);

export const encodeBody = (body: Record<string, unknown>): Uint8Array<ArrayBuffer> =>
  encoder.encode(JSON.stringify(body));

/** The platform's id for a client-facing model id (an id it does not know goes as written). */
export const platformModel = (provider: Provider, model: unknown): string =>
  typeof model === "string" ? (provider.modelIds[model] ?? model) : "";

/** What an error names the request's model by: the platform's id for it ("this model" when the body says none). */
export function requestedModel(provider: Provider, request: KindRequest): string {
  try {
    return platformModel(provider, parseBody(request.body).model) || "this model";
  } catch {
    return "this model";
  }
}

/**
 * An error in Anthropic's shape, rendered by the one error family (errors.ts), with the
 * platform's request id when it sent one (else one of pocketgate's own).
 */
export function anthropicError(status: number, type: AnthropicErrorType, message: string, headers?: Headers): Response {
  const out = new Headers(headers);
  const requestId = out.get("request-id") ?? newRequestId();
  out.set("request-id", requestId);
  out.set("content-type", "application/json");
  out.delete("content-length");
  out.delete("content-encoding");
  const body = errorBody(new GatewayError(status, type, message), "anthropic", requestId);
  return new Response(body, { status, headers: out });
}

/** GET /v1/models from the provider's model table: what it serves, in the Models API's shape. */
export function modelTable(provider: Provider): Response {
  const data = provider.models
    .filter((id) => !id.endsWith("*"))
    .map((id) => ({ id, type: "model", display_name: id, created_at: "1970-01-01T00:00:00Z" }));
  return Response.json({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}

/** A path the platform has no counterpart for: a 404 the routes understand (count_tokens estimates). */
export const noSuchEndpoint = (provider: Provider, path: string): Response =>
  anthropicError(404, "not_found_error", `${platformName(provider)} has no ${path} endpoint`);

/**
 * The pool credential of a request, read by `parse`; or the answer when there is none (a
 * passthrough credential never goes to a cloud) or it is not one (the key named, not shown).
 */
export function poolCredential<T>(
  request: KindRequest,
  provider: Provider,
  parse: (secret: string) => T | string,
): { credential: T } | { answer: Response } {
  if (request.credential.kind !== "pool") {
    return {
      answer: anthropicError(401, "authentication_error", `${platformName(provider)} takes pool credentials only`),
    };
  }
  const credential = parse(request.credential.key);
  if (typeof credential === "string") {
    return {
      answer: anthropicError(
        401,
        "authentication_error",
        `${platformName(provider)}: this credential ${credential}; replace it in the Keys page`,
      ),
    };
  }
  return { credential };
}
