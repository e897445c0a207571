import { formatSyncTime } from "../../lib/format";
import { translate, type Lang } from "../../lib/i18n";
import type { SyncStatus } from "../../lib/ipc/types";

/** What the connection badge says; offline tells how fresh the local data is. */
export function connectionText(sync: SyncStatus, lang: Lang): string {
  switch (sync.connection) {
    case "online":
      return translate(lang, "connection.online");
    case "connecting":
      return translate(lang, "connection.connecting");
    case "offline":
      return sync.last_synced_at === null
        ? translate(lang, "connection.offline_never")
        : translate(lang, "connection.offline_synced", { time: formatSyncTime(sync.last_synced_at, lang) });
    case "signed_out":
      return translate(lang, "connection.signed_out");
  }
}
