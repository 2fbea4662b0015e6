// Passes a response body through chunk for chunk (no re-framing, contract §2), reading upstream
// only as fast as the client reads (backpressure), while watching for silence on either side:
// - upstream silent for `idleMs` while a read waits on it: the stream ends, for SSE with an
//   `error` event (contract §2);
// - the upstream connection breaking mid-body: for SSE too, an `error` event, so clients see why;
// - the client not reading for `idleMs`: upstream is given up and the client's stream errors, so
//   a client that stopped reading cannot hold an upstream request open for ever.

export interface IdleGuardOptions {
  readonly idleMs: number;
  readonly now: () => number;
  /**
   * The bytes that end an SSE stream which went silent or whose upstream connection broke; without
   * them (not SSE) the stream errors instead.
   */
  readonly sseTail?: (reason: "idle" | "broken", error?: unknown) => Uint8Array;
  /** Called once when the guard gives up (idle, broken, client stalled) or the client cancels. */
  readonly onStop: (reason: Exclude<StopReason, "complete">) => void;
  /** Sees every chunk and then the end, whatever it is; may be filled in after the call. */
  readonly watch?: StreamWatch;
}

/** How a guarded stream stopped: its natural end, or why the guard gave up. */
export type StopReason = "complete" | "idle" | "broken" | "stalled" | "cancelled";

/** Reads along with the client (usage accounting) without a stream of its own. */
export interface StreamWatch {
  chunk?: (chunk: Uint8Array) => void;
  /** Once: at the end, on an error, when idle or when the client goes away; `error` when it broke. */
  end?: (reason: StopReason, error?: unknown) => void;
}

const NL = 0x0a;
const encoder = new TextEncoder();

export function idleGuard(source: ReadableStream<Uint8Array>, options: IdleGuardOptions): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  /** Since when the current side has been silent: upstream while a read waits, else the client. */
  let since = options.now();
  let reading = false;
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The last two bytes seen, so an SSE tail starts on a record boundary.
  let tailState = [NL, NL];

  const finish = (reason: StopReason, error?: unknown) => {
    done = true;
    if (timer !== undefined) clearTimeout(timer);
    options.watch?.end?.(reason, error);
  };

  const endWithTail = (controller: ReadableStreamDefaultController<Uint8Array>, tail: Uint8Array) => {
    const gap = tailState[1] !== NL ? "\n\n" : tailState[0] !== NL ? "\n" : "";
    if (gap) controller.enqueue(encoder.encode(gap));
    controller.enqueue(tail);
    controller.close();
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // One timer re-armed lazily: cheaper than resetting a timer on every chunk.
        const check = () => {
          if (done) return;
          const silent = options.now() - since;
          if (silent < options.idleMs) {
            timer = setTimeout(check, options.idleMs - silent);
            return;
          }
          finish(reading ? "idle" : "stalled");
          // Upstream is given up first, so it is already closing when the client sees the end.
          reader.cancel().catch(() => {});
          if (!reading) {
            options.onStop("stalled");
            controller.error(new Error(`the client read nothing for ${options.idleMs} ms`));
            return;
          }
          options.onStop("idle");
          if (options.sseTail) endWithTail(controller, options.sseTail("idle"));
          else controller.error(new Error(`upstream body idle for ${options.idleMs} ms`));
        };
        timer = setTimeout(check, options.idleMs);
      },
      async pull(controller) {
        reading = true;
        since = options.now();
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          if (done) return;
          finish("broken", error);
          options.onStop("broken");
          if (options.sseTail) endWithTail(controller, options.sseTail("broken", error));
          else controller.error(error);
          return;
        }
        reading = false;
        since = options.now();
        if (done) return;
        if (result.done) {
          finish("complete");
          controller.close();
          return;
        }
        const chunk = result.value;
        if (chunk.length >= 2) tailState = [chunk[chunk.length - 2] ?? 0, chunk[chunk.length - 1] ?? 0];
        else if (chunk.length === 1) tailState = [tailState[1] ?? 0, chunk[0] ?? 0];
        options.watch?.chunk?.(chunk);
        controller.enqueue(chunk);
      },
      cancel(reason) {
        if (done) return;
        finish("cancelled");
        reader.cancel(reason).catch(() => {});
        options.onStop("cancelled");
      },
    },
    // Nothing is read ahead: a chunk is pulled when the client wants one, so a watch filled in
    // after this call (usage accounting) still sees the first, and a slow client holds upstream back.
    { highWaterMark: 0 },
  );
}
