// Where every page of a paper sits, in CSS pixels, computed from the page sizes alone, before any page is rendered.
// The reader draws a placeholder of the right size for each page and renders only those near the viewport,
// so a 460-page paper scrolls as smoothly as a 3-page one.
import type { PageSizeView } from "../../lib/ipc/types";

export type ViewMode = "continuous" | "single" | "spread";
export type Viewport = { width: number; height: number };
/** A point in CSS pixels. */
export type Point = { x: number; y: number };

/** Space around the pages and between rows, in CSS pixels. */
export const PADDING = 16;
export const ROW_GAP = 12;
/** Between the two pages of a spread: the fold of a printed book. */
export const SPREAD_GAP = 4;
/** The core renders at most this many device pixels across. */
export const MAX_RENDER_PX = 4000;
/** A paper that reports no size for a page (never expected) lays it out as A4. */
const A4: PageSizeView = { width_pt: 595, height_pt: 842 };

export function pageSize(pages: readonly PageSizeView[], page: number): PageSizeView {
  const size = pages[page];
  return size !== undefined && size.width_pt > 0 && size.height_pt > 0 ? size : A4;
}

/**
 * The rows pages are shown in: one page per row, or, in spread mode, the first page alone (the cover)
 * and then pairs, as a printed book opens.
 */
export function pageRows(count: number, mode: ViewMode): number[][] {
  const rows: number[][] = [];
  if (mode !== "spread") {
    for (let page = 0; page < count; page++) rows.push([page]);
    return rows;
  }
  if (count > 0) rows.push([0]);
  for (let page = 1; page < count; page += 2) rows.push(page + 1 < count ? [page, page + 1] : [page]);
  return rows;
}

/** The row a page is in. */
export function rowOf(page: number, mode: ViewMode): number {
  if (mode !== "spread" || page <= 0) return Math.max(page, 0);
  return Math.floor((page - 1) / 2) + 1;
}

/** The page a turn of `by` rows from `page` lands on (the first page of that row), within the paper. */
export function turnTarget(page: number, by: number, count: number, mode: ViewMode): number {
  const rows = pageRows(count, mode);
  if (rows.length === 0) return 0;
  const target = Math.min(Math.max(rowOf(page, mode) + by, 0), rows.length - 1);
  return rows[target]?.[0] ?? 0;
}

/** A row's size in points and the gaps between its pages in CSS pixels (which do not scale). */
export type RowExtent = { widthPt: number; heightPt: number; gapsPx: number };

export function rowExtent(pages: readonly PageSizeView[], row: readonly number[]): RowExtent {
  let widthPt = 0;
  let heightPt = 0;
  for (const page of row) {
    const size = pageSize(pages, page);
    widthPt += size.width_pt;
    heightPt = Math.max(heightPt, size.height_pt);
  }
  return { widthPt, heightPt, gapsPx: SPREAD_GAP * Math.max(row.length - 1, 0) };
}

export type PlacedPage = { page: number; x: number; y: number; width: number; height: number };
export type PlacedRow = { pages: PlacedPage[]; top: number; height: number };
export type Layout = { rows: PlacedRow[]; width: number; height: number; scale: number };

/**
 * Places rows of pages top to bottom, each centred across the viewport, at one scale.
 * When everything is shorter than the viewport (a single page that fits) it is centred vertically too.
 */
export function layOut(pages: readonly PageSizeView[], rows: readonly number[][], scale: number, viewport: Viewport): Layout {
  let widest = 0;
  let tallest = 0;
  const sized = rows.map((row) => {
    const extent = rowExtent(pages, row);
    const width = extent.widthPt * scale + extent.gapsPx;
    const height = extent.heightPt * scale;
    widest = Math.max(widest, width);
    tallest += height;
    return { row, width, height };
  });
  const contentHeight = tallest + ROW_GAP * Math.max(rows.length - 1, 0) + 2 * PADDING;
  const width = Math.max(viewport.width, widest + 2 * PADDING);
  const height = Math.max(viewport.height, contentHeight);
  let y = PADDING + Math.max(0, (viewport.height - contentHeight) / 2);
  const placed: PlacedRow[] = sized.map(({ row, width: rowWidth, height: rowHeight }) => {
    let x = (width - rowWidth) / 2;
    const top = y;
    const pagesOfRow = row.map((page) => {
      const size = pageSize(pages, page);
      const pageWidth = size.width_pt * scale;
      const pageHeight = size.height_pt * scale;
      const placedPage = { page, x, y: top + (rowHeight - pageHeight) / 2, width: pageWidth, height: pageHeight };
      x += pageWidth + SPREAD_GAP;
      return placedPage;
    });
    y += rowHeight + ROW_GAP;
    return { pages: pagesOfRow, top, height: rowHeight };
  });
  return { rows: placed, width, height, scale };
}

/** The first and last rows that show any part inside the viewport; [0, -1] when none. */
export function visibleRows(layout: Layout, scrollTop: number, viewportHeight: number): [number, number] {
  const rows = layout.rows;
  const bottom = scrollTop + viewportHeight;
  // Rows are sorted by top: find the first whose bottom is below the viewport's top.
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const row = rows[middle] as PlacedRow;
    if (row.top + row.height <= scrollTop) low = middle + 1;
    else high = middle;
  }
  let last = low - 1;
  while (last + 1 < rows.length && (rows[last + 1] as PlacedRow).top < bottom) last++;
  return last < low ? [0, -1] : [low, last];
}

/**
 * The pages that get a canvas: those of the rows in view and `margin` rows either side,
 * plus the current page's row, which is about to be in view after a jump.
 */
export function pagesToRender(layout: Layout, scrollTop: number, viewportHeight: number, currentRow: number, margin = 2): Set<number> {
  const [first, last] = visibleRows(layout, scrollTop, viewportHeight);
  const wanted = new Set<number>();
  const add = (rowIndex: number) => layout.rows[rowIndex]?.pages.forEach((placed) => wanted.add(placed.page));
  if (last >= first) for (let row = Math.max(0, first - margin); row <= Math.min(layout.rows.length - 1, last + margin); row++) add(row);
  add(currentRow);
  return wanted;
}

/**
 * The row the reader is on after scrolling: the one that fills most of the viewport, the earlier on a tie
 * (so a row scrolled to the top stays current even when the next one also fits entirely).
 */
export function rowInView(layout: Layout, scrollTop: number, viewportHeight: number): number {
  const [first, last] = visibleRows(layout, scrollTop, viewportHeight);
  let best = first;
  let bestShown = -1;
  for (let index = first; index <= last; index++) {
    const row = layout.rows[index] as PlacedRow;
    const shown = Math.min(row.top + row.height, scrollTop + viewportHeight) - Math.max(row.top, scrollTop);
    if (shown > bestShown + 0.5) {
      best = index;
      bestShown = shown;
    }
  }
  return Math.max(best, 0);
}

/** Where to scroll so a row starts at the top of the viewport, with a little of the gap above it showing. */
export function scrollTopForRow(layout: Layout, row: number): number {
  const placed = layout.rows[row];
  return placed === undefined ? 0 : Math.max(0, placed.top - ROW_GAP / 2);
}

export function placedPage(layout: Layout, page: number): PlacedPage | undefined {
  for (const row of layout.rows) for (const placed of row.pages) if (placed.page === page) return placed;
  return undefined;
}

/** A point of the paper: a page and where on it, as fractions of its size; survives any change of zoom or mode. */
export type Anchor = { page: number; fx: number; fy: number };

/** The paper's point under a point of the content (CSS pixels from its top left); the nearest page's if between pages. */
export function anchorAt(layout: Layout, x: number, y: number): Anchor | null {
  let nearest: PlacedPage | null = null;
  let nearestDistance = Number.POSITIVE_INFINITY;
  for (const row of layout.rows) {
    if (y < row.top - ROW_GAP - PADDING && nearest !== null) break;
    for (const placed of row.pages) {
      const dx = x < placed.x ? placed.x - x : Math.max(0, x - placed.x - placed.width);
      const dy = y < placed.y ? placed.y - y : Math.max(0, y - placed.y - placed.height);
      const distance = dx * dx + dy * dy;
      if (distance < nearestDistance) {
        nearest = placed;
        nearestDistance = distance;
      }
    }
  }
  if (nearest === null) return null;
  return {
    page: nearest.page,
    fx: (x - nearest.x) / nearest.width,
    fy: (y - nearest.y) / nearest.height,
  };
}

/** Where an anchor is in a (new) layout, or null if its page is not laid out there. */
export function pointOf(layout: Layout, anchor: Anchor): { x: number; y: number } | null {
  const placed = placedPage(layout, anchor.page);
  if (placed === undefined) return null;
  return { x: placed.x + anchor.fx * placed.width, y: placed.y + anchor.fy * placed.height };
}

/** Device pixels to ask the core for: sharp on high-density screens, within the core's limit. */
export function renderWidthPx(cssWidth: number, devicePixelRatio: number): number {
  return Math.min(MAX_RENDER_PX, Math.max(1, Math.round(cssWidth * (devicePixelRatio || 1))));
}

/** Thumbnails sit in slots of one height, so which are in view is arithmetic. */
export function slotsInView(scrollTop: number, viewportHeight: number, slotHeight: number, count: number, margin = 2): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / slotHeight) - margin);
  const last = Math.min(count - 1, Math.ceil((scrollTop + viewportHeight) / slotHeight) + margin);
  return [first, last];
}
