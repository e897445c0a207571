// What changed inside a replaced paper, on its pages and in its list: which characters each change tints, where a
// deletion's marker stands, and stepping through the changes.
import { describe, expect, it } from "vitest";
import type { PageTextView, TextChangeView } from "../../../lib/ipc/types";
import { changeMarks, changePage, deletionMarker, excerpt, stepChange } from "./changes";

/** Page 2 (index 1): "Chi thường xuyên: 9.410.000" on one line, each character 0.01 of the page wide. */
const line = "Chi thường xuyên: 9.410.000";
const page: PageTextView = {
  page: 1,
  text: line,
  boxes: Array.from(line).flatMap((char, index) =>
    // A space has no ink, so no box, as PDFium gives it.
    char === " " ? [0, 0, 0, 0] : [0.1 + index * 0.01, 0.2, 0.11 + index * 0.01, 0.22],
  ),
};

const changed: TextChangeView = {
  kind: "changed",
  old_text: "9.422.500",
  new_text: "9.410.000",
  ranges: [{ page: 1, start: 18, end: 27 }],
};
const deleted: TextChangeView = {
  kind: "deleted",
  old_text: "6. Đẩy mạnh chuyển đổi số",
  new_text: "",
  ranges: [{ page: 1, start: 4, end: 4 }],
};
const elsewhere: TextChangeView = {
  kind: "inserted",
  old_text: "",
  new_text: "3. Giao Ủy ban nhân dân thành phố báo cáo",
  ranges: [{ page: 3, start: 0, end: 41 }],
};

describe("a replaced paper's changes on a page", () => {
  it("tints a changed figure over exactly its characters' boxes", () => {
    const marks = changeMarks([changed], 1, page);
    expect(marks).toHaveLength(1);
    const [mark] = marks;
    expect(mark?.kind).toBe("changed");
    expect(mark?.marker).toBe(false);
    expect(mark?.rect.left).toBeCloseTo(0.1 + 18 * 0.01);
    expect(mark?.rect.right).toBeCloseTo(0.11 + 26 * 0.01);
  });

  it("marks a deletion with a thin bar at the character that now follows it", () => {
    const [mark] = changeMarks([deleted], 1, page);
    expect(mark?.marker).toBe(true);
    const middle = ((mark?.rect.left ?? 0) + (mark?.rect.right ?? 0)) / 2;
    // The left edge of the "t" of "thường".
    expect(middle).toBeCloseTo(0.1 + 4 * 0.01);
  });

  it("puts a deletion at a page's end after its last character", () => {
    const marker = deletionMarker(page, line.length);
    expect(marker).not.toBeNull();
    expect(((marker?.left ?? 0) + (marker?.right ?? 0)) / 2).toBeCloseTo(0.11 + 26 * 0.01);
  });

  it("leaves out the changes of other pages, and everything before the page's text arrives", () => {
    expect(changeMarks([changed, elsewhere, deleted], 1, page).map((m) => m.index)).toEqual([0, 2]);
    expect(changeMarks([changed], 1, null)).toEqual([]);
  });
});

describe("stepping through the changes", () => {
  it("starts at the first going forward and at the last going back", () => {
    expect(stepChange(-1, 3, 1)).toBe(0);
    expect(stepChange(-1, 3, -1)).toBe(2);
  });

  it("wraps around at both ends, and has nowhere to go without changes", () => {
    expect(stepChange(2, 3, 1)).toBe(0);
    expect(stepChange(0, 3, -1)).toBe(2);
    expect(stepChange(-1, 0, 1)).toBe(-1);
  });

  it("goes to a change's page, a deletion's too", () => {
    expect(changePage(elsewhere)).toBe(3);
    expect(changePage(deleted)).toBe(1);
  });
});

describe("a change's words in the list", () => {
  it("keeps short passages whole and cuts long ones at a word", () => {
    expect(excerpt("  Chi thường\nxuyên ")).toBe("Chi thường xuyên");
    const long = "Giao Ủy ban nhân dân thành phố báo cáo Hội đồng nhân dân thành phố kết quả thực hiện dự toán";
    const cut = excerpt(long, 40);
    expect(cut.endsWith("…")).toBe(true);
    expect(Array.from(cut).length).toBeLessThanOrEqual(41);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
  });
});
