// Changes some top-level members of a JSON object's text and keeps every other byte as it was:
// the native route's opt-in fitting edits sampling and thinking fields, while system, tools and
// messages (prompt-cache prefixes, thinking signatures) must reach upstream untouched. Pure.
// The text must already have parsed as a JSON object.

interface Member {
  readonly key: string;
  /** Where the member's key starts, where its value starts and where it ends (exclusive). */
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";

function skipSpace(text: string, at: number): number {
  while (isSpace(text[at])) at++;
  return at;
}

/** The end (exclusive) of the string starting at `at` (a quote). */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return i;
}

/** The end (exclusive) of the value starting at `at`. */
function valueEnd(text: string, at: number): number {
  const c = text[at];
  if (c === '"') return stringEnd(text, at);
  if (c === "{" || c === "[") {
    let depth = 0;
    let i = at;
    while (i < text.length) {
      const d = text[i];
      if (d === '"') {
        i = stringEnd(text, i);
        continue;
      }
      if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  let i = at;
  while (i < text.length && !isSpace(text[i]) && text[i] !== "," && text[i] !== "}") i++;
  return i;
}

function members(text: string): { open: number; close: number; list: Member[] } {
  const open = skipSpace(text, 0);
  if (text[open] !== "{") throw new Error("not a JSON object");
  const list: Member[] = [];
  let at = skipSpace(text, open + 1);
  while (text[at] === '"') {
    const keyEnd = stringEnd(text, at);
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    const colon = skipSpace(text, keyEnd);
    const valueStart = skipSpace(text, colon + 1);
    const end = valueEnd(text, valueStart);
    list.push({ key, start: at, valueStart, end });
    at = skipSpace(text, end);
    if (text[at] === ",") at = skipSpace(text, at + 1);
  }
  if (text[at] !== "}") throw new Error("not a JSON object");
  return { open, close: at, list };
}

/** `changes`: key → new value, or undefined to remove the member. Keys not named keep their bytes. */
export function spliceTopLevel(text: string, changes: ReadonlyMap<string, unknown>): string {
  const { open, close, list } = members(text);
  let out = text.slice(0, open + 1);
  let wrote = false;
  let previousEnd = open + 1;
  for (const member of list) {
    // The bytes before a member (a comma and spaces, or the first member's leading spaces) are
    // written only where something precedes it, or where it is the first member anyway.
    const separator = wrote || list[0] === member ? text.slice(previousEnd, member.start) : "";
    previousEnd = member.end;
    if (!changes.has(member.key)) {
      out += separator + text.slice(member.start, member.end);
      wrote = true;
      continue;
    }
    const value = changes.get(member.key);
    if (value === undefined) continue;
    out += separator + text.slice(member.start, member.valueStart) + JSON.stringify(value);
    wrote = true;
  }
  const present = new Set(list.map((m) => m.key));
  for (const [key, value] of changes) {
    if (present.has(key) || value === undefined) continue;
    out += `${wrote ? "," : ""}${JSON.stringify(key)}:${JSON.stringify(value)}`;
    wrote = true;
  }
  return out + text.slice(previousEnd, close) + text.slice(close);
}
