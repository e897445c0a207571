import { describe, expect, it } from "vitest";
import type { FindHitView } from "../../lib/ipc/types";
import { boxOnPage, firstHitFrom, hitsByPage, scrollToShow, stepHit } from "./find";

// "ngân sách" three times in a ten-page paper: once on page 5, twice on page 7 (zero-based 4 and 6).
const hits: FindHitView[] = [
  { page: 4, start: 22, length: 8 },
  { page: 6, start: 22, length: 8 },
  { page: 6, start: 44, length: 8 },
];

describe("the hit find starts at", () => {
  it("is the first on the page being read or after it", () => {
    expect(firstHitFrom(hits, 0), "reading the cover: the first hit of the paper").toBe(0);
    expect(firstHitFrom(hits, 4), "a hit on the page itself comes first").toBe(0);
    expect(firstHitFrom(hits, 5), "from page 6, the first of page 7").toBe(1);
    expect(firstHitFrom(hits, 6)).toBe(1);
  });

  it("wraps to the first of the paper past the last hit, and is none when nothing was found", () => {
    expect(firstHitFrom(hits, 9)).toBe(0);
    expect(firstHitFrom([], 3)).toBe(-1);
  });
});

describe("moving between hits", () => {
  it("goes forward and back, and round from the last to the first", () => {
    expect(stepHit(0, 1, 3)).toBe(1);
    expect(stepHit(2, 1, 3), "Enter on the last hit goes back to the first").toBe(0);
    expect(stepHit(0, -1, 3), "Shift+Enter on the first goes to the last").toBe(2);
    expect(stepHit(0, 1, 1), "a single hit stays current").toBe(0);
  });
});

describe("hits by page", () => {
  it("gives each page its own hits, each keeping its place among all the paper's", () => {
    const byPage = hitsByPage(hits);
    expect([...byPage.keys()]).toEqual([4, 6]);
    expect(byPage.get(6)).toEqual([
      { index: 1, start: 22, length: 8 },
      { index: 2, start: 44, length: 8 },
    ]);
    expect(byPage.get(5), "a page without hits highlights nothing").toBeUndefined();
  });
});

describe("scrolling to a hit", () => {
  const page = { page: 6, x: 100, y: 2000, width: 600, height: 800 };
  const line = { left: 0.1, top: 0.5, right: 0.3, bottom: 0.52 };

  it("places a rectangle of a page where the page is laid out", () => {
    expect(boxOnPage(page, line)).toEqual({ left: 160, top: 2400, right: 280, bottom: 2416 });
  });

  it("leaves the view alone when the hit is already in it", () => {
    const visible = { top: 2000, left: 0, width: 1000, height: 700 };
    expect(scrollToShow(boxOnPage(page, line), visible)).toEqual({ top: 2000, left: 0 });
  });

  it("centres a hit out of view", () => {
    const box = boxOnPage(page, line);
    expect(scrollToShow(box, { top: 0, left: 0, width: 1000, height: 700 })).toEqual({ top: 2408 - 350, left: 0 });
    const zoomed = { top: 2100, left: 600, width: 400, height: 700 };
    expect(scrollToShow(box, zoomed), "scrolled sideways past it on a zoomed page").toEqual({ top: 2100, left: (160 + 280 - 400) / 2 });
  });

  it("never scrolls before the start of the paper to centre a hit near it", () => {
    const nearTop = boxOnPage({ page: 0, x: 16, y: 16, width: 600, height: 800 }, { left: 0, top: 0.01, right: 0.2, bottom: 0.03 });
    expect(scrollToShow(nearTop, { top: 3000, left: 300, width: 1000, height: 700 })).toEqual({ top: 0, left: 0 });
  });
});
