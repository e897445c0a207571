// Frames: how long a keyboard page turn takes until the new page is on screen, for the benchmark (always on; it
// costs a frame callback and a message per turn), and work held back until the turn's frame is painted.

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
 * that shows the new page does nothing else.
 */
export function afterNextPaint(callback: (frameStart: number) => void): () => void {
  let cancelled = false;
  const afterFrame = () => {
    const frameStart = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (!cancelled) callback(frameStart);
    };
    channel.port2.postMessage(null);
  };
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(afterFrame);
  else setTimeout(afterFrame, 0);
  return () => {
    cancelled = true;
  };
}

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
