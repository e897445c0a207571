// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { PageTextView } from "../../lib/ipc/types";
import { drawn, editOf, markBounds, markOrigin, placeOf, resized, selectedPlace, textRects, type PageGeometry } from "./marks";
import { squigglyPoints } from "./paint";
import { annotationCommand } from "./keys";
import { markView as mark } from "./testMark";

/** "Điều 1. Thu" across the top of an A4 page, each character 0.02 of the page wide from 0.1. */
const text: PageTextView = {
  page: 0,
  text: "Điều 1. Thu",
  boxes: Array.from("Điều 1. Thu").flatMap((_, i) => [0.1 + 0.02 * i, 0.1, 0.115 + 0.02 * i, 0.12]),
};
const a4: PageGeometry = { widthPt: 600, heightPt: 800, text };


describe("where marks are drawn", () => {
  it("puts a mark at its word's corner plus its offset, and a mark on a scan at the page's corner plus its offset", () => {
    const onWord = mark({ placement: { at: "mark", page: 0, char_index: 8, dx: 5, dy: -10 } });
    expect(markOrigin(onWord, a4)).toEqual({ x: (0.1 + 0.16) * 600 + 5, y: 0.1 * 800 - 10 });
    const onScan = mark({ placement: { at: "mark", page: 0, dx: 40, dy: 50 } });
    expect(markOrigin(onScan, { ...a4, text: null })).toEqual({ x: 40, y: 50 });
    expect(markOrigin(onWord, { ...a4, text: null }), "no place before the page's text is in").toBeNull();
  });

  it("covers a text mark's characters on its page only, in points", () => {
    const highlight = mark({
      kind: { type: "highlight" },
      placement: { at: "text", ranges: [{ page: 0, start: 0, end: 4 }, { page: 1, start: 0, end: 3 }] },
    });
    const [box] = textRects(highlight, 0, a4);
    expect(box?.left).toBeCloseTo(60);
    expect(box?.right).toBeCloseTo((0.115 + 0.06) * 600);
    expect(textRects(highlight, 2, a4), "nothing on a page it does not touch").toEqual([]);
  });

  it("draws a squiggle that stays within the words it marks", () => {
    const xs = squigglyPoints({ left: 10, top: 0, right: 30, bottom: 12 }, 2).map((p) => p.x);
    expect(Math.min(...xs)).toBe(10);
    expect(Math.max(...xs)).toBe(30);
  });
});

describe("what the tools make", () => {
  it("makes a rectangle from a drag in any direction, and a default one from a click", () => {
    expect(drawn("rectangle", { x: 100, y: 100 }, { x: 40, y: 160 })).toEqual({
      kind: { type: "rectangle", width: 60, height: 60 },
      origin: { x: 40, y: 100 },
    });
    expect(drawn("ellipse", { x: 10, y: 10 }, { x: 11, y: 11 }).kind).toEqual({ type: "ellipse", width: 60, height: 60 });
  });

  it("keeps an ink stroke's points and pressure, measured from where the pen went down", () => {
    const made = drawn("ink", { x: 10, y: 20 }, { x: 30, y: 25 }, [
      { x: 10, y: 20, pressure: 0.3 },
      { x: 30, y: 25, pressure: 0.7 },
    ]);
    expect(made).toEqual({
      kind: { type: "ink", strokes: [[{ x: 0, y: 0, pressure: 0.3 }, { x: 20, y: 5, pressure: 0.7 }]] },
      origin: { x: 10, y: 20 },
    });
  });

  it("points an arrow where it was dragged, and resizes shapes by their corner", () => {
    expect(drawn("arrow", { x: 10, y: 10 }, { x: 50, y: 40 }).kind).toEqual({ type: "arrow", dx: 40, dy: 30 });
    expect(resized({ type: "rectangle", width: 10, height: 10 }, { x: 0, y: 0 }, { x: 30, y: 20 })).toEqual({
      type: "rectangle",
      width: 30,
      height: 20,
    });
    expect(markBounds({ type: "line", dx: -10, dy: 5 }, { x: 20, y: 20 })).toEqual({ left: 10, top: 20, right: 20, bottom: 25 });
  });

  it("orders a selection made backwards, and ignores an empty one", () => {
    expect(selectedPlace({ page: 1, index: 4 }, { page: 0, index: 9 })).toEqual({ at: "text", page: 0, start: 9, end_page: 1, end: 4 });
    expect(selectedPlace({ page: 0, index: 3 }, { page: 0, index: 3 })).toBeNull();
  });

  it("brings a mark back where it stood, and edits keep the anchor unless moved", () => {
    const note = mark({ placement: { at: "mark", page: 0, char_index: 0, dx: 1, dy: 2 } });
    expect(placeOf(note, a4)).toEqual({ at: "point", page: 0, x: 61, y: 82 });
    expect(editOf(note, { body: "x" }).at).toBeUndefined();
  });
});

describe("the marks' keys", () => {
  const key = (k: string, init: Partial<KeyboardEvent> = {}) =>
    annotationCommand({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, target: null, ...init }, false);

  it("picks tools by letter, undoes with Ctrl+Z and redoes with Ctrl+Y or Ctrl+Shift+Z", () => {
    expect(key("h")).toEqual({ tool: "highlight" });
    expect(key("P")).toEqual({ tool: "ink" });
    expect(key("z", { ctrlKey: true })).toBe("undo");
    expect(key("Z", { ctrlKey: true, shiftKey: true })).toBe("redo");
    expect(key("y", { metaKey: true })).toBe("redo");
    expect(key("f"), "F stays the reader's full screen").toBeNull();
    expect(key("Escape"), "Esc closes the paper when no mark is selected").toBeNull();
  });
});
