// The floor: the least a Bun passthrough can be. Read the body, fetch upstream, stream the
// response back. Nothing else: pocketgate is measured against this. Prints "PORT <n>".
const upstream = process.env.BENCH_UPSTREAM ?? "http://127.0.0.1:1";
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    const body = await request.arrayBuffer();
    const response = await fetch(`${upstream}${url.pathname}`, {
      method: request.method,
      headers: { "content-type": "application/json", "x-api-key": "sk-ant-floor" },
      body,
    });
    return new Response(response.body, { status: response.status, headers: response.headers });
  },
});
console.log(`PORT ${server.port}`);
