// Credentials out of text that is kept for the request log (capture_bodies): API keys in any
// field, and the values of fields whose name says they hold a secret. Pure.

const MAX_CAPTURE = 256 * 1024;

/** Anthropic keys, pocketgate client keys, OpenAI-style keys, OAuth bearer tokens. */
const secretPattern = /\b(?:sk-ant-[A-Za-z0-9_-]{8,}|sk-[A-Za-z0-9_-]{20,}|pg-[A-Za-z0-9_-]{20,})/g;
const secretField =
  /("(?:api[_-]?key|x-api-key|authorization|password|token|access[_-]?token|secret)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

export function redactSecrets(text: string): string {
  const clipped =
    text.length > MAX_CAPTURE
      ? `${text.slice(0, MAX_CAPTURE)}\n… [${text.length - MAX_CAPTURE} more characters not kept]`
      : text;
  return clipped.replace(secretField, '$1"[redacted]"').replace(secretPattern, "[redacted]");
}
