import { describe, expect, it } from "vitest";
import type { PageSizeView } from "../../lib/ipc/types";
import { layOut, PADDING, rowExtent, SPREAD_GAP } from "./layout";
import {
  belowReadable,
  fitExtent,
  pinchZoom,
  PX_PER_POINT,
  scrollKeeping,
  stepZoom,
  wheelZoom,
  zoomPercent,
  zoomScale,
  ZoomFrames,
} from "./zoom";

const a4: PageSizeView = { width_pt: 595, height_pt: 842 };
const landscape: PageSizeView = { width_pt: 842, height_pt: 595 };
const paper = (count: number): PageSizeView[] => Array.from({ length: count }, () => a4);

describe("zoom", () => {
  it("fits the width of the viewport, less the padding and the fold of a spread", () => {
    const viewport = { width: 1000 + 2 * PADDING, height: 700 };
    expect(zoomScale({ kind: "fit-width" }, rowExtent([a4], [0]), viewport)).toBeCloseTo(1000 / 595);
    const spread = rowExtent([a4, a4, a4], [1, 2]);
    expect(spread).toEqual({ widthPt: 1190, heightPt: 842, gapsPx: SPREAD_GAP });
    expect(zoomScale({ kind: "fit-width" }, spread, viewport)).toBeCloseTo((1000 - SPREAD_GAP) / 1190);
  });

  it("fits the whole page: the tighter of width and height", () => {
    const viewport = { width: 1200, height: 600 + 2 * PADDING };
    expect(zoomScale({ kind: "fit-page" }, rowExtent([a4], [0]), viewport)).toBeCloseTo(600 / 842);
    const wide = { width: 300 + 2 * PADDING, height: 2000 };
    expect(zoomScale({ kind: "fit-page" }, rowExtent([a4], [0]), wide)).toBeCloseTo(300 / 595);
  });

  it("fits a paper of mixed sizes by its largest page in continuous mode, by the current row otherwise", () => {
    const pages = [a4, landscape, a4];
    expect(fitExtent(pages, 3, "continuous", 0)).toEqual({ widthPt: 842, heightPt: 842, gapsPx: 0 });
    expect(fitExtent(pages, 3, "single", 1)).toEqual({ widthPt: 842, heightPt: 595, gapsPx: 0 });
    expect(fitExtent(pages, 3, "single", 0)).toEqual({ widthPt: 595, heightPt: 842, gapsPx: 0 });
  });

  it("fits a spread's lone cover as if its facing page were there, so it is shown at the size of the pages after it", () => {
    const pages = paper(5);
    const viewport = { width: 1300, height: 700 };
    const cover = fitExtent(pages, 5, "spread", 0);
    expect(cover).toEqual({ widthPt: 1190, heightPt: 842, gapsPx: SPREAD_GAP });
    expect(zoomScale({ kind: "fit-width" }, cover, viewport)).toBeCloseTo(
      zoomScale({ kind: "fit-width" }, fitExtent(pages, 5, "spread", 1), viewport),
    );
    // The spread of pages 2 and 3 at fit width: both side by side, with nothing to scroll sideways.
    const scale = zoomScale({ kind: "fit-width" }, fitExtent(pages, 5, "spread", 1), viewport);
    const layout = layOut(pages, [[1, 2]], scale, viewport);
    expect(layout.width, "no wider than the viewport").toBeLessThanOrEqual(viewport.width);
    expect(layout.rows[0]?.pages.map((placed) => placed.page)).toEqual([1, 2]);
    expect(fitExtent(pages, 5, "single", 0), "one-page view fits the page itself").toEqual({ widthPt: 595, heightPt: 842, gapsPx: 0 });
  });

  it("calls a fitted page under 60 % of its printed size too small to read", () => {
    // A4 fitted to the 632 pixels a 1366×768 screen leaves for the page: 56 %.
    expect(zoomPercent(632 / 842)).toBe(56);
    expect(belowReadable(632 / 842)).toBe(true);
    expect(belowReadable(0.6 * PX_PER_POINT)).toBe(false);
    expect(belowReadable(PX_PER_POINT)).toBe(false);
  });

  it("shows 100 % at the printed size and steps through round percentages from any scale", () => {
    expect(zoomPercent(PX_PER_POINT)).toBe(100);
    expect(zoomPercent(stepZoom(PX_PER_POINT, 1))).toBe(110);
    expect(zoomPercent(stepZoom(PX_PER_POINT, -1))).toBe(90);
    const fitted = 1.37 * PX_PER_POINT;
    expect(zoomPercent(stepZoom(fitted, 1))).toBe(150);
    expect(zoomPercent(stepZoom(fitted, -1))).toBe(125);
    expect(zoomPercent(stepZoom(4 * PX_PER_POINT, 1)), "400 % is the most").toBe(400);
    expect(zoomPercent(stepZoom(0.25 * PX_PER_POINT, -1)), "25 % is the least").toBe(25);
  });
});

describe("zooming by wheel and fingers", () => {
  it("zooms in as Ctrl+wheel turns away from the reader and out as it turns back, whether the wheel counts pixels or lines", () => {
    expect(wheelZoom(PX_PER_POINT, -100, 0), "a notch away").toBeCloseTo(PX_PER_POINT * Math.exp(0.25));
    expect(wheelZoom(PX_PER_POINT, 100, 0), "a notch back").toBeCloseTo(PX_PER_POINT * Math.exp(-0.25));
    expect(wheelZoom(PX_PER_POINT, 3, 1), "three lines are 48 pixels").toBeCloseTo(wheelZoom(PX_PER_POINT, 48, 0));
  });

  it("stays between 25 % and 400 % however far the wheel turns or the fingers spread", () => {
    expect(zoomPercent(wheelZoom(PX_PER_POINT, -100_000, 0))).toBe(400);
    expect(zoomPercent(wheelZoom(PX_PER_POINT, 100_000, 0))).toBe(25);
    expect(zoomPercent(pinchZoom(PX_PER_POINT, 10))).toBe(400);
    expect(zoomPercent(pinchZoom(2 * PX_PER_POINT, 0.5)), "fingers halfway together from 200 %").toBe(100);
  });

  it("scrolls so the point that was under the pointer is under it again, never before the start", () => {
    expect(scrollKeeping({ x: 900, y: 2400 }, { x: 300, y: 400 })).toEqual({ top: 2000, left: 600 });
    expect(scrollKeeping({ x: 100, y: 50 }, { x: 300, y: 400 })).toEqual({ top: 0, left: 0 });
  });

  it("applies at most one wheel or pinch zoom a frame: the last scale asked for, at the last point", () => {
    const frames: (() => void)[] = [];
    const applied: [number, number][] = [];
    const zooms = new ZoomFrames(
      (scale, focus) => applied.push([scale, focus.x]),
      (callback) => frames.push(callback),
    );
    zooms.schedule(1.5, { x: 10, y: 0 });
    zooms.schedule(1.6, { x: 20, y: 0 });
    expect(zooms.waitingScale, "a second notch zooms on from the first").toBe(1.6);
    zooms.schedule(1.7, { x: 30, y: 0 });
    expect(frames, "one frame asked for").toHaveLength(1);
    frames.shift()?.();
    expect(applied).toEqual([[1.7, 30]]);
    expect(zooms.waitingScale).toBeUndefined();
    zooms.schedule(2, { x: 40, y: 0 });
    expect(frames, "the next zoom waits for the next frame").toHaveLength(1);
  });
});
