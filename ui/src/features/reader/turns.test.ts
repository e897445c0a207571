// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { onPerformanceClock, recordTurnAfterPaint } from "./turns";

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
