// Shared set-up for route test files: one mock upstream and one gateway pointed at it, started
// before the enclosing file's (or describe's) tests and stopped after them.
import { afterAll, beforeAll } from "bun:test";
import { clientHeaders, type Gateway, type GatewayOptions, startGateway } from "./gateway.ts";
import { type MockUpstream, startMockUpstream } from "./mock-upstream.ts";

export interface Suite {
  readonly mock: MockUpstream;
  readonly gateway: Gateway;
}

export function useMockAndGateway(options: Omit<GatewayOptions, "upstream"> = {}): Suite {
  const suite = {} as { mock: MockUpstream; gateway: Gateway };
  beforeAll(async () => {
    suite.mock = startMockUpstream();
    suite.gateway = await startGateway({ ...options, upstream: suite.mock.url });
  });
  afterAll(async () => {
    await suite.gateway?.[Symbol.asyncDispose]();
    await suite.mock?.close();
  });
  return suite;
}

/** A small valid Messages request body. */
export const messagesBody = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ model: "claude-sonnet-4-6", max_tokens: 64, messages: [{ role: "user", content: "hi" }], ...extra });

export interface PostOptions {
  path?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  signal?: AbortSignal;
}

/** POST a Messages request to the gateway, with the test client key unless headers say otherwise. */
export const postMessages = (baseUrl: string, options: PostOptions = {}): Promise<Response> =>
  fetch(`${baseUrl}${options.path ?? "/v1/messages"}`, {
    method: "POST",
    headers: options.headers ?? clientHeaders(),
    body: options.body ?? messagesBody(),
    signal: options.signal,
  });
