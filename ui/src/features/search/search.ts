// Small rules of the search box, kept apart so they can be tested without a window.
import type { SearchIndexProgress } from "../../lib/ipc/types";

/** Typing rests this long before the search runs; Enter runs it at once. */
export const SEARCH_DELAY_MS = 200;

/** Background indexing has papers left, so results may still be missing some. */
export function isIndexing(progress: SearchIndexProgress): boolean {
  return progress.indexed < progress.total;
}

/**
 * Ctrl+Shift+F (⌘⇧F on a Mac) anywhere, or "/" when not typing in a field, moves to the search box,
 * as in many readers and sites.
 */
export function isSearchShortcut(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey" | "target">): boolean {
  if ((event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.key.toLowerCase() === "f") return true;
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target;
  const typing =
    typeof HTMLElement !== "undefined" &&
    target instanceof HTMLElement &&
    (target.closest("input, textarea, select") !== null || target.isContentEditable);
  return !typing;
}
