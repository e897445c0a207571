// Find in the open paper (Ctrl+F): the bar's words, the hits the core found for them and which one is current. The
// reader owns where pages are; it is asked to turn to a hit's page and to scroll a hit's rectangle into view.
import { untrack } from "svelte";
import { errorCode } from "../../lib/errors";
import { findInPaper } from "../../lib/ipc/commands";
import type { FindHitView, IpcErrorCode, OpenedPaper } from "../../lib/ipc/types";
import { firstHitFrom, hitsByPage, stepHit } from "./find";
import type { PageTexts } from "./pageTexts";
import { hitRects, type Box } from "./text";

export const FIND_AS_YOU_TYPE_MS = 300;

export type FindHost = {
  paper: () => OpenedPaper | null;
  /** The page on screen: a search goes on from there. */
  page: () => number;
  texts: () => PageTexts | null;
  goTo: (page: number) => void;
  /** Brings a rectangle of a page (fractions of its size) into view. */
  reveal: (page: number, rect: Box) => void;
};

export class PaperFind {
  open = $state(false);
  /** Take the keyboard when the bar opens (Ctrl+F), not when a search result opened it with its words. */
  takesFocus = $state(true);
  query = $state("");
  hits = $state.raw<FindHitView[]>([]);
  /** The current hit's index in `hits`; -1 when there is none. */
  current = $state(-1);
  /** The query `hits` answer; `null` before any search. */
  foundFor = $state<string | null>(null);
  finding = $state(false);
  failure = $state<IpcErrorCode | null>(null);
  readonly byPage = $derived(hitsByPage(this.hits));

  readonly #host: FindHost;
  #searchedFor: string | null = null;
  #token = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Made while a component starts: it finds as the member types, once typing rests. */
  constructor(host: FindHost) {
    this.#host = host;
    $effect(() => {
      const query = this.query.trim();
      if (!this.open || untrack(() => host.paper()) === null) return;
      if (query === this.#searchedFor) return;
      const timer = setTimeout(() => void this.run(query, untrack(() => host.page())), FIND_AS_YOU_TYPE_MS);
      this.#timer = timer;
      return () => clearTimeout(timer);
    });
  }

  /** Hits the bar counts: `null` before any search. */
  get total(): number | null {
    return this.foundFor === null ? null : this.hits.length;
  }

  /** Opens the bar with a search result's words and finds them, leaving the keyboard on the page. */
  startWith(query: string, fromPage: number): void {
    this.takesFocus = false;
    this.open = true;
    this.query = query;
    void this.run(query, fromPage);
  }

  /** Opens the bar for typing (Ctrl+F, the toolbar). */
  openBar(): void {
    this.takesFocus = true;
    this.open = true;
  }

  close(): void {
    this.open = false;
    this.#token++;
    clearTimeout(this.#timer);
    this.hits = [];
    this.current = -1;
    this.foundFor = null;
    this.#searchedFor = null;
    this.finding = false;
    this.failure = null;
  }

  /** The reader is closing: nothing is searched any more. */
  dispose(): void {
    clearTimeout(this.#timer);
  }

  async run(query: string, fromPage: number): Promise<void> {
    const paper = this.#host.paper();
    const wanted = query.trim();
    const token = ++this.#token;
    clearTimeout(this.#timer);
    this.#searchedFor = wanted;
    this.failure = null;
    if (paper === null || !paper.searchable || wanted === "") {
      this.hits = [];
      this.current = -1;
      this.foundFor = null;
      this.finding = false;
      return;
    }
    this.finding = true;
    try {
      const found = await findInPaper(paper.paper_id, wanted);
      if (token !== this.#token) return;
      this.hits = found;
      this.foundFor = wanted;
      this.current = firstHitFrom(found, fromPage);
      if (this.current >= 0) void this.#show(this.current);
    } catch (error) {
      if (token === this.#token) this.failure = errorCode(error);
    } finally {
      if (token === this.#token) this.finding = false;
    }
  }

  /** Enter and Shift+Enter: the next or previous hit, or a new search if the words changed since the last. */
  step(direction: 1 | -1): void {
    const query = this.query.trim();
    if (query !== this.#searchedFor) {
      void this.run(query, this.#host.page());
      return;
    }
    if (this.finding || this.hits.length === 0) return;
    this.current = stepHit(this.current, direction, this.hits.length);
    void this.#show(this.current);
  }

  /** Goes to a hit and scrolls it into view (its rectangle needs the page's text, fetched if need be). */
  async #show(index: number): Promise<void> {
    const hit = this.hits[index];
    if (hit === undefined) return;
    if (hit.page !== this.#host.page()) this.#host.goTo(hit.page);
    const texts = this.#host.texts();
    if (texts === null) return;
    let view;
    try {
      view = await texts.get(hit.page);
    } catch {
      return;
    }
    if (this.hits[this.current] !== hit) return;
    const rect = hitRects(view.text, view.boxes, hit.start, hit.length)[0];
    if (rect !== undefined) this.#host.reveal(hit.page, rect);
  }
}
