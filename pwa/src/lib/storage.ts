// What the app keeps on the device (IndexedDB through idb-keyval): the admin session, and the
// last dashboard snapshot so the app still shows something when the gateway is unreachable.
import { del, get, set } from "idb-keyval";
import type { LoginResponse, StatusResponse } from "../../../server/admin/schemas.ts";

export interface Snapshot {
  readonly status: StatusResponse;
  /** When it was taken (ms, the device's clock). */
  readonly saved_at: number;
}

export const loadSession = () => get<LoginResponse>("session");
export const saveSession = (session: LoginResponse) => set("session", session);
export const clearSession = () => del("session");

export const loadSnapshot = () => get<Snapshot>("dashboard");
export const saveSnapshot = (status: StatusResponse) => set("dashboard", { status, saved_at: Date.now() });
