// Bedrock's streaming reply is AWS event-stream framing (binary, CRC-checked messages), each
// `chunk` event carrying one Anthropic stream event as base64 JSON; exceptions arrive as
// messages of type "exception". Decoded with the maintained codec into Anthropic SSE records,
// so everything after it (usage, translation, the idle guard) reads what Anthropic would send.
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html
import { EventStreamCodec } from "@smithy/eventstream-codec";
import type { AnthropicErrorType } from "../../errors.ts";
import { sseError } from "../../protocol/anthropic/sse.ts";
import { bytesFromBase64 } from "../../protocol/base64.ts";
import { joinBytes } from "../../protocol/join-bytes.ts";
import { awsMessage } from "./bedrock-errors.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const utf8 = {
  toUtf8: (bytes: Uint8Array) => decoder.decode(bytes),
  fromUtf8: (text: string) => encoder.encode(text),
};

/** Stream exceptions (ResponseStream members) in Anthropic's error types. */
const EXCEPTION_TYPES: Readonly<Record<string, AnthropicErrorType>> = {
  throttlingException: "rate_limit_error",
  serviceUnavailableException: "overloaded_error",
  modelStreamErrorException: "api_error",
  modelTimeoutException: "timeout_error",
  internalServerException: "api_error",
  validationException: "invalid_request_error",
};

const header = (headers: Record<string, { value: unknown }>, name: string): string | undefined => {
  const value = headers[name]?.value;
  return typeof value === "string" ? value : undefined;
};

/** One decoded message as SSE text ("" for one that carries nothing). */
function toSse(message: { headers: Record<string, { value: unknown }>; body: Uint8Array }): string {
  const kind = header(message.headers, ":message-type");
  const body = decoder.decode(message.body);
  if (kind === "exception" || kind === "error") {
    const exception = header(message.headers, ":exception-type") ?? header(message.headers, ":error-code") ?? "error";
    return sseError(
      EXCEPTION_TYPES[exception] ?? "api_error",
      `Amazon Bedrock: ${exception}: ${awsMessage(body)}`.trim(),
    );
  }
  if (header(message.headers, ":event-type") !== "chunk") return "";
  const payload = JSON.parse(body) as { bytes?: unknown };
  if (typeof payload.bytes !== "string") return "";
  const json = decoder.decode(bytesFromBase64(payload.bytes));
  const type = (JSON.parse(json) as { type?: unknown }).type;
  return `event: ${typeof type === "string" ? type : "message"}\ndata: ${json}\n\n`;
}

/** Cap on one event-stream message (Bedrock's are a few KB; a frame claiming more is corrupt). */
const MAX_MESSAGE = 16 * 1024 * 1024;

export function eventStreamToSse(): TransformStream<Uint8Array, Uint8Array> {
  const codec = new EventStreamCodec(utf8.toUtf8, utf8.fromUtf8);
  // Bytes of a message not yet whole. The codec decodes (and CRC-checks) one message at a time;
  // the framing says each message's length in its first four bytes, big-endian.
  let pending = new Uint8Array(0);
  return new TransformStream({
    transform(chunk, controller) {
      let buffer = pending.length === 0 ? chunk : joinBytes([pending, chunk]);
      let text = "";
      while (buffer.length >= 4) {
        const length = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0, false);
        if (length < 16 || length > MAX_MESSAGE) throw new Error(`Bedrock event stream: a frame of ${length} bytes`);
        if (buffer.length < length) break;
        text += toSse(codec.decode(buffer.subarray(0, length)) as Parameters<typeof toSse>[0]);
        buffer = buffer.subarray(length);
      }
      pending = buffer.slice();
      if (text !== "") controller.enqueue(encoder.encode(text));
    },
    flush() {
      if (pending.length > 0) throw new Error("Bedrock event stream ended inside a message");
    },
  });
}
