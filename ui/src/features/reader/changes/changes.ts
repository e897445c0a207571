// What changed inside a replaced paper, as the reader shows it: marks over a page's characters for each change, and
// stepping through the changes in order. Ranges count characters of a page's own text, as the core gives them (see
// `paper_changes`), so a change's marks are its characters' boxes, exactly as find's hits are.

import type { PageTextView, TextChangeKind, TextChangeView } from "../../../lib/ipc/types";
import { charsOf, hitRects, type Box } from "../text";

/** One mark on a page: a tint over an inserted or changed passage's line, or a marker where deleted text was. */
export type ChangeMark = {
  key: string;
  /** The change's place in the paper's list of changes. */
  index: number;
  kind: TextChangeKind;
  rect: Box;
  /** A deletion's marker (a thin bar where the text was) rather than a tint. */
  marker: boolean;
};

/** How wide a deletion's marker is, as a fraction of the page's width. */
const MARKER_WIDTH = 0.004;

function charBox(boxes: readonly number[], index: number): Box | null {
  const [left, top, right, bottom] = [0, 1, 2, 3].map((part) => boxes[4 * index + part]);
  if (left === undefined || top === undefined || right === undefined || bottom === undefined) return null;
  if (!(right > left) || !(bottom > top)) return null;
  return { left, top, right, bottom };
}

/**
 * Where deleted text was on a page: a thin bar at the left edge of the character that now follows it, or at the right
 * edge of the one before when nothing with a box follows on the page; `null` on a page with no boxes at all.
 */
export function deletionMarker(text: PageTextView, offset: number): Box | null {
  const count = Math.min(charsOf(text.text).length, Math.floor(text.boxes.length / 4));
  for (let index = offset; index < count; index++) {
    const box = charBox(text.boxes, index);
    if (box !== null) return { left: box.left - MARKER_WIDTH / 2, top: box.top, right: box.left + MARKER_WIDTH / 2, bottom: box.bottom };
  }
  for (let index = Math.min(offset, count) - 1; index >= 0; index--) {
    const box = charBox(text.boxes, index);
    if (box !== null) return { left: box.right - MARKER_WIDTH / 2, top: box.top, right: box.right + MARKER_WIDTH / 2, bottom: box.bottom };
  }
  return null;
}

/** The marks of every change that touches `page`, in the paper's order. */
export function changeMarks(changes: readonly TextChangeView[], page: number, text: PageTextView | null): ChangeMark[] {
  if (text === null) return [];
  const marks: ChangeMark[] = [];
  changes.forEach((change, index) => {
    for (const range of change.ranges) {
      if (range.page !== page) continue;
      if (change.kind === "deleted" || range.end <= range.start) {
        const rect = deletionMarker(text, range.start);
        if (rect !== null) marks.push({ key: `${index}-marker`, index, kind: change.kind, rect, marker: true });
        continue;
      }
      hitRects(text.text, text.boxes, range.start, range.end - range.start).forEach((rect, part) =>
        marks.push({ key: `${index}-${part}`, index, kind: change.kind, rect, marker: false }),
      );
    }
  });
  return marks;
}

/** The change `by` steps from `current` (-1 before the first), wrapping around; -1 when there are none. */
export function stepChange(current: number, count: number, by: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return by === 1 ? 0 : count - 1;
  return (current + by + count) % count;
}

/** The page a change is on: its first range's (a deletion has one, where it was). */
export function changePage(change: TextChangeView): number {
  return change.ranges[0]?.page ?? 0;
}

/** A change's words shortened for a list: at most `max` characters, cut at a word with an ellipsis. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = charsOf(flat);
  if (chars.length <= max) return flat;
  const cut = chars.slice(0, max).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
