// Frames: how long a keyboard page turn takes until the new page is on screen, for the benchmark (always on; it
// costs a frame callback and a message per turn), and work held back until the turn's frame is painted.
import { Priority, type PageImages, type RenderRequest } from "./pageImages";

/**
 * `ms` from the key press to after the paint; `frameMs` the part of it from the start of the frame that shows the
 * page (its animation-frame callback) to after its paint: style, layout, paint and compositing.
 */
export type PageTurn = { ms: number; frameMs: number; fromCache: boolean };

declare global {
  interface Window {
    __ecabinetPageTurns?: PageTurn[];
  }
}

/** Keeps the last turns only, so a long session does not grow the list without bound. */
const KEPT = 1000;

/**
 * An event's time stamp on the `performance.now()` clock. Engines stamp events relative to the page's start, but some
 * (and jsdom) still use the Unix epoch; an epoch stamp is recognisable by its size (no page runs for 31 years).
 */
export function onPerformanceClock(timeStamp: number): number {
  if (!(timeStamp > 0)) return performance.now();
  return timeStamp > 1e12 ? timeStamp - performance.timeOrigin : timeStamp;
}

/**
 * Calls `callback` once the next frame has been painted, with the time that frame's animation callbacks started: a
 * message posted from inside an animation frame is delivered after that frame is painted. Returns a cancel function.
 * Work a page turn sets off (mounting the pages around the new one, rendering ahead) waits for this, so the frame
 * that shows the new page does nothing else; where no frame comes within half a second, it goes ahead anyway (the
 * reader's first page once never drew in a story, its mounting waiting on a frame).
 */
export function afterNextPaint(callback: (frameStart: number) => void): () => void {
  let [cancelled, framed] = [false, false];
  const afterFrame = () => {
    if (framed) return;
    framed = true;
    clearTimeout(noFrame);
    const frameStart = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (!cancelled) callback(frameStart);
    };
    channel.port2.postMessage(null);
  };
  // A window the engine does not paint (hidden, covered, minimised) gets no frames: the work goes ahead without one.
  const noFrame = setTimeout(afterFrame, NO_FRAME_MS);
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(afterFrame);
  else setTimeout(afterFrame, 0);
  return () => {
    cancelled = true;
    clearTimeout(noFrame);
  };
}

/** How long work waits for a frame before going ahead without one: far beyond any frame, so timings are not cut short. */
const NO_FRAME_MS = 500;

/** Records the time from the key press (its event's `timeStamp`) to the paint of the frame that shows the new page. */
export function recordTurnAfterPaint(timeStamp: number, fromCache: boolean): void {
  const startedAt = onPerformanceClock(timeStamp);
  afterNextPaint((frameStart) => {
    const now = performance.now();
    const turns = (window.__ecabinetPageTurns ??= []);
    turns.push({ ms: now - startedAt, frameMs: now - frameStart, fromCache });
    if (turns.length > KEPT) turns.splice(0, turns.length - KEPT);
  });
}

/**
 * Times each turn for `window.__ecabinetPageTurns`: a turn to a page whose pixels are on its canvas at the width
 * wanted ends with the next paint; any other waits for the page to be painted. Knows which page is drawn at what
 * width, so the reader can tell a turn that only shows a page from one that draws it.
 */
export class TurnTimer {
  #waiting: { startedAt: number; page: number } | null = null;
  readonly #drawn = new Map<number, number>();
  readonly #record: (timeStamp: number, fromCache: boolean) => void;

  constructor(record: (timeStamp: number, fromCache: boolean) => void = recordTurnAfterPaint) {
    this.#record = record;
  }

  /**
   * The reader goes to `page` (`changed` false when it is already there); `widthPx` the canvas width it is shown at;
   * `timeStamp` the key press's, when the turn is timed. Returns whether the page is drawn already.
   */
  turn(page: number, changed: boolean, widthPx: () => number, timeStamp?: number): boolean {
    const drawn = changed && this.#drawn.get(page) === widthPx();
    this.#waiting = null;
    if (changed && timeStamp !== undefined) {
      if (drawn) this.#record(timeStamp, true);
      else this.#waiting = { startedAt: timeStamp, page };
    }
    return drawn;
  }

  /** A page's canvas was painted at `widthPx` (from the cache or a fresh render): a turn waiting for it ends. */
  painted(page: number, widthPx: number, fromCache: boolean): void {
    this.#drawn.set(page, widthPx);
    if (this.#waiting !== null && this.#waiting.page === page) {
      this.#record(this.#waiting.startedAt, fromCache);
      this.#waiting = null;
    }
  }

  /** A page's canvas left the stage. */
  released(page: number): void {
    this.#drawn.delete(page);
  }
}

/** Renders the pages around the current one into the cache, so turning to them only paints from it. */
export class LookAhead {
  #requests: RenderRequest[] = [];
  #cancelWaiting = () => {};

  /** Asks for `pages` at their widths, behind every page shown, withdrawing what the last call asked for. */
  ask(images: PageImages, pages: readonly number[], widthOf: (page: number) => number): void {
    this.cancelRequests();
    for (const page of pages) {
      const widthPx = widthOf(page);
      if (images.cached(page, widthPx) !== undefined) continue;
      this.#requests.push(images.request(page, widthPx, Priority.ahead));
    }
  }

  /** Runs `then` once the next frame is painted: a turn to a page already drawn gets no paint event to look ahead from. */
  afterPaint(then: () => void): void {
    this.#cancelWaiting();
    this.#cancelWaiting = afterNextPaint(then);
  }

  cancelWaiting(): void {
    this.#cancelWaiting();
    this.#cancelWaiting = () => {};
  }

  cancelRequests(): void {
    for (const request of this.#requests) request.cancel();
    this.#requests = [];
  }
}
