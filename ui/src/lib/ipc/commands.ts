// Typed wrappers over the Tauri commands, so no other module spells a command name or its arguments.
// Tauri maps the camelCase argument keys to the snake_case parameters of the Rust functions.
import { invoke } from "@tauri-apps/api/core";
import type {
  AgendaItemDetails,
  AgendaMove,
  AppSnapshot,
  DownloadProgress,
  ImportOutcome,
  IpcError,
  IpcErrorCode,
  MeetingAgenda,
  MeetingDetails,
  MeetingDraft,
  MeetingPacket,
  MeetingStorageView,
  MeetingSummary,
  OpenedPaper,
  PaperChanges,
  PaperPlace,
  ParticipantChoice,
  PublishedVersion,
  SessionInfo,
  WatchedFolderView,
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

// The packet, as a participant reads it.

export function meetingPacket(meetingId: string): Promise<MeetingPacket | null> {
  return invoke<MeetingPacket | null>("meeting_packet", { meetingId });
}

export function acknowledgePacket(meetingId: string): Promise<null> {
  return invoke<null>("acknowledge_packet", { meetingId });
}

export function downloadProgress(): Promise<DownloadProgress> {
  return invoke<DownloadProgress>("download_progress");
}

export function pauseDownloads(): Promise<null> {
  return invoke<null>("pause_downloads");
}

export function resumeDownloads(): Promise<null> {
  return invoke<null>("resume_downloads");
}

export function openPaper(meetingId: string, paperId: string): Promise<OpenedPaper> {
  return invoke<OpenedPaper>("open_paper", { meetingId, paperId });
}

/** A page as raw pixels, ready for `ImageData`. */
export type PageImage = { width: number; height: number; pixels: Uint8ClampedArray<ArrayBuffer> };

/**
 * Renders a page of the open paper `widthPx` device pixels wide.
 * The core answers with raw bytes (no JSON, no PNG): width and height as little-endian u32, then RGBA rows.
 */
export async function renderPage(paperId: string, pageIndex: number, widthPx: number): Promise<PageImage> {
  const bytes = await invoke<ArrayBuffer>("render_page", { paperId, pageIndex, widthPx: Math.round(widthPx) });
  return decodePageImage(bytes);
}

export function decodePageImage(bytes: ArrayBuffer): PageImage {
  const header = new DataView(bytes, 0, 8);
  const width = header.getUint32(0, true);
  const height = header.getUint32(4, true);
  const pixels = new Uint8ClampedArray(bytes, 8);
  if (pixels.length !== width * height * 4) {
    throw new Error(`a page of ${width}×${height} came with ${pixels.length} bytes of pixels`);
  }
  return { width, height, pixels };
}

export function closePaper(): Promise<null> {
  return invoke<null>("close_paper");
}

export function storageOverview(): Promise<MeetingStorageView[]> {
  return invoke<MeetingStorageView[]>("storage_overview");
}

export function releaseMeeting(meetingId: string): Promise<null> {
  return invoke<null>("release_meeting", { meetingId });
}

export function keepMeeting(meetingId: string): Promise<null> {
  return invoke<null>("keep_meeting", { meetingId });
}

// Preparing a meeting (secretariat).

export function meetingDraft(meetingId: string): Promise<MeetingDraft> {
  return invoke<MeetingDraft>("meeting_draft", { meetingId });
}

export function updateMeeting(meetingId: string, details: MeetingDetails): Promise<null> {
  return invoke<null>("update_meeting", { meetingId, details });
}

export function addAgendaItem(meetingId: string, parentId: string | null, details: AgendaItemDetails): Promise<null> {
  return invoke<null>("add_agenda_item", { meetingId, parentId, details });
}

export function updateAgendaItem(itemId: string, details: AgendaItemDetails): Promise<null> {
  return invoke<null>("update_agenda_item", { itemId, details });
}

export function moveAgendaItem(itemId: string, movement: AgendaMove): Promise<null> {
  return invoke<null>("move_agenda_item", { itemId, movement });
}

export function setParticipants(meetingId: string, participants: ParticipantChoice[]): Promise<null> {
  return invoke<null>("set_participants", { meetingId, participants });
}

/** Asks for PDFs with the system's file dialog (shown by the core) and imports them; empty when cancelled. */
export function importPapers(meetingId: string, place: PaperPlace): Promise<ImportOutcome[]> {
  return invoke<ImportOutcome[]>("import_papers", { meetingId, place });
}

/** Imports files dropped on the window, which the core kept under `dropId`. */
export function importDroppedPapers(dropId: number, meetingId: string, place: PaperPlace): Promise<ImportOutcome[]> {
  return invoke<ImportOutcome[]>("import_dropped_papers", { dropId, meetingId, place });
}

export function updatePaper(paperId: string, changes: PaperChanges): Promise<null> {
  return invoke<null>("update_paper", { paperId, changes });
}

/** Asks for the new file with the system's file dialog; `null` when cancelled. */
export function replacePaperFile(paperId: string): Promise<ImportOutcome | null> {
  return invoke<ImportOutcome | null>("replace_paper_file", { paperId });
}

export function approvePaper(paperId: string): Promise<null> {
  return invoke<null>("approve_paper", { paperId });
}

export function publishPacket(meetingId: string, expectedNumber: number): Promise<PublishedVersion> {
  return invoke<PublishedVersion>("publish_packet", { meetingId, expectedNumber });
}

/** Asks for a folder with the system's dialog and watches it for the meeting; `null` when cancelled. */
export function watchFolder(meetingId: string): Promise<WatchedFolderView | null> {
  return invoke<WatchedFolderView | null>("watch_folder", { meetingId });
}

export function stopWatchingFolder(): Promise<null> {
  return invoke<null>("stop_watching_folder");
}

export function watchedFolder(): Promise<WatchedFolderView | null> {
  return invoke<WatchedFolderView | null>("watched_folder");
}

// Keyed by the union so that a code added on the Rust side fails type checking until it is listed here.
const knownCodes: Record<IpcErrorCode, true> = {
  invalid_credentials: true,
  server_unreachable: true,
  invalid_server_url: true,
  session_expired: true,
  not_signed_in: true,
  not_found: true,
  forbidden: true,
  bad_request: true,
  conflict: true,
  pdf_empty: true,
  not_a_pdf: true,
  pdf_corrupt: true,
  pdf_password_protected: true,
  pdf_restricted: true,
  payload_too_large: true,
  hash_mismatch: true,
  file_unreadable: true,
  publish_conflict: true,
  papers_not_approved: true,
  nothing_to_publish: true,
  paper_not_downloaded: true,
  paper_damaged: true,
  pdf_engine_unavailable: true,
  page_too_large: true,
  folder_unavailable: true,
  internal: true,
};

/** True for a rejection that came from our commands; Tauri itself rejects with plain strings. */
export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && Object.hasOwn(knownCodes, code) && typeof message === "string";
}
