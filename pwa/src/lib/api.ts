// The only place that talks to the gateway: the admin API under /api, same origin, with the
// session token as a Bearer header. Errors become ApiError with the server's own message. The
// live event stream is read with fetch too (EventSource cannot send the token).
import { FetchError, type FetchOptions, ofetch } from "ofetch";
import type {
  ClientCreateBody,
  ClientLimitsBody,
  ClientView,
  ConnectResponse,
  KeysAddResponse,
  KeysResponse,
  KeyTestResponse,
  KeyUpdateBody,
  KeyView,
  LoginResponse,
  PasswordBody,
  PasswordResponse,
  ProviderChange,
  ProviderCreate,
  ProvidersResponse,
  ProviderTestResponse,
  ReachView,
  RequestDetail,
  RequestFacets,
  RequestsQuery,
  RequestsResponse,
  SettingsPatchBody,
  SettingsResponse,
  StatusResponse,
  UsageResponse,
} from "../../../server/admin/schemas.ts";
import { saveSession } from "./storage.ts";

type UsageGroup = "day" | "client" | "key" | "model" | "provider";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    /** 0 when the gateway could not be reached at all. */
    readonly status: number,
  ) {
    super(message);
  }
}

let token: string | undefined;
let onUnauthorized: () => void = () => {};
let onReachable: (reachable: boolean) => void = () => {};

export const setToken = (value: string | undefined) => {
  token = value;
};
export const handleUnauthorized = (handler: () => void) => {
  onUnauthorized = handler;
};
export const handleReachable = (handler: (reachable: boolean) => void) => {
  onReachable = handler;
};

async function call<T>(path: string, options: FetchOptions<"json"> = {}): Promise<T> {
  try {
    const result = await ofetch<T>(`/api${path}`, {
      ...options,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      retry: 0,
    });
    onReachable(true);
    return result;
  } catch (error) {
    if (error instanceof FetchError && error.response) {
      onReachable(true);
      if (error.response.status === 401 && path !== "/login") onUnauthorized();
      const message = (error.data as { error?: { message?: string } } | undefined)?.error?.message;
      throw new ApiError(message ?? `the gateway answered ${error.response.status}`, error.response.status);
    }
    onReachable(false);
    throw new ApiError("cannot reach the gateway", 0);
  }
}

export const api = {
  login: (password: string) => call<LoginResponse>("/login", { method: "POST", body: { password } }),
  logout: () => call<{ ok: boolean }>("/logout", { method: "POST" }),
  status: () => call<StatusResponse>("/status"),
  keys: () => call<KeysResponse>("/keys"),
  addKeys: (keys: string, label?: string, provider?: string) =>
    call<KeysAddResponse>("/keys", { method: "POST", body: { keys, label, provider } }),
  updateKey: (id: string, body: KeyUpdateBody) => call<KeyView>(`/keys/${id}`, { method: "PATCH", body }),
  deleteKey: (id: string) => call<{ ok: boolean }>(`/keys/${id}`, { method: "DELETE" }),
  testKey: (id: string) => call<KeyTestResponse>(`/keys/${id}/test`, { method: "POST" }),
  clients: () => call<{ clients: ClientView[] }>("/clients"),
  createClient: (body: ClientCreateBody) => call<ClientView>("/clients", { method: "POST", body }),
  setLimits: (id: string, body: ClientLimitsBody) => call<ClientView>(`/clients/${id}`, { method: "PATCH", body }),
  revokeClient: (id: string) => call<{ ok: boolean }>(`/clients/${id}/revoke`, { method: "POST" }),
  settings: () => call<SettingsResponse>("/settings"),
  saveSettings: (body: SettingsPatchBody) => call<SettingsResponse>("/settings", { method: "PATCH", body }),
  testProxy: (proxy: string) => call<ReachView>("/settings/test-proxy", { method: "POST", body: { proxy } }),
  /** Ends every session; the answer carries the new one for this app. */
  changePassword: async (body: PasswordBody) => {
    const result = await call<PasswordResponse>("/password", { method: "POST", body });
    setToken(result.token);
    await saveSession({ token: result.token, expires_at: result.expires_at });
    return result;
  },
  requests: (query: RequestsQuery) => call<RequestsResponse>("/requests", { query }),
  request: (id: string) => call<RequestDetail>(`/requests/${id}`),
  facets: () => call<RequestFacets>("/requests/facets"),
  usage: (by: UsageGroup, days: number, split?: UsageGroup) =>
    call<UsageResponse>("/usage", { query: { by, days, ...(split ? { split } : {}) } }),
  /** The live event stream (text/event-stream), or an ApiError. */
  async events(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    let response: Response;
    try {
      response = await fetch("/api/events", {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal,
        cache: "no-store",
      });
    } catch {
      onReachable(false);
      throw new ApiError("cannot reach the gateway", 0);
    }
    onReachable(true);
    if (response.status === 401) onUnauthorized();
    if (!response.ok || !response.body) throw new ApiError(`the gateway answered ${response.status}`, response.status);
    return response.body;
  },
  connect: () => call<ConnectResponse>("/connect"),
  providers: () => call<ProvidersResponse>("/providers"),
  addProvider: (body: ProviderCreate) => call<ProvidersResponse>("/providers", { method: "POST", body }),
  updateProvider: (name: string, body: ProviderChange) =>
    call<ProvidersResponse>(`/providers/${encodeURIComponent(name)}`, { method: "PATCH", body }),
  deleteProvider: (name: string) =>
    call<ProvidersResponse>(`/providers/${encodeURIComponent(name)}`, { method: "DELETE" }),
  orderProviders: (names: string[]) => call<ProvidersResponse>("/providers/order", { method: "PUT", body: { names } }),
  setAliases: (aliases: Record<string, string>) =>
    call<ProvidersResponse>("/providers/aliases", { method: "PUT", body: { aliases } }),
  testProvider: (name: string) =>
    call<ProviderTestResponse>(`/providers/${encodeURIComponent(name)}/test`, { method: "POST" }),
};
