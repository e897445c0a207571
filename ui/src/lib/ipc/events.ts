// Typed subscriptions to the events the Rust core emits.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { StoreChanged, SyncStatus } from "./types";

export function onSyncStatus(handler: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>("sync-status", (event) => handler(event.payload));
}

export function onStoreChanged(handler: (change: StoreChanged) => void): Promise<UnlistenFn> {
  return listen<StoreChanged>("store-changed", (event) => handler(event.payload));
}
