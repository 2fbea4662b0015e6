// The way in and upstream for the OpenAI-style routes (chat completions, responses): the client's
// request authenticated, read and parsed; then the translated
// Anthropic body goes to POST /v1/messages, always streamed, with the conversation's session,
// prompt caching and keep-warm applied on the way (routes/cache-plan.ts); upstream's errors come
// back in the OpenAI shape.
import { markTranslated } from "../caching/apply.ts";
import { openAiErrorType } from "../errors.ts";
import { largeJsonInPieces } from "../platform/runtime.ts";
import { stringifyToBytes } from "../protocol/json-pieces.ts";
import { THINKING_SUFFIX } from "../protocol/translate/request.ts";
import type { Resolution } from "../providers/route.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import { sessionOf } from "../upstream/session.ts";
import { accounted, captureOf } from "./accounting.ts";
import { admit } from "./authorize.ts";
import { cachePlan, noteConversation } from "./cache-plan.ts";
import type { RouteDeps } from "./deps.ts";
import { parseJsonObject, readBody, requireJsonContentType } from "./read-body.ts";
import { noteKey, noteRoute, type RequestDraft } from "./request-log.ts";

const encoder = new TextEncoder();

/** Client headers worth keeping upstream: its credential (passthrough) and any anthropic-* it set. */
export function upstreamHeaders(incoming: Headers): Headers {
  const headers = new Headers({
    "content-type": "application/json",
    accept: "text/event-stream",
    "anthropic-version": "2023-06-01",
  });
  for (const [name, value] of incoming) {
    if (name.startsWith("anthropic-") || name === "x-api-key" || name === "authorization" || name === "user-agent") {
      headers.set(name, value);
    }
  }
  return headers;
}

/** An upstream error before any byte: same status and retry-after, body in the OpenAI shape. */
export async function openAiError(upstream: Response): Promise<Response> {
  const text = await upstream.text();
  let type = "api_error";
  let message = text || `upstream answered ${upstream.status}`;
  try {
    const parsed = JSON.parse(text) as { error?: { type?: string; message?: string } };
    if (parsed.error?.message) message = parsed.error.message;
    if (parsed.error?.type) type = parsed.error.type;
  } catch {}
  const headers = new Headers(upstream.headers);
  headers.set("content-type", "application/json");
  const body = { error: { message, type: openAiErrorType(type), param: null, code: type } };
  return new Response(JSON.stringify(body), { status: upstream.status, headers });
}

/** A non-streaming client whose upstream stream failed midway gets an HTTP error instead. */
export const midStreamStatus: Record<string, number> = {
  rate_limit_error: 429,
  overloaded_error: 503,
  timeout_error: 504,
};

const encode = (text: string) => encoder.encode(text);
/** The translated request's bytes (in pieces on Node: no string of the whole, see json-pieces.ts). */
const bytesOf = (body: Record<string, unknown>) => stringifyToBytes(body, encode, largeJsonInPieces);

/** Sends the translated `body` upstream; `clientBody` is the client's own request (for its cache markers). */
export async function callTranslated(
  deps: RouteDeps,
  request: Request,
  draft: RequestDraft,
  credential: ClientCredential,
  clientBody: unknown,
  body: Record<string, unknown>,
  pinned: Resolution | undefined,
): Promise<Response> {
  // The conversation's identity comes first: the cache markers below are not part of it.
  const session = sessionOf(request.headers, body);
  const resolution = credential.kind === "client" ? undefined : (pinned ?? deps.route(String(body.model)));
  noteRoute(draft, resolution);
  const plan = cachePlan(deps, credential, "openai", clientBody);
  // With automatic caching for providers that take it, without for the rest (providers/config.ts
  // prompt_cache); the form without is made only when a provider on the list may need it.
  const mixed = !resolution || resolution.providers.some((p) => !p.promptCache);
  const plain = !plan.apply || mixed ? bytesOf(body) : undefined;
  let cached: Uint8Array | undefined;
  if (plan.apply) {
    markTranslated(body, plan.policy.ttl);
    cached = bytesOf(body);
  }
  const sent = (cached ?? plain) as Uint8Array;
  const headers = upstreamHeaders(request.headers);
  noteConversation(deps, draft, credential, plan, { session, body: sent, parsed: body, headers });
  const result = await deps.callUpstream({
    session,
    method: "POST",
    path: "/v1/messages",
    search: "",
    headers,
    body: sent,
    bodyFor: (provider) => (provider.promptCache ? sent : (plain ?? sent)),
    providers: resolution?.providers,
    credential,
    signal: request.signal,
    onKey: noteKey(draft),
  });
  return accounted(deps, request, draft, result);
}

/**
 * An alias or "provider/model" asked for: the request is translated for the model that provider
 * knows (its traits), and the reply names that model. A passthrough client's own credential goes
 * to Anthropic with the model as asked.
 */
export function pinnedModel(
  deps: RouteDeps,
  credential: ClientCredential,
  parsed: Record<string, unknown>,
): Resolution | undefined {
  if (credential.kind === "client" || typeof parsed.model !== "string") return undefined;
  // "fast-thinking": the alias's model with thinking asked for, as the models list offers it.
  const thinking = parsed.model.endsWith(THINKING_SUFFIX) && !deps.directRoute(parsed.model);
  const asked = thinking ? parsed.model.slice(0, -THINKING_SUFFIX.length) : parsed.model;
  const pinned = deps.directRoute(asked);
  if (pinned) parsed.model = thinking ? `${pinned.model}${THINKING_SUFFIX}` : pinned.model;
  return pinned;
}

/** The first request after start waits this long, at most, for the model list to be read. */
const CATALOG_WAIT_MS = 3000;

/** Who calls (limits counted) and what they sent, parsed; the row names the model asked for even if translation refuses it. */
export async function acceptOpenAiRequest(request: Request, deps: RouteDeps, draft: RequestDraft) {
  const config = deps.config();
  const credential = await admit(request, deps, draft);
  requireJsonContentType(request);
  const raw = await readBody(request, { limit: config.body_limit, idleSeconds: config.client_idle_timeout });
  draft.captured = captureOf(deps, raw);
  await deps.models.ready(CATALOG_WAIT_MS);
  const parsed = parseJsonObject(raw);
  if (typeof parsed.model === "string") draft.model = parsed.model;
  return { credential, parsed };
}
