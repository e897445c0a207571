import { describe, expect, it } from "vitest";
import type { AnnotationView } from "../../lib/ipc/types";
import { PaperMarks, type MarkCommands } from "./paperMarks.svelte";

/** A list answer the test releases when it likes. */
function deferred<T>() {
  let release!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (release = resolve));
  return { promise, release };
}

function mark(id: string): AnnotationView {
  return { id } as AnnotationView;
}

describe("the paper's marks as sync brings them", () => {
  it("keeps the newest answer when an older, slower load answers last", async () => {
    const [older, newer] = [deferred<AnnotationView[]>(), deferred<AnnotationView[]>()];
    let asked = 0;
    const commands: MarkCommands = {
      list: () => (asked++ === 0 ? older : newer).promise,
      inFile: async () => [],
      save: async () => mark("x"),
      remove: async () => null,
    };
    const marks = new PaperMarks("p", commands, () => ({ width: 600, height: 800 }) as never);
    const first = marks.load();
    const second = marks.load();
    newer.release([mark("a"), mark("b")]);
    await second;
    older.release([mark("a")]);
    await first;
    expect(marks.marks.map((m) => m.id)).toEqual(["a", "b"]);
  });

  it("shows each answer that is newer than the one shown, without waiting for the loads to stop", async () => {
    const [first, second] = [deferred<AnnotationView[]>(), deferred<AnnotationView[]>()];
    let asked = 0;
    const commands: MarkCommands = {
      list: () => (asked++ === 0 ? first : second).promise,
      inFile: async () => [],
      save: async () => mark("x"),
      remove: async () => null,
    };
    const marks = new PaperMarks("p", commands, () => ({ width: 600, height: 800 }) as never);
    const one = marks.load();
    const two = marks.load();
    first.release([mark("a")]);
    await one;
    expect(marks.marks.map((m) => m.id), "the first answer shows while the second is still out").toEqual(["a"]);
    second.release([mark("a"), mark("b")]);
    await two;
    expect(marks.marks.map((m) => m.id)).toEqual(["a", "b"]);
  });
});

describe("a reload of the paper's marks", () => {
  const onPage = (id: string, page: number, body = ""): AnnotationView =>
    ({ id, own: true, body, placement: { at: "mark", page, char_index: 3, dx: 1, dy: 2 } }) as AnnotationView;

  it("keeps the marks that read the same as the objects drawn, so a page's layer redraws only what changed", async () => {
    let answer = [onPage("a", 0), onPage("b", 0), onPage("c", 1)];
    const commands: MarkCommands = {
      list: async () => structuredClone(answer),
      inFile: async () => [],
      save: async () => mark("x"),
      remove: async () => null,
    };
    const marks = new PaperMarks("p", commands, () => ({ width: 600, height: 800 }) as never);
    await marks.load();
    const [first, second] = [marks.onPage(0), marks.onPage(1)];
    answer = [onPage("a", 0), onPage("b", 0, "changed"), onPage("c", 1), onPage("d", 1)];
    await marks.load();
    expect(marks.onPage(0)[0], "an unchanged mark is the same object after the reload").toBe(first[0]);
    expect(marks.onPage(0)[1], "a changed mark is the new answer").not.toBe(first[1]);
    expect(marks.onPage(0)[1]?.body).toBe("changed");
    expect(marks.onPage(1).map((m) => m.id), "a page's new mark is drawn").toEqual(["c", "d"]);
    expect(marks.onPage(1)[0], "and the page's other marks stay as drawn").toBe(second[0]);
    answer = [onPage("a", 0), onPage("b", 0, "changed"), onPage("c", 1), onPage("d", 1), onPage("e", 2)];
    const unchanged = marks.onPage(1);
    await marks.load();
    expect(marks.onPage(1), "a page whose marks did not change keeps its list, so its layer draws nothing").toBe(unchanged);
  });
});
