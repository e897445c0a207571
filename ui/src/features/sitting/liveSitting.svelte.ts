// One meeting's live sitting as the window holds it: the state the core answered with, replaced by every
// `sitting-changed` for this meeting and by the answer to each action taken here, never by an older state. The meeting
// page makes one and hands it to the panel (which follows it while mounted), the reader (the presenter's page) and the
// projection, so all three show the same sitting.
import { errorCode } from "../../lib/errors";
import { actInSitting, sitting } from "../../lib/ipc/commands";
import { onSittingChanged } from "../../lib/ipc/events";
import type { IpcErrorCode, SittingActionInput, SittingView } from "../../lib/ipc/types";
import { anyClockRuns } from "./sitting";

/** How often running clocks are redrawn. Half a second, so a second never shows twice or is skipped. */
const TICK_MS = 500;

export class LiveSitting {
  readonly meetingId: string;
  view = $state.raw<SittingView | null>(null);
  /** Why the state could not be loaded, until it loads. */
  failure = $state<IpcErrorCode | null>(null);
  /** This device's clock, moved on while a clock of the sitting runs. */
  now = $state(Date.now());

  constructor(meetingId: string) {
    this.meetingId = meetingId;
  }

  /**
   * Follows the sitting: subscribes to its changes first, then asks for its state, so no change between the two is
   * missed. Returns the way to stop following.
   */
  follow(): () => void {
    let following = true;
    const subscription = onSittingChanged((next) => {
      if (following) this.accept(next);
    });
    void subscription.then(() => {
      if (following) void this.load();
    });
    const ticker = setInterval(() => {
      if (this.view !== null && anyClockRuns(this.view)) this.now = Date.now();
    }, TICK_MS);
    return () => {
      following = false;
      clearInterval(ticker);
      void subscription.then((stop) => stop());
    };
  }

  /** Asks the core for the sitting's state (again, after a failure). */
  async load(): Promise<void> {
    try {
      this.accept(await sitting(this.meetingId));
      this.failure = null;
    } catch (error) {
      this.failure = errorCode(error);
    }
  }

  /** Takes a state from an event or an answer: this meeting's, and not older than the one shown. */
  accept(next: SittingView): void {
    if (next.meeting_id !== this.meetingId) return;
    if (this.view !== null && next.seq < this.view.seq) return;
    this.now = Date.now();
    this.view = next;
  }

  /** Acts in the sitting; `null` when it was done, else why not. */
  async act(action: SittingActionInput): Promise<IpcErrorCode | null> {
    try {
      const next = await actInSitting(this.meetingId, action);
      this.accept(next);
      return null;
    } catch (error) {
      return errorCode(error);
    }
  }
}
