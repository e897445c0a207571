// Who paints a page's marks canvas: a worker, where the engine lets one paint (OffscreenCanvas), else the window
// itself. The layer says what to paint; the painter says when it is on the canvas.
//
// The worker paints on a canvas of its own and answers with a bitmap the window shows, rather than painting the
// window's canvas in place (`transferControlToOffscreen`): while it painted canvases handed over, the reader's first
// page twice never drew (the cause is not proven; see ARCHITECTURE.md).
import { paintOnto, type Painting } from "./paint";

export type { Painting };

export type PainterMessage = { type: "paint"; id: number; seq: number; painting: Painting } | { type: "forget"; id: number };

/** What the worker painted: a copy of the page's marks canvas (`null`: no marks, nothing to show), and how long painting took
 * it in ms (the copy apart). */
export type PainterReply = { id: number; seq: number; bitmap: ImageBitmap | null; ms: number };

export interface MarkPainter {
  /** Paints; `painted` is called once it is on the canvas (the next frame shows it), with how long painting took. */
  paint(painting: Painting, painted: (ms: number) => void): void;
  dispose(): void;
}

/** The painter for `canvas`, which it owns from now on (its size included). */
export function markPainter(canvas: HTMLCanvasElement): MarkPainter {
  const worker = sharedWorker();
  return worker === null ? new WindowPainter(canvas) : new WorkerPainter(canvas, worker);
}

/** Paints on the window's own thread: engines without OffscreenCanvas, and the tests. */
class WindowPainter implements MarkPainter {
  constructor(private readonly canvas: HTMLCanvasElement) {}

  paint(painting: Painting, painted: (ms: number) => void): void {
    const start = performance.now();
    paintOnto(this.canvas, painting);
    painted(performance.now() - start);
  }

  dispose(): void {}
}

type Shared = { worker: Worker; painters: Map<number, WorkerPainter>; next: number };
let shared: Shared | null | undefined;

/** The one painting worker of the window, started on first use; `null` where a worker cannot paint. */
function sharedWorker(): Shared | null {
  if (shared !== undefined) return shared;
  shared = null;
  if (typeof Worker === "undefined" || typeof OffscreenCanvas === "undefined" || typeof createImageBitmap === "undefined") return shared;
  try {
    const worker = new Worker(new URL("./painter.worker.ts", import.meta.url), { type: "module" });
    const painters = new Map<number, WorkerPainter>();
    worker.onmessage = (event: MessageEvent<PainterReply>) => {
      const painter = painters.get(event.data.id);
      if (painter === undefined) event.data.bitmap?.close();
      else painter.answered(event.data);
    };
    worker.onerror = (event) => console.error("painting marks", event.message);
    shared = { worker, painters, next: 1 };
  } catch (error) {
    console.error("starting the marks' painter", error);
  }
  return shared;
}

/**
 * Has the worker paint, and shows each bitmap it answers on the canvas (`bitmaprenderer`: the bitmap becomes the
 * canvas's pixels without a copy). An answer older than one already shown is dropped.
 */
class WorkerPainter implements MarkPainter {
  readonly #id: number;
  readonly #shared: Shared;
  readonly #canvas: HTMLCanvasElement;
  #seq = 0;
  #shown = 0;
  readonly #waiting = new Map<number, (ms: number) => void>();

  constructor(canvas: HTMLCanvasElement, shared: Shared) {
    this.#canvas = canvas;
    this.#shared = shared;
    this.#id = shared.next++;
    shared.painters.set(this.#id, this);
  }

  paint(painting: Painting, painted: (ms: number) => void): void {
    const seq = ++this.#seq;
    this.#waiting.set(seq, painted);
    this.#post({ type: "paint", id: this.#id, seq, painting });
  }

  answered({ seq, bitmap, ms }: PainterReply): void {
    const painted = this.#waiting.get(seq);
    this.#waiting.delete(seq);
    if (seq < this.#shown) {
      bitmap?.close();
      return;
    }
    this.#shown = seq;
    show(this.#canvas, bitmap);
    painted?.(ms);
  }

  dispose(): void {
    this.#shared.painters.delete(this.#id);
    this.#waiting.clear();
    this.#post({ type: "forget", id: this.#id });
  }

  #post(message: PainterMessage) {
    this.#shared.worker.postMessage(message);
  }
}

/** `bitmap` as the canvas's pixels (none: an empty canvas that holds no memory). */
function show(canvas: HTMLCanvasElement, bitmap: ImageBitmap | null) {
  const [width, height] = bitmap === null ? [0, 0] : [bitmap.width, bitmap.height];
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  if (bitmap === null) return;
  const renderer = canvas.getContext("bitmaprenderer");
  if (renderer !== null) {
    renderer.transferFromImageBitmap(bitmap);
    return;
  }
  canvas.getContext("2d")?.drawImage(bitmap, 0, 0);
  bitmap.close();
}

/**
 * Who waits for a mark to be on the canvas: a preview stands in for a mark just drawn, moved or resized until the
 * painter has shown it, so it never blinks out between the pointer's release and the painter's answer.
 */
export class PaintWaits {
  readonly #waiting = new Map<string, Set<() => void>>();

  /** Resolves once a paint with mark `id` on the canvas is shown, or after `ms` (a mark that is never painted here). */
  until(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.#waiting.get(id) ?? new Set();
      this.#waiting.set(id, waiting);
      const done = () => {
        clearTimeout(timer);
        waiting.delete(done);
        if (waiting.size === 0 && this.#waiting.get(id) === waiting) this.#waiting.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiting.add(done);
    });
  }

  /** A paint is shown, with these marks on the canvas. */
  painted(ids: Iterable<string>): void {
    if (this.#waiting.size === 0) return;
    for (const id of ids) {
      for (const done of this.#waiting.get(id) ?? []) done();
    }
  }
}
