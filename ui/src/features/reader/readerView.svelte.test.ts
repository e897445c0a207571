// @vitest-environment jsdom
// Where the pages are, as the reader's turns see it: which rows are shown, kept offstage and drawn, before and after
// the frame that shows a turn is painted.
import { flushSync } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { OpenedPaper } from "../../lib/ipc/types";
import { ReaderView } from "./readerView.svelte";

const paper: OpenedPaper = {
  paper_id: "du-thao",
  title: "Dự thảo nghị quyết",
  page_count: 10,
  pages: Array.from({ length: 10 }, () => ({ width_pt: 595, height_pt: 842 })),
  outline: [],
  last_page: 0,
  searchable: true,
};

let cleanup: (() => void) | null = null;

afterEach(() => {
  cleanup?.();
  cleanup = null;
  vi.unstubAllGlobals();
});

/** A view of the ten-page paper whose frames are painted when the test says. */
function viewOf(mode: "single" | "spread" | "continuous", page: number) {
  const frames: FrameRequestCallback[] = [];
  vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => frames.push(callback));
  let view!: ReaderView;
  cleanup = $effect.root(() => {
    view = new ReaderView(() => paper);
  });
  view.mode = mode;
  view.setPage(page);
  flushSync();
  const paint = async () => {
    frames.splice(0).forEach((frame) => frame(performance.now()));
    // The work held for after the paint comes in a message after the frame: let that
    // message arrive (a zero timeout can run before it), then a few milliseconds more.
    await new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve(null);
      };
      channel.port2.postMessage(null);
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    flushSync();
  };
  const shown = () => view.slots.filter((slot) => slot.shown).map((slot) => slot.page);
  const offstage = () => view.slots.filter((slot) => !slot.shown).map((slot) => slot.page);
  return { view, paint, shown, offstage };
}

describe("the reader's view", () => {
  it("in single view shows one page and keeps those either side drawn offstage", async () => {
    const { view, paint, shown, offstage } = viewOf("single", 4);
    await paint();
    expect(shown()).toEqual([4]);
    expect(offstage()).toEqual([3, 5]);
    expect([...view.active].sort((a, b) => a - b), "all three drawn").toEqual([3, 4, 5]);
  });

  it("turns by showing the page kept offstage, and moves the stage along only once the turn is painted", async () => {
    const { view, paint, shown, offstage } = viewOf("single", 4);
    await paint();
    const drawnBefore = view.active;
    view.setPage(5);
    flushSync();
    expect(shown()).toEqual([5]);
    expect(offstage(), "nothing mounted in the turn's frame").toEqual([3, 4]);
    expect(view.active, "the same pages drawn, not even a new set").toBe(drawnBefore);
    await paint();
    expect(offstage()).toEqual([4, 6]);
  });

  it("in spread view shows two pages and keeps the spreads either side offstage, the box naming the left page", async () => {
    const { view, paint, shown, offstage } = viewOf("spread", 4);
    await paint();
    expect(shown()).toEqual([3, 4]);
    expect(offstage()).toEqual([1, 2, 5, 6]);
    expect(view.boxPage).toBe(3);
  });

  it("in continuous view places every page and draws only those near the viewport", async () => {
    const { view, paint, shown } = viewOf("continuous", 0);
    await paint();
    expect(shown()).toHaveLength(10);
    expect(view.active.size, "a few pages drawn, not all ten").toBeLessThan(10);
    expect(view.active.has(0)).toBe(true);
  });

  it("renders a page at the width it is shown, for the screen's pixel density", () => {
    const { view } = viewOf("single", 4);
    view.dpr = 2;
    const shownWidth = view.slots.find((slot) => slot.page === 4)?.width ?? 0;
    expect(view.widthFor(4)).toBe(Math.round(shownWidth * 2));
  });
});
