// Where the pages are on screen: the page being read, the view mode, the zoom, the viewport and its scroll, the layout
// they make, and which pages are on the stage (stage.ts's plan). The reader turns pages and zooms through this; the
// pages themselves (`PageStage`, `PageView`) only draw what it places.
import { flushSync, tick, untrack } from "svelte";
import type { OpenedPaper } from "../../lib/ipc/types";
import {
  anchorAt,
  layOut,
  pageRows,
  pageSize,
  placedPage,
  pointOf,
  renderWidthPx,
  rowInView,
  rowOf,
  scrollTopForRow,
  type Point,
  type Viewport,
  type ViewMode,
} from "./layout";
import { boxOnPage, scrollToShow } from "./find";
import { pagesDrawn, pagesNearView, rowsOnStage, slotsOfLayout, slotsOfRows } from "./stage";
import type { Box } from "./text";
import { afterNextPaint } from "./turns";
import { fitExtent, fitRowExtent, scrollKeeping, stepZoom, zoomScale, type Zoom } from "./zoom";

/** How long a zoom or resize must rest before pages are rendered again at the new size. */
const SETTLE_MS = 250;

export class ReaderView {
  page = $state(0);
  /** The same, outside reactivity: a teardown reads the value state had before the change that is tearing it down. */
  latestPage = 0;
  mode = $state<ViewMode>("continuous");
  zoom = $state<Zoom>({ kind: "fit-width" });
  viewport = $state<Viewport>({ width: 1024, height: 768 });
  scrollTop = $state(0);
  dpr = $state(window.devicePixelRatio || 1);
  /** The scrolling element the pages are in. */
  scroller = $state<HTMLElement | null>(null);

  readonly #paper: () => OpenedPaper | null;

  readonly count = $derived.by(() => this.#paper()?.page_count ?? 0);
  readonly sizes = $derived.by(() => this.#paper()?.pages ?? []);
  readonly rows = $derived(pageRows(this.count, this.mode));
  readonly currentRow = $derived(rowOf(this.page, this.mode));
  readonly scale = $derived(zoomScale(this.zoom, fitExtent(this.sizes, this.count, this.mode, this.page), this.viewport));
  // While a zoom or resize is under way pages keep their last render, shown scaled, and render once it rests.
  #heldScale = $state<number | null>(null);
  #settleTimer: ReturnType<typeof setTimeout> | undefined;
  readonly renderScale = $derived(this.#heldScale ?? this.scale);
  readonly layout = $derived(
    layOut(this.sizes, this.mode === "continuous" ? this.rows : [this.rows[this.currentRow] ?? []], this.scale, this.viewport),
  );
  readonly canPanX = $derived(this.layout.width > this.viewport.width + 1);
  // Where the reader has come to rest: the row and scroll position that decide which pages are mounted. It follows
  // the page on screen once the frame showing it has been painted, so a turn to a page already mounted and drawn
  // changes nothing else in that frame; mounting the pages around it (canvas, text layer) comes in the next ones.
  #settled = $state({ row: 0, scrollTop: 0 });
  // Which pages are on the stage (see stage.ts): in single and spread views the rows either side of the current one
  // stay mounted, drawn and hidden ("offstage"), so turning to them only shows them.
  readonly #stagedRows = $derived(this.mode === "continuous" ? [] : rowsOnStage(this.#settled.row, this.currentRow, this.rows.length));
  /** Every page with a place on the stage: all of them in continuous view (most without a canvas), the staged rows otherwise. */
  readonly slots = $derived(
    this.mode === "continuous"
      ? slotsOfLayout(this.layout)
      : slotsOfRows(this.#stagedRows, this.currentRow, (row) =>
          row === this.currentRow ? this.layout : layOut(this.sizes, [this.rows[row] ?? []], this.scaleOfRow(row), this.viewport),
        ),
  );
  #lastActive: ReadonlySet<number> = new Set<number>();
  /** The pages that get a canvas and a text layer. */
  readonly active = $derived.by(() => {
    const near =
      this.mode === "continuous"
        ? pagesNearView(this.layout, this.#settled, this.viewport.height)
        : new Set(this.slots.map((slot) => slot.page));
    return (this.#lastActive = pagesDrawn(this.#lastActive, near, this.rows[this.currentRow] ?? []));
  });
  readonly currentRowPages = $derived(this.rows[this.currentRow] ?? [this.page]);
  /** The page box names the row's first (left) page, the one a spread is known by. */
  readonly boxPage = $derived(this.currentRowPages[0] ?? this.page);

  // Where a programmatic scroll was sent and for which page, so the scroll event it causes keeps that page current
  // even when the next page also fits on screen (or the end of the paper stops the scroll short).
  #scrollTarget: { top: number; page: number } | null = null;

  /** Made while the reader starts: it follows the viewport's size and where the reader comes to rest. */
  constructor(paper: () => OpenedPaper | null) {
    this.#paper = paper;
    $effect(() => {
      const next = { row: this.currentRow, scrollTop: this.scrollTop };
      return afterNextPaint(() => (this.#settled = next));
    });
    // Viewport size (window resize, sidebar, full screen) and pixel density.
    $effect(() => {
      const element = this.scroller;
      if (element === null) return;
      const measure = (settle: boolean) => {
        this.dpr = window.devicePixelRatio || 1;
        const width = element.clientWidth;
        const height = element.clientHeight;
        if (width <= 0 || height <= 0 || (width === this.viewport.width && height === this.viewport.height)) return;
        if (!settle) {
          this.viewport = { width, height };
          return;
        }
        this.keepInPlace(() => (this.viewport = { width, height }), { x: this.viewport.width / 2, y: 0 });
      };
      untrack(() => measure(false));
      if (typeof ResizeObserver === "undefined") return;
      const observer = new ResizeObserver(() => measure(true));
      observer.observe(element);
      return () => observer.disconnect();
    });
  }

  /** The reader is closing. */
  dispose(): void {
    clearTimeout(this.#settleTimer);
  }

  setPage(next: number): void {
    this.page = next;
    this.latestPage = next;
  }

  /** Device pixels across for a page at the scale its row is shown at. */
  widthFor = (target: number): number => {
    const row = rowOf(target, this.mode);
    const sameScale = this.mode === "continuous" || this.zoom.kind === "free" || row === this.currentRow;
    return renderWidthPx(pageSize(this.sizes, target).width_pt * (sameScale ? this.renderScale : this.scaleOfRow(row)), this.dpr);
  };

  /** The scale a row of single or spread view is shown at when it is turned to (each row is fitted on its own). */
  scaleOfRow(row: number): number {
    return zoomScale(this.zoom, fitRowExtent(this.sizes, this.rows[row] ?? [], this.mode), this.viewport);
  }

  setMode(next: ViewMode): void {
    if (next === this.mode) return;
    this.mode = next;
    void tick().then(() => this.revealPage(this.page));
  }

  // Zoom. The point under the pointer (or the centre) stays where it is on screen.

  zoomTo(next: Zoom, focus?: Point): void {
    this.keepInPlace(() => (this.zoom = next), focus ?? { x: this.viewport.width / 2, y: this.viewport.height / 2 });
  }

  /** The − and + buttons and keys: the next round percentage. */
  zoomStep(direction: 1 | -1): void {
    this.zoomTo({ kind: "free", scale: stepZoom(this.scale, direction) });
  }

  #holdRenders(): void {
    if (this.#heldScale === null) this.#heldScale = this.renderScale;
    clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => (this.#heldScale = null), SETTLE_MS);
  }

  /** Runs a change of layout, then scrolls so the paper's point that was at `focus` (viewport pixels) is there again. */
  keepInPlace(change: () => void, focus: Point): void {
    const element = this.scroller;
    const anchor = element === null ? null : anchorAt(this.layout, element.scrollLeft + focus.x, element.scrollTop + focus.y);
    this.#holdRenders();
    change();
    if (element === null || anchor === null) return;
    flushSync();
    const point = pointOf(this.layout, anchor);
    if (point === null) return;
    const { top, left } = scrollKeeping(point, focus);
    this.#scrollTarget = this.mode === "continuous" ? { top, page: this.page } : null;
    this.setScroll(top, left);
  }

  // Scrolling.

  /** The viewport scrolled (by the member, or by `setScroll`): in continuous view the page mostly in view is current. */
  onscroll = (): void => {
    const element = this.scroller;
    if (element === null) return;
    this.scrollTop = element.scrollTop;
    if (this.mode !== "continuous") return;
    if (this.#scrollTarget !== null) {
      const reachable = Math.min(this.#scrollTarget.top, Math.max(element.scrollHeight - element.clientHeight, 0));
      if (Math.abs(element.scrollTop - reachable) <= 2) return;
      this.#scrollTarget = null;
    }
    const row = this.layout.rows[rowInView(this.layout, element.scrollTop, this.viewport.height)];
    const first = row?.pages[0]?.page;
    if (first !== undefined && first !== this.page) this.setPage(first);
  };

  /**
   * Scrolls the viewport. Its position is never read back and is left alone where it already is: either would make
   * the engine lay the page out in the middle of a turn, and again for the frame.
   */
  setScroll(top: number, left?: number): void {
    const element = this.scroller;
    if (element === null) return;
    const reachable = Math.max(0, Math.min(top, this.layout.height - this.viewport.height));
    if (reachable !== this.scrollTop) element.scrollTop = reachable;
    if (left !== undefined) element.scrollLeft = left;
    this.scrollTop = reachable;
  }

  /** Brings a page into view: scrolls to it in continuous mode; the other modes show its row from the top. */
  revealPage(target: number): void {
    if (this.mode === "continuous") {
      const top = scrollTopForRow(this.layout, rowOf(target, this.mode));
      this.#scrollTarget = { top, page: target };
      this.setScroll(top);
    } else {
      this.#scrollTarget = null;
      this.setScroll(0);
    }
  }

  /** Scrolls a rectangle of a page (a find hit) into view, unless it is in view already. */
  revealRect(target: number, rect: Box): void {
    const placed = placedPage(this.layout, target);
    const element = this.scroller;
    if (placed === undefined || element === null) return;
    const visible = { top: element.scrollTop, left: element.scrollLeft, width: this.viewport.width, height: this.viewport.height };
    const { top, left } = scrollToShow(boxOnPage(placed, rect), visible);
    if (this.mode === "continuous") this.#scrollTarget = { top, page: target };
    this.setScroll(top, left);
  }
}
