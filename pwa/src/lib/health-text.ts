// The dashboard's verdict in words: each reason (server/admin/health.ts) as a sentence in the
// user's language that says what to do.
import type { HealthReason } from "../../../server/admin/schemas.ts";
import { formatClock } from "./format.ts";
import { t } from "./i18n.ts";

export function reasonText(reason: HealthReason): string {
  const n = reason.count ?? 0;
  switch (reason.code) {
    case "unreachable":
      return reason.proxy
        ? t("reason_unreachable_proxy", { host: reason.host ?? "", proxy: reason.proxy })
        : t("reason_unreachable", { host: reason.host ?? "" });
    case "no_keys":
      return t("reason_no_keys");
    case "keys_cooling":
      return t("reason_keys_cooling", { time: formatClock(reason.until ?? Date.now()) });
    case "keys_unusable":
      return t("reason_keys_unusable", { n });
    case "some_keys_unusable":
      return t("reason_some_keys_unusable", { n, total: reason.total ?? 0 });
    case "server_errors":
      return t("reason_server_errors", { n, total: reason.total ?? 0 });
    case "config_problem":
      return t("reason_config_problem");
    case "shared_unavailable":
      return reason.services?.includes("PostgreSQL")
        ? t("reason_shared_unavailable", { services: reason.services.join(" + "), n })
        : t("reason_shared_redis_unavailable");
  }
}
