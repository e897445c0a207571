// Typed subscriptions to the events the Rust core emits.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  DownloadProgress,
  DropPoint,
  FilesDropped,
  SearchIndexProgress,
  StoreChanged,
  SyncStatus,
  UploadProgress,
  WatchedFolderView,
} from "./types";

export function onSyncStatus(handler: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>("sync-status", (event) => handler(event.payload));
}

export function onStoreChanged(handler: (change: StoreChanged) => void): Promise<UnlistenFn> {
  return listen<StoreChanged>("store-changed", (event) => handler(event.payload));
}

export function onDownloadProgress(handler: (progress: DownloadProgress) => void): Promise<UnlistenFn> {
  return listen<DownloadProgress>("download-progress", (event) => handler(event.payload));
}

export function onUploadProgress(handler: (progress: UploadProgress) => void): Promise<UnlistenFn> {
  return listen<UploadProgress>("upload-progress", (event) => handler(event.payload));
}

export function onFilesDropped(handler: (drop: FilesDropped) => void): Promise<UnlistenFn> {
  return listen<FilesDropped>("paper-files-dropped", (event) => handler(event.payload));
}

export function onWatchedFolder(handler: (folder: WatchedFolderView | null) => void): Promise<UnlistenFn> {
  return listen<WatchedFolderView | null>("watched-folder", (event) => handler(event.payload));
}

/** Files are being dragged over the window (`null` when they leave it). */
export function onFilesHover(handler: (point: DropPoint | null) => void): Promise<UnlistenFn> {
  return listen<DropPoint | null>("paper-files-hover", (event) => handler(event.payload));
}

/** The background search indexing advanced (papers indexed of all this member's papers). */
export function onSearchIndexProgress(handler: (progress: SearchIndexProgress) => void): Promise<UnlistenFn> {
  return listen<SearchIndexProgress>("search-index-progress", (event) => handler(event.payload));
}
