import { describe, expect, it } from "vitest";
import { LruCache } from "./lru";

describe("the page cache", () => {
  it("drops the least recently used entry when full, and a read counts as a use", () => {
    const cache = new LruCache<string, number>(3);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect(cache.get("a")).toBe(1);
    cache.set("d", 4);
    expect(cache.has("b"), "b was the least recently used").toBe(false);
    expect(cache.keys()).toEqual(["c", "a", "d"]);
  });

  it("replaces an entry without growing", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("a", 2);
    expect(cache.size).toBe(1);
    expect(cache.get("a")).toBe(2);
  });

  it("also keeps under a total weight, but always keeps the newest entry", () => {
    const cache = new LruCache<string, number>(12, 100, (value) => value);
    cache.set("a", 40);
    cache.set("b", 40);
    cache.set("c", 40);
    expect(cache.keys()).toEqual(["b", "c"]);
    expect(cache.totalWeight).toBe(80);
    cache.set("huge", 500);
    expect(cache.keys(), "the page about to be shown stays, alone").toEqual(["huge"]);
    cache.delete("huge");
    expect(cache.totalWeight).toBe(0);
  });
});
