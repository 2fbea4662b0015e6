#!/usr/bin/env bun
// The `pocketgate` command of this package (package.json "bin"). The program itself is main.ts,
// which has no shebang line of its own (see there).
import "./main.ts";
