import { describe, expect, it } from "vitest";
import { formatMeetingDate, formatMeetingTime, formatSyncTime } from "./format";

// 15 March 2025, 07:05 UTC is 14:05 in Hà Nội (UTC+7, no daylight saving).
const afternoon = Date.UTC(2025, 2, 15, 7, 5);
// 17:00 UTC on 31 December is already midnight of the new year in Hà Nội.
const newYearMidnight = Date.UTC(2024, 11, 31, 17, 0);

describe("sync time", () => {
  it("reads HH:mm dd/MM/yyyy in Vietnam's time zone, in both languages", () => {
    expect(formatSyncTime(afternoon, "vi")).toBe("14:05 15/03/2025");
    expect(formatSyncTime(afternoon, "en")).toBe("14:05 15/03/2025");
  });

  it("rolls over to the local date and writes midnight as 00, not 24", () => {
    expect(formatSyncTime(newYearMidnight, "vi")).toBe("00:00 01/01/2025");
  });
});

describe("meeting time", () => {
  it("names the local weekday in the chosen language", () => {
    expect(formatMeetingDate(afternoon, "vi")).toMatch(/^Thứ Bảy/);
    expect(formatMeetingDate(afternoon, "en")).toMatch(/^Saturday/);
    expect(formatMeetingDate(newYearMidnight, "en")).toMatch(/Wednesday,? 1 January 2025/);
  });

  it("gives the start time on a 24-hour clock", () => {
    expect(formatMeetingTime(afternoon, "vi")).toBe("14:05");
    expect(formatMeetingTime(newYearMidnight, "en")).toBe("00:00");
  });
});
