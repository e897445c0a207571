// How long a keyboard page turn takes until the new page is on screen, for the benchmark (always on; it costs a
// frame callback and a message per turn).

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
 * Records the time from the key press (its event's `timeStamp`) to the paint of the frame that shows
 * the new page: a message posted from inside the next animation frame is delivered after that frame is painted.
 */
export function recordTurnAfterPaint(timeStamp: number, fromCache: boolean): void {
  const startedAt = onPerformanceClock(timeStamp);
  const afterPaint = () => {
    const frameStart = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      const now = performance.now();
      const turns = (window.__ecabinetPageTurns ??= []);
      turns.push({ ms: now - startedAt, frameMs: now - frameStart, fromCache });
      if (turns.length > KEPT) turns.splice(0, turns.length - KEPT);
    };
    channel.port2.postMessage(null);
  };
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(afterPaint);
  else setTimeout(afterPaint, 0);
}
