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
  forbidden: "error.forbidden",
  bad_request: "error.bad_request",
  conflict: "error.conflict",
  pdf_empty: "error.pdf_empty",
  not_a_pdf: "error.not_a_pdf",
  pdf_corrupt: "error.pdf_corrupt",
  pdf_password_protected: "error.pdf_password_protected",
  pdf_wrong_password: "error.pdf_wrong_password",
  pdf_unsupported_security: "error.pdf_unsupported_security",
  pdf_restricted: "error.pdf_restricted",
  payload_too_large: "error.payload_too_large",
  hash_mismatch: "error.hash_mismatch",
  file_unreadable: "error.file_unreadable",
  publish_conflict: "error.publish_conflict",
  papers_not_approved: "error.papers_not_approved",
  nothing_to_publish: "error.nothing_to_publish",
  review_changed: "error.review_changed",
  approval_published: "error.approval_published",
  own_upload: "error.own_upload",
  paper_not_downloaded: "error.paper_not_downloaded",
  paper_damaged: "error.paper_damaged",
  pdf_engine_unavailable: "error.pdf_engine_unavailable",
  page_too_large: "error.page_too_large",
  folder_unavailable: "error.folder_unavailable",
  too_many_attempts: "error.too_many_attempts",
  password_change_required: "error.password_change_required",
  password_too_short: "error.password_too_short",
  password_contains_user_name: "error.password_contains_user_name",
  password_too_common: "error.password_too_common",
  wrong_current_password: "error.wrong_current_password",
  username_taken: "error.username_taken",
  import_rejected: "error.import_rejected",
  sitting_closed: "error.sitting_closed",
  sitting_not_open: "error.sitting_not_open",
  remote_not_allowed: "error.remote_not_allowed",
  not_checked_in: "error.not_checked_in",
  request_gone: "error.request_gone",
  poll_not_open: "error.poll_not_open",
  poll_closed: "error.poll_closed",
  poll_cancelled: "error.poll_cancelled",
  not_entitled: "error.not_entitled",
  already_voted: "error.already_voted",
  ballot_not_current: "error.ballot_not_current",
  nobody_present: "error.nobody_present",
  too_many_messages: "error.too_many_messages",
  message_too_long: "error.message_too_long",
  message_deleted: "error.message_deleted",
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
