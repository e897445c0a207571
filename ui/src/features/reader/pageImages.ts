// Rendered pages for one open paper: a cache, so turning to a page rendered ahead paints without asking the core,
// and a queue, so the page on screen is rendered before the ones ahead and thumbnails, and a page scrolled past
// before its turn is never rendered at all.
import type { PageImage } from "../../lib/ipc/commands";
import { LruCache } from "./lru";

/** Lower first. */
export const Priority = { current: 0, visible: 1, ahead: 2, thumbnail: 3 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export type RenderFn = (page: number, widthPx: number) => Promise<PageImage>;

/** Thrown to a request that was cancelled before its render started; callers that cancelled ignore it. */
export class RenderCancelled extends Error {
  constructor() {
    super("render cancelled");
  }
}

export type RenderRequest = { promise: Promise<PageImage>; cancel: () => void };

type Job = {
  key: string;
  page: number;
  widthPx: number;
  priority: Priority;
  order: number;
  waiters: number;
  started: boolean;
  promise: Promise<PageImage>;
  resolve: (image: PageImage) => void;
  reject: (error: unknown) => void;
};

export type PageImagesOptions = { capacity: number; maxBytes?: number; concurrency: number };

export class PageImages {
  private readonly cache: LruCache<string, PageImage>;
  private readonly jobs = new Map<string, Job>();
  private running = 0;
  private order = 0;

  constructor(
    private readonly render: RenderFn,
    private readonly options: PageImagesOptions,
  ) {
    // A page prepared as a bitmap holds its pixels twice.
    this.cache = new LruCache(options.capacity, options.maxBytes, (image) =>
      image.bitmap === undefined ? image.pixels.byteLength : image.pixels.byteLength * 2,
    );
  }

  static key(page: number, widthPx: number): string {
    return `${page}@${widthPx}`;
  }

  /** The page at this width if it was rendered recently; marks it recently used. */
  cached(page: number, widthPx: number): PageImage | undefined {
    return this.cache.get(PageImages.key(page, widthPx));
  }

  /** What the cache holds, least recently used first (for tests and diagnostics). */
  cachedKeys(): string[] {
    return this.cache.keys();
  }

  /**
   * The page at this width: from the cache, from a render already on its way, or from a new one queued by priority.
   * Cancelling withdraws this caller; a render nobody waits for any more is dropped if it has not started.
   */
  request(page: number, widthPx: number, priority: Priority): RenderRequest {
    const key = PageImages.key(page, widthPx);
    const hit = this.cache.get(key);
    if (hit !== undefined) return { promise: Promise.resolve(hit), cancel: () => {} };
    let job = this.jobs.get(key);
    if (job === undefined) {
      let resolve!: (image: PageImage) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<PageImage>((ok, fail) => {
        resolve = ok;
        reject = fail;
      });
      // Nobody may be listening when a cancelled job fails; that is expected, not an unhandled rejection.
      promise.catch(() => {});
      job = { key, page, widthPx, priority, order: this.order++, waiters: 0, started: false, promise, resolve, reject };
      this.jobs.set(key, job);
    } else if (priority < job.priority) {
      job.priority = priority;
    }
    const claimed = job;
    claimed.waiters++;
    let cancelled = false;
    this.pump();
    return {
      promise: claimed.promise,
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        claimed.waiters--;
        if (claimed.waiters === 0 && !claimed.started) {
          this.jobs.delete(claimed.key);
          claimed.reject(new RenderCancelled());
        }
      },
    };
  }

  /** Renders waiting or running (for tests). */
  get pending(): number {
    return this.jobs.size;
  }

  private pump(): void {
    while (this.running < this.options.concurrency) {
      const next = this.nextJob();
      if (next === undefined) return;
      next.started = true;
      this.running++;
      this.render(next.page, next.widthPx).then(
        (image) => {
          this.cache.set(next.key, image);
          next.resolve(image);
        },
        (error: unknown) => next.reject(error),
      ).finally(() => {
        this.jobs.delete(next.key);
        this.running--;
        this.pump();
      });
    }
  }

  private nextJob(): Job | undefined {
    let best: Job | undefined;
    for (const job of this.jobs.values()) {
      if (job.started) continue;
      if (best === undefined || job.priority < best.priority || (job.priority === best.priority && job.order < best.order)) {
        best = job;
      }
    }
    return best;
  }
}
