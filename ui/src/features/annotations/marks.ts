// Where a mark is drawn on its page, and what a tool makes. Pure: the layer draws what these return, the tests read them.
// Every length here is in PDF points on the displayed page, origin top left (x right, y down), as the core speaks them;
// a page's character boxes are fractions of the page, as the text layer has them.
import type {
  AnnotationInput,
  AnnotationKindView,
  AnnotationStyle,
  AnnotationView,
  InkPointView,
  PageTextView,
  PlaceInput,
  SharingView,
} from "../../lib/ipc/types";
import { charsOf, hitRects, type Box } from "../reader/text";

export type Point = { x: number; y: number };

/** A page as marks need it: its size in points and, once loaded, its text with a box per character. */
export type PageGeometry = { widthPt: number; heightPt: number; text: PageTextView | null };

/** The tools of the annotation bar. `select` picks marks; the others make one kind each. */
export const TEXT_TOOLS = ["highlight", "underline", "strike_out", "squiggly"] as const;
export const DRAWING_TOOLS = ["ink", "note", "free_text", "rectangle", "ellipse", "line", "arrow"] as const;
export type TextTool = (typeof TEXT_TOOLS)[number];
export type DrawingTool = (typeof DRAWING_TOOLS)[number];
export type Tool = "select" | TextTool | DrawingTool;
export type Kind = AnnotationKindView["type"];

export function isTextTool(tool: Tool): tool is TextTool {
  return (TEXT_TOOLS as readonly string[]).includes(tool);
}

export function isDrawingTool(tool: Tool): tool is DrawingTool {
  return (DRAWING_TOOLS as readonly string[]).includes(tool);
}

/** A note's icon, in points: the size other readers draw a sticky note at. */
export const NOTE_SIZE = 20;
/** A free text box's size before it is resized. */
export const FREE_TEXT_SIZE = { width: 180, height: 48 };
/** A drag shorter than this is a click: a shape gets its default size. */
const CLICK_POINTS = 3;
const DEFAULT_SHAPE = 60;

/** The box of character `index` on the page, in points; `null` when it has none (a space, a line break). */
function charBox(page: PageGeometry, index: number): Box | null {
  const boxes = page.text?.boxes;
  if (boxes === undefined) return null;
  const [left, top, right, bottom] = [0, 1, 2, 3].map((k) => boxes[4 * index + k]);
  if (left === undefined || top === undefined || right === undefined || bottom === undefined) return null;
  return { left: left * page.widthPt, top: top * page.heightPt, right: right * page.widthPt, bottom: bottom * page.heightPt };
}

/**
 * Where a mark that is not on text has its origin, in points on `page`: the anchor word's corner plus the offset, or
 * the page's corner plus the offset for a page without text. `null` until the page's text (with the word's box) is in.
 */
export function markOrigin(view: AnnotationView, page: PageGeometry): Point | null {
  const at = view.placement;
  if (at.at !== "mark") return null;
  if (at.char_index === undefined) return { x: at.dx, y: at.dy };
  const box = charBox(page, at.char_index);
  return box === null ? null : { x: box.left + at.dx, y: box.top + at.dy };
}

/** A page text's characters, split once per page rather than once per mark on it. */
const pageChars = new WeakMap<PageTextView, string[]>();
/** Each mark's rectangles as last worked out, and for which page, text and size: a page turned to again reuses them. */
const placedRects = new WeakMap<AnnotationView, { pageIndex: number; text: PageTextView; widthPt: number; heightPt: number; rects: Box[] }>();

/** The rectangles a text mark covers on `pageIndex`, one per line, in points. */
export function textRects(view: AnnotationView, pageIndex: number, page: PageGeometry): Box[] {
  if (view.placement.at !== "text" || page.text === null) return [];
  const text = page.text;
  const [widthPt, heightPt] = [page.widthPt, page.heightPt];
  const placed = placedRects.get(view);
  if (placed !== undefined && placed.pageIndex === pageIndex && placed.text === text && placed.widthPt === widthPt && placed.heightPt === heightPt) {
    return placed.rects;
  }
  let chars = pageChars.get(text);
  if (chars === undefined) {
    chars = charsOf(text.text);
    pageChars.set(text, chars);
  }
  const split = chars;
  const rects = view.placement.ranges
    .filter((range) => range.page === pageIndex)
    .flatMap((range) => hitRects(split, text.boxes, range.start, range.end - range.start))
    .map((box) => ({
      left: box.left * page.widthPt,
      top: box.top * page.heightPt,
      right: box.right * page.widthPt,
      bottom: box.bottom * page.heightPt,
    }));
  placedRects.set(view, { pageIndex, text, widthPt, heightPt, rects });
  return rects;
}

/** The pages a mark is drawn on. */
export function pagesOf(view: AnnotationView): number[] {
  const at = view.placement;
  if (at.at === "text") return at.ranges.length === 1 && at.ranges[0] !== undefined ? [at.ranges[0].page] : [...new Set(at.ranges.map((range) => range.page))];
  if (at.at === "mark") return [at.page];
  return [];
}

/** An ink stroke as an SVG path from the mark's origin. */
export function strokePath(origin: Point, stroke: readonly InkPointView[]): string {
  return stroke.map((p, i) => `${i === 0 ? "M" : "L"}${round(origin.x + p.x)} ${round(origin.y + p.y)}`).join(" ");
}

/** The box a mark that is not on text takes on the page, in points, for selection outlines and hit tests. */
export function markBounds(kind: AnnotationKindView, origin: Point): Box {
  switch (kind.type) {
    case "ink": {
      const points = kind.strokes.flat();
      const xs = points.map((p) => origin.x + p.x);
      const ys = points.map((p) => origin.y + p.y);
      return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
    }
    case "free_text":
    case "rectangle":
    case "ellipse":
      return { left: origin.x, top: origin.y, right: origin.x + kind.width, bottom: origin.y + kind.height };
    case "line":
    case "arrow":
      return {
        left: Math.min(origin.x, origin.x + kind.dx),
        top: Math.min(origin.y, origin.y + kind.dy),
        right: Math.max(origin.x, origin.x + kind.dx),
        bottom: Math.max(origin.y, origin.y + kind.dy),
      };
    default:
      return { left: origin.x, top: origin.y, right: origin.x + NOTE_SIZE, bottom: origin.y + NOTE_SIZE };
  }
}

/**
 * What a drawing tool makes of a drag from `from` to `to` (points on the page), or of a click: the kind with its
 * geometry and the origin it is anchored at. An ink stroke takes its points as drawn.
 */
export function drawn(tool: DrawingTool, from: Point, to: Point, ink: readonly InkPointView[] = []): { kind: AnnotationKindView; origin: Point } {
  const click = Math.hypot(to.x - from.x, to.y - from.y) < CLICK_POINTS;
  const box = {
    origin: { x: Math.min(from.x, to.x), y: Math.min(from.y, to.y) },
    width: click ? DEFAULT_SHAPE : Math.abs(to.x - from.x),
    height: click ? DEFAULT_SHAPE : Math.abs(to.y - from.y),
  };
  switch (tool) {
    case "ink":
      return {
        kind: { type: "ink", strokes: [ink.map((p) => ({ ...p, x: round(p.x - from.x), y: round(p.y - from.y) }))] },
        origin: from,
      };
    case "note":
      return { kind: { type: "note" }, origin: to };
    case "free_text":
      return {
        kind: click ? { type: "free_text", ...FREE_TEXT_SIZE } : { type: "free_text", width: box.width, height: box.height },
        origin: click ? to : box.origin,
      };
    case "rectangle":
    case "ellipse":
      return { kind: { type: tool, width: round(box.width), height: round(box.height) }, origin: box.origin };
    case "line":
    case "arrow":
      return {
        kind: { type: tool, dx: round(click ? DEFAULT_SHAPE : to.x - from.x), dy: round(click ? 0 : to.y - from.y) },
        origin: from,
      };
  }
}

/** The same mark resized to the box from its origin to `corner` (shapes and free text only; others unchanged). */
export function resized(kind: AnnotationKindView, origin: Point, corner: Point): AnnotationKindView {
  const width = round(Math.max(4, corner.x - origin.x));
  const height = round(Math.max(4, corner.y - origin.y));
  switch (kind.type) {
    case "free_text":
    case "rectangle":
    case "ellipse":
      return { ...kind, width, height };
    case "line":
    case "arrow":
      return { ...kind, dx: round(corner.x - origin.x), dy: round(corner.y - origin.y) };
    default:
      return kind;
  }
}

/** A new mark as the core takes it. */
export function newMark(
  paperId: string,
  kind: AnnotationKindView,
  at: PlaceInput,
  style: AnnotationStyle,
  body = "",
  sharing: SharingView = { scope: "private" },
): AnnotationInput {
  return { paper_id: paperId, kind, at, style, body, sharing };
}

/** An edit of `view`: what changes, and where it goes when it moves (absent: it stays anchored where it is). */
export function editOf(
  view: AnnotationView,
  changes: Partial<Pick<AnnotationInput, "kind" | "style" | "body" | "sharing">> & { at?: PlaceInput },
): AnnotationInput {
  return {
    id: view.id,
    paper_id: view.paper_id,
    kind: changes.kind ?? view.kind,
    style: changes.style ?? view.style,
    body: changes.body ?? view.body,
    sharing: changes.sharing ?? view.sharing,
    ...(changes.at === undefined ? {} : { at: changes.at }),
  };
}

/** `view` as a new mark with the same content, where it stands now (to bring back a deleted mark). */
export function recreated(view: AnnotationView, page: PageGeometry): AnnotationInput | null {
  const at = placeOf(view, page);
  return at === null ? null : newMark(view.paper_id, view.kind, at, view.style, view.body, view.sharing);
}

/** Where `view` stands, as a place the core takes again: its text ranges, or its origin point. */
export function placeOf(view: AnnotationView, page: PageGeometry): PlaceInput | null {
  const at = view.placement;
  if (at.at === "text") {
    const first = at.ranges[0];
    const last = at.ranges.at(-1);
    if (first === undefined || last === undefined) return null;
    return { at: "text", page: first.page, start: first.start, end_page: last.page, end: last.end };
  }
  if (at.at === "mark") {
    const origin = markOrigin(view, page);
    return origin === null ? null : { at: "point", page: at.page, x: round(origin.x), y: round(origin.y) };
  }
  return null;
}

/** The selected characters of one page's text layer as a place: `null` for an empty selection or one off the pages. */
export function selectedPlace(
  start: { page: number; index: number } | null,
  end: { page: number; index: number } | null,
): PlaceInput | null {
  if (start === null || end === null) return null;
  const [a, b] = start.page < end.page || (start.page === end.page && start.index <= end.index) ? [start, end] : [end, start];
  if (a.page === b.page && a.index === b.index) return null;
  return { at: "text", page: a.page, start: a.index, end_page: b.page, end: b.index };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
