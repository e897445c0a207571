import { describe, expect, it } from "vitest";
import {
  dateForField,
  dateFromField,
  fromVietnamInputs,
  placeFromKey,
  placeKey,
  plannedMinutes,
  toVietnamInputs,
} from "./prepare";

describe("meeting times", () => {
  it("are edited on Vietnam's clock whatever the computer's time zone", () => {
    const eightAm = Date.UTC(2027, 0, 15, 1, 0);
    expect(toVietnamInputs(eightAm)).toEqual({ date: "2027-01-15", time: "08:00" });
    expect(fromVietnamInputs("2027-01-15", "08:00")).toBe(eightAm);
    expect(toVietnamInputs(Date.UTC(2027, 0, 14, 18, 30)), "late evening UTC is the next morning in Hà Nội").toEqual({
      date: "2027-01-15",
      time: "01:30",
    });
  });

  it("refuse half-filled inputs rather than guess", () => {
    expect(fromVietnamInputs("", "08:00")).toBeNull();
    expect(fromVietnamInputs("2027-01-15", "")).toBeNull();
    expect(fromVietnamInputs("2027-13-01", "08:00")).toBeNull();
  });
});

describe("date fields", () => {
  it("read and write dates in Vietnamese order in the Vietnamese UI", () => {
    expect(dateForField("2027-01-15", "vi")).toBe("15/01/2027");
    expect(dateForField("2027-01-15", "en")).toBe("2027-01-15");
    expect(dateFromField("15/01/2027")).toBe("2027-01-15");
    expect(dateFromField("5.1.2027")).toBe("2027-01-05");
    expect(dateFromField("2027-01-15")).toBe("2027-01-15");
  });
  it("refuse what is not a date rather than guess", () => {
    expect(dateFromField("31/02/2027")).toBeNull();
    expect(dateFromField("01/15/2027")).toBeNull();
    expect(dateFromField("mai")).toBeNull();
  });
});

describe("planned minutes", () => {
  it("take the number the field binds, not only text", () => {
    // A number input binds a number: treating it as text once made "Lưu" fail silently.
    expect(plannedMinutes(45)).toBe(45);
    expect(plannedMinutes("30")).toBe(30);
    expect(plannedMinutes(12.6)).toBe(13);
  });
  it("are cleared by an empty field", () => {
    expect(plannedMinutes(null)).toBeNull();
    expect(plannedMinutes(undefined)).toBeNull();
    expect(plannedMinutes("  ")).toBeNull();
  });
});

describe("drop zones", () => {
  it("name their place in a way that reads back", () => {
    for (const place of [
      { at: "item", item_id: "0b9c" } as const,
      { at: "section", section: "voter_opinions" } as const,
    ]) {
      expect(placeFromKey(placeKey(place))).toEqual(place);
    }
    expect(placeFromKey("section:../../etc")).toBeNull();
    expect(placeFromKey("item:")).toBeNull();
  });
});
