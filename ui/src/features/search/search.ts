// Small rules of the search box, kept apart so they can be tested without a window.
import type { SearchHitView, SearchIndexProgress } from "../../lib/ipc/types";

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

/** A paper's matching pages: its best pages (with their snippets) first, then the page numbers of the rest. */
export type PaperHits = {
  meetingId: string;
  meetingTitle: string;
  paperId: string;
  paperTitle: string;
  /** Pages of this paper among the results. */
  count: number;
  best: SearchHitView[];
  more: SearchHitView[];
};

/** How many pages of a paper are shown with their snippet; the others are listed by number. */
export const BEST_PAGES = 3;

/**
 * One row per paper, in the order of each paper's best page (results come best first), so the paper holding the best
 * match leads; within a paper the best pages come first, then the others in page order.
 */
export function groupByPaper(hits: readonly SearchHitView[]): PaperHits[] {
  const byPaper = new Map<string, SearchHitView[]>();
  for (const hit of hits) {
    const key = `${hit.meeting_id}/${hit.paper_id}`;
    const pages = byPaper.get(key);
    if (pages === undefined) byPaper.set(key, [hit]);
    else pages.push(hit);
  }
  return [...byPaper.values()].map((pages) => {
    const first = pages[0] as SearchHitView;
    return {
      meetingId: first.meeting_id,
      meetingTitle: first.meeting_title,
      paperId: first.paper_id,
      paperTitle: first.paper_title,
      count: pages.length,
      best: pages.slice(0, BEST_PAGES),
      more: pages.slice(BEST_PAGES).sort((a, b) => a.page - b.page),
    };
  });
}
