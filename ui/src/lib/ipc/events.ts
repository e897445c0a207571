// Typed subscriptions to the events the Rust core emits.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  AppEvents,
  ChatChanged,
  DownloadProgress,
  DropPoint,
  FilesDropped,
  PollTurnoutView,
  PollView,
  SearchIndexProgress,
  SittingView,
  StoreChanged,
  SyncStatus,
  UploadProgress,
  WatchedFolderView,
} from "./types";

/** Listens to one of the app's events (names and payloads generated from crates/app/src/ipc.rs). */
function on<E extends keyof AppEvents>(event: E, handler: (payload: AppEvents[E]) => void): Promise<UnlistenFn> {
  return listen<AppEvents[E]>(event, (message) => handler(message.payload));
}

export function onSyncStatus(handler: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return on("sync-status", handler);
}

export function onStoreChanged(handler: (change: StoreChanged) => void): Promise<UnlistenFn> {
  return on("store-changed", handler);
}

export function onDownloadProgress(handler: (progress: DownloadProgress) => void): Promise<UnlistenFn> {
  return on("download-progress", handler);
}

export function onUploadProgress(handler: (progress: UploadProgress) => void): Promise<UnlistenFn> {
  return on("upload-progress", handler);
}

export function onFilesDropped(handler: (drop: FilesDropped) => void): Promise<UnlistenFn> {
  return on("paper-files-dropped", handler);
}

export function onWatchedFolder(handler: (folder: WatchedFolderView | null) => void): Promise<UnlistenFn> {
  return on("watched-folder", handler);
}

/** Files are being dragged over the window (`null` when they leave it). */
export function onFilesHover(handler: (point: DropPoint | null) => void): Promise<UnlistenFn> {
  return on("paper-files-hover", handler);
}

/** The background search indexing advanced (papers indexed of all this member's papers). */
export function onSearchIndexProgress(handler: (progress: SearchIndexProgress) => void): Promise<UnlistenFn> {
  return on("search-index-progress", handler);
}

/** A live sitting the window follows changed (an event arrived, or its state was fetched anew). */
export function onSittingChanged(handler: (sitting: SittingView) => void): Promise<UnlistenFn> {
  return on("sitting-changed", handler);
}

/** A poll of a meeting the window follows changed, or the member's ballot in it. */
export function onPollChanged(handler: (poll: PollView) => void): Promise<UnlistenFn> {
  return on("poll-changed", handler);
}

/** An open poll's turnout grew. */
export function onPollTurnout(handler: (turnout: PollTurnoutView) => void): Promise<UnlistenFn> {
  return on("poll-turnout", handler);
}

/** The member's chat changed; others' new messages come along for a notification. */
export function onChatChanged(handler: (changed: ChatChanged) => void): Promise<UnlistenFn> {
  return on("chat-changed", handler);
}
