import { afterEach, describe, expect, it, vi } from "vitest";
import { PaintWaits } from "./markPainter";

describe("waiting for a mark to be on the canvas", () => {
  afterEach(() => vi.useRealTimers());

  it("ends when a paint with the mark is shown, not at one without it", async () => {
    const waits = new PaintWaits();
    let shown = false;
    const waiting = waits.until("stroke", 1000).then(() => (shown = true));
    waits.painted(["other"]);
    await Promise.resolve();
    expect(shown, "a paint from before the stroke was saved does not have it").toBe(false);
    waits.painted(["other", "stroke"]);
    await waiting;
    expect(shown).toBe(true);
  });

  it("gives up after a while: a mark that is never painted here does not hold its preview for ever", async () => {
    vi.useFakeTimers();
    const waits = new PaintWaits();
    let shown = false;
    void waits.until("elsewhere", 500).then(() => (shown = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(shown).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(shown).toBe(true);
    waits.painted(["elsewhere"]);
  });
});
