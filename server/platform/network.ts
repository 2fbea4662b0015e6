// This machine's addresses on the local network, for the Connect page: a second device (a
// tablet, another phone) reaches pocketgate there when it listens on more than loopback.
import { networkInterfaces } from "node:os";

const everyInterface = new Set(["0.0.0.0", "::", "[::]", ""]);
const loopbackNames = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** The addresses another device can use to reach a server listening on `host` (none for loopback). */
export function lanAddresses(host: string): string[] {
  if (loopbackNames.has(host) || host.startsWith("127.")) return [];
  if (!everyInterface.has(host)) return [host];
  try {
    return Object.values(networkInterfaces())
      .flat()
      .flatMap((entry) => (entry && entry.family === "IPv4" && !entry.internal ? [entry.address] : []));
  } catch {
    // Android may refuse to list interfaces to an app; the page then says it cannot tell.
    return [];
  }
}
