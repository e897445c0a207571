// Following the presenter in the reader, and presenting from it, as plain decisions the reader carries out.
//
// A member following the presenter is turned to each page presented in the paper they read, and sent to the paper
// presented when it is another one. Turning a page themself leaves follow mode (they are reading on their own), until
// they choose to return. Whoever presents sends their page as they turn; a burst of turns sends one page at a time,
// always ending on the last page turned to.
import type { PresentationView } from "../../lib/ipc/types";

export type Follow = {
  following: boolean;
  /** They were following and turned away themselves: the bar offers the way back. */
  left: boolean;
};

/** What the reader does about the presentation. */
export type FollowStep = { kind: "stay" } | { kind: "turn"; page: number } | { kind: "open"; paperId: string; page: number };

export function startFollow(following: boolean): Follow {
  return { following, left: false };
}

/**
 * The reader shows `shown` (the zero-based pages of the current row) of `paperId`, and the sitting presents
 * `presentation`: while following, turn to the page presented or open the paper presented.
 */
export function followStep(follow: Follow, presentation: PresentationView | undefined, paperId: string, shown: readonly number[]): FollowStep {
  if (!follow.following || presentation === undefined) return { kind: "stay" };
  if (presentation.paper_id !== paperId) return { kind: "open", paperId: presentation.paper_id, page: presentation.page };
  return shown.includes(presentation.page) ? { kind: "stay" } : { kind: "turn", page: presentation.page };
}

/**
 * The reader came to show `shown`, by a turn the member made or one made for them. A page away from the one presented
 * in this paper means the member turned: they leave follow mode. (A turn made for them lands on the presented page.)
 */
export function afterTurn(follow: Follow, presentation: PresentationView | undefined, paperId: string, shown: readonly number[]): Follow {
  if (!follow.following || presentation === undefined || presentation.paper_id !== paperId) return follow;
  return shown.includes(presentation.page) ? follow : { following: false, left: true };
}

/** The member asks to follow again (the bar's button, or the key): follow mode, and the step to the presenter. */
export function returnToPresenter(presentation: PresentationView | undefined, paperId: string, shown: readonly number[]): {
  follow: Follow;
  step: FollowStep;
} {
  const follow = startFollow(true);
  return { follow, step: followStep(follow, presentation, paperId, shown) };
}

/**
 * What the presentation is, seen from the paper being read: a page of it, another paper, or nothing presented.
 */
export type Presented = { at: "page"; page: number } | { at: "other_paper" } | { at: "nothing" };

/** What the follow bar says. */
export type FollowBarState = { kind: "hidden" } | { kind: "following" | "left" | "available"; presented: Presented };

/**
 * The bar over the reader: hidden when nothing is presented and the member does not follow, or when they present
 * themself; otherwise whether they follow, and what is presented.
 */
export function followBar(follow: Follow, presentation: PresentationView | undefined, paperId: string, presentingHere: boolean): FollowBarState {
  if (presentingHere) return { kind: "hidden" };
  const presented: Presented =
    presentation === undefined
      ? { at: "nothing" }
      : presentation.paper_id === paperId
        ? { at: "page", page: presentation.page }
        : { at: "other_paper" };
  if (follow.following) return { kind: "following", presented };
  if (presentation === undefined) return { kind: "hidden" };
  return { kind: follow.left ? "left" : "available", presented };
}

/**
 * Sends the presenter's page, one at a time: a page turned to while the last one is on its way is sent after it, and
 * of several such pages only the last, so the sitting ends on the page on screen without a trail of stale ones.
 */
export class PresenterPages {
  readonly #send: (page: number) => Promise<boolean>;
  #sending = false;
  #waiting: number | null = null;
  #sent: number | null = null;

  /** `send` presents a page and says whether it was accepted. */
  constructor(send: (page: number) => Promise<boolean>) {
    this.#send = send;
  }

  /** The presenter is on `page`; resolves when it (or a later page) has been sent. */
  async turnedTo(page: number): Promise<void> {
    if (this.#sending) {
      this.#waiting = page;
      return;
    }
    if (page === this.#sent) return;
    this.#sending = true;
    try {
      let next: number | null = page;
      while (next !== null) {
        const current: number = next;
        this.#waiting = null;
        if (await this.#send(current)) this.#sent = current;
        else this.#waiting = null;
        next = this.#waiting !== null && this.#waiting !== this.#sent ? this.#waiting : null;
      }
    } finally {
      this.#sending = false;
    }
  }

  /** Presenting stopped: the next page turned to is sent whatever was sent before. */
  reset(): void {
    this.#sent = null;
    this.#waiting = null;
  }
}
