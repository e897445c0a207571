// A page's marks as buttons that are not drawn (the canvas shows the marks): what the keyboard and a screen reader go
// through, in reading order, with one tab stop per page. Built by hand rather than with a keyed `{#each}`: Svelte gave
// each of a page's 500 buttons its own effects (an attribute each), and making them took the window ~15 ms when a
// page with 500 marks came into view; this makes them in ~5 and, on a change, touches only the buttons that changed.
// The layer has them made once the window is idle (`showSoon`), after it has handed the marks to their painter: what
// the eye sees first is not held up by what only the keyboard and a screen reader use.
import type { AnnotationView } from "../../lib/ipc/types";
import { afterNextPaint } from "../reader/turns";

type Shown = { button: HTMLElement; mark: AnnotationView; label: string };

export class MarkButtons {
  readonly #shown = new Map<string, Shown>();
  #tabStop: string | null = null;
  #pressed: string | null = null;
  #cancel: (() => void) | null = null;

  constructor(private readonly list: HTMLElement) {}

  /** `show`, once the window is idle (a later call replaces one not yet done); `shown` is told how long it took. */
  showSoon(marks: readonly AnnotationView[], label: (mark: AnnotationView) => string, shown: (ms: number) => void = () => {}): void {
    this.#cancel?.();
    this.#cancel = whenIdle(() => {
      this.#cancel = null;
      const start = performance.now();
      this.show(marks, label);
      shown(performance.now() - start);
    });
  }

  /** Drops a `showSoon` not yet done (the layer is going). */
  dispose(): void {
    this.#cancel?.();
    this.#cancel = null;
  }

  /** Shows `marks`, in this order, each named by `label`; a mark that did not change (the same object) is left be. */
  show(marks: readonly AnnotationView[], label: (mark: AnnotationView) => string): void {
    const focused = this.list.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null;
    const wanted = new Set<string>();
    const buttons: HTMLElement[] = [];
    for (const mark of marks) {
      wanted.add(mark.id);
      let shown = this.#shown.get(mark.id);
      if (shown === undefined) {
        shown = { button: this.#button(mark.id), mark, label: "" };
        this.#shown.set(mark.id, shown);
        describe(shown.button, mark);
      } else if (shown.mark !== mark) {
        shown.mark = mark;
        describe(shown.button, mark);
      }
      const name = label(mark);
      if (name !== shown.label) {
        shown.label = name;
        shown.button.setAttribute("aria-label", name);
      }
      buttons.push(shown.button);
    }
    for (const [id, shown] of this.#shown) {
      if (wanted.has(id)) continue;
      shown.button.remove();
      this.#shown.delete(id);
    }
    // In order, moving only the buttons out of place (a mark added moves nothing else).
    buttons.forEach((button, index) => {
      const there = this.list.children[index] ?? null;
      if (there !== button) this.list.insertBefore(button, there);
    });
    // A button moved in the list loses the focus; the keyboard stays on its mark.
    if (focused !== null && focused.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
  }

  /** The page's one button in the tab order, and the selected mark's. */
  mark(tabStop: string | null, pressed: string | null): void {
    const [tabWas, pressedWas] = [this.#tabStop, this.#pressed];
    [this.#tabStop, this.#pressed] = [tabStop, pressed];
    for (const id of new Set([tabWas, pressedWas, tabStop, pressed])) {
      const button = id === null ? undefined : this.#shown.get(id)?.button;
      if (button !== undefined) this.#state(button);
    }
  }

  /** The button of mark `id`, if it is on this page. */
  button(id: string): HTMLElement | null {
    return this.#shown.get(id)?.button ?? null;
  }

  #button(id: string): HTMLElement {
    const button = document.createElement("span");
    button.dataset.testid = "annotation";
    button.dataset.id = id;
    button.setAttribute("role", "button");
    this.#state(button);
    return button;
  }

  /** Whether `button` is the tab stop, and whether it is pressed (its mark selected). */
  #state(button: HTMLElement) {
    const id = button.dataset.id;
    button.tabIndex = id === this.#tabStop ? 0 : -1;
    button.setAttribute("aria-pressed", id === this.#pressed ? "true" : "false");
  }
}

/** What the stories and tests read of a mark from its button. */
function describe(button: HTMLElement, mark: AnnotationView) {
  button.dataset.kind = mark.kind.type;
  button.dataset.own = mark.own ? "true" : "false";
  button.dataset.sync = mark.sync.state;
}

/** Runs `work` when the window is idle, unless cancelled first: where the engine cannot say (WebKit), just after the next
 * frame is painted, so the frame that shows the marks does nothing else. */
function whenIdle(work: () => void): () => void {
  if (typeof requestIdleCallback === "function") {
    const handle = requestIdleCallback(work, { timeout: 200 });
    return () => cancelIdleCallback(handle);
  }
  return afterNextPaint(work);
}
