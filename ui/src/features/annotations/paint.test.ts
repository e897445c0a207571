import { describe, expect, it } from "vitest";
import type { PageTextView } from "../../lib/ipc/types";
import { recordingPen } from "../../lib/testing/canvas";
import type { PageGeometry } from "./marks";
import { handleOf, markAt, paintable, paintMarks, placeMarks, wrapWords } from "./paint";
import { markView as mark } from "./testMark";

/** "Điều 1. Thu" on one line and "Chi" on the next of an A4 page, each character 0.02 of the page wide. */
const text: PageTextView = {
  page: 0,
  text: "Điều 1. Thu\nChi",
  boxes: [
    ...Array.from("Điều 1. Thu").flatMap((_, i) => [0.1 + 0.02 * i, 0.1, 0.115 + 0.02 * i, 0.12]),
    0,
    0,
    0,
    0,
    ...Array.from("Chi").flatMap((_, i) => [0.1 + 0.02 * i, 0.13, 0.115 + 0.02 * i, 0.15]),
  ],
};
const a4: PageGeometry = { widthPt: 600, heightPt: 800, text };


const acrossLines = mark({
  id: "h",
  kind: { type: "highlight" },
  placement: { at: "text", ranges: [{ page: 0, start: 8, end: 15 }] },
});

describe("painting a page's marks", () => {
  it("tints a highlight's words line by line, and another member's a little fainter", () => {
    const own = recordingPen();
    paintMarks(own, placeMarks([acrossLines], 0, a4).map(paintable), 1);
    expect(own.record.filter(([call]) => call === "fillRect"), "one box per line the words run over").toHaveLength(2);
    expect(own.record, "tinted, so the words show through").toContainEqual(["globalAlpha", 0.38]);

    const theirs = recordingPen();
    paintMarks(theirs, placeMarks([{ ...acrossLines, own: false }], 0, a4).map(paintable), 1);
    expect(theirs.record).toContainEqual(["globalAlpha", 0.85 * 0.38]);
  });

  it("joins thin ink with bevels and thick ink with rounds, by its width in pixels", () => {
    const stroke = mark({
      kind: { type: "ink", strokes: [[{ x: 0, y: 0 }, { x: 10, y: 5 }, { x: 20, y: 0 }]] },
      placement: { at: "mark", page: 0, dx: 100, dy: 100 },
      style: { colour: "#d32f2f", thickness: 2 },
    });
    const joins = (pixelsPerPoint: number) => {
      const pen = recordingPen();
      paintMarks(pen, placeMarks([stroke], 0, a4).map(paintable), pixelsPerPoint);
      return pen.record.filter(([call]) => call === "lineJoin").map(([, join]) => join);
    };
    expect(joins(1.5).at(-1), "3 pixels wide: a bevel is within half a pixel of a round join").toBe("bevel");
    expect(joins(3).at(-1), "6 pixels wide, zoomed in: the corners would show").toBe("round");
  });

    it("leaves out a mark that has no place yet: its page's text is not in", () => {
    const onWord = mark({ placement: { at: "mark", page: 0, char_index: 3, dx: 0, dy: 0 } });
    expect(placeMarks([acrossLines, onWord], 0, { ...a4, text: null })).toEqual([]);
    expect(placeMarks([acrossLines, onWord], 0, a4)).toHaveLength(2);
  });

  it("wraps free text at spaces and at its own line breaks", () => {
    const fiveEach = (words: string) => words.length * 5;
    expect(wrapWords("Đề nghị làm rõ\nnguồn vốn", 50, fiveEach)).toEqual(["Đề nghị", "làm rõ", "nguồn vốn"]);
    expect(wrapWords("", 50, fiveEach), "an empty box has one empty line").toEqual([""]);
  });
});

describe("finding a mark under the pointer", () => {
  const line = mark({ id: "line", kind: { type: "line", dx: 100, dy: 0 }, placement: { at: "mark", page: 0, dx: 100, dy: 300 } });
  const note = mark({ id: "note", placement: { at: "mark", page: 0, dx: 150, dy: 295 } });

  it("picks the mark drawn last where marks overlap, a thin line within a few points, and nothing beside it", () => {
    const placed = placeMarks([line, note], 0, a4);
    expect(markAt(placed, { x: 155, y: 300 })?.mark.id, "the note is drawn over the line").toBe("note");
    expect(markAt(placed, { x: 120, y: 303 })?.mark.id, "3 points off a line still picks it").toBe("line");
    expect(markAt(placed, { x: 120, y: 310 }), "10 points off picks nothing").toBeNull();
  });

  it("picks a text mark by its words only, not by the box around its lines", () => {
    const placed = placeMarks([acrossLines], 0, a4);
    expect(markAt(placed, { x: 0.1 * 600 + 1, y: 0.14 * 800 })?.mark.id, "on 'Chi'").toBe("h");
    expect(markAt(placed, { x: 0.3 * 600, y: 0.14 * 800 }), "right of 'Chi', under 'Thu'").toBeNull();
  });

  it("gives a handle to one's own shapes, and none to a note or to another member's shape", () => {
    const [ownLine, ownNote, theirLine] = placeMarks([line, note, { ...line, id: "theirs", own: false }], 0, a4);
    expect(handleOf(ownLine!), "at the line's far corner").toEqual({ left: 195, top: 295, right: 205, bottom: 305 });
    expect(handleOf(ownNote!)).toBeNull();
    expect(handleOf(theirLine!)).toBeNull();
  });
});
