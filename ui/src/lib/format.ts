// Dates and times as delegates read them, in one style across every screen, always in Vietnam's time zone (UTC+7 all
// year, no daylight saving) whatever the computer's setting.
//
// Vietnamese: "14:05 ngày 15/03/2025", "Thứ Bảy, 15/03/2025", "Chủ nhật, 16/03/2025" (day before month, as Vietnam
// writes it). English: "14:05 on 15 March 2025", "Saturday, 15 March 2025": the month spelled out, because
// "04/12/2026" reads as 12 April to half the English-reading world.
// Assembled here rather than by `Intl`, whose Vietnamese says "Chủ Nhật" and whose output differs between engines.
import type { Lang } from "./i18n";

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

const weekdays: Record<Lang, readonly string[]> = {
  // Sunday first, as `getUTCDay` counts. "Chủ nhật" keeps its lower-case n.
  vi: ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

const englishMonths = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** The wall clock in Hà Nội at an instant. */
function vietnamWall(epochMs: number): Date {
  return new Date(epochMs + VIETNAM_OFFSET_MS);
}

const two = (n: number) => String(n).padStart(2, "0");

/** The day: "15/03/2025"; "15 March 2025". */
export function formatDate(epochMs: number, lang: Lang): string {
  const wall = vietnamWall(epochMs);
  const day = wall.getUTCDate();
  const month = wall.getUTCMonth();
  const year = wall.getUTCFullYear();
  return lang === "vi" ? `${two(day)}/${two(month + 1)}/${year}` : `${day} ${englishMonths[month]} ${year}`;
}

/** The time of day on a 24-hour clock: "08:30", midnight "00:00". */
export function formatTime(epochMs: number): string {
  const wall = vietnamWall(epochMs);
  return `${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`;
}

/** A moment: "14:05 ngày 15/03/2025"; "14:05 on 15 March 2025". */
export function formatDateTime(epochMs: number, lang: Lang): string {
  return `${formatTime(epochMs)} ${lang === "vi" ? "ngày" : "on"} ${formatDate(epochMs, lang)}`;
}

/** The day of a meeting, with its weekday: "Thứ Bảy, 15/03/2025"; "Saturday, 15 March 2025". */
export function formatMeetingDate(epochMs: number, lang: Lang): string {
  return `${weekdays[lang][vietnamWall(epochMs).getUTCDay()]}, ${formatDate(epochMs, lang)}`;
}

/** The start time of a meeting: see `formatTime`. */
export function formatMeetingTime(epochMs: number, _lang?: Lang): string {
  return formatTime(epochMs);
}

/** When something last happened (a sync, a publication, an import): see `formatDateTime`. */
export const formatSyncTime = formatDateTime;

/** Both instants fall on the same day in Hà Nội. */
export function isSameDay(a: number, b: number): boolean {
  const x = vietnamWall(a);
  const y = vietnamWall(b);
  return x.getUTCFullYear() === y.getUTCFullYear() && x.getUTCMonth() === y.getUTCMonth() && x.getUTCDate() === y.getUTCDate();
}
