// jsdom has no canvas. Tests that show pages stand in for `ImageData` and a 2D context that records what a page
// would have drawn (`createImageBitmap` is absent too, so pages draw from their pixels, as on an engine without it).
import { vi } from "vitest";

/** Stubs the canvas for one test; `onDraw` sees every page image put on a canvas. Undone by `vi.restoreAllMocks` and `vi.unstubAllGlobals`. */
export function stubCanvas(onDraw: (image: ImageData) => void = () => {}): void {
  vi.stubGlobal(
    "ImageData",
    class {
      constructor(
        public data: Uint8ClampedArray,
        public width: number,
        public height: number,
      ) {}
    },
  );
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockImplementation(
    () => ({ putImageData: onDraw }) as unknown as CanvasRenderingContext2D,
  );
}
