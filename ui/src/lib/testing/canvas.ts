// jsdom has no canvas. Tests that show pages stand in for `ImageData` and a 2D context that records what was drawn
// (`createImageBitmap` is absent too, so pages draw from their pixels, as on an engine without it).
import { vi } from "vitest";

/** One call on a context (`["fillRect", 10, 20, 30, 8]`) or one setting (`["globalAlpha", 0.38]`), in order. */
export type Drawn = [string, ...unknown[]];

const drawnOn = new WeakMap<HTMLCanvasElement, Drawn[]>();

/** What was drawn on `canvas` since its context was first asked for (or since `forget`). */
export function drawnOnCanvas(canvas: HTMLCanvasElement): Drawn[] {
  return drawnOn.get(canvas) ?? [];
}

/**
 * A 2D context that records every call and every setting, in order, and measures text as 5 points a character. It
 * keeps the settings it was given, so code that reads one back (`fillStyle = strokeStyle`) sees it.
 */
export function recordingPen(record: Drawn[] = []): CanvasRenderingContext2D & { record: Drawn[] } {
  const settings: Record<string, unknown> = { globalAlpha: 1, lineWidth: 1, fillStyle: "#000000", strokeStyle: "#000000" };
  return new Proxy({} as CanvasRenderingContext2D & { record: Drawn[] }, {
    get(_, name: string) {
      if (name === "record") return record;
      if (name === "measureText") return (text: string) => ({ width: text.length * 5 });
      if (name in settings) return settings[name];
      return (...args: unknown[]) => {
        record.push([name, ...args]);
      };
    },
    set(_, name: string, value: unknown) {
      settings[name] = value;
      record.push([name, value]);
      return true;
    },
  });
}

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
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockImplementation(function (this: HTMLCanvasElement) {
    let record = drawnOn.get(this);
    if (record === undefined) {
      record = [];
      drawnOn.set(this, record);
    }
    const pen = recordingPen(record);
    return new Proxy(pen, {
      get: (target, name: string) => (name === "putImageData" ? onDraw : Reflect.get(target, name)),
    }) as unknown as CanvasRenderingContext2D;
  });
}
