// Generated secrets: uniform over 62 symbols from the crypto RNG (rejection sampling, no bias).
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomToken(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      // 248 = 4 * 62: bytes above it would favour the first symbols.
      if (byte < 248 && out.length < length) out += alphabet[byte % 62];
    }
  }
  return out;
}

/** Client keys look like `pg-` + 40 symbols (~238 bits), easy to tell apart from Anthropic keys. */
export const newClientKey = () => `pg-${randomToken(40)}`;

/** 32 symbols, ~190 bits. */
export const newAdminPassword = () => randomToken(32);
