import { describe, expect, it } from "vitest";
import type { PageImage } from "../../lib/ipc/commands";
import { PageImages, Priority, RenderCancelled } from "./pageImages";

function image(width: number): PageImage {
  return { width, height: 1, pixels: new Uint8ClampedArray(width * 4) };
}

/** A fake core whose renders finish when the test says so. */
function slowCore() {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const render = (page: number, widthPx: number) =>
    new Promise<PageImage>((resolve) => {
      const key = `${page}@${widthPx}`;
      started.push(key);
      finish.set(key, () => resolve(image(widthPx)));
    });
  const done = async (key: string) => {
    finish.get(key)?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { render, started, done };
}

describe("rendered pages", () => {
  it("renders the page on screen before pages ahead and thumbnails, two at a time", async () => {
    const core = slowCore();
    const images = new PageImages(core.render, { capacity: 12, concurrency: 2 });
    images.request(9, 100, Priority.thumbnail);
    images.request(5, 800, Priority.ahead);
    images.request(4, 800, Priority.ahead);
    images.request(3, 800, Priority.current);
    expect(core.started, "the first two asked start at once").toEqual(["9@100", "5@800"]);
    await core.done("9@100");
    expect(core.started.at(-1), "then the current page jumps the queue").toBe("3@800");
    await core.done("5@800");
    expect(core.started.at(-1)).toBe("4@800");
  });

  it("asks the core once for a page wanted twice, and serves it from the cache afterwards", async () => {
    const core = slowCore();
    const images = new PageImages(core.render, { capacity: 12, concurrency: 2 });
    const first = images.request(1, 800, Priority.ahead);
    const second = images.request(1, 800, Priority.current);
    await core.done("1@800");
    expect(await first.promise).toBe(await second.promise);
    expect(core.started).toEqual(["1@800"]);
    expect(images.cached(1, 800)?.width).toBe(800);
    expect(images.cached(1, 1600), "another width is another render").toBeUndefined();
  });

  it("drops a render nobody waits for before it starts", async () => {
    const core = slowCore();
    const images = new PageImages(core.render, { capacity: 12, concurrency: 1 });
    images.request(0, 800, Priority.current);
    const passed = images.request(1, 800, Priority.visible);
    passed.cancel();
    await expect(passed.promise).rejects.toBeInstanceOf(RenderCancelled);
    await core.done("0@800");
    expect(core.started, "the page scrolled past was never rendered").toEqual(["0@800"]);
    expect(images.pending).toBe(0);
  });

  it("keeps the twelve most recently used pages", async () => {
    const images = new PageImages(async (page) => image(page + 1), { capacity: 12, concurrency: 4 });
    for (let page = 0; page < 14; page++) await images.request(page, 800, Priority.visible).promise;
    expect(images.cachedKeys()).toHaveLength(12);
    expect(images.cached(0, 800)).toBeUndefined();
    expect(images.cached(13, 800)).toBeDefined();
  });
});
