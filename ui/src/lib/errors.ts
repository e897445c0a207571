// The one place that decides what the user reads when a command fails.
// It switches on the error code only: the Rust message is for logs and may be reworded at any time.
import type { MessageKey } from "./i18n";
import { isIpcError } from "./ipc/commands";
import type { IpcErrorCode } from "./ipc/types";

/** Every code maps to a message that tells the user what to do next. */
export const errorMessageKeys: Record<IpcErrorCode, MessageKey> = {
  invalid_credentials: "error.invalid_credentials",
  server_unreachable: "error.server_unreachable",
  invalid_server_url: "error.invalid_server_url",
  session_expired: "error.session_expired",
  not_signed_in: "error.not_signed_in",
  not_found: "error.not_found",
  internal: "error.internal",
};

/** The code of a failed command; anything that is not one of ours counts as `internal`. */
export function errorCode(error: unknown): IpcErrorCode {
  if (isIpcError(error)) return error.code;
  // Not ours (a Tauri or webview failure): keep the cause in the console for whoever diagnoses it.
  console.error("unexpected command failure", error);
  return "internal";
}

/** True when the core no longer holds a usable session, so the only way on is to sign in again. */
export function isSessionLost(code: IpcErrorCode): boolean {
  return code === "session_expired" || code === "not_signed_in";
}
