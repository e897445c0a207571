// A page's marks painted on a canvas, and found again under the pointer. The layer keeps one canvas per page for its
// marks (a page with 500 marks is one element to the engine, not 500 to style, lay out and paint) and a small one above
// it for what moves: the selection, the keyboard's focus and the mark being dragged. Every length here is in PDF points
// on the page; the canvas's transform scales them to its pixels, as the SVG's viewBox did.
import type { AnnotationKindView, AnnotationView, InkPointView } from "../../lib/ipc/types";
import type { Box } from "../reader/text";
import { markBounds, markOrigin, NOTE_SIZE, textRects, type PageGeometry, type Point } from "./marks";

/** A mark where it stands on one page: the boxes of its words (text marks) or its origin and bounds (the others). */
export type PlacedMark = {
  mark: AnnotationView;
  /** Text marks: a box per line on this page. */
  boxes: Box[];
  /** Other marks: where their geometry starts. */
  origin: Point | null;
  /** The box the mark takes: its lines' union, or its shape's bounds. `null` while it has no place (text not in yet). */
  bounds: Box | null;
};

/** How far around a mark that is not on text the pointer still picks it, in points (a thin line is hard to hit). */
export const HIT_SLOP = 4;
/** The resize handle's side, in points. */
const HANDLE = 10;
/** The tint of a highlight over the words, as other readers draw it. */
const HIGHLIGHT_ALPHA = 0.38;
/** Others' marks are drawn a little fainter than the member's own. */
const THEIRS_ALPHA = 0.85;
const FOCUS = "#0b4f9c";
const NOTE_INK = "#5d4037";
const FREE_TEXT_FONT_PT = 11;
const FREE_TEXT_LINE = 1.3;
/**
 * Ink thinner than this, in pixels, is joined with bevels rather than rounds: below it the two differ by under half a
 * pixel, and WebKit's rasteriser takes half again as long over round joins (100 strokes of 50 points: 14 against 9 ms).
 */
const ROUND_JOINS_FROM_PX = 4;

/** Each mark's place as last worked out, and on which page, text and size: a mark that did not change keeps it. */
const placedBefore = new WeakMap<AnnotationView, { pageIndex: number; text: unknown; widthPt: number; heightPt: number; placed: PlacedMark }>();

/**
 * Where each mark stands on page `pageIndex`, in drawing order. A mark without a place yet is left out. A mark that
 * did not change (the same object) on the same page keeps its `PlacedMark`, so what was painted can be told apart from
 * what is new by identity.
 */
export function placeMarks(marks: readonly AnnotationView[], pageIndex: number, page: PageGeometry): PlacedMark[] {
  const placed: PlacedMark[] = [];
  for (const mark of marks) {
    const was = placedBefore.get(mark);
    let one: PlacedMark;
    if (was !== undefined && was.pageIndex === pageIndex && was.text === page.text && was.widthPt === page.widthPt && was.heightPt === page.heightPt) {
      one = was.placed;
    } else {
      one = placeMark(mark, pageIndex, page);
      placedBefore.set(mark, { pageIndex, text: page.text, widthPt: page.widthPt, heightPt: page.heightPt, placed: one });
    }
    if (one.bounds !== null) placed.push(one);
  }
  return placed;
}

/** Where `mark` stands on page `pageIndex`, optionally as it would after a move by `by` or with another kind. */
export function placeMark(mark: AnnotationView, pageIndex: number, page: PageGeometry, by: Point = { x: 0, y: 0 }, kind = mark.kind): PlacedMark {
  if (mark.placement.at === "text") {
    const boxes = textRects(mark, pageIndex, page);
    return { mark, boxes, origin: null, bounds: boxes.length === 0 ? null : union(boxes) };
  }
  const at = markOrigin(mark, page);
  if (at === null) return { mark, boxes: [], origin: null, bounds: null };
  const origin = { x: at.x + by.x, y: at.y + by.y };
  return { mark: kind === mark.kind ? mark : { ...mark, kind }, boxes: [], origin, bounds: markBounds(kind, origin) };
}

/** The topmost mark at `at` (points): the last drawn whose words, or whose bounds widened by the slop, contain it. */
export function markAt(placed: readonly PlacedMark[], at: Point): PlacedMark | null {
  for (let index = placed.length - 1; index >= 0; index--) {
    const one = placed[index] as PlacedMark;
    if (hitBoxes(one).some((box) => inside(box, at))) return one;
  }
  return null;
}

/** The resize handle of a selected shape of the member's own, or `null` for a mark that has none. */
export function handleOf(one: PlacedMark): Box | null {
  const resizable = ["rectangle", "ellipse", "free_text", "line", "arrow"].includes(one.mark.kind.type);
  if (!one.mark.own || !resizable || one.bounds === null) return null;
  const { right, bottom } = one.bounds;
  return { left: right - HANDLE / 2, top: bottom - HANDLE / 2, right: right + HANDLE / 2, bottom: bottom + HANDLE / 2 };
}

export function inside(box: Box, at: Point): boolean {
  return at.x >= box.left && at.x <= box.right && at.y >= box.top && at.y <= box.bottom;
}

/** What the pointer picks a mark by: its words' boxes, or its bounds widened by the slop. */
function hitBoxes(one: PlacedMark): Box[] {
  if (one.boxes.length > 0) return one.boxes;
  return one.bounds === null ? [] : [grow(one.bounds, HIT_SLOP)];
}

/** The part of `CanvasRenderingContext2D` the painter uses (the tests record it). */
export type Pen = Pick<
  CanvasRenderingContext2D,
  | "setTransform"
  | "clearRect"
  | "save"
  | "restore"
  | "beginPath"
  | "moveTo"
  | "lineTo"
  | "closePath"
  | "rect"
  | "ellipse"
  | "fill"
  | "stroke"
  | "fillRect"
  | "strokeRect"
  | "fillText"
  | "measureText"
  | "setLineDash"
  | "clip"
  | "createPattern"
> & {
  fillStyle: CanvasRenderingContext2D["fillStyle"];
  strokeStyle: CanvasRenderingContext2D["strokeStyle"];
  lineWidth: number;
  lineCap: CanvasLineCap;
  lineJoin: CanvasLineJoin;
  globalAlpha: number;
  font: string;
  textBaseline: CanvasTextBaseline;
};

/** One paint of a page's marks: the canvas's size in pixels, the page's in points, and the marks in drawing order. */
export type Painting = {
  width: number;
  height: number;
  widthPt: number;
  heightPt: number;
  marks: readonly Paintable[];
  /** Paint these over what is there (marks added after those painted) instead of the page's marks anew. */
  append: boolean;
};

/** A canvas in the window or in a worker, as much of it as painting uses. */
type Surface = { width: number; height: number; getContext(kind: "2d", settings?: CanvasRenderingContext2DSettings): unknown };

/**
 * Paints `painting` on `canvas`, sized to it first (a resize clears a canvas and its transform, so what was there is
 * painted anew). `false` when there is nothing to paint on: no marks, a canvas of no size.
 */
export function paintOnto(canvas: Surface, painting: Painting, settings?: CanvasRenderingContext2DSettings): boolean {
  const resized = canvas.width !== painting.width || canvas.height !== painting.height;
  if (resized) {
    canvas.width = painting.width;
    canvas.height = painting.height;
  }
  const pen = painting.width === 0 ? null : (canvas.getContext("2d", settings) as Pen | null);
  if (pen === null) return false;
  if (!painting.append || resized) startPage(pen, painting, painting);
  paintMarks(pen, painting.marks, painting.widthPt > 0 ? painting.width / painting.widthPt : 1);
  return true;
}

/** Clears a canvas of `pixels` and sets it to draw in the page's points. */
export function startPage(pen: Pen, pixels: { width: number; height: number }, page: { widthPt: number; heightPt: number }): void {
  pen.setTransform(1, 0, 0, 1, 0, 0);
  pen.clearRect(0, 0, pixels.width, pixels.height);
  pen.setTransform(pixels.width / page.widthPt, 0, 0, pixels.height / page.heightPt, 0, 0);
}

/**
 * What painting a mark takes, and no more: it is what crosses to the painting worker. An ink mark's strokes cross as
 * arrays of numbers (a page's 75 strokes of 50 points are then 75 copies, not 3,750 objects to clone); its `kind` then
 * has none.
 */
export type Paintable = {
  kind: AnnotationKindView;
  /** Ink: each stroke's points as x, y, x, y, … from the origin, and its pressure (the stylus's first, if any). */
  ink: readonly InkLine[];
  colour: string;
  thickness: number;
  own: boolean;
  /** A free text box's words. */
  body: string;
  /** Text marks: a box per line. */
  boxes: Box[];
  /** Other marks: where their geometry starts. */
  origin: Point | null;
};

export type InkLine = { points: Float64Array; pressure: number | undefined };

const paintables = new WeakMap<PlacedMark, Paintable>();

/** `one` as the painter takes it (worked out once per placed mark). */
export function paintable(one: PlacedMark): Paintable {
  let made = paintables.get(one);
  if (made === undefined) {
    const { mark } = one;
    const ink = mark.kind.type === "ink" ? mark.kind.strokes.map(inkLine) : [];
    made = {
      kind: mark.kind.type === "ink" ? { type: "ink", strokes: [] } : mark.kind,
      ink,
      colour: mark.style.colour,
      thickness: mark.style.thickness,
      own: mark.own,
      body: mark.kind.type === "free_text" ? mark.body : "",
      boxes: one.boxes,
      origin: mark.placement.at === "text" ? null : one.origin,
    };
    paintables.set(one, made);
  }
  return made;
}

function inkLine(stroke: readonly InkPointView[]): InkLine {
  const points = new Float64Array(2 * stroke.length);
  stroke.forEach((p, index) => {
    points[2 * index] = p.x;
    points[2 * index + 1] = p.y;
  });
  return { points, pressure: stroke[0]?.pressure };
}

/** Paints marks in order (later ones above earlier ones), at `pixelsPerPoint`. */
export function paintMarks(pen: Pen, marks: readonly Paintable[], pixelsPerPoint: number): void {
  for (const one of marks) paintMark(pen, one, pixelsPerPoint);
}

export function paintMark(pen: Pen, one: Paintable, pixelsPerPoint: number): void {
  pen.save();
  pen.globalAlpha = one.own ? 1 : THEIRS_ALPHA;
  pen.strokeStyle = one.colour;
  pen.fillStyle = one.colour;
  pen.lineCap = "round";
  pen.lineJoin = "round";
  if (one.origin === null) paintTextMark(pen, one, pixelsPerPoint);
  else paintShape(pen, one, one.origin, pixelsPerPoint);
  pen.restore();
}

function paintTextMark(pen: Pen, { kind: { type: kind }, boxes, thickness, colour }: Paintable, pixelsPerPoint: number) {
  if (kind === "squiggly" && paintWaves(pen, boxes, colour, thickness, pixelsPerPoint)) return;
  if (kind === "highlight") {
    pen.globalAlpha *= HIGHLIGHT_ALPHA;
    for (const box of boxes) pen.fillRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
    return;
  }
  pen.lineCap = "butt";
  pen.lineWidth = kind === "squiggly" ? waveOf(thickness).width : Math.max(1, thickness);
  pen.beginPath();
  for (const box of boxes) {
    const points =
      kind === "underline"
        ? [
            { x: box.left, y: box.bottom },
            { x: box.right, y: box.bottom },
          ]
        : kind === "strike_out"
          ? [
              { x: box.left, y: (box.top + box.bottom) / 2 },
              { x: box.right, y: (box.top + box.bottom) / 2 },
            ]
          : squigglyPoints(box, thickness);
    polyline(pen, points);
  }
  pen.stroke();
}

function paintShape(pen: Pen, { kind, body, thickness, ink }: Paintable, origin: Point, pixelsPerPoint: number) {
  pen.lineWidth = thickness;
  switch (kind.type) {
    case "ink":
      for (const { points, pressure } of ink) {
        pen.lineWidth = thickness * (pressure === undefined ? 1 : 0.5 + pressure);
        pen.lineJoin = pen.lineWidth * pixelsPerPoint < ROUND_JOINS_FROM_PX ? "bevel" : "round";
        pen.beginPath();
        pen.moveTo(origin.x + (points[0] ?? 0), origin.y + (points[1] ?? 0));
        for (let index = 2; index + 1 < points.length; index += 2) pen.lineTo(origin.x + (points[index] ?? 0), origin.y + (points[index + 1] ?? 0));
        pen.stroke();
      }
      return;
    case "rectangle":
      pen.strokeRect(origin.x, origin.y, kind.width, kind.height);
      return;
    case "ellipse":
      pen.beginPath();
      pen.ellipse(origin.x + kind.width / 2, origin.y + kind.height / 2, Math.abs(kind.width / 2), Math.abs(kind.height / 2), 0, 0, 2 * Math.PI);
      pen.stroke();
      return;
    case "line":
    case "arrow": {
      const to = { x: origin.x + kind.dx, y: origin.y + kind.dy };
      pen.beginPath();
      polyline(pen, [origin, to]);
      if (kind.type === "arrow") polyline(pen, arrowHeadPoints(origin, to, thickness));
      pen.stroke();
      return;
    }
    case "free_text":
      paintFreeText(pen, body, { left: origin.x, top: origin.y, right: origin.x + kind.width, bottom: origin.y + kind.height });
      return;
    default:
      paintNote(pen, origin);
  }
}

/** A free text box: a pale box with its words wrapped inside it, cut at its edges. */
function paintFreeText(pen: Pen, body: string, box: Box) {
  const [width, height] = [box.right - box.left, box.bottom - box.top];
  pen.save();
  pen.fillStyle = "rgba(255, 255, 255, 0.6)";
  pen.fillRect(box.left, box.top, width, height);
  pen.lineWidth = 0.75;
  pen.strokeRect(box.left, box.top, width, height);
  pen.beginPath();
  pen.rect(box.left, box.top, width, height);
  pen.clip();
  pen.font = `${FREE_TEXT_FONT_PT}px "Noto Sans", sans-serif`;
  pen.textBaseline = "top";
  pen.fillStyle = pen.strokeStyle;
  const line = FREE_TEXT_FONT_PT * FREE_TEXT_LINE;
  const lines = wrapWords(body, width - 8, (text) => pen.measureText(text).width);
  lines.forEach((text, index) => {
    const y = box.top + 2 + index * line + (line - FREE_TEXT_FONT_PT) / 2;
    if (y < box.bottom) pen.fillText(text, box.left + 4, y);
  });
  pen.restore();
}

/** A sticky note's icon: a folded sheet in the mark's colour with three lines on it. */
function paintNote(pen: Pen, at: Point) {
  const size = NOTE_SIZE;
  pen.beginPath();
  polyline(pen, [
    at,
    { x: at.x + size, y: at.y },
    { x: at.x + size, y: at.y + size * 0.7 },
    { x: at.x + size * 0.7, y: at.y + size },
    { x: at.x, y: at.y + size },
  ]);
  pen.closePath();
  pen.fill();
  pen.globalAlpha = 1;
  pen.strokeStyle = NOTE_INK;
  pen.lineWidth = 1;
  pen.lineCap = "butt";
  pen.stroke();
  pen.lineWidth = 1.2;
  pen.beginPath();
  for (const [y, length] of [
    [6, 12],
    [10, 12],
    [14, 7],
  ] as const) {
    polyline(pen, [
      { x: at.x + 4, y: at.y + y },
      { x: at.x + 4 + length, y: at.y + y },
    ]);
  }
  pen.stroke();
}

/**
 * What sits above the marks: a dashed outline around the selected mark (with its resize handle when it is the
 * member's own shape) and around the mark the keyboard is on.
 */
export function paintOutline(pen: Pen, one: PlacedMark, withHandle: boolean): void {
  pen.save();
  pen.globalAlpha = 1;
  pen.strokeStyle = FOCUS;
  pen.lineWidth = 1.5;
  pen.setLineDash([4, 3]);
  for (const box of hitBoxes(one)) pen.strokeRect(box.left - 1, box.top - 1, box.right - box.left + 2, box.bottom - box.top + 2);
  const handle = withHandle ? handleOf(one) : null;
  if (handle !== null) {
    pen.setLineDash([]);
    pen.fillStyle = "#ffffff";
    pen.fillRect(handle.left, handle.top, HANDLE, HANDLE);
    pen.strokeRect(handle.left, handle.top, HANDLE, HANDLE);
  }
  pen.restore();
}

/** A squiggly underline's half-wave, and its line's width, in points. */
function waveOf(thickness: number): { wave: number; width: number } {
  return { wave: Math.max(2, 2 * thickness), width: Math.max(1, thickness / 2) };
}

/** One period of a squiggly line, drawn once at a scale and colour and filled along each underlined line after. */
const waveTiles = new Map<string, OffscreenCanvas>();

/**
 * Squiggly underlines filled with a tile of one wave rather than stroked as zigzags: a line across a page is ~120
 * segments, and WebKit's rasteriser took 20 ms to stroke 75 such lines where the fill takes 2. `false` where there is
 * no canvas to draw a tile on (the zigzag is then stroked).
 */
function paintWaves(pen: Pen, boxes: readonly Box[], colour: string, thickness: number, pixelsPerPoint: number): boolean {
  const tile = waveTile(colour, thickness, pixelsPerPoint);
  const pattern = tile === null ? null : pen.createPattern(tile, "repeat-x");
  if (pattern === null || pattern === undefined || typeof DOMMatrix === "undefined") return false;
  const { wave, width } = waveOf(thickness);
  const height = wave / 2 + width;
  pen.fillStyle = pattern;
  for (const box of boxes) {
    const top = box.bottom - height + width / 2;
    // One pixel of the tile on one pixel of the canvas, the wave starting at the line's left.
    pattern.setTransform(new DOMMatrix([1 / pixelsPerPoint, 0, 0, 1 / pixelsPerPoint, box.left, top]));
    pen.fillRect(box.left, top, box.right - box.left, height);
  }
  return true;
}

function waveTile(colour: string, thickness: number, pixelsPerPoint: number): OffscreenCanvas | null {
  if (typeof OffscreenCanvas === "undefined") return null;
  const key = `${colour} ${thickness} ${pixelsPerPoint}`;
  let tile = waveTiles.get(key);
  if (tile !== undefined) return tile;
  const { wave, width } = waveOf(thickness);
  const [period, line] = [2 * wave * pixelsPerPoint, width * pixelsPerPoint];
  const height = (wave / 2) * pixelsPerPoint + line;
  tile = new OffscreenCanvas(Math.max(1, Math.round(period)), Math.max(1, Math.ceil(height)));
  const pen = tile.getContext("2d");
  if (pen === null) return null;
  // The zigzag from half a period before the tile to half after it, so its ends meet the next tile's.
  const [low, high] = [height - line / 2, line / 2];
  pen.scale(tile.width / period, 1);
  pen.strokeStyle = colour;
  pen.lineWidth = line;
  pen.lineJoin = "bevel";
  pen.beginPath();
  pen.moveTo(-period / 2, high);
  pen.lineTo(0, low);
  pen.lineTo(period / 2, high);
  pen.lineTo(period, low);
  pen.lineTo((3 * period) / 2, high);
  pen.stroke();
  if (waveTiles.size > 64) waveTiles.clear();
  waveTiles.set(key, tile);
  return tile;
}

/** A squiggly underline below `box`: a zigzag of half-waves about as long as the line is thick. */
export function squigglyPoints(box: Box, thickness: number): Point[] {
  const { wave } = waveOf(thickness);
  const y = box.bottom;
  const points = [{ x: box.left, y }];
  for (let x = box.left, up = true; x < box.right; x += wave, up = !up) {
    points.push({ x: Math.min(x + wave, box.right), y: up ? y - wave / 2 : y });
  }
  return points;
}

/** An arrow's head at the far end of the line from `from` to `to`: two short strokes back along it, as one polyline. */
export function arrowHeadPoints(from: Point, to: Point, thickness: number): Point[] {
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  const length = Math.max(8, 4 * thickness);
  const side = (turn: number) => ({ x: to.x - length * Math.cos(angle + turn), y: to.y - length * Math.sin(angle + turn) });
  return [side(Math.PI / 7), to, side(-Math.PI / 7)];
}

/** Lines of `text` no wider than `width` (as `measure` says), broken at spaces and at the text's own line breaks. */
export function wrapWords(text: string, width: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      const longer = line === "" ? word : `${line} ${word}`;
      if (line !== "" && measure(longer) > width) {
        lines.push(line);
        line = word;
      } else line = longer;
    }
    lines.push(line);
  }
  return lines;
}

function polyline(pen: Pen, points: readonly Point[]) {
  points.forEach((p, index) => (index === 0 ? pen.moveTo(p.x, p.y) : pen.lineTo(p.x, p.y)));
}

function union(boxes: readonly Box[]): Box {
  return {
    left: Math.min(...boxes.map((box) => box.left)),
    top: Math.min(...boxes.map((box) => box.top)),
    right: Math.max(...boxes.map((box) => box.right)),
    bottom: Math.max(...boxes.map((box) => box.bottom)),
  };
}

function grow(box: Box, by: number): Box {
  return { left: box.left - by, top: box.top - by, right: box.right + by, bottom: box.bottom + by };
}
