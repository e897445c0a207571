// The connection as the whole window knows it: the app sets it from the core's `sync-status` events, and any screen
// (the session header, the reader over it) shows the same state without passing it down.
import type { SyncStatus } from "../../lib/ipc/types";

const signedOut: SyncStatus = { connection: "signed_out", last_synced_at: null, detail: null };
let current = $state<SyncStatus>(signedOut);

export const syncState = {
  get status(): SyncStatus {
    return current;
  },
  set status(next: SyncStatus) {
    current = next;
  },
};
