// Typed wrappers over the Tauri commands, so no other module spells a command name or its arguments.
// Tauri maps the camelCase argument keys to the snake_case parameters of the Rust functions.
import { invoke } from "@tauri-apps/api/core";
import type {
  AppSnapshot,
  IpcError,
  IpcErrorCode,
  MeetingAgenda,
  MeetingSummary,
  SessionInfo,
} from "./types";

export function appSnapshot(): Promise<AppSnapshot> {
  return invoke<AppSnapshot>("app_snapshot");
}

export function login(serverUrl: string, username: string, password: string): Promise<SessionInfo> {
  return invoke<SessionInfo>("login", { serverUrl, username, password });
}

export function logout(): Promise<null> {
  return invoke<null>("logout");
}

export function listMeetings(): Promise<MeetingSummary[]> {
  return invoke<MeetingSummary[]>("list_meetings");
}

export function meetingAgenda(meetingId: string): Promise<MeetingAgenda> {
  return invoke<MeetingAgenda>("meeting_agenda", { meetingId });
}

// Keyed by the union so that a code added on the Rust side fails type checking until it is listed here.
const knownCodes: Record<IpcErrorCode, true> = {
  invalid_credentials: true,
  server_unreachable: true,
  invalid_server_url: true,
  session_expired: true,
  not_signed_in: true,
  not_found: true,
  internal: true,
};

/** True for a rejection that came from our commands; Tauri itself rejects with plain strings. */
export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && Object.hasOwn(knownCodes, code) && typeof message === "string";
}
