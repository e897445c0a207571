// What the packet screens compute from the core's data: which papers sit where, how far the downloads are,
// and what changed since the member last looked. Pure, so it is tested without a window.
import type { Lang } from "../../lib/i18n";
import type {
  DownloadProgress,
  FileDownload,
  MeetingPacket,
  PacketPaperView,
  PaperPlace,
  SectionKind,
} from "../../lib/ipc/types";

/** The session's own sections, in the order the packet shows them. */
export const sections: SectionKind[] = ["announcements", "press_summary", "voter_opinions"];

export function samePlace(a: PaperPlace, b: PaperPlace): boolean {
  if (a.at === "item" && b.at === "item") return a.item_id === b.item_id;
  if (a.at === "section" && b.at === "section") return a.section === b.section;
  return false;
}

/** The papers at one place, in the order the secretariat put them. */
export function papersAt<P extends { place: PaperPlace; position: number }>(papers: P[], place: PaperPlace): P[] {
  return papers.filter((paper) => samePlace(paper.place, place)).sort((a, b) => a.position - b.position);
}

export function itemPlace(itemId: string): PaperPlace {
  return { at: "item", item_id: itemId };
}

export function sectionPlace(section: SectionKind): PaperPlace {
  return { at: "section", section };
}

const numberLocales: Record<Lang, string> = { vi: "vi-VN", en: "en-GB" };

/** A file size as people read it: "820 KB", "1,4 MB" in Vietnamese, "1.4 MB" in English. */
export function formatBytes(bytes: number, lang: Lang): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const text = new Intl.NumberFormat(numberLocales[lang], {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
  return `${text} ${units[unit]}`;
}

/** The download entry of a file, if the core is fetching it. */
export function fileDownload(progress: DownloadProgress | null, hash: string): FileDownload | null {
  return progress?.files.find((file) => file.hash === hash) ?? null;
}

export type PacketProgress = {
  received: number;
  total: number;
  /** 0 to 1. */
  fraction: number;
  complete: boolean;
  /** Files of this packet still to come. */
  remaining: number;
};

/**
 * How much of one meeting's packet is on the device: held files count whole, files on their way count what has arrived.
 * Restricted papers have no file and count for nothing.
 */
export function packetProgress(packet: MeetingPacket, progress: DownloadProgress | null): PacketProgress {
  let received = 0;
  let total = 0;
  let remaining = 0;
  const counted = new Set<string>();
  for (const paper of packet.papers) {
    const file = paper.file;
    if (file === null || counted.has(file.hash)) continue;
    counted.add(file.hash);
    total += file.size;
    const download = fileDownload(progress, file.hash);
    if (paper.held || download?.state === "done") {
      received += file.size;
    } else {
      received += Math.min(download?.received ?? 0, file.size);
      remaining++;
    }
  }
  return {
    received,
    total,
    fraction: total === 0 ? 1 : received / total,
    complete: remaining === 0,
    remaining,
  };
}

/** A paper can be opened once its file is here; a confidential paper not meant for this member never can. */
export function canOpen(paper: PacketPaperView, progress: DownloadProgress | null): boolean {
  if (paper.restricted || paper.file === null) return false;
  return paper.held || fileDownload(progress, paper.file.hash)?.state === "done";
}

export type PacketChanges = { added: string[]; replaced: string[]; removed: string[] };

/** What changed since the member's baseline, by title, for the "what changed" list. */
export function packetChanges(packet: MeetingPacket): PacketChanges {
  const titled = (mark: "added" | "replaced") =>
    packet.papers.filter((paper) => paper.mark === mark).map((paper) => paper.title ?? "");
  return { added: titled("added"), replaced: titled("replaced"), removed: [...packet.removed_titles] };
}

/** True while the member has news they have not acknowledged. */
export function hasNews(packet: MeetingPacket): boolean {
  return packet.version > packet.baseline;
}
