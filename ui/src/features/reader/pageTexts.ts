// The text of an open paper's pages, fetched once per page when a page is first shown and kept while the reader is
// open (text is small next to pixels), with the lines of its text layer worked out once.
import type { PageTextView } from "../../lib/ipc/types";
import { unitWidth } from "./measure";
import { groupLines, type TextLine } from "./text";

/** A text-layer line and its width at a font size of 1 px, to stretch it to the line's width on the page. */
export type LayerLine = TextLine & { unitWidth: number };

export class PageTexts {
  private readonly loaded = new Map<number, PageTextView>();
  private readonly loading = new Map<number, Promise<PageTextView>>();
  private readonly lines = new Map<number, LayerLine[]>();

  constructor(private readonly load: (page: number) => Promise<PageTextView>) {}

  peek(page: number): PageTextView | undefined {
    return this.loaded.get(page);
  }

  get(page: number): Promise<PageTextView> {
    const done = this.loaded.get(page);
    if (done !== undefined) return Promise.resolve(done);
    let pending = this.loading.get(page);
    if (pending === undefined) {
      pending = this.load(page).then(
        (view) => {
          this.loaded.set(page, view);
          this.loading.delete(page);
          return view;
        },
        (error: unknown) => {
          // Not kept: the next time the page is shown asks again.
          this.loading.delete(page);
          throw error;
        },
      );
      this.loading.set(page, pending);
    }
    return pending;
  }

  layerLines(page: number, view: PageTextView): LayerLine[] {
    let lines = this.lines.get(page);
    if (lines === undefined) {
      lines = groupLines(view.text, view.boxes).map((line) => ({ ...line, unitWidth: unitWidth(line.text) }));
      this.lines.set(page, lines);
    }
    return lines;
  }
}
