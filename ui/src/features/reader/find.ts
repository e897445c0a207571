// Find in the open paper: which hit comes first, how the current one moves, and where to scroll to show it. Kept
// apart from the reader so the rules can be read and tested on their own; `paperFind.svelte.ts` holds the state.
import type { FindHitView } from "../../lib/ipc/types";
import type { PlacedPage } from "./layout";
import type { Box, PageHit } from "./text";

/**
 * The hit to start at: the first on `fromPage` or after it (a search result opens on its page, and a search started
 * while reading goes on from where the member is), wrapping to the first of the paper; -1 when there are none.
 */
export function firstHitFrom(hits: readonly FindHitView[], fromPage: number): number {
  if (hits.length === 0) return -1;
  return Math.max(
    hits.findIndex((hit) => hit.page >= fromPage),
    0,
  );
}

/** The hit after (1) or before (-1) the current one, going round from the last to the first and back. */
export function stepHit(current: number, direction: 1 | -1, total: number): number {
  return (current + direction + total) % total;
}

/** Each page's hits, with their place among all the paper's hits, so a page highlights only its own. */
export function hitsByPage(hits: readonly FindHitView[]): Map<number, PageHit[]> {
  const byPage = new Map<number, PageHit[]>();
  hits.forEach((hit, index) => {
    const list = byPage.get(hit.page) ?? [];
    list.push({ index, start: hit.start, length: hit.length });
    byPage.set(hit.page, list);
  });
  return byPage;
}

/** A rectangle of a page (fractions of its size) in the content's CSS pixels, where the page is laid out. */
export function boxOnPage(placed: PlacedPage, rect: Box): Box {
  return {
    left: placed.x + rect.left * placed.width,
    top: placed.y + rect.top * placed.height,
    right: placed.x + rect.right * placed.width,
    bottom: placed.y + rect.bottom * placed.height,
  };
}

/** What part of the content the viewport shows: its scroll position and size. */
export type Visible = { top: number; left: number; width: number; height: number };

/**
 * Where to scroll so a hit is seen: nowhere on an axis where it is already in view (the page does not jump under the
 * reader's eyes), otherwise so it sits in the middle of the viewport.
 */
export function scrollToShow(box: Box, visible: Visible): { top: number; left: number } {
  const outVertically = box.top < visible.top || box.bottom > visible.top + visible.height;
  const outSideways = box.left < visible.left || box.right > visible.left + visible.width;
  return {
    top: outVertically ? Math.max(0, (box.top + box.bottom - visible.height) / 2) : visible.top,
    left: outSideways ? Math.max(0, (box.left + box.right - visible.width) / 2) : visible.left,
  };
}
