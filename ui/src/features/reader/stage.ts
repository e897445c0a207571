// Which pages are on the stage and which of them are drawn. Single and spread views keep the rows either side of the
// one shown mounted, drawn and hidden ("offstage"), so a turn to them only switches which row is visible; the stage
// moves along with a turn only once the frame showing it has been painted ("settled"), so that frame does nothing
// else. Continuous view places every page (most as an empty placeholder) and draws those near the viewport.
import { pagesToRender, type Layout, type PlacedPage } from "./layout";

/** A page's place on the stage; `shown` is false for a neighbouring row kept ready offstage. */
export type Slot = PlacedPage & { shown: boolean };

/**
 * The rows of single or spread view on the stage: the row the reader settled on and those either side of it, and the
 * row turned to, which is there at once even when a jump (Home, End, a page number) lands far from the settled one.
 */
export function rowsOnStage(settledRow: number, currentRow: number, rowCount: number): number[] {
  const wanted = [settledRow - 1, settledRow, settledRow + 1, currentRow];
  return [...new Set(wanted)].filter((row) => row >= 0 && row < rowCount).sort((a, b) => a - b);
}

/** Every page of a continuous layout, all of them shown. */
export function slotsOfLayout(layout: Layout): Slot[] {
  return layout.rows.flatMap((row) => row.pages.map((placed) => ({ ...placed, shown: true })));
}

/**
 * The pages of the staged rows, each placed as its row is laid out when shown (`layoutOf`, each row of single and
 * spread view being fitted on its own); only the current row's are shown.
 */
export function slotsOfRows(rows: readonly number[], currentRow: number, layoutOf: (row: number) => Layout): Slot[] {
  return rows.flatMap((row) => (layoutOf(row).rows[0]?.pages ?? []).map((placed) => ({ ...placed, shown: row === currentRow })));
}

/** The pages of a continuous layout that get a canvas and a text layer, for where the reader settled. */
export function pagesNearView(layout: Layout, settled: { row: number; scrollTop: number }, viewportHeight: number): Set<number> {
  return pagesToRender(layout, settled.scrollTop, viewportHeight, settled.row);
}

/**
 * The pages drawn: `near` and the pages of the row turned to, which are there at once, whatever else waits. When that
 * is the set drawn before, the earlier set is returned, so scrolling within the same pages changes nothing on the stage.
 */
export function pagesDrawn(previous: ReadonlySet<number>, near: Set<number>, currentRowPages: readonly number[]): ReadonlySet<number> {
  for (const page of currentRowPages) near.add(page);
  if (near.size === previous.size && [...near].every((page) => previous.has(page))) return previous;
  return near;
}

/** The pages rendered ahead into the cache: the next row, the one before, then the one after next. */
export function pagesAhead(rows: readonly (readonly number[])[], row: number): number[] {
  return [row + 1, row - 1, row + 2].flatMap((near) => rows[near] ?? []);
}
