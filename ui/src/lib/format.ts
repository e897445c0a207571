// Dates and times as delegates read them: always in Vietnam's time zone, whatever the computer's setting.
import type { Lang } from "./i18n";

const timeZone = "Asia/Ho_Chi_Minh";
const locales: Record<Lang, string> = { vi: "vi-VN", en: "en-GB" };

/**
 * "HH:mm dd/MM/yyyy" in both languages.
 * Assembled from parts because the locales order date and time differently and the wording around it is fixed.
 */
export function formatSyncTime(epochMs: number, lang: Lang): string {
  const parts = new Intl.DateTimeFormat(locales[lang], {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).formatToParts(epochMs);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("hour")}:${part("minute")} ${part("day")}/${part("month")}/${part("year")}`;
}

/** The day of a meeting, with its weekday, e.g. "Thứ Bảy, 15 tháng 3, 2025". */
export function formatMeetingDate(epochMs: number, lang: Lang): string {
  return new Intl.DateTimeFormat(locales[lang], { timeZone, dateStyle: "full" }).format(epochMs);
}

/** The start time of a meeting, 24-hour, e.g. "08:30". */
export function formatMeetingTime(epochMs: number, lang: Lang): string {
  return new Intl.DateTimeFormat(locales[lang], {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(epochMs);
}
