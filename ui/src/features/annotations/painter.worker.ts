// The marks' painter, off the window's thread: each page's marks canvas is handed over here once
// (`transferControlToOffscreen`) and painted on every change, so a page with hundreds of ink strokes costs the window
// the time to post them, not the time to rasterise them. See `markPainter.ts`.
import { paintMarks, startPage, type Pen } from "./paint";
import type { PainterMessage, PainterReply } from "./markPainter";

const canvases = new Map<number, OffscreenCanvas>();
/** The worker's global scope, as much of it as this uses (the project's types are the window's). */
const scope = self as unknown as { onmessage: ((event: MessageEvent<PainterMessage>) => void) | null; postMessage(reply: PainterReply): void };

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case "attach":
      canvases.set(message.id, message.canvas);
      return;
    case "detach":
      canvases.delete(message.id);
      return;
    case "paint": {
      const canvas = canvases.get(message.id);
      if (canvas === undefined) return;
      const { painting } = message;
      const resized = canvas.width !== painting.width || canvas.height !== painting.height;
      if (resized) {
        canvas.width = painting.width;
        canvas.height = painting.height;
      }
      const pen = painting.width === 0 ? null : (canvas.getContext("2d") as Pen | null);
      if (pen !== null) {
        // A resize cleared the canvas and its transform: what was there is painted anew.
        if (!painting.append || resized) startPage(pen, painting, painting);
        paintMarks(pen, painting.marks);
      }
      const reply: PainterReply = { id: message.id, seq: message.seq };
      scope.postMessage(reply);
    }
  }
};
