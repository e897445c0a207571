// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { keepsPlaceBelow } from "./scrollAnchor";

// jsdom lays nothing out: the panel's box and the observer's calls are played by hand, as the engine would make them.
let observed: (() => void) | null = null;
class FakeResizeObserver {
  constructor(callback: () => void) {
    observed = callback;
  }
  observe() {}
  disconnect() {
    observed = null;
  }
}

function panelAt(top: number, height: number): HTMLElement {
  const panel = document.createElement("section");
  panel.getBoundingClientRect = () => ({ top, height, bottom: top + height, left: 0, right: 800, width: 800, x: 0, y: top, toJSON: () => ({}) });
  return panel;
}

function resize(panel: HTMLElement, top: number, height: number) {
  panel.getBoundingClientRect = panelAt(top, height).getBoundingClientRect;
  observed?.();
}

describe("keepsPlaceBelow", () => {
  beforeEach(() => {
    vi.stubGlobal("ResizeObserver", FakeResizeObserver);
    window.scrollBy = vi.fn() as unknown as typeof window.scrollBy;
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    observed = null;
  });

  it("keeps the agenda under the pointer when the panel above it loads while the member is scrolled past it", () => {
    // The panel starts 900 px above the window's top: the member is reading papers further down.
    const panel = panelAt(-900, 171);
    const stop = keepsPlaceBelow(panel);
    observed?.();
    expect(window.scrollBy).toHaveBeenLastCalledWith(0, 171);
    vi.mocked(window.scrollBy).mockClear();
    resize(panel, -900, 444);
    resize(panel, -900, 486);
    // The page is scrolled by as much as the panel grew, so the paper under the pointer stays under it.
    expect(window.scrollBy).toHaveBeenNthCalledWith(1, 0, 273);
    expect(window.scrollBy).toHaveBeenNthCalledWith(2, 0, 42);
    resize(panel, -900, 300);
    expect(window.scrollBy).toHaveBeenNthCalledWith(3, 0, -186);
    if (typeof stop === "function") stop();
    expect(observed).toBeNull();
  });

  it("keeps the agenda in place when a banner appears above it while the member is scrolled past it", () => {
    const banner = panelAt(-400, 220);
    keepsPlaceBelow(banner);
    // The observer's first call, made once the banner is laid out.
    observed?.();
    expect(window.scrollBy).toHaveBeenCalledExactlyOnceWith(0, 220);
  });

  it("lets a panel the member can see grow in view, pushing what is below it down", () => {
    const panel = panelAt(120, 171);
    keepsPlaceBelow(panel);
    observed?.();
    resize(panel, 120, 486);
    expect(window.scrollBy).not.toHaveBeenCalled();
  });
});
