// Generated from src-tauri/src/dto.rs by `UPDATE_BINDINGS=1 cargo test -p ecabinet bindings`.
// Do not edit: change the Rust types and regenerate.

export type Role = "administrator" | "secretary" | "chair" | "delegate" | "guest";
export type MeetingStatus = "draft" | "scheduled" | "in_progress" | "closed";
export type ConnectionState = "online" | "connecting" | "offline" | "signed_out";
export type MemberView = { id: string, username: string, display_name: string, role: Role, };
export type SessionInfo = { server_url: string, member: MemberView, council_name: string, };
export type SyncStatus = { connection: ConnectionState, 
/**
 * Milliseconds since the Unix epoch.
 */
last_synced_at: number | null, detail: string | null, };
export type PdfEngineStatus = { available: boolean, 
/**
 * The library in use, or every path tried and how to fix it.
 */
detail: string, };
export type AppSnapshot = { session: SessionInfo | null, sync: SyncStatus, pdf_engine: PdfEngineStatus, };
export type MeetingSummary = { id: string, title: string, starts_at: number, location: string, status: MeetingStatus, item_count: number, };
export type AgendaNodeView = { id: string, 
/**
 * "2.1": the number the papers use for this item.
 */
number: string, title: string, presenter: string | null, planned_minutes: number | null, paper_titles: Array<string>, children: Array<AgendaNodeView>, };
export type MeetingAgenda = { meeting: MeetingSummary, items: Array<AgendaNodeView>, };
export type StoreChanged = { cursor: number, };
export type IpcErrorCode = "invalid_credentials" | "server_unreachable" | "invalid_server_url" | "session_expired" | "not_signed_in" | "not_found" | "internal";
export type IpcError = { code: IpcErrorCode, message: string, };
