// The floor on Node, the phone's runtime (issue 18): the same passthrough as floor.ts on node:http
// and fetch. Read the body, fetch upstream, stream the response back. Prints "PORT <n>".
import { createServer } from "node:http";
import { Readable } from "node:stream";

const upstream = process.env.BENCH_UPSTREAM ?? "http://127.0.0.1:1";
const server = createServer(async (request, response) => {
  if (request.url === "/health") return void response.end("ok");
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const reply = await fetch(`${upstream}${request.url}`, {
    method: request.method,
    headers: { "content-type": "application/json", "x-api-key": "sk-ant-floor" },
    body: Buffer.concat(chunks),
  });
  response.writeHead(reply.status, { "content-type": reply.headers.get("content-type") ?? "application/json" });
  if (reply.body) Readable.fromWeb(reply.body).pipe(response);
  else response.end();
});
server.keepAliveTimeout = 0;
server.listen(0, "127.0.0.1", () => console.log(`PORT ${server.address().port}`));
