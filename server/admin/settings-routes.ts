// Settings in the admin app: every config value with where it came from; saving validates,
// writes the file atomically and applies at once (host and port say a restart is needed).
// Also the admin password change and the outbound proxy test.
import { Elysia } from "elysia";
import type { LiveConfig } from "../config/live.ts";
import { type ConfigKey, configKeys, envName, schema } from "../config/schema.ts";
import { badRequest, GatewayError } from "../errors.ts";
import { hashPassword } from "../platform/crypto.ts";
import type { ReachResult } from "../upstream/reachability.ts";
import { requireChangeable, updateConfig } from "./config-writes.ts";
import { guarded, json, sessionCookie, sessionGuard } from "./http.ts";
import { verifyAdminPassword } from "./password.ts";
import {
  PasswordBody,
  type PasswordResponse,
  ProxyTestBody,
  SettingsPatchBody,
  type SettingsResponse,
  type SettingView,
} from "./schemas.ts";
import type { Sessions } from "./sessions.ts";

export interface SettingsDeps {
  readonly sessions: Sessions;
  readonly live: LiveConfig;
  /** Reaches upstream through the given proxy ("" for none). */
  readonly testProxy: (proxy: string) => Promise<ReachResult>;
}

/** Secrets have their own pages: keys (Credentials), the client key (Clients), the password. */
const managedElsewhere: Partial<Record<ConfigKey, string>> = {
  upstream_keys: "add upstream keys on the Credentials page (POST /api/keys)",
  providers: "manage providers on the Providers page (/api/providers)",
  model_aliases: "manage model aliases on the Providers page (PUT /api/providers/aliases)",
  password: "manage client keys on the Clients page (/api/clients)",
  admin_password: "change the admin password with POST /api/password",
  admin_password_hash: "change the admin password with POST /api/password",
};

export function settingsRoutes(deps: SettingsDeps) {
  const requireSession = sessionGuard(deps.sessions);

  const views = (): SettingView[] => {
    const config = deps.live.current();
    return configKeys.map((key) => {
      const def = schema[key] as {
        default: unknown;
        help: string;
        secret?: boolean;
        restart?: boolean;
        group: SettingView["group"];
        kind: SettingView["kind"];
        choices?: readonly string[];
      };
      const origin = deps.live.origin(key);
      const secret = def.secret === true;
      // Tables (providers, aliases) are shown and changed on the Providers page, not here.
      const shown = !secret && def.group !== "providers";
      return {
        key,
        group: def.group,
        kind: def.kind,
        ...(def.choices ? { choices: [...def.choices] } : {}),
        ...(!shown
          ? {}
          : { value: config[key] as SettingView["value"], default: def.default as SettingView["default"] }),
        help: def.help,
        origin,
        env: envName(key),
        secret,
        restart: def.restart === true,
        editable: shown && origin !== "env" && origin !== "flag",
      };
    });
  };

  return new Elysia({ prefix: "/api" })
    .get(
      "/settings",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        return json({ settings: views(), restart_needed: [] } satisfies SettingsResponse);
      }),
    )
    .patch(
      "/settings",
      guarded(async ({ request, body }: { request: Request; body: SettingsPatchBody }) => {
        requireSession(request);
        const before = deps.live.current();
        for (const key of Object.keys(body)) {
          if (!(key in schema)) throw badRequest(`unknown setting "${key}"`);
          const managed = managedElsewhere[key as ConfigKey];
          if (managed) throw badRequest(`${key} is not changed here: ${managed}`);
          requireChangeable(deps.live, key as ConfigKey);
        }
        const after = await updateConfig(deps.live, body);
        const restartNeeded = configKeys.filter(
          (key) => (schema[key] as { restart?: boolean }).restart && before[key] !== after[key],
        );
        return json({ settings: views(), restart_needed: restartNeeded } satisfies SettingsResponse);
      }),
      { body: SettingsPatchBody },
    )
    .post(
      "/settings/test-proxy",
      guarded(async ({ request, body }: { request: Request; body: ProxyTestBody }) => {
        requireSession(request);
        const parsed = schema.proxy.parse(body.proxy);
        if (typeof parsed !== "string") throw badRequest(`proxy: expected ${parsed.expected}`);
        return json(await deps.testProxy(parsed));
      }),
      { body: ProxyTestBody },
    )
    .post(
      "/password",
      guarded(async ({ request, body }: { request: Request; body: PasswordBody }) => {
        requireSession(request);
        requireChangeable(deps.live, "admin_password");
        if (!(await verifyAdminPassword(deps.live.current(), body.current))) {
          throw new GatewayError(403, "permission_error", "the current admin password is wrong");
        }
        await deps.live.update({ admin_password_hash: await hashPassword(body.next), admin_password: null });
        // Sessions made under the old password no longer match it (sessions.ts); the caller goes
        // on with a new one, and the old rows go now rather than at the next login.
        deps.sessions.revokeAll();
        const session = deps.sessions.create();
        return json({ ok: true, ...session } satisfies PasswordResponse, { "set-cookie": sessionCookie(session) });
      }),
      { body: PasswordBody },
    );
}
