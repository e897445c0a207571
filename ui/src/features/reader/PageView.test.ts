// @vitest-environment jsdom
// A page as a stack of layers, and the place a feature (annotations) lays its own layer over it.
import { createRawSnippet, flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PageImage } from "../../lib/ipc/commands";
import type { PageTextView } from "../../lib/ipc/types";
import { stubCanvas } from "../../lib/testing/canvas";
import { PageImages } from "./pageImages";
import { PageTexts } from "./pageTexts";
import PageView, { type PageSurface } from "./PageView.svelte";

/** "ngân sách" on one line near the top of page 5, each character 0.01 of the page wide. */
const text: PageTextView = {
  page: 4,
  text: "ngân sách",
  boxes: Array.from("ngân sách").flatMap((_, index) => [0.1 + index * 0.01, 0.1, 0.11 + index * 0.01, 0.12]),
};
const pixels = (width: number): PageImage => ({ width, height: 1, pixels: new Uint8ClampedArray(width * 4) });

let view: ReturnType<typeof mount> | null = null;

beforeEach(() => stubCanvas());

afterEach(() => {
  if (view !== null) unmount(view);
  view = null;
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    flushSync();
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never reached ${what}`);
}

describe("a page's layers", () => {
  it("stack the pixels, the text, find's highlights, then a feature's layer, which is told the page and its text", async () => {
    const seen: PageSurface[] = [];
    const layers = createRawSnippet((surface: () => PageSurface) => ({
      render: () => '<div class="feature-layer" data-testid="feature-layer"></div>',
      setup: () => {
        seen.push(surface());
      },
    }));
    const target = document.createElement("div");
    document.body.append(target);
    view = mount(PageView, {
      target,
      props: {
        page: 4,
        width: 600,
        height: 800,
        widthPx: 600,
        current: true,
        shown: true,
        images: new PageImages((_, widthPx) => Promise.resolve(pixels(widthPx)), { capacity: 4, concurrency: 1 }),
        texts: new PageTexts(() => Promise.resolve(text)),
        hits: [{ index: 0, start: 0, length: 3 }],
        currentHit: 0,
        layers,
        onpainted: () => {},
        onreleased: () => {},
      },
    });
    await until(() => target.querySelector("[data-testid=find-hit]") !== null, "the highlight, once the text is loaded");
    const order = [...target.children].map((layer) => layer.getAttribute("data-testid"));
    expect(order, "bottom to top").toEqual(["paper-canvas", "text-layer", "find-hit", "feature-layer"]);
    const surface = seen[0];
    expect(surface?.page).toBe(4);
    expect([surface?.width, surface?.height], "laid out in CSS pixels").toEqual([600, 800]);
    expect(surface?.text?.text, "the page's text, read when the layer needs it").toBe("ngân sách");
    expect(surface?.current).toBe(true);
  });
});
