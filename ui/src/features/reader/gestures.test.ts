import { describe, expect, it } from "vitest";
import { classifySwipe, GestureTracker } from "./gestures";

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
