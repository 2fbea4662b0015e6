// A mock Vertex AI with its own OAuth token endpoint on 127.0.0.1, port 0 (issue 19). The token
// endpoint checks the service account's JWT (RS256) against the account's public key with
// node:crypto — not the library the gateway signs with — and the audience, issuer, scope and
// times Google checks; the API takes only tokens it issued, only for its own project and region,
// refuses a body with `model` or without anthropic_version, and answers as Vertex does (Anthropic
// SSE from streamRawPredict, Google's error shape for its own errors).
import { createVerify, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import { fixtureStream } from "./fixtures.ts";
import { textMessage } from "./mock-upstream.ts";

export type VertexTrouble = "exhausted" | "overloaded";

export interface VertexRequest {
  readonly path: string;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

export interface MockVertex extends AsyncDisposable {
  readonly url: string;
  readonly tokenUrl: string;
  readonly requests: VertexRequest[];
  /** Token exchanges asked for, and those granted. */
  readonly exchanges: { asked: number; granted: number };
  trouble(...next: VertexTrouble[]): void;
  /** Every access token issued so far stops working (revoked before it expired). */
  revokeTokens(): void;
}

export interface ServiceAccountKey {
  readonly json: string;
  readonly email: string;
  readonly publicKey: KeyObject;
}

/** A fresh service account key file, as the Cloud console downloads it. */
export function serviceAccountKey(project: string, name = "pocketgate"): ServiceAccountKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const email = `${name}@${project}.iam.gserviceaccount.com`;
  const json = JSON.stringify({
    type: "service_account",
    project_id: project,
    private_key_id: randomBytes(20).toString("hex"),
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    client_email: email,
    client_id: "1234567890",
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: "https://oauth2.googleapis.com/token",
  });
  return { json, email, publicKey };
}

const googleError = (code: number, status: string, message: string) =>
  Response.json([{ error: { code, message, status } }], { status: code });

const b64url = (text: string) => Buffer.from(text, "base64url");

export function startMockVertex(options: {
  project: string;
  region: string;
  accounts: readonly ServiceAccountKey[];
  /** Accounts whose key was deleted: the token endpoint refuses them. */
  disabled?: readonly string[];
  text?: string;
}): MockVertex {
  const requests: VertexRequest[] = [];
  const troubles: VertexTrouble[] = [];
  const tokens = new Set<string>();
  const exchanges = { asked: 0, granted: 0 };
  let tokenUrl = "";

  function exchange(form: URLSearchParams): Response {
    exchanges.asked++;
    const refuse = (description: string) =>
      Response.json({ error: "invalid_grant", error_description: description }, { status: 400 });
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return refuse("Invalid grant_type");
    const [header = "", claims = "", signature = ""] = (form.get("assertion") ?? "").split(".");
    const head = JSON.parse(b64url(header).toString()) as { alg?: string };
    const body = JSON.parse(b64url(claims).toString()) as Record<string, unknown>;
    const account = options.accounts.find((a) => a.email === body.iss);
    if (!account || head.alg !== "RS256") return refuse("Invalid JWT Signature.");
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${header}.${claims}`);
    if (!verifier.verify(account.publicKey, b64url(signature))) return refuse("Invalid JWT Signature.");
    if (options.disabled?.includes(account.email)) return refuse("Invalid JWT Signature.");
    const now = Date.now() / 1000;
    if (body.aud !== tokenUrl)
      return refuse("Invalid JWT: Token must be a short-lived token and in a reasonable timeframe");
    if (typeof body.exp !== "number" || typeof body.iat !== "number" || body.exp < now || body.exp - body.iat > 3600) {
      return refuse("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.");
    }
    if (body.scope !== "https://www.googleapis.com/auth/cloud-platform") return refuse("Invalid OAuth scope");
    const token = `ya29.${randomBytes(24).toString("base64url")}`;
    tokens.add(token);
    exchanges.granted++;
    return Response.json({ access_token: token, expires_in: 3599, token_type: "Bearer" });
  }

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname === "/token" && req.method === "POST") return exchange(new URLSearchParams(await req.text()));
      const token = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
      if (token === undefined || !tokens.has(token)) {
        return googleError(
          401,
          "UNAUTHENTICATED",
          "Request had invalid authentication credentials. Expected OAuth 2 access token.",
        );
      }
      const match =
        /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/anthropic\/models\/([^/:]+):(rawPredict|streamRawPredict)$/.exec(
          url.pathname,
        );
      if (!match) return googleError(404, "NOT_FOUND", "The requested URL was not found on this server.");
      const [, project, region, model = "", verb] = match;
      const body = (await req.json()) as Record<string, unknown>;
      requests.push({ path: url.pathname, headers: req.headers, body });
      if (project !== options.project) {
        return googleError(
          403,
          "PERMISSION_DENIED",
          `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/${project}'`,
        );
      }
      if (region !== options.region) {
        return googleError(
          404,
          "NOT_FOUND",
          `Publisher Model \`projects/${project}/locations/${region}/publishers/anthropic/models/${model}\` not found.`,
        );
      }
      if (model === "count-tokens") return Response.json({ input_tokens: 42 });
      if (body.anthropic_version !== "vertex-2023-10-16" || "model" in body) {
        return Response.json(
          {
            type: "error",
            error: {
              type: "invalid_request_error",
              message: "anthropic_version: vertex-2023-10-16 is required; model: Extra inputs are not permitted",
            },
          },
          { status: 400 },
        );
      }
      const trouble = troubles.shift();
      if (trouble === "exhausted") {
        return googleError(
          429,
          "RESOURCE_EXHAUSTED",
          `Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: anthropic-claude.`,
        );
      }
      if (trouble === "overloaded") {
        return Response.json(
          { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
          { status: 529 },
        );
      }
      const text = options.text ?? "Hello from Vertex";
      if (verb === "rawPredict") {
        return Response.json(textMessage(text, model));
      }
      let first = true;
      const sse = fixtureStream("basic_response.sse").replace(/"text":"([^"]*)"/g, (all, piece: string) => {
        if (piece === "") return all;
        const replaced = first ? text : "";
        first = false;
        return `"text":${JSON.stringify(replaced)}`;
      });
      return new Response(sse, { headers: { "content-type": "text/event-stream" } });
    },
  });
  const url = `http://127.0.0.1:${server.port}`;
  tokenUrl = `${url}/token`;
  return {
    url: `${url}/v1`,
    tokenUrl,
    requests,
    exchanges,
    trouble: (...next) => troubles.push(...next),
    revokeTokens: () => tokens.clear(),
    async [Symbol.asyncDispose]() {
      await server.stop(true);
    },
  };
}
