// Names people give things in the admin app (client keys, upstream key labels): text that is
// shown in lists and logs and stored in the database, so it must be well-formed Unicode (a lone
// surrogate is stored as U+FFFD and no longer matches itself, issue 11 defect 11), without control
// characters or bidirectional overrides (which make a name display as another), and not blank.
import { badRequest } from "../errors.ts";

/** With the u flag a surrogate pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const FORBIDDEN = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** `value` trimmed, or a 400 naming `field` and what is wrong with it. */
export function displayName(value: string, field: string): string {
  if (LONE_SURROGATE.test(value))
    throw badRequest(`${field} is not well-formed text (it holds a lone surrogate)`, field);
  if (FORBIDDEN.test(value)) throw badRequest(`${field} must not hold control or text-direction characters`, field);
  const trimmed = value.trim();
  if (trimmed === "") throw badRequest(`${field} must not be blank`, field);
  return trimmed;
}
