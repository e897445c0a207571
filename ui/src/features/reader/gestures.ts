// Touch gestures from pointer events: a horizontal swipe turns the page, two fingers pinch to zoom.
// Kept apart from the DOM so the thresholds can be tested; the reader feeds it touch and pen pointers only,
// since a mouse drag selects text.

import type { Point } from "./layout";

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
