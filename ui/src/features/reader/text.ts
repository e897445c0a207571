// From a page's text and per-character boxes (fractions of the page, origin top left) to lines a text layer can lay
// over the pixels, and to the rectangles that highlight a find hit.
// Indices count characters as the core does (Unicode scalar values), not UTF-16 code units.

export type Box = { left: number; top: number; right: number; bottom: number };
export type TextLine = Box & { text: string; start: number; end: number };

export function charsOf(text: string): string[] {
  return Array.from(text);
}

function boxAt(boxes: readonly number[], index: number): Box | null {
  const left = boxes[4 * index];
  const top = boxes[4 * index + 1];
  const right = boxes[4 * index + 2];
  const bottom = boxes[4 * index + 3];
  if (left === undefined || top === undefined || right === undefined || bottom === undefined) return null;
  // Generated spaces and control characters have no ink and no box worth placing.
  if (!(right > left) || !(bottom > top)) return null;
  return { left, top, right, bottom };
}

/** Two boxes share a line when their vertical extents overlap. */
function overlapsVertically(a: Box, b: Box): boolean {
  return Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0;
}

type Group = { box: Box | null; start: number; end: number; lastRight: number };

/**
 * Splits characters `from`..`to` into runs on one line each: a run grows while each character's box overlaps it
 * vertically and does not jump back left (a new line of a column); a newline always ends it.
 * Characters without a box (spaces, for instance) join the run they are in.
 */
function groupRuns(chars: readonly string[], boxes: readonly number[], from: number, to: number): Group[] {
  const groups: Group[] = [];
  let current: Group | null = null;
  for (let index = from; index < to; index++) {
    const char = chars[index] as string;
    if (char === "\n" || char === "\r") {
      if (current !== null) groups.push(current);
      current = null;
      continue;
    }
    const box = boxAt(boxes, index);
    if (current === null) {
      current = { box, start: index, end: index + 1, lastRight: box?.right ?? Number.NEGATIVE_INFINITY };
      continue;
    }
    if (box !== null && current.box !== null) {
      const height = current.box.bottom - current.box.top;
      const wentBack = box.left < current.lastRight - height;
      if (!overlapsVertically(current.box, box) || wentBack) {
        groups.push(current);
        current = { box, start: index, end: index + 1, lastRight: box.right };
        continue;
      }
    }
    current.end = index + 1;
    if (box !== null) {
      current.box =
        current.box === null
          ? box
          : {
              left: Math.min(current.box.left, box.left),
              top: Math.min(current.box.top, box.top),
              right: Math.max(current.box.right, box.right),
              bottom: Math.max(current.box.bottom, box.bottom),
            };
      current.lastRight = box.right;
    }
  }
  if (current !== null) groups.push(current);
  return groups;
}

/** The page's lines, each with the box around its characters; lines with no visible character are left out. */
export function groupLines(text: string, boxes: readonly number[]): TextLine[] {
  const chars = charsOf(text);
  const count = Math.min(chars.length, Math.floor(boxes.length / 4));
  return groupRuns(chars, boxes, 0, count).flatMap((group) =>
    group.box === null ? [] : [{ ...group.box, text: chars.slice(group.start, group.end).join(""), start: group.start, end: group.end }],
  );
}

/**
 * The rectangles covering a hit: the union of its characters' boxes, one per line it spans. `text` may be given as its
 * characters already split (`charsOf`), when many hits on one page are boxed.
 */
export function hitRects(text: string | readonly string[], boxes: readonly number[], start: number, length: number): Box[] {
  const chars = typeof text === "string" ? charsOf(text) : text;
  const count = Math.min(chars.length, Math.floor(boxes.length / 4));
  const from = Math.max(0, start);
  const to = Math.min(count, start + length);
  return groupRuns(chars, boxes, from, to).flatMap((group) => (group.box === null ? [] : [group.box]));
}

/** A find hit on one page; `index` is its place among all the paper's hits. */
export type PageHit = { index: number; start: number; length: number };

/** A fraction of a page's size as a CSS percentage, for the layers laid over the page. */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(3)}%`;
}
