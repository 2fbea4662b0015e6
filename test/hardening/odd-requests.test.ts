// Requests no SDK sends but a socket can (issue 11, defects 8 and 13): no Host, a Host that is
// not one, odd methods and versions. Each gets an answer with a body in the caller's shape, no
// upstream call is wasted, and the gateway keeps serving.
import { describe, expect, test } from "bun:test";
import { CLIENT_KEY, runtime } from "../harness/gateway.ts";
import { rawRequest } from "../harness/raw-http.ts";
import { messagesBody, useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();
const port = () => suite.gateway.port;

const post = (path: string, hostLine: string, body: string, version = "HTTP/1.1") =>
  `POST ${path} ${version}\r\n${hostLine}x-api-key: ${CLIENT_KEY}\r\ncontent-type: application/json\r\n` +
  `anthropic-version: 2023-06-01\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;

const chatBody = JSON.stringify({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }] });

describe(`odd requests on ${runtime}`, () => {
  test("HTTP/1.0 without Host is served like any request", async () => {
    const before = suite.mock.requests.length;
    const answer = await rawRequest(port(), post("/v1/messages", "", messagesBody(), "HTTP/1.0"));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).type).toBe("message");
    expect(suite.mock.requests.length).toBe(before + 1);
    expect(suite.mock.requests.at(-1)?.path).toBe("/v1/messages");
  });

  for (const path of ["/v1/messages", "/v1/chat/completions", "/v1/messages/count_tokens"]) {
    test(`a Host that is not a host name gets 400 on ${path}, and nothing goes upstream`, async () => {
      const before = suite.mock.requests.length;
      const body = path.includes("chat") ? chatBody : messagesBody();
      const answer = await rawRequest(port(), post(path, "Host: a b\r\n", body));
      expect(answer.status).toBe(400);
      const json = JSON.parse(answer.body);
      const message: string = path.includes("chat") ? json.error.message : json.error.message;
      expect(message).toContain("Host");
      if (path.includes("chat")) expect(json.error.type).toBe("invalid_request_error");
      else expect(json.type).toBe("error");
      expect(suite.mock.requests.length).toBe(before);
    });
  }

  test("the admin API takes HTTP/1.0 without Host too (it gave 500 on Bun: a relative URL)", async () => {
    const login = '{"password":"not-the-admin-password"}';
    const answers = [
      await rawRequest(
        port(),
        `POST /api/login HTTP/1.0\r\ncontent-type: application/json\r\ncontent-length: ${login.length}\r\n\r\n${login}`,
      ),
      await rawRequest(port(), "GET /api/status HTTP/1.0\r\n\r\n"),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401]);
    for (const answer of answers) expect(JSON.parse(answer.body).error.type).toBe("authentication_error");
  });

  test("odd methods get a 404 with a body; requests the parser refuses get the right status", async () => {
    for (const method of ["TRACE", "PROPFIND"]) {
      const answer = await rawRequest(port(), `${method} / HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`);
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.body).error.type).toBe("not_found_error");
    }
    // An "HTTP/2.0" request line: Bun refuses the version, Node serves it as HTTP/1.
    const refused: [string, number][] = [
      ["GET /health HTTP/2.0\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n", runtime === "bun" ? 505 : 200],
      [`GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: ${"a".repeat(200_000)}\r\nconnection: close\r\n\r\n`, 431],
      ["HELLO\r\n\r\n", 400],
    ];
    for (const [request, status] of refused) {
      const answer = await rawRequest(port(), request, { waitMs: 5000 });
      expect(answer.status).toBe(status);
      // Node lets pocketgate word these; Bun answers them inside its HTTP parser, with no body.
      if (runtime === "node" && status >= 400) expect(JSON.parse(answer.body).error.message).toBeString();
    }
  });

  test("/metrics trusts loopback only by a loopback name (a rebound DNS name gets 401)", async () => {
    const metrics = (host: string) =>
      rawRequest(port(), `GET /metrics HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\n\r\n`);
    expect((await metrics(`127.0.0.1:${port()}`)).status).toBe(200);
    expect((await metrics(`localhost:${port()}`)).status).toBe(200);
    const rebound = await metrics(`attacker.example:${port()}`);
    expect(rebound.status).toBe(401);
    expect(rebound.body).not.toContain("pocketgate_requests_total");
  });

  test("after all of that, /health answers", async () => {
    expect((await fetch(`${suite.gateway.url}/health`)).status).toBe(200);
    expect(suite.gateway.stderr()).not.toContain("Invalid URL");
  });
});
