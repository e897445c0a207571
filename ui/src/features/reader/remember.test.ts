import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pageRememberer } from "./remember";

describe("remembering the page", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("saves only the page the reader rests on for half a second", async () => {
    const saved: number[] = [];
    const remember = pageRememberer(async (page) => saved.push(page), 0);
    remember.note(1);
    await vi.advanceTimersByTimeAsync(200);
    remember.note(2);
    await vi.advanceTimersByTimeAsync(200);
    remember.note(3);
    expect(saved, "leafing through writes nothing").toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(saved).toEqual([3]);
  });

  it("does not save the page it opened at, nor the same page twice", async () => {
    const saved: number[] = [];
    const remember = pageRememberer(async (page) => saved.push(page), 7);
    remember.note(7);
    await vi.advanceTimersByTimeAsync(600);
    remember.note(8);
    await vi.advanceTimersByTimeAsync(600);
    remember.note(8);
    await vi.advanceTimersByTimeAsync(600);
    expect(saved).toEqual([8]);
  });

  it("saves a waiting page at once when the reader closes", async () => {
    const saved: number[] = [];
    const remember = pageRememberer(async (page) => saved.push(page), 0);
    remember.note(4);
    await remember.flush();
    expect(saved).toEqual([4]);
    await vi.advanceTimersByTimeAsync(600);
    expect(saved, "and not again when the timer would have fired").toEqual([4]);
  });

  it("logs a failed save rather than interrupting the reader", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const remember = pageRememberer(() => Promise.reject(new Error("store busy")), 0);
    remember.note(2);
    await expect(remember.flush()).resolves.toBeUndefined();
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });
});
