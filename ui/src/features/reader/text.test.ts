import { describe, expect, it } from "vitest";
import { groupLines, hitRects } from "./text";

/** Boxes for characters laid left to right on a line: each 0.01 wide, between `top` and `bottom`. */
function line(text: string, left: number, top: number, bottom: number): number[] {
  return Array.from(text).flatMap((char, index) =>
    char === "\n" ? [0, 0, 0, 0] : [left + index * 0.01, top, left + (index + 1) * 0.01, bottom],
  );
}

describe("the text layer", () => {
  it("groups characters into lines by overlapping height, and ends a line at a newline", () => {
    const text = "Điều 1.\nNghị quyết";
    const boxes = [...line("Điều 1.", 0.1, 0.1, 0.12), 0, 0, 0, 0, ...line("Nghị quyết", 0.1, 0.13, 0.15)];
    const lines = groupLines(text, boxes);
    expect(lines.map((l) => l.text)).toEqual(["Điều 1.", "Nghị quyết"]);
    expect(lines[0]).toMatchObject({ start: 0, end: 7, left: 0.1, top: 0.1, bottom: 0.12 });
    expect(lines[0]?.right).toBeCloseTo(0.17);
    expect(lines[1]).toMatchObject({ start: 8, end: 18, top: 0.13, bottom: 0.15 });
  });

  it("starts a new line when the next box does not overlap vertically, even without a newline", () => {
    const text = "abcd";
    const boxes = [...line("ab", 0.1, 0.1, 0.12), ...line("cd", 0.1, 0.2, 0.22)];
    expect(groupLines(text, boxes).map((l) => l.text)).toEqual(["ab", "cd"]);
  });

  it("keeps a superscript and a boxless space on their line", () => {
    const text = "m2 x";
    const boxes = [0.1, 0.1, 0.11, 0.12, 0.11, 0.095, 0.115, 0.105, 0, 0, 0, 0, 0.13, 0.1, 0.14, 0.12];
    const lines = groupLines(text, boxes);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ text: "m2 x", top: 0.095, bottom: 0.12, left: 0.1, right: 0.14 });
  });

  it("breaks when the text jumps back to the left at the same height (the next column's line)", () => {
    const text = "ab";
    const boxes = [0.6, 0.1, 0.61, 0.12, 0.1, 0.1, 0.11, 0.12];
    expect(groupLines(text, boxes).map((l) => l.text)).toEqual(["a", "b"]);
  });

  it("counts characters, not UTF-16 units, as the core does", () => {
    const text = "𝐀b";
    const boxes = [...line("xy", 0.1, 0.1, 0.12)];
    expect(groupLines(text, boxes)[0]).toMatchObject({ text: "𝐀b", start: 0, end: 2 });
  });
});

describe("find highlights", () => {
  it("cover a hit with the union of its characters' boxes", () => {
    const text = "Ngân sách nhà nước";
    const rects = hitRects(text, line(text, 0.1, 0.3, 0.32), 5, 4);
    expect(rects).toHaveLength(1);
    expect(rects[0]?.left).toBeCloseTo(0.15);
    expect(rects[0]?.right).toBeCloseTo(0.19);
    expect(rects[0]).toMatchObject({ top: 0.3, bottom: 0.32 });
  });

  it("split a hit that wraps onto the next line into one rectangle per line", () => {
    const text = "dự toán\nngân sách";
    const boxes = [...line("dự toán", 0.5, 0.3, 0.32), 0, 0, 0, 0, ...line("ngân sách", 0.1, 0.33, 0.35)];
    const rects = hitRects(text, boxes, 3, 9);
    expect(rects).toHaveLength(2);
    expect(rects[0]).toMatchObject({ top: 0.3, bottom: 0.32 });
    expect(rects[1]).toMatchObject({ left: 0.1, top: 0.33, bottom: 0.35 });
  });

  it("ignore the part of a hit beyond the page's boxes", () => {
    expect(hitRects("ab", line("ab", 0, 0, 0.1), 1, 10)).toHaveLength(1);
    expect(hitRects("ab", line("ab", 0, 0, 0.1), 5, 2)).toEqual([]);
  });
});
