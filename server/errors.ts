// One error family for everything pocketgate itself answers with (contract §6).
// Routes throw GatewayError; it is rendered once, in the caller's protocol shape.

export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "overloaded_error"
  | "timeout_error";

export type Protocol = "anthropic" | "openai";

export interface GatewayErrorOptions {
  /** Seconds the client should wait before retrying; sent as an integer `retry-after`. */
  retryAfter?: number;
  /** The request body was left unread: close the connection so no client reuses it mid-body. */
  closeConnection?: boolean;
  /** The request field at fault (OpenAI's `param`), when one is. */
  param?: string;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: AnthropicErrorType;
  readonly retryAfter: number | undefined;
  readonly closeConnection: boolean;
  readonly param: string | undefined;

  constructor(status: number, type: AnthropicErrorType, message: string, options: GatewayErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "GatewayError";
    this.status = status;
    this.type = type;
    this.retryAfter = options.retryAfter;
    this.closeConnection = options.closeConnection ?? false;
    this.param = options.param;
  }
}

export const badRequest = (message: string, param?: string) =>
  new GatewayError(400, "invalid_request_error", message, { param });

/** OpenAI has fewer error types; the Anthropic type maps onto them (contract §6 table). */
const openAiTypes: Record<string, string> = {
  invalid_request_error: "invalid_request_error",
  authentication_error: "authentication_error",
  permission_error: "permission_error",
  not_found_error: "invalid_request_error",
  request_too_large: "invalid_request_error",
  rate_limit_error: "rate_limit_error",
  api_error: "server_error",
  overloaded_error: "server_error",
  timeout_error: "server_error",
};

export const openAiErrorType = (anthropicType: string): string => openAiTypes[anthropicType] ?? "server_error";

export function errorBody(error: GatewayError, protocol: Protocol, requestId: string): string {
  if (protocol === "openai") {
    return JSON.stringify({
      error: {
        message: error.message,
        type: openAiErrorType(error.type),
        param: error.param ?? null,
        code: error.type,
      },
    });
  }
  return JSON.stringify({
    type: "error",
    error: { type: error.type, message: error.message },
    request_id: requestId,
  });
}

/** Our own request ids, for errors pocketgate answers itself (upstream answers carry upstream's). */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `req_pg_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Anything thrown that is not a GatewayError is a bug: answer 500 without leaking details. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError(500, "api_error", "pocketgate hit an internal error; see its log for details", {
    cause: error,
  });
}

/** One log line for a bug (a 500): the request id, and the cause with where it was thrown. */
export function bugLine(id: string, error: GatewayError): string {
  const cause = error.cause;
  const where =
    cause instanceof Error
      ? cause.stack
          ?.split("\n")
          .find((l) => l.trim().startsWith("at "))
          ?.trim()
      : undefined;
  return `error ${id}: ${error.message}${cause ? ` (${String(cause)}${where ? ` ${where}` : ""})` : ""}`;
}

export function errorResponse(
  error: GatewayError,
  protocol: Protocol,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): Response {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "request-id": requestId,
    ...extraHeaders,
  };
  if (error.retryAfter !== undefined) headers["retry-after"] = String(Math.max(0, Math.ceil(error.retryAfter)));
  if (error.closeConnection) headers.connection = "close";
  return new Response(errorBody(error, protocol, requestId), { status: error.status, headers });
}
