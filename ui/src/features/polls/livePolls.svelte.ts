// One meeting's polls as the window holds them: the list the core answered with, each poll replaced by every
// `poll-changed` for it and by the answer to each act taken here, and its turnout by `poll-turnout`.
import { errorCode } from "../../lib/errors";
import { castBallot, checkBallotReceipt, draftPoll, meetingPolls, stepPoll } from "../../lib/ipc/commands";
import { onPollChanged, onPollTurnout } from "../../lib/ipc/events";
import type { IpcErrorCode, PollDraftInput, PollStepInput, PollView, ReceiptCheckView } from "../../lib/ipc/types";

/** How often a countdown is redrawn. */
const TICK_MS = 500;

export class LivePolls {
  readonly meetingId: string;
  polls = $state.raw<PollView[]>([]);
  loaded = $state(false);
  /** Why the polls could not be loaded, until they load. */
  failure = $state<IpcErrorCode | null>(null);
  /** This device's clock, moved on while a countdown runs. */
  now = $state(Date.now());

  constructor(meetingId: string) {
    this.meetingId = meetingId;
  }

  /** Follows the polls: subscribes first, then loads, so no change between the two is missed. */
  follow(): () => void {
    let following = true;
    const changed = onPollChanged((poll) => {
      if (following) this.accept(poll);
    });
    const turnout = onPollTurnout((next) => {
      if (!following || next.meeting_id !== this.meetingId) return;
      this.polls = this.polls.map((poll) => (poll.id === next.poll_id && next.voted > poll.voted ? { ...poll, voted: next.voted } : poll));
    });
    void Promise.all([changed, turnout]).then(() => {
      if (following) void this.load();
    });
    const ticker = setInterval(() => {
      if (this.polls.some((poll) => poll.state === "open" && poll.closes_at !== undefined)) this.now = Date.now();
    }, TICK_MS);
    return () => {
      following = false;
      clearInterval(ticker);
      void changed.then((stop) => stop());
      void turnout.then((stop) => stop());
    };
  }

  async load(): Promise<void> {
    try {
      this.polls = await meetingPolls(this.meetingId);
      this.failure = null;
      this.loaded = true;
    } catch (error) {
      this.failure = errorCode(error);
    }
  }

  /** Takes a poll's new state: this meeting's, in place (or added at the end). */
  accept(poll: PollView): void {
    if (poll.meeting_id !== this.meetingId) return;
    const at = this.polls.findIndex((held) => held.id === poll.id);
    this.polls = at < 0 ? [...this.polls, poll] : this.polls.map((held, index) => (index === at ? poll : held));
  }

  /** Runs an act that answers with the poll; `null` when done, else why not. */
  private async run(act: () => Promise<PollView>): Promise<IpcErrorCode | null> {
    try {
      this.accept(await act());
      return null;
    } catch (error) {
      return errorCode(error);
    }
  }

  draft(draft: PollDraftInput): Promise<IpcErrorCode | null> {
    return this.run(() => draftPoll(this.meetingId, draft));
  }

  step(pollId: string, step: PollStepInput): Promise<IpcErrorCode | null> {
    return this.run(() => stepPoll(pollId, step));
  }

  /** Casts the member's ballot; the poll comes back with the ballot's state (recorded or refused) either way. */
  async cast(pollId: string, choice: number[]): Promise<IpcErrorCode | null> {
    const code = await this.run(() => castBallot(pollId, choice));
    // Offline the ballot stays "sending" in the store: show it so.
    if (code !== null) await this.load();
    return code;
  }

  async checkReceipt(pollId: string): Promise<ReceiptCheckView | IpcErrorCode> {
    try {
      return await checkBallotReceipt(pollId);
    } catch (error) {
      return errorCode(error);
    }
  }
}
