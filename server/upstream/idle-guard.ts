// Passes a response body through chunk for chunk (no re-framing, contract §2) while watching
// for silence: after `idleMs` without a chunk the stream ends, for SSE with an `error` event.

export interface IdleGuardOptions {
  readonly idleMs: number;
  readonly now: () => number;
  /** Bytes written before closing when the stream goes idle; without them the stream errors. */
  readonly idleTail?: Uint8Array;
  /** Called once when the guard gives up (idle) or the client cancels: abort the upstream. */
  readonly onStop: (reason: "idle" | "cancelled") => void;
  /** Sees every chunk and then the end, whatever it is; may be filled in after the call. */
  readonly watch?: StreamWatch;
}

/** Reads along with the client (usage accounting) without a stream of its own. */
export interface StreamWatch {
  chunk?: (chunk: Uint8Array) => void;
  /** Once: at the end, on an error, when idle or when the client goes away. */
  end?: () => void;
}

const NL = 0x0a;

export function idleGuard(source: ReadableStream<Uint8Array>, options: IdleGuardOptions): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let last = options.now();
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The last two bytes seen, so an SSE tail starts on a record boundary.
  let tailState = [NL, NL];

  const finish = () => {
    done = true;
    if (timer !== undefined) clearTimeout(timer);
    options.watch?.end?.();
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // One timer re-armed lazily: cheaper than resetting a timer on every chunk.
        const check = () => {
          if (done) return;
          const idle = options.now() - last;
          if (idle < options.idleMs) {
            timer = setTimeout(check, options.idleMs - idle);
            return;
          }
          finish();
          // Upstream is given up first, so it is already closing when the client sees the end.
          reader.cancel().catch(() => {});
          options.onStop("idle");
          if (options.idleTail) {
            const gap = tailState[1] !== NL ? "\n\n" : tailState[0] !== NL ? "\n" : "";
            if (gap) controller.enqueue(new TextEncoder().encode(gap));
            controller.enqueue(options.idleTail);
            controller.close();
          } else {
            controller.error(new Error(`upstream body idle for ${options.idleMs} ms`));
          }
        };
        timer = setTimeout(check, options.idleMs);
      },
      async pull(controller) {
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          if (!done) {
            finish();
            controller.error(error);
          }
          return;
        }
        if (done) return;
        if (result.done) {
          finish();
          controller.close();
          return;
        }
        const chunk = result.value;
        last = options.now();
        if (chunk.length >= 2) tailState = [chunk[chunk.length - 2] ?? 0, chunk[chunk.length - 1] ?? 0];
        else if (chunk.length === 1) tailState = [tailState[1] ?? 0, chunk[0] ?? 0];
        options.watch?.chunk?.(chunk);
        controller.enqueue(chunk);
      },
      cancel(reason) {
        if (done) return;
        finish();
        reader.cancel(reason).catch(() => {});
        options.onStop("cancelled");
      },
    },
    // Nothing is read ahead: a chunk is pulled when the client wants one, so a watch filled in
    // after this call (usage accounting) still sees the first.
    { highWaterMark: 0 },
  );
}
