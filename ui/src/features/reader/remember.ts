// Remembers the page being read, so the paper reopens there, without a write per page of a quick leaf-through.

export const REMEMBER_DELAY_MS = 500;

export type PageRememberer = {
  /** The reader is now on this page; saved once it has stayed there for the delay. */
  note(page: number): void;
  /** Saves a page still waiting (the reader is closing); resolves when the save is done or failed. */
  flush(): Promise<void>;
  cancel(): void;
};

/**
 * `opened` is the page the paper opened at, which the core already knows: returning to it saves nothing.
 * A failed save is logged, never shown: losing the place is an inconvenience, not an error to interrupt reading.
 */
export function pageRememberer(
  save: (page: number) => Promise<unknown>,
  opened: number,
  delayMs = REMEMBER_DELAY_MS,
): PageRememberer {
  let saved = opened;
  let waiting: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function write(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const page = waiting;
    waiting = null;
    if (page === null || page === saved) return Promise.resolve();
    saved = page;
    return save(page).then(
      () => undefined,
      (error: unknown) => console.error("remembering the page", error),
    );
  }

  return {
    note(page) {
      waiting = page;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => void write(), delayMs);
    },
    flush: write,
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      waiting = null;
    },
  };
}
