import { formatDateTime, formatTime, isSameDay } from "../../lib/format";
import { translate, type Lang } from "../../lib/i18n";
import type { SyncStatus } from "../../lib/ipc/types";

/**
 * What the connection badge says; offline tells how fresh the local data is. `last_synced_at` is the last time the
 * server was reached and confirmed nothing newer was missing (a pull, even an empty one, or a live signal), so
 * "last synced" never claims more than the device knows.
 */
export function connectionText(sync: SyncStatus, lang: Lang): string {
  switch (sync.connection) {
    case "online":
      return translate(lang, "connection.online");
    case "connecting":
      return translate(lang, "connection.connecting");
    case "offline":
      return sync.last_synced_at === null
        ? translate(lang, "connection.offline_never")
        : translate(lang, "connection.offline_synced", { time: formatDateTime(sync.last_synced_at, lang) });
    case "signed_out":
      return translate(lang, "connection.signed_out");
  }
}

/** The reader's small badge: the state in a word or two; offline, the time of the last contact (with its date if not today). */
export function connectionShortText(sync: SyncStatus, lang: Lang, now: number = Date.now()): string {
  if (sync.connection !== "offline") return connectionText(sync, lang);
  if (sync.last_synced_at === null) return translate(lang, "connection.offline_short");
  const time = isSameDay(sync.last_synced_at, now) ? formatTime(sync.last_synced_at) : formatDateTime(sync.last_synced_at, lang);
  return translate(lang, "connection.offline_short_synced", { time });
}
