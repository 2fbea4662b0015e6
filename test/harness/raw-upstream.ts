// An upstream that answers at the TCP level, for replies an HTTP server library will not send:
// broken chunked encoding, a connection reset in the middle of a body, a body longer or shorter
// than it said. It reads one request (head and declared body), then hands the socket over.
import { createServer, type Socket } from "node:net";

export interface RawUpstream extends AsyncDisposable {
  readonly url: string;
  /** Requests seen (the head only, as text). */
  readonly requests: string[];
}

export function startRawUpstream(answer: (socket: Socket, head: string) => void): Promise<RawUpstream> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString("latin1");
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffer.length - end - 4 < length) return;
      socket.off("data", onData);
      requests.push(head);
      answer(socket, head);
    };
    socket.on("data", onData);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        async [Symbol.asyncDispose]() {
          for (const socket of sockets) socket.destroy();
          await new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
  });
}
