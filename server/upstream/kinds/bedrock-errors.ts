// Bedrock's errors in Anthropic's shapes, with words that name the provider and say what to fix;
// their statuses chosen so the pool treats them as Anthropic's (contract §7): throttling cools
// the credential (429), a refused credential retires it (401/403), capacity trouble fails over
// (529). Bedrock names the error in x-amzn-ErrorType ("ThrottlingException:http://…") and says
// why in {"message": …}: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html#API_runtime_InvokeModel_Errors
import type { AnthropicErrorType } from "../../errors.ts";
import type { Provider } from "../../providers/registry.ts";
import { anthropicError, platformName, requestedModel } from "./cloud-answers.ts";
import type { KindRequest } from "./kind.ts";

interface Mapped {
  readonly status: number;
  readonly type: AnthropicErrorType;
  readonly advice: string;
}

function mapped(name: string, status: number, said: string, provider: Provider, model: string): Mapped {
  const where = provider.region ?? "";
  switch (name) {
    case "ThrottlingException":
    case "ServiceQuotaExceededException":
      return {
        status: 429,
        type: "rate_limit_error",
        advice: `the AWS account is throttled: pocketgate rests this credential for a minute and tries another; for more, raise the Bedrock quota for ${model} in ${where} (Service Quotas)`,
      };
    case "ModelNotReadyException":
    case "ServiceUnavailableException":
      return {
        status: 529,
        type: "overloaded_error",
        advice: "Bedrock is overloaded; another provider is tried when one serves this model",
      };
    case "ExpiredTokenException":
      return {
        status: 401,
        type: "authentication_error",
        advice:
          "the AWS session token has expired: paste fresh ACCESS_KEY_ID:SECRET_ACCESS_KEY:SESSION_TOKEN in the Keys page, or use a long-term key",
      };
    case "UnrecognizedClientException":
      return {
        status: 401,
        type: "authentication_error",
        advice: "AWS does not know this access key id (deleted, or a typo): replace it in the Keys page",
      };
    case "InvalidSignatureException":
    case "IncompleteSignatureException":
      if (/region/i.test(said)) {
        return {
          status: 400,
          type: "invalid_request_error",
          advice: `the endpoint refused a signature for region ${where}: the provider's region does not match its endpoint; set region (or base_url) in the Providers page to where your Bedrock access is`,
        };
      }
      if (/expired|signature expired/i.test(said)) {
        return {
          status: 401,
          type: "authentication_error",
          advice: "the signature has expired: check this machine's clock",
        };
      }
      return {
        status: 401,
        type: "authentication_error",
        advice: "AWS refused the signature: the secret access key is wrong; replace the credential in the Keys page",
      };
    case "AccessDeniedException":
      return {
        status: 403,
        type: "permission_error",
        advice: `the credential may not call ${model} in ${where}: allow bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream in its IAM policy, and enable the model under Bedrock → Model access`,
      };
    case "ResourceNotFoundException":
      return {
        status: 404,
        type: "not_found_error",
        advice: `${model} is not offered in ${where}: pick a region that has it, another inference_profile, or set its id in model_ids`,
      };
    case "ValidationException":
      if (/model identifier|on-demand throughput|inference profile/i.test(said)) {
        return {
          status: 400,
          type: "invalid_request_error",
          advice: `${model} cannot be called this way in ${where}: pick a region that has it, an inference_profile ("us", "eu", "apac", "global"), or set its id in model_ids`,
        };
      }
      return { status: 400, type: "invalid_request_error", advice: "" };
    case "ModelTimeoutException":
      return { status: 504, type: "timeout_error", advice: "the model took too long; try again" };
    case "InternalServerException":
      return { status: 500, type: "api_error", advice: "" };
    default:
      return {
        status: Math.min(status, 500),
        type: status === 429 ? "rate_limit_error" : status >= 500 ? "api_error" : "invalid_request_error",
        advice: "",
      };
  }
}

/** What AWS says in an error body ({"message"} or {"Message"}), or the body itself. */
export function awsMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown };
    const message = parsed.message ?? parsed.Message;
    if (typeof message === "string") return message;
  } catch {}
  return body;
}

export async function bedrockError(
  response: Response,
  provider: Provider,
  request: KindRequest,
  headers: Headers,
): Promise<Response> {
  const said = awsMessage((await response.text()).slice(0, 4000));
  const name = (response.headers.get("x-amzn-errortype") ?? "").split(":")[0] ?? "";
  const model = requestedModel(provider, request);
  const { status, type, advice } = mapped(name, response.status, said, provider, model);
  const message = `${platformName(provider)}: ${name || `HTTP ${response.status}`}: ${said.trim()}${advice ? ` — ${advice}` : ""}`;
  return anthropicError(status, type, message, headers);
}
