import pkg from "../package.json" with { type: "json" };

/** Set by scripts/build.ts (`--define`): version, commit and build date of a release artifact. */
declare const __POCKETGATE_BUILD__: string | undefined;

export const VERSION: string = pkg.version;

/** "0.1.0+1a2b3c4 2026-11-24" for built artifacts; "source" when run from the repository. */
export const BUILD: string = typeof __POCKETGATE_BUILD__ === "string" ? __POCKETGATE_BUILD__ : "source";
