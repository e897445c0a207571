import { describe, expect, it } from "vitest";
import type { PageSizeView } from "../../lib/ipc/types";
import { layOut, pageRows } from "./layout";
import { pagesAhead, pagesDrawn, pagesNearView, rowsOnStage, slotsOfLayout, slotsOfRows } from "./stage";

const a4: PageSizeView = { width_pt: 595, height_pt: 842 };
const paper = (count: number): PageSizeView[] => Array.from({ length: count }, () => a4);
const viewport = { width: 1000, height: 800 };

describe("the rows on stage in single and spread views", () => {
  it("are the row shown and the rows either side, kept ready to be turned to", () => {
    expect(rowsOnStage(4, 4, 10)).toEqual([3, 4, 5]);
  });

  it("stop at the first and last rows of the paper", () => {
    expect(rowsOnStage(0, 0, 10)).toEqual([0, 1]);
    expect(rowsOnStage(9, 9, 10)).toEqual([8, 9]);
    expect(rowsOnStage(0, 0, 1), "a one-page paper").toEqual([0]);
  });

  it("move along with a turn only once it is painted, the row turned to being there at once", () => {
    expect(rowsOnStage(4, 5, 10), "turned to an offstage row: nothing else is mounted in that frame").toEqual([3, 4, 5]);
    expect(rowsOnStage(4, 9, 10), "End jumps far: the last row joins the stage at once").toEqual([3, 4, 5, 9]);
  });
});

describe("slots", () => {
  it("give every page of a continuous layout a place, all shown", () => {
    const layout = layOut(paper(3), pageRows(3, "continuous"), 1, viewport);
    const slots = slotsOfLayout(layout);
    expect(slots.map((slot) => [slot.page, slot.shown])).toEqual([
      [0, true],
      [1, true],
      [2, true],
    ]);
    expect(slots[1]?.y, "placed where the layout put them").toBe(layout.rows[1]?.pages[0]?.y);
  });

  it("place each staged row as it is shown when turned to, and show only the current one", () => {
    const rows = pageRows(7, "spread");
    const layoutOf = (row: number) => layOut(paper(7), [rows[row] ?? []], 1, viewport);
    const slots = slotsOfRows([1, 2, 3], 2, layoutOf);
    expect(slots.map((slot) => [slot.page, slot.shown])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, true],
      [5, false],
      [6, false],
    ]);
    expect(slots[0]?.x, "an offstage spread sits where it shows when turned to").toBe(slots[2]?.x);
  });
});

describe("the pages drawn", () => {
  it("in continuous view are those near the viewport, where the reader settled", () => {
    const layout = layOut(paper(460), pageRows(460, "continuous"), 1, viewport);
    const near = pagesNearView(layout, { row: 0, scrollTop: 0 }, 800);
    expect([...near].sort((a, b) => a - b), "the page in view and the two below it, of 460").toEqual([0, 1, 2]);
    const further = pagesNearView(layout, { row: 100, scrollTop: layout.rows[100]?.top ?? 0 }, 800);
    expect([...further].sort((a, b) => a - b), "two rows either side further down").toEqual([98, 99, 100, 101, 102]);
  });

  it("always include the row turned to", () => {
    const drawn = pagesDrawn(new Set(), new Set([3, 4, 5]), [8, 9]);
    expect([...drawn].sort((a, b) => a - b)).toEqual([3, 4, 5, 8, 9]);
  });

  it("stay the same set when nothing changes, so scrolling within the same pages updates nothing", () => {
    const before = pagesDrawn(new Set(), new Set([0, 1, 2, 3]), [0]);
    expect(pagesDrawn(before, new Set([3, 2, 1, 0]), [1]), "the very same set").toBe(before);
    expect(pagesDrawn(before, new Set([1, 2, 3, 4]), [1])).not.toBe(before);
  });
});

describe("rendering ahead", () => {
  it("renders the next row first, then the one before, then the one after next", () => {
    expect(pagesAhead(pageRows(10, "single"), 4)).toEqual([5, 3, 6]);
    expect(pagesAhead(pageRows(10, "spread"), 2), "whole spreads").toEqual([5, 6, 1, 2, 7, 8]);
    expect(pagesAhead(pageRows(10, "single"), 0), "nothing before the first page").toEqual([1, 2]);
  });
});
