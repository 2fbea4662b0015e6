// Vertex's errors in Anthropic's shapes. The model's own errors already are (passed on as they
// are); Google's own are {"error": {"code", "message", "status"}} (sometimes in a list) with
// gRPC status names (https://cloud.google.com/apis/design/errors#handling_errors), mapped so the
// pool treats them as Anthropic's (contract §7) and worded to say what to fix.
import type { AnthropicErrorType } from "../../errors.ts";
import type { Provider } from "../../providers/registry.ts";
import { anthropicError, platformName, requestedModel } from "./cloud-answers.ts";
import type { KindRequest } from "./kind.ts";

interface GoogleError {
  readonly message?: unknown;
  readonly status?: unknown;
}

function googleError(text: string): GoogleError | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    const error = (first as { error?: unknown })?.error;
    return typeof error === "object" && error !== null ? (error as GoogleError) : undefined;
  } catch {
    return undefined;
  }
}

function advice(
  status: string,
  provider: Provider,
  model: string,
): { status: number; type: AnthropicErrorType; advice: string } {
  const project = provider.project ?? "";
  const region = provider.region ?? "";
  switch (status) {
    case "UNAUTHENTICATED":
      // The access token, not the key: it was revoked or expired early. The token is forgotten
      // (vertex.ts) and the next attempt exchanges the key again, which says whether the key
      // itself is refused. A 503, so the pool does not retire a key for a token.
      return {
        status: 503,
        type: "api_error",
        advice: "Google refused the access token (revoked or expired early); pocketgate fetches a new one: try again",
      };
    case "PERMISSION_DENIED":
      return {
        status: 403,
        type: "permission_error",
        advice: `the service account needs the Vertex AI User role (aiplatform.endpoints.predict) on project ${project}, the Vertex AI API enabled, and ${model} enabled in Model Garden`,
      };
    case "RESOURCE_EXHAUSTED":
      return {
        status: 429,
        type: "rate_limit_error",
        advice: `project ${project} is out of quota for ${model} in ${region}: pocketgate rests this credential for a minute and tries another; ask for more quota in the Cloud console`,
      };
    case "NOT_FOUND":
      return {
        status: 404,
        type: "not_found_error",
        advice: `${model} is not served in ${region} for project ${project}: use region "global" or one Model Garden lists for it, enable the model, or set its id in model_ids`,
      };
    case "UNAVAILABLE":
      return {
        status: 529,
        type: "overloaded_error",
        advice: "Vertex AI is overloaded; another provider is tried when one serves this model",
      };
    case "DEADLINE_EXCEEDED":
      return { status: 504, type: "timeout_error", advice: "" };
    case "INVALID_ARGUMENT":
    case "FAILED_PRECONDITION":
      return { status: 400, type: "invalid_request_error", advice: "" };
    default:
      return { status: 500, type: "api_error", advice: "" };
  }
}

export async function vertexError(response: Response, provider: Provider, request: KindRequest): Promise<Response> {
  const text = await response.text();
  const google = googleError(text);
  // The model's own error ({"type":"error",...}), or anything not Google's: passed on unchanged.
  if (!google || typeof google.status !== "string") {
    return new Response(text, { status: response.status, headers: response.headers });
  }
  const model = requestedModel(provider, request);
  const mapped = advice(google.status, provider, model);
  const said = typeof google.message === "string" ? google.message.slice(0, 2000) : google.status;
  const message = `${platformName(provider)}: ${google.status}: ${said}${mapped.advice ? ` — ${mapped.advice}` : ""}`;
  return anthropicError(mapped.status, mapped.type, message, response.headers);
}
