// What the polls' views show, worked out from a `PollView` without touching the DOM: option names in the reader's
// language, the accessible name of each voting control, the bars of a result chart, the countdown, and what changed
// that a screen reader should hear.
import type { MessageKey } from "../../lib/i18n";
import type { MajorityRuleView, PollStateView, PollView } from "../../lib/ipc/types";

export const stateKeys: Record<PollStateView, MessageKey> = {
  draft: "polls.state.draft",
  open: "polls.state.open",
  closed: "polls.state.closed",
  published: "polls.state.published",
  cancelled: "polls.state.cancelled",
};

export const ruleKeys: Record<MajorityRuleView, MessageKey> = {
  more_for_than_against: "polls.rule.more_for_than_against",
  half_of_cast: "polls.rule.half_of_cast",
  half_of_present: "polls.rule.half_of_present",
  half_of_members: "polls.rule.half_of_members",
  two_thirds_of_members: "polls.rule.two_thirds_of_members",
};

/** The names of yes / no / abstain, in the order of their indexes (0, 1, 2). */
const yesNoAbstainKeys: MessageKey[] = ["polls.option.yes", "polls.option.no", "polls.option.abstain"];

/** The poll's options as the reader reads them, by index. */
export function optionNames(poll: Pick<PollView, "kind" | "options">, t: (key: MessageKey) => string): string[] {
  return poll.kind === "yes_no_abstain" ? yesNoAbstainKeys.map((key) => t(key)) : poll.options;
}

/** What a voting control says to a screen reader: the option, then the question ("Tán thành — Dự thảo nghị quyết…"). */
export function voteLabel(option: string, title: string): string {
  return `${option} — ${title}`;
}

/** A choice as words ("Tán thành"; "An, Bình"); `blank` for an empty ballot. */
export function choiceWords(choice: number[], names: string[], blank: string): string {
  if (choice.length === 0) return blank;
  return choice.map((index) => names[index] ?? `#${index + 1}`).join(", ");
}

export type Bar = { index: number; name: string; count: number; share: number; chosen: boolean };

/** One bar per option: its count, its share of the ballots cast (0 to 1), and whether the result carried it. */
export function resultBars(poll: PollView, names: string[]): Bar[] {
  const result = poll.result;
  if (result === undefined) return [];
  const ballots = result.ballots;
  return result.counts.map((count, index) => ({
    index,
    name: names[index] ?? `#${index + 1}`,
    count,
    share: ballots === 0 ? 0 : count / ballots,
    chosen: result.chosen.includes(index),
  }));
}

/** A share as a percentage with one decimal, as Vietnamese writes it ("66,7 %") or English ("66.7%"). */
export function percent(share: number, lang: "vi" | "en"): string {
  const value = (Math.round(share * 1000) / 10).toLocaleString(lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 1 });
  return lang === "vi" ? `${value} %` : `${value}%`;
}

/** Seconds left on an open poll's countdown at `now` (this device's clock), or null without one. */
export function secondsLeft(poll: PollView, now: number): number | null {
  if (poll.state !== "open" || poll.closes_at === undefined) return null;
  return Math.max(0, Math.ceil((poll.closes_at - (now + poll.server_offset_ms)) / 1000));
}

/** "1:05" for 65 seconds. */
export function formatSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/** What a screen reader should hear when a poll moves from `before` to `after`. */
export function pollAnnouncement(before: PollView | undefined, after: PollView): MessageKey | null {
  if (before?.state === after.state) return null;
  if (after.state === "open") return "polls.announce.opened";
  if (after.state === "closed" && before?.state === "open") return "polls.announce.closed";
  return null;
}

/** Open polls first, then drafts, then the rest, each in the order they were made. */
export function ordered(polls: PollView[]): PollView[] {
  const rank: Record<PollStateView, number> = { open: 0, draft: 1, closed: 2, published: 3, cancelled: 4 };
  return polls.map((poll, at) => ({ poll, at })).sort((a, b) => rank[a.poll.state] - rank[b.poll.state] || a.at - b.at).map(({ poll }) => poll);
}
