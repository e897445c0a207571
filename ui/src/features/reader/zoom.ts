// Zoom: what the fit zooms fit to, the scale a zoom gives, the steps of − and +, the wheel and the pinch, and where
// to scroll so the point under the pointer stays put. Arithmetic only; the reader holds the zoom chosen.
import type { PageSizeView } from "../../lib/ipc/types";
import {
  PADDING,
  pageRows,
  pageSize,
  rowExtent,
  rowOf,
  SPREAD_GAP,
  type Point,
  type RowExtent,
  type Viewport,
  type ViewMode,
} from "./layout";

export type Zoom = { kind: "fit-width" } | { kind: "fit-page" } | { kind: "free"; scale: number };

/** CSS pixels per PDF point at 100 %: a point is 1/72 inch, a CSS pixel 1/96. */
export const PX_PER_POINT = 96 / 72;

export const ZOOM_STEPS = [25, 33, 50, 67, 75, 90, 100, 110, 125, 150, 175, 200, 250, 300, 400] as const;
export const MIN_PERCENT = 25;
export const MAX_PERCENT = 400;

/**
 * What a row of single or spread view is fitted to. In spread view a page alone on its row (the cover, a last odd
 * page) is fitted as if its facing page were there, so it is shown at the size of the pages either side of it, as
 * in an open book, rather than stretched across both halves of the screen.
 */
export function fitRowExtent(pages: readonly PageSizeView[], row: readonly number[], mode: ViewMode): RowExtent {
  const extent = rowExtent(pages, row);
  if (mode !== "spread" || row.length !== 1) return extent;
  return { widthPt: extent.widthPt * 2, heightPt: extent.heightPt, gapsPx: SPREAD_GAP };
}

/**
 * What the fit zooms fit to: the current row in single and spread modes, and in continuous mode
 * the largest page, so no page of a paper with mixed sizes runs off the screen.
 */
export function fitExtent(pages: readonly PageSizeView[], count: number, mode: ViewMode, page: number): RowExtent {
  if (mode !== "continuous") return fitRowExtent(pages, pageRows(count, mode)[rowOf(page, mode)] ?? [], mode);
  let widthPt = 0;
  let heightPt = 0;
  for (let index = 0; index < count; index++) {
    const size = pageSize(pages, index);
    widthPt = Math.max(widthPt, size.width_pt);
    heightPt = Math.max(heightPt, size.height_pt);
  }
  return { widthPt, heightPt, gapsPx: 0 };
}

/** CSS pixels per point for a zoom. */
export function zoomScale(zoom: Zoom, extent: RowExtent, viewport: Viewport): number {
  if (zoom.kind === "free") return clampScale(zoom.scale);
  if (extent.widthPt <= 0 || extent.heightPt <= 0) return PX_PER_POINT;
  const byWidth = (viewport.width - 2 * PADDING - extent.gapsPx) / extent.widthPt;
  const scale = zoom.kind === "fit-width" ? byWidth : Math.min(byWidth, (viewport.height - 2 * PADDING) / extent.heightPt);
  return clampScale(scale);
}

export function clampScale(scale: number): number {
  const min = (MIN_PERCENT / 100) * PX_PER_POINT;
  const max = (MAX_PERCENT / 100) * PX_PER_POINT;
  if (!Number.isFinite(scale)) return PX_PER_POINT;
  return Math.min(Math.max(scale, min), max);
}

/**
 * Below this share of its printed size a page is hard to read: the 13–14 pt body text of a Vietnamese administrative
 * paper (Nghị định 30/2020/NĐ-CP) comes out under 8 pt, about 10 CSS pixels, the smallest most older readers manage
 * on a laptop. Fit page on a 1366×768 screen shows an A4 page at about 56 %, so the reader says so there.
 */
export const READABLE_PERCENT = 60;

/** A fitted page is shown smaller than `READABLE_PERCENT` of its printed size. */
export function belowReadable(scale: number): boolean {
  return zoomPercent(scale) < READABLE_PERCENT;
}

/** The zoom as people read it: 100 % is the paper's printed size. */
export function zoomPercent(scale: number): number {
  return Math.round((scale / PX_PER_POINT) * 100);
}

/** The next step of the − and + buttons from any scale (a fitted scale is rarely on a step). */
export function stepZoom(scale: number, direction: 1 | -1): number {
  const percent = (scale / PX_PER_POINT) * 100;
  const steps = direction > 0 ? ZOOM_STEPS : [...ZOOM_STEPS].reverse();
  const next = steps.find((step) => (direction > 0 ? step > percent + 0.5 : step < percent - 0.5));
  return ((next ?? (direction > 0 ? MAX_PERCENT : MIN_PERCENT)) / 100) * PX_PER_POINT;
}


/** How far one notch of a mouse wheel (or 400 pixels of a touchpad's scroll) zooms: by a factor of e. */
const WHEEL_PX_PER_E = 400;
/** A wheel that counts in lines (`deltaMode` 1) moves about this many pixels a line. */
const WHEEL_LINE_PX = 16;

/** The scale after Ctrl+wheel: up when the wheel turns away from the reader, as the engines zoom a web page. */
export function wheelZoom(scale: number, deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * WHEEL_LINE_PX : deltaY;
  return clampScale(scale * Math.exp(-pixels / WHEEL_PX_PER_E));
}

/** The scale while two fingers pinch: the scale they started at, times how far apart they moved. */
export function pinchZoom(startScale: number, factor: number): number {
  return clampScale(startScale * factor);
}

/**
 * Where to scroll so the paper's point now at `point` (content pixels, in the new layout) is back under `focus`
 * (viewport pixels), as far as the start of the paper allows.
 */
export function scrollKeeping(point: Point, focus: Point): { top: number; left: number } {
  return { top: Math.max(0, point.y - focus.y), left: Math.max(0, point.x - focus.x) };
}

/**
 * Wheel and pinch zooms, at most one a frame: each event replaces the scale still waiting, and the frame applies the
 * last one. `frame` is `requestAnimationFrame` in the reader.
 */
export class ZoomFrames {
  #waiting: { scale: number; focus: Point } | null = null;
  readonly #frame: (callback: () => void) => void;
  readonly #apply: (scale: number, focus: Point) => void;

  constructor(apply: (scale: number, focus: Point) => void, frame: (callback: () => void) => void = nextFrame) {
    this.#apply = apply;
    this.#frame = frame;
  }

  /** The scale waiting for the next frame, if any: a wheel turned again zooms on from there. */
  get waitingScale(): number | undefined {
    return this.#waiting?.scale;
  }

  schedule(scale: number, focus: Point): void {
    const first = this.#waiting === null;
    this.#waiting = { scale, focus };
    if (!first) return;
    this.#frame(() => {
      const wanted = this.#waiting;
      this.#waiting = null;
      if (wanted !== null) this.#apply(wanted.scale, wanted.focus);
    });
  }
}

function nextFrame(callback: () => void): void {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(callback);
  else setTimeout(callback, 16);
}
