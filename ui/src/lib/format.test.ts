import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatMeetingDate, formatMeetingTime, formatSyncTime, isSameDay } from "./format";

// 15 March 2025, 07:05 UTC is 14:05 in Hà Nội (UTC+7, no daylight saving).
const afternoon = Date.UTC(2025, 2, 15, 7, 5);
// 17:00 UTC on 31 December is already midnight of the new year in Hà Nội.
const newYearMidnight = Date.UTC(2024, 11, 31, 17, 0);
// 4 December 2026 is a Friday; 6 December 2026 a Sunday.
const fourthOfDecember = Date.UTC(2026, 11, 4, 2, 0);
const sunday = Date.UTC(2026, 11, 6, 2, 0);

describe("one date style", () => {
  it("writes the day as Vietnam does, and spells the month out in English so it cannot be misread", () => {
    expect(formatDate(fourthOfDecember, "vi")).toBe("04/12/2026");
    expect(formatDate(fourthOfDecember, "en"), "not 04/12/2026, which reads as 12 April in the US").toBe("4 December 2026");
  });

  it("gives a moment as time then day, in Vietnam's time zone", () => {
    expect(formatDateTime(afternoon, "vi")).toBe("14:05 ngày 15/03/2025");
    expect(formatDateTime(afternoon, "en")).toBe("14:05 on 15 March 2025");
    expect(formatSyncTime, "a sync time is a moment like any other").toBe(formatDateTime);
  });

  it("rolls over to the local date and writes midnight as 00, not 24", () => {
    expect(formatDateTime(newYearMidnight, "vi")).toBe("00:00 ngày 01/01/2025");
    expect(isSameDay(newYearMidnight, Date.UTC(2024, 11, 31, 16, 59)), "a minute earlier was still 2024 in Hà Nội").toBe(false);
  });
});

describe("meeting time", () => {
  it("names the local weekday in the chosen language", () => {
    expect(formatMeetingDate(afternoon, "vi")).toBe("Thứ Bảy, 15/03/2025");
    expect(formatMeetingDate(afternoon, "en")).toBe("Saturday, 15 March 2025");
    expect(formatMeetingDate(newYearMidnight, "en")).toBe("Wednesday, 1 January 2025");
  });

  it("writes Sunday as “Chủ nhật”, with a lower-case n", () => {
    expect(formatMeetingDate(sunday, "vi")).toBe("Chủ nhật, 06/12/2026");
  });

  it("gives the start time on a 24-hour clock", () => {
    expect(formatMeetingTime(afternoon, "vi")).toBe("14:05");
    expect(formatMeetingTime(newYearMidnight, "en")).toBe("00:00");
  });
});
