// The SSE parser of sse-reader.ts for a reader that wants only a few events of a long stream
// (the usage tap: message_start, message_delta, message_stop, error), on bytes: lines are found
// with indexOf and the records not wanted are skipped without being decoded or sliced, so a
// 2,000-event thinking stream costs a newline search per line instead of a decode of every chunk
// and a string per line (issue 18). Same events, same bounds (the record bound counts bytes).
// Pure.

import { joinBytes } from "./join-bytes.ts";
import { type ByteFinder, typedArrayFinder } from "./json-bytes.ts";
import type { SseEvent, SseParserOptions } from "./sse-reader.ts";
import { createSseRecord, MAX_SSE_RECORD } from "./sse-reader.ts";

export interface SseByteParser {
  push(bytes: Uint8Array): SseEvent[];
  /** The input ended: dispatch a record left without its closing blank line. */
  end(): SseEvent[];
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const EVENT = [0x65, 0x76, 0x65, 0x6e, 0x74]; // "event"
const DATA = [0x64, 0x61, 0x74, 0x61]; // "data"

/** Whether bytes[from, to) spell `name`. */
function spells(bytes: Uint8Array, from: number, to: number, name: readonly number[]): boolean {
  if (to - from !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (bytes[from + i] !== name[i]) return false;
  return true;
}

export interface SseByteParserOptions extends SseParserOptions {
  /** The runtime's fastest byte search in a chunk (platform/bytes.ts); Uint8Array's indexOf unless given. */
  readonly finder?: (bytes: Uint8Array) => ByteFinder;
}

export function createSseByteParser(options: SseByteParserOptions = {}): SseByteParser {
  const finderFor = options.finder ?? typedArrayFinder;
  const maxRecord = options.maxRecord ?? MAX_SSE_RECORD;
  const record = createSseRecord(maxRecord, options.wanted);
  const decoder = new TextDecoder();
  /** The unfinished last line of what was pushed, in pieces. */
  let partial: Uint8Array[] = [];
  let partialSize = 0;
  /** The current line is being skipped up to its end (it belongs to a skipped record). */
  let skippingLine = false;

  // A stream names a few kinds of event thousands of times: the last name is read once.
  let lastName: number[] = [];
  let lastEvent = "";
  const eventName = (bytes: Uint8Array, from: number, to: number): string => {
    if (spells(bytes, from, to, lastName)) return lastEvent;
    lastName = Array.from(bytes.subarray(from, to));
    lastEvent = decoder.decode(bytes.subarray(from, to));
    return lastEvent;
  };

  const clearPartial = () => {
    partial = [];
    partialSize = 0;
  };

  /** One line, bytes[from, to), without its LF. */
  const line = (bytes: Uint8Array, from: number, to: number, out: SseEvent[]) => {
    const end = to > from && bytes[to - 1] === CR ? to - 1 : to;
    if (end === from) return record.dispatch(out);
    if (record.skipping() || bytes[from] === COLON) return;
    const found = bytes.indexOf(COLON, from);
    const colon = found === -1 || found >= end ? -1 : found;
    const fieldEnd = colon === -1 ? end : colon;
    let valueStart = colon === -1 ? end : colon + 1;
    if (valueStart < end && bytes[valueStart] === SPACE) valueStart++;
    if (spells(bytes, from, fieldEnd, EVENT)) record.event(eventName(bytes, valueStart, end));
    else if (spells(bytes, from, fieldEnd, DATA)) {
      record.data(end - valueStart, () => decoder.decode(bytes.subarray(valueStart, end)), out);
    }
  };

  const joinedPartial = (tail: Uint8Array): Uint8Array => joinBytes([...partial, tail], partialSize + tail.length);

  return {
    push(bytes) {
      const out: SseEvent[] = [];
      let start = 0;
      const find = finderFor(bytes);
      let newline = find(LF, 0);
      if (skippingLine) {
        // The rest of an over-long or skipped line: nothing of it is kept.
        if (newline === -1) return out;
        skippingLine = false;
        start = newline + 1;
        newline = find(LF, start);
      } else if (newline !== -1 && partialSize > 0) {
        const whole = joinedPartial(bytes.subarray(0, newline));
        clearPartial();
        line(whole, 0, whole.length, out);
        start = newline + 1;
        newline = find(LF, start);
      }
      while (newline !== -1) {
        line(bytes, start, newline, out);
        start = newline + 1;
        newline = find(LF, start);
      }
      if (start < bytes.length) {
        // An unfinished line: kept only while it could still be part of a record we hold.
        const rest = bytes.length - start;
        if (record.skipping()) {
          // A lone CR may be the first half of the CRLF blank line that ends the record.
          if (partialSize === 0 && rest === 1 && bytes[start] === CR) {
            partial = [Uint8Array.of(CR)];
            partialSize = 1;
          } else {
            clearPartial();
            skippingLine = true;
          }
        } else if (partialSize + rest + record.size() > maxRecord) {
          clearPartial();
          skippingLine = true;
          record.overflow(out);
        } else {
          partial.push(bytes.slice(start)); // a copy: the chunk's buffer may be reused
          partialSize += rest;
        }
      }
      return out;
    },
    end() {
      const out: SseEvent[] = [];
      if (partialSize > 0 && !skippingLine) {
        const whole = joinedPartial(new Uint8Array(0));
        line(whole, 0, whole.length, out);
      }
      clearPartial();
      skippingLine = false;
      record.dispatch(out);
      return out;
    },
  };
}
