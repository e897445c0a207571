// Typed wrappers over the Tauri commands, so no other module spells a command name or its arguments.
// Tauri maps the camelCase argument keys to the snake_case parameters of the Rust functions.
// Names are checked against the app's one command list (`CommandName`, generated), and the
// bindings test fails when a command in that list has no wrapper here.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type {
  CommandName,
  ChatDraft,
  ChatMemberView,
  ChatMessageView,
  ChatSearchHit,
  ConversationSummary,
  AccountChanges,
  AccountCreatedView,
  AccountView,
  MemberImportOutcome,
  NewAccountDetails,
  AgendaItemDetails,
  AgendaMove,
  AnnotationReviewView,
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
  FindHitView,
  AnnotationChanges,
  AnnotationInput,
  AnnotationView,
  FileAnnotationView,
  ExportOutcome,
  PacketAnnotationView,
  OpenedPaper,
  PageTextView,
  PaperAmendmentView,
  PaperChanges,
  PaperPlace,
  ParticipantChoice,
  PublishedVersion,
  ReviewChoice,
  SearchIndexProgress,
  SearchResults,
  SessionInfo,
  WatchedFolderView,
  MeetingOpinions,
  OpinionInput,
  OpinionView,
  SittingActionInput,
  SittingView,
  PollDraftInput,
  PollStepInput,
  PollView,
  ReceiptCheckView,
} from "./types";

/** Calls one of the app's commands. */
function call<T>(command: CommandName, args?: InvokeArgs): Promise<T> {
  return invoke<T>(command, args);
}

export function appSnapshot(): Promise<AppSnapshot> {
  return call<AppSnapshot>("app_snapshot");
}

export function login(serverUrl: string, username: string, password: string): Promise<SessionInfo> {
  return call<SessionInfo>("login", { serverUrl, username, password });
}

/** After a login answered `password_change_required`: the member's own password, then the session. */
export function completeFirstLogin(currentPassword: string, newPassword: string): Promise<SessionInfo> {
  return call<SessionInfo>("complete_first_login", { currentPassword, newPassword });
}

/** The signed-in member's own new password; their other devices are signed out. */
export function changeOwnPassword(currentPassword: string, newPassword: string): Promise<null> {
  return call<null>("change_own_password", { currentPassword, newPassword });
}

export function listAccounts(): Promise<AccountView[]> {
  return call<AccountView[]>("list_accounts");
}

export function createAccount(details: NewAccountDetails): Promise<AccountCreatedView> {
  return call<AccountCreatedView>("create_account", { details });
}

export function updateAccount(memberId: string, changes: AccountChanges): Promise<AccountView> {
  return call<AccountView>("update_account", { memberId, changes });
}

/** A new generated password for the member, to hand over once. */
export function resetAccountPassword(memberId: string): Promise<string | null> {
  return call<string | null>("reset_account_password", { memberId });
}

/** Opens the system's dialog for a member list (CSV) and imports it. */
export function importMembers(): Promise<MemberImportOutcome> {
  return call<MemberImportOutcome>("import_members");
}

export function logout(): Promise<null> {
  return call<null>("logout");
}

export function listMeetings(): Promise<MeetingSummary[]> {
  return call<MeetingSummary[]>("list_meetings");
}

export function meetingAgenda(meetingId: string): Promise<MeetingAgenda> {
  return call<MeetingAgenda>("meeting_agenda", { meetingId });
}

// The packet, as a participant reads it.

export function meetingPacket(meetingId: string): Promise<MeetingPacket | null> {
  return call<MeetingPacket | null>("meeting_packet", { meetingId });
}

export function acknowledgePacket(meetingId: string): Promise<null> {
  return call<null>("acknowledge_packet", { meetingId });
}

export function downloadProgress(): Promise<DownloadProgress> {
  return call<DownloadProgress>("download_progress");
}

export function pauseDownloads(): Promise<null> {
  return call<null>("pause_downloads");
}

export function resumeDownloads(): Promise<null> {
  return call<null>("resume_downloads");
}

// The reader. One document is open at a time; opening another closes it.

export function openPaper(meetingId: string, paperId: string): Promise<OpenedPaper> {
  return call<OpenedPaper>("open_paper", { meetingId, paperId });
}

/**
 * Asks the user for a PDF on this computer (the dialog opens from Rust; the window never sees the path)
 * and opens it. `null` when the user cancels. Rejects with `pdf_password_protected` when the file needs
 * a password: then call `unlockLocalPdf`.
 */
export function openLocalPdf(): Promise<OpenedPaper | null> {
  return call<OpenedPaper | null>("open_local_pdf");
}

/**
 * The PDF the app was started with (`ecabinet FILE.pdf`, "Open with" in a file manager), once; `null` when none.
 * Rejects like `openLocalPdf`, with `pdf_password_protected` when it needs a password.
 */
export function openLaunchPdf(): Promise<OpenedPaper | null> {
  return call<OpenedPaper | null>("open_launch_pdf");
}

/** Opens the protected file `openLocalPdf` just refused. Rejects with `pdf_wrong_password`. */
export function unlockLocalPdf(password: string): Promise<OpenedPaper> {
  return call<OpenedPaper>("unlock_local_pdf", { password });
}

/** The page's text and one box per character, for the text layer and find highlights. */
export function pageText(paperId: string, pageIndex: number): Promise<PageTextView> {
  return call<PageTextView>("page_text", { paperId, pageIndex });
}

/** Every occurrence of `query` in the open paper, accents and case ignored, in page order. */
export function findInPaper(paperId: string, query: string): Promise<FindHitView[]> {
  return call<FindHitView[]>("find_in_paper", { paperId, query });
}

// Annotations on the open paper.

/**
 * The member's own marks on a paper and those shared with them, placed on the open version's pages: those that changed
 * since `since` (the cursor of an earlier answer), or all of them (`since` null, or from before what the device keeps).
 */
export function paperAnnotationChanges(paperId: string, since: number | null): Promise<AnnotationChanges> {
  return call<AnnotationChanges>("paper_annotation_changes", { paperId, since });
}

/** Every mark the member sees across a meeting's packet, with its paper and agenda item. */
export function meetingAnnotations(meetingId: string): Promise<PacketAnnotationView[]> {
  return call<PacketAnnotationView[]>("meeting_annotations", { meetingId });
}

/** The marks other readers left inside the open paper's file: shown and listed, never edited. */
export function fileAnnotations(paperId: string): Promise<FileAnnotationView[]> {
  return call<FileAnnotationView[]>("file_annotations", { paperId });
}

/** Keeps a new mark (no `id`) or an edit of the member's own, on the device at once; it syncs when online. */
export function saveAnnotation(annotation: AnnotationInput): Promise<AnnotationView> {
  return call<AnnotationView>("save_annotation", { annotation });
}

/**
 * Asks where to save a copy of the paper with the member's own marks written in as real PDF annotations (the system's
 * save dialog, opened by the core), and writes it there.
 */
export function exportAnnotatedPaper(paperId: string): Promise<ExportOutcome> {
  return call<ExportOutcome>("export_annotated_paper", { paperId });
}

/** Deletes one of the member's own marks; the deletion syncs when online. */
export function deleteAnnotation(id: string): Promise<null> {
  return call<null>("delete_annotation", { id });
}

/** Remembers the page this member is reading, so the paper reopens there. */
export function rememberPage(paperId: string, pageIndex: number): Promise<null> {
  return call<null>("remember_page", { paperId, pageIndex });
}

/** Full screen for the reader (the window's own, not the web page's). */
export function setFullscreen(on: boolean): Promise<null> {
  return call<null>("set_fullscreen", { on });
}

// Search across every paper on the device.

export function searchPapers(query: string): Promise<SearchResults> {
  return call<SearchResults>("search_papers", { query });
}

export function searchIndexProgress(): Promise<SearchIndexProgress> {
  return call<SearchIndexProgress>("search_index_progress");
}

// Papers replaced by an amended version: the member's marks that wait for them, and what
// changed inside the paper.

export function annotationsNeedingReview(paperId: string): Promise<AnnotationReviewView[]> {
  return call<AnnotationReviewView[]>("annotations_needing_review", { paperId });
}

export function resolveAnnotationReview(annotationId: string, choice: ReviewChoice): Promise<null> {
  return call<null>("resolve_annotation_review", { annotationId, choice });
}

export function paperChanges(paperId: string): Promise<PaperAmendmentView> {
  return call<PaperAmendmentView>("paper_changes", { paperId });
}

/** A page as raw pixels, ready for `ImageData`. */
export type PageImage = {
  width: number;
  height: number;
  pixels: Uint8ClampedArray<ArrayBuffer>;
  /** The same pixels made ready to draw (see `withBitmap`): drawing it is a copy, not a conversion. */
  bitmap?: ImageBitmap;
};

/**
 * Prepares a page for drawing ahead of time. `putImageData` converts every pixel (to premultiplied alpha, in the
 * engine's own order) while the page turns; an `ImageBitmap` is converted once, when the page is rendered ahead, so a
 * turn to it is only a copy. Where the engine has no `createImageBitmap`, the page draws from its pixels.
 */
export async function withBitmap(image: PageImage): Promise<PageImage> {
  if (typeof createImageBitmap !== "function") return image;
  try {
    const bitmap = await createImageBitmap(new ImageData(image.pixels, image.width, image.height));
    return { ...image, bitmap };
  } catch (error) {
    console.warn("preparing a page bitmap", error);
    return image;
  }
}

/**
 * Renders a page of the open paper `widthPx` device pixels wide.
 * The core answers with raw bytes (no JSON, no PNG): width and height as little-endian u32, then RGBA rows.
 */
export async function renderPage(paperId: string, pageIndex: number, widthPx: number): Promise<PageImage> {
  const bytes = await call<ArrayBuffer>("render_page", { paperId, pageIndex, widthPx: Math.round(widthPx) });
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
  return call<null>("close_paper");
}

export function storageOverview(): Promise<MeetingStorageView[]> {
  return call<MeetingStorageView[]>("storage_overview");
}

export function releaseMeeting(meetingId: string): Promise<null> {
  return call<null>("release_meeting", { meetingId });
}

export function keepMeeting(meetingId: string): Promise<null> {
  return call<null>("keep_meeting", { meetingId });
}

// Preparing a meeting (secretariat).

export function meetingDraft(meetingId: string): Promise<MeetingDraft> {
  return call<MeetingDraft>("meeting_draft", { meetingId });
}

/** Creates a meeting; resolves to its id once the store holds it. */
export function createMeeting(details: MeetingDetails): Promise<string> {
  return call<string>("create_meeting", { details });
}

/** Files a session that is over away (`archived`), or brings it back. */
export function archiveMeeting(meetingId: string, archived: boolean): Promise<null> {
  return call<null>("archive_meeting", { meetingId, archived });
}

export function updateMeeting(meetingId: string, details: MeetingDetails): Promise<null> {
  return call<null>("update_meeting", { meetingId, details });
}

export function addAgendaItem(meetingId: string, parentId: string | null, details: AgendaItemDetails): Promise<null> {
  return call<null>("add_agenda_item", { meetingId, parentId, details });
}

export function updateAgendaItem(itemId: string, details: AgendaItemDetails): Promise<null> {
  return call<null>("update_agenda_item", { itemId, details });
}

export function moveAgendaItem(itemId: string, movement: AgendaMove): Promise<null> {
  return call<null>("move_agenda_item", { itemId, movement });
}

export function setParticipants(meetingId: string, participants: ParticipantChoice[]): Promise<null> {
  return call<null>("set_participants", { meetingId, participants });
}

/** Asks for PDFs with the system's file dialog (shown by the core) and imports them; empty when cancelled. */
export function importPapers(meetingId: string, place: PaperPlace): Promise<ImportOutcome[]> {
  return call<ImportOutcome[]>("import_papers", { meetingId, place });
}

/** Imports files dropped on the window, which the core kept under `dropId`. */
export function importDroppedPapers(dropId: number, meetingId: string, place: PaperPlace): Promise<ImportOutcome[]> {
  return call<ImportOutcome[]>("import_dropped_papers", { dropId, meetingId, place });
}

export function updatePaper(paperId: string, changes: PaperChanges): Promise<null> {
  return call<null>("update_paper", { paperId, changes });
}

/** Asks for the new file with the system's file dialog; `null` when cancelled. */
export function replacePaperFile(paperId: string): Promise<ImportOutcome | null> {
  return call<ImportOutcome | null>("replace_paper_file", { paperId });
}

export function approvePaper(paperId: string): Promise<null> {
  return call<null>("approve_paper", { paperId });
}

/** Sends a paper awaiting review back to the secretary with `reason` (the chair). */
export function returnPaper(paperId: string, reason: string): Promise<null> {
  return call<null>("return_paper", { paperId, reason });
}

/** Takes back an approval that has not been published yet (the chair). */
export function withdrawPaperApproval(paperId: string): Promise<null> {
  return call<null>("withdraw_paper_approval", { paperId });
}

/** Opens a paper in the making in the reader; its file is fetched (and verified) when this device lacks it. */
export function openDraftPaper(paperId: string): Promise<OpenedPaper> {
  return call<OpenedPaper>("open_draft_paper", { paperId });
}

export function publishPacket(meetingId: string, expectedNumber: number): Promise<PublishedVersion> {
  return call<PublishedVersion>("publish_packet", { meetingId, expectedNumber });
}

/** Asks for a folder with the system's dialog and watches it for the meeting; `null` when cancelled. */
export function watchFolder(meetingId: string): Promise<WatchedFolderView | null> {
  return call<WatchedFolderView | null>("watch_folder", { meetingId });
}

export function stopWatchingFolder(): Promise<null> {
  return call<null>("stop_watching_folder");
}

export function watchedFolder(): Promise<WatchedFolderView | null> {
  return call<WatchedFolderView | null>("watched_folder");
}

// --- Opinions (ý kiến) -------------------------------------------------------------------

/** A meeting's opinions per agenda item: every member's for the secretariat and the chair, one's own otherwise. */
export function meetingOpinions(meetingId: string): Promise<MeetingOpinions> {
  return call<MeetingOpinions>("meeting_opinions", { meetingId });
}

/** Sends a new opinion: kept on the device at once, sent to the secretariat when online. */
export function sendOpinion(opinion: OpinionInput): Promise<OpinionView> {
  return call<OpinionView>("send_opinion", { opinion });
}

/** Sends a new version of one's opinion; the earlier versions stay on record. */
export function editOpinion(opinionId: string, body: string): Promise<OpinionView> {
  return call<OpinionView>("edit_opinion", { opinionId, body });
}

/** Withdraws one's opinion: one more version, marked withdrawn. */
export function withdrawOpinion(opinionId: string): Promise<OpinionView> {
  return call<OpinionView>("withdraw_opinion", { opinionId });
}

// --- The live sitting ----------------------------------------------------------------------

/** The meeting's sitting as the server has it now; its live changes follow as `sitting-changed`. */
export function sitting(meetingId: string): Promise<SittingView> {
  return call<SittingView>("sitting", { meetingId });
}

/** An action in the meeting's sitting (check in, the chair's course, the floor, the presenter's page). */
export function actInSitting(meetingId: string, action: SittingActionInput): Promise<SittingView> {
  return call<SittingView>("act_in_sitting", { meetingId, action });
}

// --- Polls ---------------------------------------------------------------------------------

/** The meeting's polls as the server has them now; their changes follow as `poll-changed` and `poll-turnout`. */
export function meetingPolls(meetingId: string): Promise<PollView[]> {
  return call<PollView[]>("meeting_polls", { meetingId });
}

/** A new draft poll, or a draft's new settings (the chair or the secretary). */
export function draftPoll(meetingId: string, draft: PollDraftInput): Promise<PollView> {
  return call<PollView>("draft_poll", { meetingId, draft });
}

/** The chair opens, closes, publishes or cancels a poll. */
export function stepPoll(pollId: string, step: PollStepInput): Promise<PollView> {
  return call<PollView>("step_poll", { pollId, step });
}

/** Casts (or changes) the member's ballot: saved as sending first, then recorded with a receipt or refused. */
export function castBallot(pollId: string, choice: number[]): Promise<PollView> {
  return call<PollView>("cast_ballot", { pollId, choice });
}

/** Checks the member's recorded ballot against the poll's public log. */
export function checkBallotReceipt(pollId: string): Promise<ReceiptCheckView> {
  return call<ReceiptCheckView>("check_ballot_receipt", { pollId });
}

/** The member's conversations, the latest activity first. */
export function chatConversations(): Promise<ConversationSummary[]> {
  return call<ConversationSummary[]>("chat_conversations");
}

/** A conversation's messages in order, the member's waiting ones last. */
export function chatMessages(conversationId: string): Promise<ChatMessageView[]> {
  return call<ChatMessageView[]>("chat_messages", { conversationId });
}

/** The council's members the member may write to, by name. */
export function chatMembers(): Promise<ChatMemberView[]> {
  return call<ChatMemberView[]>("chat_members");
}

/** Opens the member's private conversation with another member (offline too); its id. */
export function openPrivateChat(memberId: string): Promise<string> {
  return call<string>("open_private_chat", { memberId });
}

/** Opens the member's conversation with the secretariat; its id. */
export function askSecretariat(): Promise<string> {
  return call<string>("ask_secretariat");
}

/** Saves a message at once (waiting) and sends it when the network allows. */
export function sendChatMessage(draft: ChatDraft): Promise<ChatMessageView> {
  return call<ChatMessageView>("send_chat_message", { draft });
}

export function editChatMessage(messageId: string, body: string): Promise<void> {
  return call<void>("edit_chat_message", { messageId, body });
}

export function deleteChatMessage(messageId: string): Promise<void> {
  return call<void>("delete_chat_message", { messageId });
}

/** Sends a refused message again. */
export function retryChatMessage(messageId: string): Promise<void> {
  return call<void>("retry_chat_message", { messageId });
}

/** Gives up a refused message; what was written after it goes on. */
export function discardChatMessage(messageId: string): Promise<void> {
  return call<void>("discard_chat_message", { messageId });
}

export function markChatRead(conversationId: string): Promise<void> {
  return call<void>("mark_chat_read", { conversationId });
}

export function muteChat(conversationId: string, muted: boolean): Promise<void> {
  return call<void>("mute_chat", { conversationId, muted });
}

/** A new group with the member as its owner (needs the server); its id. */
export function createChatGroup(title: string, members: string[]): Promise<string> {
  return call<string>("create_chat_group", { title, members });
}

export function changeChatGroup(conversationId: string, add: string[], remove: string[]): Promise<void> {
  return call<void>("change_chat_group", { conversationId, add, remove });
}

/** Messages of the member's conversations holding every word, accents and case aside. */
export function searchChat(query: string): Promise<ChatSearchHit[]> {
  return call<ChatSearchHit[]>("search_chat", { query });
}

/** Opens a message's web address in the system's browser (http and https only). */
export function openLink(address: string): Promise<void> {
  return call<void>("open_link", { address });
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
  pdf_wrong_password: true,
  pdf_unsupported_security: true,
  pdf_restricted: true,
  payload_too_large: true,
  hash_mismatch: true,
  file_unreadable: true,
  publish_conflict: true,
  papers_not_approved: true,
  nothing_to_publish: true,
  review_changed: true,
  approval_published: true,
  own_upload: true,
  paper_not_downloaded: true,
  paper_damaged: true,
  pdf_engine_unavailable: true,
  page_too_large: true,
  folder_unavailable: true,
  too_many_attempts: true,
  password_change_required: true,
  password_too_short: true,
  password_contains_user_name: true,
  password_too_common: true,
  wrong_current_password: true,
  username_taken: true,
  import_rejected: true,
  sitting_closed: true,
  sitting_not_open: true,
  remote_not_allowed: true,
  not_checked_in: true,
  request_gone: true,
  poll_not_open: true,
  poll_closed: true,
  poll_cancelled: true,
  not_entitled: true,
  already_voted: true,
  ballot_not_current: true,
  nobody_present: true,
  too_many_messages: true,
  message_too_long: true,
  message_deleted: true,
  internal: true,
};

/** True for a rejection that came from our commands; Tauri itself rejects with plain strings. */
export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && Object.hasOwn(knownCodes, code) && typeof message === "string";
}
