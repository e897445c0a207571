import { describe, expect, it } from "vitest";
import type { DraftPaperView } from "../../lib/ipc/types";
import { fromVietnamInputs, pendingPapers, placeFromKey, placeKey, toVietnamInputs } from "./prepare";

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

describe("publishing", () => {
  it("is blocked by papers awaiting approval, not by withdrawn ones", () => {
    const base: DraftPaperView = {
      paper_id: "p",
      place: { at: "section", section: "announcements" },
      position: 1,
      title: "Thông báo",
      kind: "other",
      visibility: { scope: "all_participants" },
      file: { hash: "h", size: 1, pages: 1, file_name: "a.pdf" },
      revision: 1,
      source: null,
      review: { state: "pending" },
      withdrawn: false,
      updated_at: 0,
    };
    const papers: DraftPaperView[] = [
      base,
      { ...base, paper_id: "w", withdrawn: true },
      { ...base, paper_id: "a", review: { state: "approved", by: "Nguyễn Văn Thành", at: 1, published: false } },
      { ...base, paper_id: "r", review: { state: "returned", by: "Nguyễn Văn Thành", at: 2, reason: "Thiếu chữ ký." } },
    ];
    // A returned paper blocks publishing like a pending one, until a new file or an approval.
    expect(pendingPapers(papers).map((p) => p.paper_id)).toEqual(["p", "r"]);
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
