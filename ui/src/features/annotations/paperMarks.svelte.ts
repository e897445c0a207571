// The marks of the paper open in the reader: what the layers draw, the tool in hand, the selection, and undo and redo.
// Every change goes to the core at once (it keeps it on the device and syncs it); the list here is what the core
// answered, so what is drawn is what is kept.
import { errorCode } from "../../lib/errors";
import type {
  AnnotationChanges,
  AnnotationInput,
  AnnotationStyle,
  AnnotationView,
  FileAnnotationView,
  IpcErrorCode,
} from "../../lib/ipc/types";
import { editOf, pagesOf, recreated, type PageGeometry, type Tool } from "./marks";

/** What the core is asked to do; tests hand in a fake, the app the real commands. */
export type MarkCommands = {
  /** The paper's marks changed since `since` (a cursor an earlier answer gave; `null`: all of them). */
  changes: (paperId: string, since: number | null) => Promise<AnnotationChanges>;
  inFile: (paperId: string) => Promise<FileAnnotationView[]>;
  save: (input: AnnotationInput) => Promise<AnnotationView>;
  remove: (id: string) => Promise<null>;
};

/** One step undo can take back: the mark before (absent: it was made) and after (absent: it was deleted). */
type Step = { before: AnnotationView | null; after: AnnotationView | null };

export const COLOURS = ["#ffd54f", "#81c784", "#64b5f6", "#f06292", "#d32f2f", "#212121"] as const;
export const THICKNESSES = [1, 2, 4] as const;

export class PaperMarks {
  marks = $state.raw<AnnotationView[]>([]);
  inFile = $state.raw<FileAnnotationView[]>([]);
  tool = $state<Tool>("select");
  style = $state<AnnotationStyle>({ colour: COLOURS[0], thickness: 2 });
  selected = $state<string | null>(null);
  /** Shared layers of others shown; the member's own are always shown. */
  showShared = $state(true);
  /** The last refusal, by code, until the next change. */
  failure = $state<IpcErrorCode | null>(null);
  #undo = $state.raw<Step[]>([]);
  /** Where the marks shown stand in the device's changes: the next load asks only for what changed after it. */
  #cursor: number | null = null;
  /** The load under way, and whether another change came while it was out. */
  #loading: Promise<void> | null = null;
  #again = false;
  /** The member's own saves and deletions so far, so a load that was out while one happened is followed by another. */
  #writes = 0;
  #redo = $state.raw<Step[]>([]);

  readonly paperId: string;
  readonly #commands: MarkCommands;
  /** Where a page's marks stand, to bring a deleted one back where it was. */
  readonly #page: (page: number) => PageGeometry;

  constructor(paperId: string, commands: MarkCommands, page: (page: number) => PageGeometry) {
    this.paperId = paperId;
    this.#commands = commands;
    this.#page = page;
  }

  get canUndo(): boolean {
    // A change still being saved will be a step to undo: Undo is on at once, and waits for it (`#inTurn`).
    return this.#undo.length > 0 || this.#recording > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /**
   * The marks shown, by page, worked out once per change of the marks (not once per layer and per change, over the
   * whole paper). A page whose marks did not change keeps its array, so its layer draws nothing again.
   */
  #byPage = $derived.by(() => {
    const pages = new Map<number, AnnotationView[]>();
    const add = (mark: AnnotationView) => {
      for (const page of pagesOf(mark)) {
        const list = pages.get(page);
        if (list === undefined) pages.set(page, [mark]);
        else list.push(mark);
      }
    };
    // In `shown`'s order (others' marks first, the member's own drawn above them) without sorting the whole paper's.
    if (this.showShared) for (const mark of this.marks) if (!mark.own) add(mark);
    for (const mark of this.marks) if (mark.own) add(mark);
    const before = this.#pagesBefore;
    for (const [page, list] of pages) {
      const was = before.get(page);
      if (was !== undefined && sameItems(was, list)) pages.set(page, was);
    }
    this.#pagesBefore = pages;
    return pages;
  });
  #pagesBefore = new Map<number, AnnotationView[]>();

  /** The marks drawn on `page`, the member's own above others'. */
  onPage(page: number): AnnotationView[] {
    return this.#byPage.get(page) ?? NONE;
  }

  get shown(): AnnotationView[] {
    const visible = this.showShared ? this.marks : this.marks.filter((mark) => mark.own);
    return [...visible].sort((a, b) => Number(a.own) - Number(b.own));
  }

  get selection(): AnnotationView | null {
    return this.marks.find((mark) => mark.id === this.selected) ?? null;
  }

  /**
   * Brings the marks up to date with the device (sync brought some, or the paper just opened): asks the core for what
   * changed since the last answer and applies it, so a new mark from sync costs one mark, not the paper's thousands.
   * One load at a time: changes that come while one is out are fetched by one more load after it, never dropped.
   */
  load(): Promise<void> {
    if (this.#loading !== null) {
      this.#again = true;
      return this.#loading;
    }
    const run = async () => {
      do {
        this.#again = false;
        await this.#fetch();
      } while (this.#again);
    };
    this.#loading = run().finally(() => (this.#loading = null));
    return this.#loading;
  }

  async #fetch(): Promise<void> {
    const writes = this.#writes;
    try {
      const answer = await this.#commands.changes(this.paperId, this.#cursor);
      this.#cursor = answer.cursor;
      this.marks = answer.full ? keptIdentity(this.marks, answer.changed) : applied(this.marks, answer);
    } catch (error) {
      this.failure = errorCode(error);
      return;
    }
    // A save or deletion of the member's own that landed while the answer was out may be older in it than on screen.
    if (this.#writes !== writes) this.#again = true;
  }

  /** The marks other readers left inside the paper's file (read once: the file does not change while it is open). */
  async loadFile(): Promise<void> {
    try {
      this.inFile = await this.#commands.inFile(this.paperId);
    } catch (error) {
      this.failure = errorCode(error);
    }
  }

  // The member's changes (make, edit, remove, undo, redo) run one after another, each once the one before has its
  // answer: an undo pressed while a stroke is still being saved undoes that stroke, not the step before it.
  #changes: Promise<unknown> = Promise.resolve();
  /** The member's changes asked for whose step is not on the undo list yet. */
  #recording = $state(0);

  /** `change`, in turn, as one that records a step to undo. */
  async #recorded<T>(change: () => Promise<T>): Promise<T> {
    this.#recording++;
    try {
      return await this.#inTurn(change);
    } finally {
      this.#recording--;
    }
  }

  #inTurn<T>(change: () => Promise<T>): Promise<T> {
    const done = this.#changes.then(change);
    this.#changes = done.catch(() => {});
    return done;
  }

  /** Makes a mark; it is selected, so its note can be typed at once. */
  make(input: AnnotationInput): Promise<AnnotationView | null> {
    return this.#recorded(async () => {
      const made = await this.#save(input);
      if (made === null) return null;
      this.#record({ before: null, after: made });
      this.selected = made.id;
      return made;
    });
  }

  /** Changes one of the member's own marks. */
  edit(view: AnnotationView, changes: Parameters<typeof editOf>[1]): Promise<AnnotationView | null> {
    return this.#recorded(async () => {
      // The mark as it is now: a change queued behind another of the same mark builds on that one's answer.
      const current = this.marks.find((mark) => mark.id === view.id) ?? view;
      const saved = await this.#save(editOf(current, changes));
      if (saved !== null) this.#record({ before: current, after: saved });
      return saved;
    });
  }

  remove(view: AnnotationView): Promise<boolean> {
    return this.#recorded(async () => {
      if (!(await this.#delete(view.id))) return false;
      this.#record({ before: view, after: null });
      if (this.selected === view.id) this.selected = null;
      return true;
    });
  }

  undo(): Promise<void> {
    return this.#inTurn(async () => {
      const step = this.#undo.at(-1);
      if (step === undefined) return;
      const back = await this.#apply(step.after, step.before);
      if (back === undefined) return;
      this.#undo = this.#undo.slice(0, -1);
      this.#redo = [...this.#redo, { before: step.before === null ? null : back, after: step.after }];
    });
  }

  redo(): Promise<void> {
    return this.#inTurn(async () => {
      const step = this.#redo.at(-1);
      if (step === undefined) return;
      const again = await this.#apply(step.before, step.after);
      if (again === undefined) return;
      this.#redo = this.#redo.slice(0, -1);
      this.#undo = [...this.#undo, { before: step.before, after: step.after === null ? null : again }];
    });
  }

  /**
   * Brings the mark from `from` (as it is now) to `to`: deletes it, brings it back (as a new mark with the same
   * content: a deleted mark's id stays deleted), or saves the other version. The result, or `undefined` on a refusal.
   */
  async #apply(from: AnnotationView | null, to: AnnotationView | null): Promise<AnnotationView | null | undefined> {
    const current = from === null ? null : (this.marks.find((mark) => mark.id === from.id) ?? from);
    if (to === null) {
      if (current === null) return null;
      return (await this.#delete(current.id)) ? null : undefined;
    }
    if (current === null) {
      const input = recreated(to, this.#page(pagesOf(to)[0] ?? 0));
      if (input === null) return undefined;
      const made = await this.#save(input);
      if (made === null) return undefined;
      this.#renamed(to.id, made.id);
      return made;
    }
    const page = this.#page(pagesOf(to)[0] ?? 0);
    const place = recreated(to, page)?.at;
    const saved = await this.#save(editOf(current, { kind: to.kind, style: to.style, body: to.body, sharing: to.sharing, at: place }));
    return saved ?? undefined;
  }

  /** A mark brought back under a new id is the same mark to the steps still to undo or redo. */
  #renamed(from: string, to: string) {
    const rename = (view: AnnotationView | null) => (view?.id === from ? { ...view, id: to } : view);
    const steps = (list: Step[]) => list.map((step) => ({ before: rename(step.before), after: rename(step.after) }));
    this.#undo = steps(this.#undo);
    this.#redo = steps(this.#redo);
  }

  #record(step: Step) {
    this.#undo = [...this.#undo, step];
    this.#redo = [];
  }

  async #save(input: AnnotationInput): Promise<AnnotationView | null> {
    try {
      const saved = await this.#commands.save(input);
      this.#writes++;
      this.failure = null;
      const others = this.marks.filter((mark) => mark.id !== saved.id);
      this.marks = [...others, saved];
      return saved;
    } catch (error) {
      this.failure = errorCode(error);
      return null;
    }
  }

  async #delete(id: string): Promise<boolean> {
    try {
      await this.#commands.remove(id);
      this.#writes++;
      this.failure = null;
      this.marks = this.marks.filter((mark) => mark.id !== id);
      return true;
    } catch (error) {
      this.failure = errorCode(error);
      return false;
    }
  }
}

const NONE: AnnotationView[] = [];

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** The marks shown with a load's changes applied: a changed mark in its place, a new one last, a removed one gone. */
export function applied(before: readonly AnnotationView[], changes: Pick<AnnotationChanges, "changed" | "removed">): AnnotationView[] {
  if (changes.changed.length === 0 && changes.removed.length === 0) return before as AnnotationView[];
  const removed = new Set(changes.removed);
  const held = new Map(before.map((mark) => [mark.id, mark]));
  const fresh = new Map(
    changes.changed.map((mark) => {
      const was = held.get(mark.id);
      return [mark.id, was !== undefined && sameValue(was, mark) ? was : mark];
    }),
  );
  const after = before.filter((mark) => !removed.has(mark.id)).map((mark) => fresh.get(mark.id) ?? mark);
  for (const [id, mark] of fresh) if (!held.has(id)) after.push(mark);
  return after;
}

/**
 * The answer of a load, each mark that reads the same as before kept as the object already drawn: a layer's keyed list
 * then updates only the marks that changed (a reload after one new mark from sync draws one mark, not the page's 500).
 */
export function keptIdentity(before: readonly AnnotationView[], after: AnnotationView[]): AnnotationView[] {
  if (before.length === 0) return after;
  const held = new Map(before.map((mark) => [mark.id, mark]));
  return after.map((mark) => {
    const was = held.get(mark.id);
    return was !== undefined && sameValue(was, mark) ? was : mark;
  });
}

/** Deep equality of two values as IPC answers them (plain objects, arrays and primitives). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  if (Array.isArray(b)) return false;
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((key) => key in y && sameValue(x[key], y[key]));
}
