// The credentials of Bedrock and Vertex providers, kept in the key pool as one string each
// (issue 19): read, checked, and shown without their secret part. Pure.
//   Bedrock: "ACCESS_KEY_ID:SECRET_ACCESS_KEY" or "ACCESS_KEY_ID:SECRET_ACCESS_KEY:SESSION_TOKEN"
//            (SigV4), or a Bedrock API key (sent as a Bearer token, which Bedrock's runtime takes:
//            https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-use.html).
//   Vertex:  a service account's JSON key file (client_email, private_key, ...).

export type AwsCredential =
  | {
      readonly kind: "sigv4";
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken?: string;
    }
  | { readonly kind: "bearer"; readonly token: string };

export interface ServiceAccount {
  readonly client_email: string;
  readonly private_key: string;
  readonly private_key_id?: string;
  readonly project_id?: string;
}

// Access key ids: AKIA (long-term) or ASIA (temporary, with a session token), then 16 or more
// upper-case letters and digits. Secrets are 40 characters of base64; tokens are base64.
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
const AWS_SECRET = /^[A-Za-z0-9/+=]{16,128}$/;
const AWS_TOKEN = /^[A-Za-z0-9/+=]{16,4096}$/;
const BEDROCK_API_KEY = /^[A-Za-z0-9/+=._&-]{20,4096}$/;

/** A Bedrock credential, or the reason it is not one. */
export function parseAwsCredential(secret: string): AwsCredential | string {
  const parts = secret.split(":");
  if (parts.length === 1) {
    if (ACCESS_KEY_ID.test(secret)) return "is an access key id alone: add :SECRET_ACCESS_KEY after it";
    return BEDROCK_API_KEY.test(secret)
      ? { kind: "bearer", token: secret }
      : "is neither a Bedrock API key nor ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]";
  }
  const [id = "", key = "", token] = parts;
  if (parts.length > 3 || !ACCESS_KEY_ID.test(id)) return "does not start with an AWS access key id (AKIA… or ASIA…)";
  if (!AWS_SECRET.test(key)) return "has no secret access key after the access key id";
  if (token !== undefined && !AWS_TOKEN.test(token)) return "has a session token that is not one";
  if (id.startsWith("ASIA") && token === undefined) {
    return "is a temporary access key id (ASIA…) without its session token: add :SESSION_TOKEN";
  }
  return {
    kind: "sigv4",
    accessKeyId: id,
    secretAccessKey: key,
    ...(token === undefined ? {} : { sessionToken: token }),
  };
}

const MAX_SERVICE_ACCOUNT = 16 * 1024;

/** A service account key, or the reason the text is not one. */
export function parseServiceAccount(text: string): ServiceAccount | string {
  if (text.length > MAX_SERVICE_ACCOUNT) return "is longer than a service account key file";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "is not the JSON of a service account key file";
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return "is not the JSON of a service account key file";
  }
  const sa = parsed as Record<string, unknown>;
  if (sa.type !== undefined && sa.type !== "service_account")
    return `is a "${String(sa.type)}" file, not a service account key`;
  if (typeof sa.client_email !== "string" || !/^[^@\s]{1,200}@[^@\s]{1,200}$/.test(sa.client_email)) {
    return "has no client_email";
  }
  if (typeof sa.private_key !== "string" || !sa.private_key.includes("-----BEGIN PRIVATE KEY-----")) {
    return "has no private_key (a PEM private key)";
  }
  return {
    client_email: sa.client_email,
    private_key: sa.private_key,
    ...(typeof sa.private_key_id === "string" ? { private_key_id: sa.private_key_id } : {}),
    ...(typeof sa.project_id === "string" ? { project_id: sa.project_id } : {}),
  };
}

/** What the pool keeps of a service account: the fields it uses, as compact JSON. */
export const serviceAccountSecret = (sa: ServiceAccount): string => JSON.stringify(sa);

/** How a credential is shown: never its secret part. */
export function credentialLabel(secret: string): string {
  if (secret.startsWith("{")) {
    const sa = parseServiceAccount(secret);
    return typeof sa === "string" ? "service account" : sa.client_email;
  }
  const colon = secret.indexOf(":");
  // An access key id is not a secret; the secret after it is never shown.
  if (colon > 0) return `${secret.slice(0, colon)}:…`;
  return `${secret.slice(0, 7)}…${secret.slice(-4)}`;
}
