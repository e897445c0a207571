// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { classifySwipe, GestureTracker, readerGestures, type GestureHost } from "./gestures";
import type { Point } from "./layout";
import { PX_PER_POINT } from "./zoom";

describe("a swipe", () => {
  it("turns to the next page when the finger moves left far enough, to the previous when it moves right", () => {
    expect(classifySwipe(-80, 10, false)).toBe("next");
    expect(classifySwipe(80, -10, false)).toBe("previous");
  });

  it("is not a turn when short, mostly vertical, or when the zoomed page can pan", () => {
    expect(classifySwipe(-40, 0, false), "under the threshold").toBeNull();
    expect(classifySwipe(-80, 70, false), "a scroll down, slightly sideways").toBeNull();
    expect(classifySwipe(-200, 0, true), "moving a zoomed page").toBeNull();
  });
});

describe("the gesture tracker", () => {
  it("reports a one-finger swipe when the finger lifts", () => {
    const tracker = new GestureTracker();
    expect(tracker.down(1, { x: 300, y: 200 })).toBeNull();
    expect(tracker.move(1, { x: 250, y: 205 })).toBeNull();
    expect(tracker.up(1, { x: 200, y: 210 }, false)).toEqual({ kind: "swipe", direction: "next" });
    expect(tracker.active).toBe(false);
  });

  it("measures a pinch against the fingers' first distance, and never turns the page after it", () => {
    const tracker = new GestureTracker();
    tracker.down(1, { x: 100, y: 100 });
    expect(tracker.down(2, { x: 200, y: 100 })).toEqual({ kind: "pinch-start", centre: { x: 150, y: 100 } });
    expect(tracker.move(2, { x: 300, y: 100 })).toEqual({ kind: "pinch", scale: 2, centre: { x: 200, y: 100 } });
    expect(tracker.up(2, { x: 300, y: 100 }, false)).toMatchObject({ kind: "pinch-end", scale: 2 });
    expect(tracker.up(1, { x: 0, y: 100 }, false), "the last finger's travel is not a swipe").toBeNull();
    expect(tracker.active).toBe(false);
  });

  it("forgets a pointer the browser took over for scrolling", () => {
    const tracker = new GestureTracker();
    tracker.down(1, { x: 300, y: 200 });
    expect(tracker.cancel(1)).toBeNull();
    expect(tracker.up(1, { x: 100, y: 200 }, false)).toBeNull();
  });
});

describe("the reader's gestures", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  /** A viewport at (100, 50) on screen, at 100 %, in single-page view; frames run when the test says. */
  function reader(arranged: Partial<GestureHost> = {}) {
    const viewport = document.createElement("div");
    vi.spyOn(viewport, "getBoundingClientRect").mockReturnValue(new DOMRect(100, 50, 1000, 700));
    const turns: number[] = [];
    const zooms: { scale: number; focus: Point }[] = [];
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => frames.push(callback));
    const gestures = readerGestures({
      viewport: () => viewport,
      scale: () => PX_PER_POINT,
      canPan: () => false,
      swipeTurns: () => true,
      zoom: (scale, focus) => zooms.push({ scale, focus }),
      turn: (by) => turns.push(by),
      ...arranged,
    });
    const pointer = (pointerId: number, x: number, y: number, pointerType = "touch") =>
      ({ pointerId, pointerType, clientX: x, clientY: y, preventDefault: () => {} }) as unknown as PointerEvent;
    const nextFrame = () => frames.splice(0).forEach((frame) => frame(0));
    return { viewport, gestures, turns, zooms, pointer, nextFrame };
  }

  it("turns to the next page when a finger swipes left, but never for a mouse, which selects text", () => {
    const { gestures, turns, pointer } = reader();
    gestures.onpointerdown(pointer(1, 600, 300));
    gestures.onpointerup(pointer(1, 450, 310));
    expect(turns).toEqual([1]);
    gestures.onpointerdown(pointer(2, 600, 300, "mouse"));
    gestures.onpointermove(pointer(2, 450, 310, "mouse"));
    gestures.onpointerup(pointer(2, 450, 310, "mouse"));
    expect(turns, "a mouse drag is not a swipe").toEqual([1]);
  });

  it("scrolls rather than turns in continuous view", () => {
    const { gestures, turns, pointer } = reader({ swipeTurns: () => false });
    gestures.onpointerdown(pointer(1, 600, 300));
    gestures.onpointerup(pointer(1, 450, 310));
    expect(turns).toEqual([]);
  });

  it("zooms by how far two fingers spread, around the point between them, once a frame", () => {
    const { gestures, zooms, pointer, nextFrame } = reader();
    gestures.onpointerdown(pointer(1, 400, 350));
    gestures.onpointerdown(pointer(2, 600, 350));
    gestures.onpointermove(pointer(2, 700, 350));
    gestures.onpointermove(pointer(2, 800, 350));
    expect(zooms, "nothing before the frame").toEqual([]);
    nextFrame();
    expect(zooms).toEqual([{ scale: 2 * PX_PER_POINT, focus: { x: 500, y: 300 } }]);
  });

  it("zooms with Ctrl+wheel at the pointer, and leaves a plain wheel to scroll", () => {
    const { viewport, gestures, zooms, nextFrame } = reader();
    const detach = gestures.wheel(viewport);
    const plain = new WheelEvent("wheel", { deltaY: 100, clientX: 300, clientY: 250, cancelable: true });
    viewport.dispatchEvent(plain);
    expect(plain.defaultPrevented, "the page scrolls").toBe(false);
    const zoomIn = new WheelEvent("wheel", { deltaY: -100, ctrlKey: true, clientX: 300, clientY: 250, cancelable: true });
    viewport.dispatchEvent(zoomIn);
    expect(zoomIn.defaultPrevented, "the browser's own zoom is held back").toBe(true);
    nextFrame();
    expect(zooms).toEqual([{ scale: PX_PER_POINT * Math.exp(0.25), focus: { x: 200, y: 200 } }]);
    detach();
    viewport.dispatchEvent(new WheelEvent("wheel", { deltaY: -100, ctrlKey: true, cancelable: true }));
    nextFrame();
    expect(zooms, "detached with the viewport").toHaveLength(1);
  });
});
