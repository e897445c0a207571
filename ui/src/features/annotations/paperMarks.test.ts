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
