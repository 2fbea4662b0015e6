// The built admin app, when scripts/build-pwa.ts has generated server/generated/admin-app.ts
// (npm install runs it). A literal import, so bundlers embed the file in the executable.
import type { EmbeddedAssets } from "./admin-app.ts";

export async function loadAdminApp(): Promise<EmbeddedAssets | undefined> {
  try {
    return (await import("../generated/admin-app.ts")).assets;
  } catch {
    return undefined;
  }
}
