// What the gateway is doing right now, for the admin dashboard: requests waiting for upstream's
// response headers, and streamed replies still open.

export function createActivity() {
  let inFlight = 0;
  let streams = 0;
  return {
    requestStarted: () => void inFlight++,
    requestAnswered: () => void inFlight--,
    streamOpened: () => void streams++,
    streamClosed: () => void streams--,
    snapshot: () => ({ in_flight: inFlight, live_streams: streams }),
  };
}

export type Activity = ReturnType<typeof createActivity>;
