// The marks' painter, off the window's thread: it keeps a canvas of its own per page, paints each change on it and
// hands the window a copy as a bitmap, so a page with hundreds of ink strokes costs the window the time to post them
// and show a bitmap, not the time to rasterise them. See `markPainter.ts`.
import { paintOnto } from "./paint";
import type { PainterMessage, PainterReply } from "./markPainter";

const canvases = new Map<number, OffscreenCanvas>();
/** The worker's global scope, as much of it as this uses (the project's types are the window's). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<PainterMessage>) => void) | null;
  postMessage(reply: PainterReply, transfer: Transferable[]): void;
};

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === "forget") {
    canvases.delete(message.id);
    return;
  }
  const { id, seq, painting } = message;
  let canvas = canvases.get(id);
  if (canvas === undefined) {
    canvas = new OffscreenCanvas(painting.width, painting.height);
    canvases.set(id, canvas);
  }
  const start = performance.now();
  // Painted on the processor, not through the graphics driver: a worker's thread then never makes a GL context of its
  // own beside the window's (and 500 marks paint faster so here: 15 against 24 ms on a page 900 pixels wide).
  if (!paintOnto(canvas, painting, { willReadFrequently: true })) {
    scope.postMessage({ id, seq, bitmap: null, ms: performance.now() - start }, []);
    return;
  }
  // A copy: the canvas keeps what is painted, for marks added to it next.
  const ms = performance.now() - start;
  void createImageBitmap(canvas).then((bitmap) => scope.postMessage({ id, seq, bitmap, ms }, [bitmap]));
};
