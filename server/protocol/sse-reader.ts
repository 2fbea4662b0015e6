// Incremental SSE parser (WHATWG "event stream interpretation"), pure: text in, events out.
// Tolerates CRLF, comments, multi-line data and a final record without its blank line.

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

export interface SseParser {
  push(text: string): SseEvent[];
  /** The input ended: dispatch a record left without its closing blank line. */
  end(): SseEvent[];
}

export function createSseParser(): SseParser {
  let buffer = "";
  let event = "";
  let data: string[] = [];

  const dispatch = (out: SseEvent[]) => {
    if (data.length > 0) out.push({ event: event || "message", data: data.join("\n") });
    event = "";
    data = [];
  };

  const line = (raw: string, out: SseEvent[]) => {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text === "") return dispatch(out);
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  };

  return {
    push(text) {
      const out: SseEvent[] = [];
      buffer += text;
      let newline = buffer.indexOf("\n");
      while (newline !== -1) {
        line(buffer.slice(0, newline), out);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
      return out;
    },
    end() {
      const out: SseEvent[] = [];
      if (buffer !== "") line(buffer, out);
      buffer = "";
      dispatch(out);
      return out;
    },
  };
}
