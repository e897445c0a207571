// Touch gestures from pointer events: a horizontal swipe turns the page, two fingers pinch to zoom.
// Kept apart from the DOM so the thresholds can be tested; the reader feeds it touch and pen pointers only,
// since a mouse drag selects text.

import type { Point } from "./layout";
import { pinchZoom, wheelZoom, ZoomFrames } from "./zoom";

export type { Point };
export type SwipeDirection = "next" | "previous";

export const SWIPE_THRESHOLD_PX = 50;

/**
 * A finger's travel as a page turn: far enough, mostly sideways, and only when the page cannot pan sideways
 * (then the finger is moving the page, not turning it). A swipe to the left shows the next page, as with paper.
 */
export function classifySwipe(dx: number, dy: number, canPan: boolean, threshold = SWIPE_THRESHOLD_PX): SwipeDirection | null {
  if (canPan) return null;
  if (Math.abs(dx) < threshold) return null;
  if (Math.abs(dx) < 1.5 * Math.abs(dy)) return null;
  return dx < 0 ? "next" : "previous";
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

export type GestureEvent =
  | { kind: "pinch-start"; centre: Point }
  | { kind: "pinch"; scale: number; centre: Point }
  | { kind: "pinch-end"; scale: number; centre: Point }
  | { kind: "swipe"; direction: SwipeDirection };

/**
 * Follows the pointers on the page. One pointer that goes down and up is a possible swipe; a second pointer turns
 * the gesture into a pinch whose scale is measured against the fingers' first distance. After a pinch no swipe
 * fires until every finger is up, so lifting one finger at the end of a pinch never turns the page.
 */
export class GestureTracker {
  private readonly starts = new Map<number, Point>();
  private readonly points = new Map<number, Point>();
  private pinchDistance: number | null = null;
  private lastScale = 1;
  private pinched = false;

  get active(): boolean {
    return this.points.size > 0;
  }

  get pinching(): boolean {
    return this.pinchDistance !== null;
  }

  down(id: number, point: Point): GestureEvent | null {
    this.starts.set(id, point);
    this.points.set(id, point);
    if (this.points.size === 2) {
      const [a, b] = [...this.points.values()] as [Point, Point];
      this.pinchDistance = Math.max(distance(a, b), 1);
      this.lastScale = 1;
      this.pinched = true;
      return { kind: "pinch-start", centre: midpoint(a, b) };
    }
    return null;
  }

  move(id: number, point: Point): GestureEvent | null {
    if (!this.points.has(id)) return null;
    this.points.set(id, point);
    if (this.pinchDistance === null || this.points.size < 2) return null;
    const [a, b] = [...this.points.values()] as [Point, Point];
    this.lastScale = distance(a, b) / this.pinchDistance;
    return { kind: "pinch", scale: this.lastScale, centre: midpoint(a, b) };
  }

  up(id: number, point: Point, canPan: boolean): GestureEvent | null {
    const start = this.starts.get(id);
    if (start === undefined) return null;
    let event: GestureEvent | null = null;
    if (this.pinchDistance !== null) {
      const [a, b] = [...this.points.values()] as [Point, Point | undefined];
      event = { kind: "pinch-end", scale: this.lastScale, centre: b === undefined ? a : midpoint(a, b) };
      this.pinchDistance = null;
    } else if (!this.pinched && this.points.size === 1) {
      const direction = classifySwipe(point.x - start.x, point.y - start.y, canPan);
      if (direction !== null) event = { kind: "swipe", direction };
    }
    this.forget(id);
    return event;
  }

  /** The browser took the pointer over (it started scrolling): nothing it did counts. */
  cancel(id: number): GestureEvent | null {
    let event: GestureEvent | null = null;
    if (this.pinchDistance !== null && this.points.has(id)) {
      const [a] = [...this.points.values()] as [Point];
      event = { kind: "pinch-end", scale: this.lastScale, centre: a };
      this.pinchDistance = null;
    }
    this.forget(id);
    return event;
  }

  private forget(id: number): void {
    this.starts.delete(id);
    this.points.delete(id);
    if (this.points.size === 0) this.pinched = false;
  }
}

function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

/** What the reader's gestures act on; read when a gesture happens, never ahead. */
export type GestureHost = {
  /** The scrolling viewport the pages are in: pointers are measured from its corner. */
  viewport: () => HTMLElement | null;
  scale: () => number;
  /** The page is wider than the viewport: a sideways finger moves it rather than turning it. */
  canPan: () => boolean;
  /** Swipes turn pages (single and spread views); continuous view scrolls instead. */
  swipeTurns: () => boolean;
  /** Zooms to a free scale, keeping the paper's point at `focus` (viewport pixels) in place. */
  zoom: (scale: number, focus: Point) => void;
  turn: (by: 1 | -1) => void;
};

/**
 * The viewport's gestures: a swipe turns the page, two fingers pinch to zoom and Ctrl+wheel zooms, at most once a
 * frame. The pointer handlers go on the viewport element, `wheel` is attached to it (`{@attach}`).
 */
export function readerGestures(host: GestureHost) {
  const tracker = new GestureTracker();
  const zooms = new ZoomFrames(host.zoom);
  let pinchStartScale = 1;

  function pointIn(event: { clientX: number; clientY: number }): Point {
    const box = host.viewport()?.getBoundingClientRect();
    return { x: event.clientX - (box?.left ?? 0), y: event.clientY - (box?.top ?? 0) };
  }

  function ongesture(event: GestureEvent | null) {
    if (event === null) return;
    if (event.kind === "pinch-start") pinchStartScale = host.scale();
    else if (event.kind === "pinch" || event.kind === "pinch-end") {
      zooms.schedule(pinchZoom(pinchStartScale, event.scale), event.centre);
    } else if (event.kind === "swipe" && host.swipeTurns()) {
      host.turn(event.direction === "next" ? 1 : -1);
    }
  }

  return {
    onpointerdown(event: PointerEvent) {
      // A mouse drag selects text.
      if (event.pointerType === "mouse") return;
      ongesture(tracker.down(event.pointerId, pointIn(event)));
    },
    onpointermove(event: PointerEvent) {
      if (!tracker.active) return;
      ongesture(tracker.move(event.pointerId, pointIn(event)));
      if (tracker.pinching) event.preventDefault();
    },
    onpointerup(event: PointerEvent) {
      ongesture(tracker.up(event.pointerId, pointIn(event), host.canPan()));
    },
    onpointercancel(event: PointerEvent) {
      ongesture(tracker.cancel(event.pointerId));
    },
    /** Ctrl+wheel zooms; it must be able to cancel the browser's own zoom, so the listener cannot be passive. */
    wheel(element: HTMLElement): () => void {
      const onwheel = (event: WheelEvent) => {
        if (!event.ctrlKey && !event.metaKey) return;
        event.preventDefault();
        zooms.schedule(wheelZoom(zooms.waitingScale ?? host.scale(), event.deltaY, event.deltaMode), pointIn(event));
      };
      element.addEventListener("wheel", onwheel, { passive: false });
      return () => element.removeEventListener("wheel", onwheel);
    },
  };
}
