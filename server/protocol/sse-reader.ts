// Incremental SSE parser (WHATWG "event stream interpretation"), pure: text in, events out.
// Tolerates CRLF, comments, multi-line data and a final record without its blank line.
// Bounded (issue 11): a record larger than `maxRecord` characters is not held; it is reported
// once as `oversized` and the rest of it is skipped. Records of events the caller does not want
// are skipped as they pass, whatever their size, so watching a stream for two event kinds holds
// no more than those two.

export interface SseEvent {
  readonly event: string;
  readonly data: string;
  /** The record was larger than the parser holds: `data` is empty, the record is lost. */
  readonly oversized?: true;
}

export interface SseParser {
  push(text: string): SseEvent[];
  /** The input ended: dispatch a record left without its closing blank line. */
  end(): SseEvent[];
}

export interface SseParserOptions {
  /** Largest record held, in characters (default 16 Mi: far above any real Anthropic event). */
  readonly maxRecord?: number;
  /** Only records whose `event:` name passes are kept; others are skipped as they stream by. */
  readonly wanted?: (event: string) => boolean;
}

export const MAX_SSE_RECORD = 16 * 1024 * 1024;

/**
 * The record being read, shared by this parser and the byte parser (sse-byte-reader.ts): its
 * event name and data lines, its size against the bound, and whether it is being skipped.
 */
export function createSseRecord(maxRecord: number, wanted: ((event: string) => boolean) | undefined) {
  let event = "";
  let data: string[] = [];
  let size = 0;
  /** The current record is skipped: unwanted, or over the size bound (then reported once). */
  let skipping: "no" | "unwanted" | "oversized" = "no";

  const overflow = (out: SseEvent[]) => {
    if (skipping === "no") out.push({ event: event || "message", data: "", oversized: true });
    skipping = "oversized";
    data = [];
  };

  return {
    /** Whether the record's lines are being skipped. */
    skipping: () => skipping !== "no",
    /** Characters (or bytes) the record holds so far. */
    size: () => size,
    /** The blank line: the record is complete. */
    dispatch(out: SseEvent[]) {
      if (skipping === "no" && data.length > 0) out.push({ event: event || "message", data: data.join("\n") });
      event = "";
      data = [];
      size = 0;
      skipping = "no";
    },
    overflow,
    event(name: string) {
      event = name;
      if (wanted && !wanted(name)) {
        skipping = "unwanted";
        data = [];
      }
    },
    /** A data line of `length`, read only if the record keeps it. */
    data(length: number, value: () => string, out: SseEvent[]) {
      size += length + 1;
      if (size > maxRecord) return overflow(out);
      data.push(value());
    },
  };
}

export function createSseParser(options: SseParserOptions = {}): SseParser {
  const maxRecord = options.maxRecord ?? MAX_SSE_RECORD;
  const record = createSseRecord(maxRecord, options.wanted);
  /** The unfinished last line of what was pushed. */
  let partial = "";
  /** The current line is being skipped up to its end (it belongs to a skipped record). */
  let skippingLine = false;

  const line = (raw: string, out: SseEvent[]) => {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text === "") return record.dispatch(out);
    if (record.skipping() || text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") record.event(value);
    else if (field === "data") record.data(value.length, () => value, out);
  };

  return {
    push(text) {
      const out: SseEvent[] = [];
      let start = 0;
      let newline = text.indexOf("\n");
      if (skippingLine) {
        // The rest of an over-long or skipped line: nothing of it is kept.
        if (newline === -1) return out;
        skippingLine = false;
        start = newline + 1;
        newline = text.indexOf("\n", start);
      } else if (newline !== -1 && partial !== "") {
        line(partial + text.slice(0, newline), out);
        partial = "";
        start = newline + 1;
        newline = text.indexOf("\n", start);
      }
      while (newline !== -1) {
        line(text.slice(start, newline), out);
        start = newline + 1;
        newline = text.indexOf("\n", start);
      }
      if (start < text.length) {
        // An unfinished line: kept only while it could still be part of a record we hold.
        const rest = text.length - start;
        if (record.skipping()) {
          // A lone "\r" may be the first half of the CRLF blank line that ends the record.
          if (partial === "" && rest === 1 && text.endsWith("\r")) partial = "\r";
          else {
            partial = "";
            skippingLine = true;
          }
        } else if (partial.length + rest + record.size() > maxRecord) {
          partial = "";
          skippingLine = true;
          record.overflow(out);
        } else {
          partial += text.slice(start);
        }
      }
      return out;
    },
    end() {
      const out: SseEvent[] = [];
      if (partial !== "" && !skippingLine) line(partial, out);
      partial = "";
      skippingLine = false;
      record.dispatch(out);
      return out;
    },
  };
}
