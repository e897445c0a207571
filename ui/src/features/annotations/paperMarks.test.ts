import { describe, expect, it } from "vitest";
import type { AnnotationChanges, AnnotationView } from "../../lib/ipc/types";
import { PaperMarks, type MarkCommands } from "./paperMarks.svelte";

/** An answer the test releases when it likes. */
function deferred<T>() {
  let release!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (release = resolve));
  return { promise, release };
}

const onPage = (id: string, page: number, body = ""): AnnotationView =>
  ({ id, own: true, body, placement: { at: "mark", page, char_index: 3, dx: 1, dy: 2 } }) as AnnotationView;

/** A core whose marks the test changes, answering what changed since a cursor as the real one does. */
class FakeCore {
  marks = new Map<string, AnnotationView>();
  /** Each change: the cursor after it and the mark's id. */
  log: [number, string][] = [];
  asked: (number | null)[] = [];

  put(mark: AnnotationView) {
    this.marks.set(mark.id, mark);
    this.log.push([this.log.length + 1, mark.id]);
  }

  drop(id: string) {
    this.marks.delete(id);
    this.log.push([this.log.length + 1, id]);
  }

  async changes(since: number | null): Promise<AnnotationChanges> {
    this.asked.push(since);
    const cursor = this.log.length;
    if (since === null) return { cursor, full: true, changed: structuredClone([...this.marks.values()]), removed: [] };
    const ids = [...new Set(this.log.filter(([at]) => at > since).map(([, id]) => id))];
    return {
      cursor,
      full: false,
      changed: structuredClone(ids.flatMap((id) => this.marks.get(id) ?? [])),
      removed: ids.filter((id) => !this.marks.has(id)),
    };
  }

  commands(): MarkCommands {
    return {
      changes: (_, since) => this.changes(since),
      inFile: async () => [],
      save: async () => onPage("x", 0),
      remove: async () => null,
    };
  }
}

const geometry = () => ({ width: 600, height: 800 }) as never;

describe("the paper's marks as sync brings them", () => {
  it("asks only for what changed since its last answer, and applies it in place", async () => {
    const core = new FakeCore();
    ["a", "b", "c"].forEach((id, page) => core.put(onPage(id, page)));
    const marks = new PaperMarks("p", core.commands(), geometry);
    await marks.load();
    core.put(onPage("b", 1, "changed"));
    core.put(onPage("d", 0));
    core.drop("a");
    await marks.load();
    expect(core.asked, "the first load asks for everything, the next from where it stopped").toEqual([null, 3]);
    expect(marks.marks.map((m) => `${m.id}${m.body}`), "a changed mark in its place, a new one last, a deleted one gone").toEqual([
      "bchanged",
      "c",
      "d",
    ]);
  });

  it("never runs two loads at once, and one more after changes that came while one was out", async () => {
    const core = new FakeCore();
    core.put(onPage("a", 0));
    const held = deferred<void>();
    const commands = core.commands();
    let out = 0;
    let most = 0;
    const marks = new PaperMarks(
      "p",
      {
        ...commands,
        changes: async (paperId, since) => {
          most = Math.max(most, ++out);
          if (since === null) await held.promise;
          const answer = await commands.changes(paperId, since);
          out--;
          return answer;
        },
      },
      geometry,
    );
    const first = marks.load();
    core.put(onPage("b", 0));
    const second = marks.load();
    const third = marks.load();
    held.release();
    await Promise.all([first, second, third]);
    expect(most, "one question at a time").toBe(1);
    expect(core.asked, "the changes during the first load are asked for once, after it").toEqual([null, 2]);
    expect(marks.marks.map((m) => m.id)).toEqual(["a", "b"]);
  });
});

describe("a reload of the paper's marks", () => {
  it("keeps the marks that read the same as the objects drawn, so a page's layer redraws only what changed", async () => {
    const core = new FakeCore();
    [onPage("a", 0), onPage("b", 0), onPage("c", 1)].forEach((mark) => core.put(mark));
    const marks = new PaperMarks("p", core.commands(), geometry);
    await marks.load();
    const [first, second] = [marks.onPage(0), marks.onPage(1)];
    core.put(onPage("b", 0, "changed"));
    core.put(onPage("c", 1));
    core.put(onPage("d", 1));
    await marks.load();
    expect(marks.onPage(0)[0], "an unchanged mark is the same object after the reload").toBe(first[0]);
    expect(marks.onPage(0)[1], "a changed mark is the new answer").not.toBe(first[1]);
    expect(marks.onPage(0)[1]?.body).toBe("changed");
    expect(marks.onPage(1).map((m) => m.id), "a page's new mark is drawn").toEqual(["c", "d"]);
    expect(marks.onPage(1)[0], "a mark that changed back to what is drawn stays the object drawn").toBe(second[0]);
    core.put(onPage("e", 2));
    const unchanged = marks.onPage(1);
    await marks.load();
    expect(marks.onPage(1), "a page whose marks did not change keeps its list, so its layer draws nothing").toBe(unchanged);
  });
});

describe("the member's own changes", () => {
  it("undoes a stroke whose save was still out when undo was pressed, not the step before it", async () => {
    const saving = deferred<AnnotationView>();
    const removed: string[] = [];
    const marks = new PaperMarks(
      "p",
      {
        changes: async () => ({ cursor: 0, full: true, changed: [], removed: [] }),
        inFile: async () => [],
        save: () => saving.promise,
        remove: async (id) => {
          removed.push(id);
          return null;
        },
      },
      geometry,
    );
    const stroke = marks.make({ paper_id: "p", kind: { type: "note" }, at: { at: "point", page: 0, x: 1, y: 2 } } as never);
    expect(marks.canUndo, "the Undo button is on while the stroke is being saved").toBe(true);
    const undone = marks.undo();
    saving.release(onPage("stroke", 0));
    await Promise.all([stroke, undone]);
    expect(removed, "the undo waited for the stroke, then took it away").toEqual(["stroke"]);
    expect(marks.marks).toEqual([]);
    expect(marks.canRedo).toBe(true);
  });
});
