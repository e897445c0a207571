// What the preparation screens compute: meeting times as Vietnam reads them, planned minutes from a number field,
// where a file dropped on the window goes. Pure, so it is tested without a window.
import { getContext, setContext } from "svelte";
import type { AgendaNodeView, OpenedPaper, PaperPlace } from "../../lib/ipc/types";

/** The longest reason for returning a paper the server accepts (`ecabinet_domain::MAX_RETURN_REASON_CHARS`). */
export const MAX_RETURN_REASON_CHARS = 2000;

/** Shows a paper in the making, opened by the core, in the reader; `paperId` is the row the keyboard returns to. */
export type DraftReader = (paper: OpenedPaper, paperId: string) => void;

const draftReaderKey = Symbol("draft reader");

/**
 * The preparation screen says once how its draft papers open in the reader, for every row however deep in the
 * programme it sits (a context, so the programme's components need not pass it along).
 */
export function provideDraftReader(read: DraftReader): void {
  setContext(draftReaderKey, read);
}

/** The preparation screen's reader, or `undefined` outside one (then no row offers to open its paper). */
export function draftReader(): DraftReader | undefined {
  return getContext<DraftReader | undefined>(draftReaderKey);
}

// Vietnam keeps UTC+7 all year (no daylight saving), so the wall clock is a fixed offset from UTC.
const vietnamOffsetMs = 7 * 60 * 60 * 1000;

const pad = (n: number) => String(n).padStart(2, "0");

/** The date and time inputs' values ("2027-01-15", "08:00") for an instant, on Vietnam's clock. */
export function toVietnamInputs(epochMs: number): { date: string; time: string } {
  const wall = new Date(epochMs + vietnamOffsetMs);
  return {
    date: `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`,
    time: `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`,
  };
}

/** A date input's value ("2027-01-15") as the UI writes dates: 15/01/2027 in Vietnamese, 2027-01-15 in English. */
export function dateForField(isoDate: string, lang: "vi" | "en"): string {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (d === null || lang === "en") return isoDate;
  return `${d[3]}/${d[2]}/${d[1]}`;
}

/** What a date field holds back as "2027-01-15", or `null` when it is not a date: Vietnamese
 *  order (dd/mm/yyyy, also with "-" or ".") or ISO order (yyyy-mm-dd). */
export function dateFromField(text: string): string | null {
  const vietnamese = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  const iso = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  const [day, month, year] = vietnamese
    ? [Number(vietnamese[1]), Number(vietnamese[2]), Number(vietnamese[3])]
    : iso
      ? [Number(iso[3]), Number(iso[2]), Number(iso[1])]
      : [0, 0, 0];
  if (year === 0) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The instant the inputs name on Vietnam's clock, or `null` when either is not filled in properly. */
export function fromVietnamInputs(date: string, time: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (d === null || t === null) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [hour, minute] = [Number(t[1]), Number(t[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute) - vietnamOffsetMs;
}

/**
 * The planned time a number field holds, as whole minutes, or `null` when it is empty.
 * The field's binding gives a number, or `null`/`undefined` (or, from some engines, a
 * string) while it is empty or half typed.
 */
export function plannedMinutes(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" && value.trim() === "") return null;
  const minutes = Number(value);
  return Number.isFinite(minutes) ? Math.round(minutes) : null;
}

/** Every item of the programme in reading order, with its number. */
export function flatten(items: AgendaNodeView[]): AgendaNodeView[] {
  return items.flatMap((item) => [item, ...flatten(item.children)]);
}

/** A place as its attribute value on a drop zone, and back. */
export function placeKey(place: PaperPlace): string {
  return place.at === "item" ? `item:${place.item_id}` : `section:${place.section}`;
}

export function placeFromKey(key: string): PaperPlace | null {
  const [at, id] = key.split(":", 2);
  if (id === undefined || id === "") return null;
  if (at === "item") return { at: "item", item_id: id };
  if (at === "section" && (id === "announcements" || id === "press_summary" || id === "voter_opinions")) {
    return { at: "section", section: id };
  }
  return null;
}

/** The drop zone under a point of the window (CSS pixels), if any. */
export function dropZoneAt(x: number, y: number, root: Document = document): HTMLElement | null {
  // jsdom (tests) has no layout and no elementFromPoint.
  const hit = typeof root.elementFromPoint === "function" ? root.elementFromPoint(x, y) : null;
  return hit?.closest<HTMLElement>("[data-drop-place]") ?? null;
}
