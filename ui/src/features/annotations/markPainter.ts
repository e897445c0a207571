// Who paints a page's marks canvas: a worker, where the engine can hand a canvas to one (OffscreenCanvas), else the
// window itself. The layer says what to paint; the painter says when it is painted.
import { paintMarks, startPage, type Paintable, type Pen } from "./paint";

/** One paint of a page's marks: the canvas's size in pixels, the page's in points, and the marks in drawing order. */
export type Painting = {
  width: number;
  height: number;
  widthPt: number;
  heightPt: number;
  marks: readonly Paintable[];
  /** Paint these over what is there (marks added after those painted) instead of the page's marks anew. */
  append: boolean;
};

export type PainterMessage =
  | { type: "attach"; id: number; canvas: OffscreenCanvas }
  | { type: "paint"; id: number; seq: number; painting: Painting }
  | { type: "detach"; id: number };

export type PainterReply = { id: number; seq: number };

export interface MarkPainter {
  /** Paints; `painted` is called once it is on the canvas (the next frame shows it). */
  paint(painting: Painting, painted: () => void): void;
  dispose(): void;
}

/** The painter for `canvas`, which it owns from now on (its size included). */
export function markPainter(canvas: HTMLCanvasElement): MarkPainter {
  const worker = sharedWorker();
  if (worker !== null) {
    try {
      return new WorkerPainter(canvas, worker);
    } catch (error) {
      // A canvas that cannot be handed over (a context already taken on it) is painted here instead.
      console.error("handing the marks' canvas to the painter", error);
    }
  }
  return new WindowPainter(canvas);
}

/** Paints on the window's own thread: engines without OffscreenCanvas, and the tests. */
class WindowPainter implements MarkPainter {
  constructor(private readonly canvas: HTMLCanvasElement) {}

  paint(painting: Painting, painted: () => void): void {
    const canvas = this.canvas;
    const resized = canvas.width !== painting.width || canvas.height !== painting.height;
    if (resized) {
      canvas.width = painting.width;
      canvas.height = painting.height;
    }
    const pen = painting.width === 0 ? null : (canvas.getContext("2d") as Pen | null);
    if (pen !== null) {
      if (!painting.append || resized) startPage(pen, painting, painting);
      paintMarks(pen, painting.marks);
    }
    painted();
  }

  dispose(): void {}
}

type Shared = { worker: Worker; painters: Map<number, WorkerPainter>; next: number };
let shared: Shared | null | undefined;

/** The one painting worker of the window, started on first use; `null` where a canvas cannot be handed to one. */
function sharedWorker(): Shared | null {
  if (shared !== undefined) return shared;
  if (typeof Worker === "undefined" || typeof HTMLCanvasElement.prototype.transferControlToOffscreen !== "function") {
    shared = null;
    return shared;
  }
  let worker: Worker;
  try {
    worker = new Worker(new URL("./painter.worker.ts", import.meta.url), { type: "module" });
  } catch (error) {
    console.error("starting the marks' painter", error);
    shared = null;
    return shared;
  }
  const painters = new Map<number, WorkerPainter>();
  worker.onmessage = (event: MessageEvent<PainterReply>) => painters.get(event.data.id)?.answered(event.data.seq);
  worker.onerror = (event) => console.error("painting marks", event.message);
  shared = { worker, painters, next: 1 };
  return shared;
}

class WorkerPainter implements MarkPainter {
  readonly #id: number;
  readonly #shared: Shared;
  #seq = 0;
  readonly #waiting = new Map<number, () => void>();

  constructor(canvas: HTMLCanvasElement, shared: Shared) {
    this.#shared = shared;
    this.#id = shared.next++;
    shared.painters.set(this.#id, this);
    const offscreen = canvas.transferControlToOffscreen();
    this.#post({ type: "attach", id: this.#id, canvas: offscreen }, [offscreen]);
  }

  paint(painting: Painting, painted: () => void): void {
    const seq = ++this.#seq;
    this.#waiting.set(seq, painted);
    this.#post({ type: "paint", id: this.#id, seq, painting });
  }

  answered(seq: number): void {
    this.#waiting.get(seq)?.();
    this.#waiting.delete(seq);
  }

  dispose(): void {
    this.#shared.painters.delete(this.#id);
    this.#waiting.clear();
    this.#post({ type: "detach", id: this.#id });
  }

  #post(message: PainterMessage, transfer: Transferable[] = []) {
    this.#shared.worker.postMessage(message, transfer);
  }
}
