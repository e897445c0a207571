// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import type { PageImage } from "../../lib/ipc/commands";
import { PageImages } from "./pageImages";
import { afterNextPaint, LookAhead, onPerformanceClock, recordTurnAfterPaint, TurnTimer } from "./turns";

describe("page-turn timing", () => {
  it("reads event time stamps on the performance clock, whichever clock the engine stamps with", () => {
    const now = performance.now();
    expect(onPerformanceClock(now)).toBe(now);
    expect(onPerformanceClock(performance.timeOrigin + now)).toBeCloseTo(now, 3);
    expect(onPerformanceClock(0)).toBeGreaterThanOrEqual(now);
  });

  it("records the time to the frame after the turn, and keeps only the latest thousand", async () => {
    window.__ecabinetPageTurns = Array.from({ length: 1000 }, () => ({ ms: 1, frameMs: 1, fromCache: false }));
    const start = performance.now();
    recordTurnAfterPaint(start, true);
    for (let attempt = 0; attempt < 50 && window.__ecabinetPageTurns.at(-1)?.fromCache !== true; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const turns = window.__ecabinetPageTurns;
    expect(turns).toHaveLength(1000);
    expect(turns.at(-1)?.fromCache).toBe(true);
    expect(turns.at(-1)?.ms).toBeGreaterThanOrEqual(0);
    expect(turns.at(-1)?.frameMs, "the frame is part of the turn").toBeLessThanOrEqual(turns.at(-1)?.ms ?? 0);
  });
});

describe("timing a turn", () => {
  function timer() {
    const recorded: { timeStamp: number; fromCache: boolean }[] = [];
    return { recorded, turns: new TurnTimer((timeStamp, fromCache) => recorded.push({ timeStamp, fromCache })) };
  }

  it("ends a turn to a page already drawn at its width with the next paint: the turn only shows it", () => {
    const { recorded, turns } = timer();
    turns.painted(5, 800, false);
    expect(turns.turn(5, true, () => 800, 1000), "page 6 is drawn offstage").toBe(true);
    expect(recorded).toEqual([{ timeStamp: 1000, fromCache: true }]);
  });

  it("waits for a page that is not drawn, or drawn at another width, to be painted", () => {
    const { recorded, turns } = timer();
    turns.painted(5, 600, false);
    expect(turns.turn(5, true, () => 800, 1000), "drawn before a zoom, at 600 pixels").toBe(false);
    turns.painted(4, 800, true);
    expect(recorded, "another page painting does not end the turn").toEqual([]);
    turns.painted(5, 800, true);
    expect(recorded).toEqual([{ timeStamp: 1000, fromCache: true }]);
    turns.painted(5, 800, true);
    expect(recorded, "a turn is timed once").toHaveLength(1);
  });

  it("times key presses only, and forgets a page whose canvas left the stage", () => {
    const { recorded, turns } = timer();
    turns.painted(5, 800, false);
    expect(turns.turn(5, true, () => 800), "a click on a thumbnail: shown, not timed").toBe(true);
    expect(turns.turn(5, false, () => 800, 1000), "no turn when the page is already current").toBe(false);
    turns.released(5);
    expect(turns.turn(5, true, () => 800, 2000)).toBe(false);
    expect(recorded).toEqual([]);
  });

  it("drops a turn still waiting when the reader turns on before it is painted", () => {
    const { recorded, turns } = timer();
    turns.turn(5, true, () => 800, 1000);
    turns.turn(6, true, () => 800, 1100);
    turns.painted(5, 800, false);
    turns.painted(6, 800, false);
    expect(recorded).toEqual([{ timeStamp: 1100, fromCache: false }]);
  });
});

describe("looking ahead", () => {
  const image = (width: number): PageImage => ({ width, height: 1, pixels: new Uint8ClampedArray(width * 4) });

  it("renders the pages around into the cache, skips those there already, and withdraws an earlier ask", async () => {
    const asked: number[] = [];
    const finish: (() => void)[] = [];
    const images = new PageImages(
      (page, widthPx) => {
        asked.push(page);
        return new Promise<PageImage>((resolve) => finish.push(() => resolve(image(widthPx))));
      },
      { capacity: 12, concurrency: 1 },
    );
    const ahead = new LookAhead();
    ahead.ask(images, [5, 3, 6], () => 800);
    expect(asked, "one render at a time: the next page first").toEqual([5]);
    finish.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(images.cached(5, 800), "page 6 is in the cache").toBeDefined();
    expect(asked, "then the page before").toEqual([5, 3]);
    ahead.ask(images, [5, 7, 8], () => 800);
    expect(images.pending, "page 6 not asked again, page 4 under way, page 7 withdrawn, pages 8 and 9 queued").toBe(3);
    ahead.cancelRequests();
    expect(images.pending, "only the render under way is left").toBe(1);
  });
});

describe("work held until the next frame is painted", () => {
  it("goes ahead without a frame in a window the engine does not paint", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    vi.stubGlobal("requestAnimationFrame", () => 0);
    try {
      let ran = false;
      afterNextPaint(() => (ran = true));
      await vi.advanceTimersByTimeAsync(100);
      expect(ran, "a frame may take a while: it is still waited for").toBe(false);
      await vi.advanceTimersByTimeAsync(400);
      vi.useRealTimers();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(ran, "no frame in half a second: the work is not held for ever").toBe(true);
    } finally {
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
  });
});
