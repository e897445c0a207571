// A replaced paper's changes and the member's marks waiting for review, as the open reader holds them, with the change
// the member stepped to. Steps go to the change's page through `goTo`.

import { annotationsNeedingReview, paperChanges, resolveAnnotationReview } from "../../../lib/ipc/commands";
import type { AnnotationReviewView, PaperAmendmentView, ReviewChoice } from "../../../lib/ipc/types";
import { changePage, stepChange } from "./changes";

export class PaperChanges {
  amendment = $state.raw<PaperAmendmentView | null>(null);
  reviews = $state.raw<AnnotationReviewView[]>([]);
  /** The change stepped to, -1 before the first step. */
  current = $state(-1);

  readonly #paperId: string;
  readonly #goTo: (page: number) => void;

  constructor(paperId: string, goTo: (page: number) => void) {
    this.#paperId = paperId;
    this.#goTo = goTo;
  }

  get count(): number {
    return this.amendment?.changes.length ?? 0;
  }

  /** Whether there is anything to show: changes to step through, or marks to place. */
  get any(): boolean {
    return this.count > 0 || this.reviews.length > 0;
  }

  /**
   * Asks the core what changed, and again every `retryMs` while the new version is still being read on this device
   * (for at most `retries` more times), until `dispose`.
   */
  async load(retries = 30, retryMs = 2000): Promise<void> {
    await this.#ask();
    if (this.amendment?.unavailable === "not_read_yet" && retries > 0 && !this.#disposed) {
      await new Promise((resolve) => {
        this.#timer = setTimeout(resolve, retryMs);
      });
      if (!this.#disposed) await this.load(retries - 1, retryMs);
    }
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
  }

  #disposed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  async #ask(): Promise<void> {
    const [amendment, reviews] = await Promise.all([
      paperChanges(this.#paperId),
      annotationsNeedingReview(this.#paperId).catch((error: unknown) => {
        console.error("listing the marks that need review", error);
        return [];
      }),
    ]);
    this.amendment = amendment;
    this.reviews = reviews;
  }

  step(by: 1 | -1): void {
    this.select(stepChange(this.current, this.count, by));
  }

  select(index: number): void {
    const change = this.amendment?.changes[index];
    if (change === undefined) return;
    this.current = index;
    this.#goTo(changePage(change));
  }

  async resolve(annotationId: string, choice: ReviewChoice): Promise<void> {
    await resolveAnnotationReview(annotationId, choice);
    this.reviews = await annotationsNeedingReview(this.#paperId);
  }
}
