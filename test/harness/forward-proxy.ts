// A minimal HTTP forward proxy on 127.0.0.1 for testing the outbound proxy setting: it serves
// absolute-form requests (what Bun's fetch sends for http:// targets) and CONNECT tunnels (what
// undici's ProxyAgent uses), and records each target it carried.
import { createServer, request as httpRequest } from "node:http";
import { connect } from "node:net";

export interface ForwardProxy extends AsyncDisposable {
  readonly url: string;
  /** "host:port" of every target, in order. */
  readonly targets: string[];
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const targets: string[] = [];
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? "");
    targets.push(target.host);
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  // CONNECT sockets leave the HTTP server's books: kept here so closing the proxy ends them.
  const tunnels = new Set<{ destroy(): void }>();
  server.on("connect", (req, socket, head) => {
    tunnels.add(socket);
    socket.on("close", () => tunnels.delete(socket));
    const [host, port] = (req.url ?? "").split(":");
    targets.push(req.url ?? "");
    const tunnel = connect(Number(port), host ?? "127.0.0.1", () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) tunnel.write(head);
      tunnel.pipe(socket);
      socket.pipe(tunnel);
    });
    tunnel.on("error", () => socket.destroy());
    socket.on("error", () => tunnel.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      for (const socket of tunnels) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
