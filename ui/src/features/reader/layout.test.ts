import { describe, expect, it } from "vitest";
import type { PageSizeView } from "../../lib/ipc/types";
import {
  anchorAt,
  layOut,
  MAX_RENDER_PX,
  PADDING,
  pageRows,
  pagesToRender,
  pointOf,
  ROW_GAP,
  rowInView,
  rowOf,
  renderWidthPx,
  scrollTopForRow,
  slotsInView,
  SPREAD_GAP,
  turnTarget,
  visibleRows,
} from "./layout";

const a4: PageSizeView = { width_pt: 595, height_pt: 842 };
const landscape: PageSizeView = { width_pt: 842, height_pt: 595 };
const paper = (count: number): PageSizeView[] => Array.from({ length: count }, () => a4);

describe("rows of pages", () => {
  it("puts one page per row, or the cover alone and then pairs, like a printed book", () => {
    expect(pageRows(3, "continuous")).toEqual([[0], [1], [2]]);
    expect(pageRows(3, "single")).toEqual([[0], [1], [2]]);
    expect(pageRows(6, "spread")).toEqual([[0], [1, 2], [3, 4], [5]]);
    expect(pageRows(5, "spread")).toEqual([[0], [1, 2], [3, 4]]);
    expect(pageRows(1, "spread")).toEqual([[0]]);
    expect(pageRows(0, "spread")).toEqual([]);
  });

  it("finds a page's row without building the rows", () => {
    for (const count of [1, 2, 5, 6, 460]) {
      pageRows(count, "spread").forEach((row, index) => {
        for (const page of row) expect(rowOf(page, "spread"), `page ${page} of ${count}`).toBe(index);
      });
    }
    expect(rowOf(7, "single")).toBe(7);
  });

  it("turns a whole spread at a time and stops at either end", () => {
    expect(turnTarget(0, 1, 6, "spread")).toBe(1);
    expect(turnTarget(1, 1, 6, "spread")).toBe(3);
    expect(turnTarget(2, 1, 6, "spread"), "from the right-hand page too").toBe(3);
    expect(turnTarget(3, -1, 6, "spread")).toBe(1);
    expect(turnTarget(5, 1, 6, "spread")).toBe(5);
    expect(turnTarget(0, -1, 6, "single")).toBe(0);
    expect(turnTarget(4, 1, 460, "continuous")).toBe(5);
  });
});

describe("rendering", () => {
  it("never asks the core for more than it renders, and renders for the screen's pixel density", () => {
    expect(renderWidthPx(800, 1)).toBe(800);
    expect(renderWidthPx(800.4, 2)).toBe(1601);
    expect(renderWidthPx(3000, 2)).toBe(MAX_RENDER_PX);
    expect(renderWidthPx(800, 0), "an unknown density counts as 1").toBe(800);
  });
});

describe("layout before rendering", () => {
  it("places every page of a 460-page paper at once, top to bottom, centred", () => {
    const scale = 1;
    const layout = layOut(paper(460), pageRows(460, "continuous"), scale, { width: 1000, height: 800 });
    expect(layout.rows).toHaveLength(460);
    const first = layout.rows[0]?.pages[0];
    expect(first).toEqual({ page: 0, x: (1000 - 595) / 2, y: PADDING, width: 595, height: 842 });
    expect(layout.rows[1]?.top).toBe(PADDING + 842 + ROW_GAP);
    expect(layout.height).toBe(460 * 842 + 459 * ROW_GAP + 2 * PADDING);
    expect(layout.width, "as wide as the viewport when the pages are narrower").toBe(1000);
  });

  it("lays a spread side by side with the fold between, and widens the content when zoomed in", () => {
    const layout = layOut(paper(3), [[1, 2]], 1, { width: 800, height: 600 });
    const [left, right] = layout.rows[0]?.pages ?? [];
    expect(right?.x).toBe((left?.x ?? 0) + 595 + SPREAD_GAP);
    expect(layout.width).toBe(2 * 595 + SPREAD_GAP + 2 * PADDING);
    expect(left?.x).toBe(PADDING);
  });

  it("centres a page that fits vertically", () => {
    const layout = layOut([landscape], [[0]], 1, { width: 1000, height: 1000 });
    expect(layout.rows[0]?.top).toBe(PADDING + (1000 - (595 + 2 * PADDING)) / 2);
  });

  it("knows which rows are in view for a scroll offset, and renders them ± 2 plus the current one", () => {
    const layout = layOut(paper(460), pageRows(460, "continuous"), 1, { width: 1000, height: 800 });
    const pitch = 842 + ROW_GAP;
    expect(visibleRows(layout, 0, 800)).toEqual([0, 0]);
    expect(visibleRows(layout, PADDING + 100 * pitch + 500, 800)).toEqual([100, 101]);
    expect([...pagesToRender(layout, PADDING + 100 * pitch + 500, 800, 100)].sort((a, b) => a - b)).toEqual([
      98, 99, 100, 101, 102, 103,
    ]);
    expect(pagesToRender(layout, 0, 800, 300).has(300), "the page jumped to renders before the scroll lands").toBe(true);
    expect([...pagesToRender(layout, layout.height - 800, 800, 459)].sort((a, b) => a - b)).toEqual([457, 458, 459]);
  });

  it("takes the row filling most of the viewport as current, the earlier on a tie", () => {
    const layout = layOut(paper(10), pageRows(10, "continuous"), 0.25, { width: 1000, height: 800 });
    const row3 = scrollTopForRow(layout, 3);
    expect(rowInView(layout, row3, 800), "scrolled to row 3, it stays current though rows 4 and 5 fit too").toBe(3);
    const big = layOut(paper(10), pageRows(10, "continuous"), 1, { width: 1000, height: 800 });
    const intoFour = (big.rows[3]?.top ?? 0) + 700;
    expect(rowInView(big, intoFour, 800)).toBe(4);
  });

  it("keeps the point of the paper under the pointer through a change of zoom", () => {
    const before = layOut(paper(5), pageRows(5, "continuous"), 1, { width: 1000, height: 800 });
    const page2 = before.rows[2]?.pages[0];
    const anchor = anchorAt(before, (page2?.x ?? 0) + 595 / 2, (page2?.y ?? 0) + 842 / 4);
    expect(anchor).toEqual({ page: 2, fx: 0.5, fy: 0.25 });
    const after = layOut(paper(5), pageRows(5, "continuous"), 2, { width: 1000, height: 800 });
    const moved = after.rows[2]?.pages[0];
    expect(pointOf(after, anchor ?? { page: 0, fx: 0, fy: 0 })).toEqual({
      x: (moved?.x ?? 0) + 595,
      y: (moved?.y ?? 0) + 842 / 2,
    });
    expect(anchorAt(before, 5, (page2?.y ?? 0) + 10)?.page, "beside a page, the nearest page").toBe(2);
  });

  it("puts thumbnails in fixed slots, so those in view are arithmetic", () => {
    expect(slotsInView(0, 600, 200, 460)).toEqual([0, 5]);
    expect(slotsInView(2000, 600, 200, 460)).toEqual([8, 15]);
    expect(slotsInView(91_400, 600, 200, 460)).toEqual([455, 459]);
  });
});
