// What the live sitting's screens work out without the core: clocks read at a moment, timers as delegates read them,
// the programme item the sitting is on, and what changed between two states that a screen reader should say. The
// rules (who may do what, the quorum, the order of speakers) are the server's (ecabinet_domain::sitting); the window
// only shows them.
import type { MessageKey } from "../../lib/i18n";
import type { AgendaNodeView, ClockView, PresenceView, SittingStatusView, SittingView } from "../../lib/ipc/types";

/** The time a clock has counted at `now` (this device's clock), the server's clock being `offsetMs` ahead of it. */
export function elapsedMs(clock: ClockView, offsetMs: number, now: number): number {
  const running = clock.running_since === undefined ? 0 : Math.max(0, now + offsetMs - clock.running_since);
  return clock.counted_ms + running;
}

/** True while any of the sitting's clocks runs, so the screen must be redrawn as time passes. */
export function anyClockRuns(view: SittingView): boolean {
  return (
    view.clock.running_since !== undefined ||
    view.current_item?.clock.running_since !== undefined ||
    view.speech?.clock.running_since !== undefined
  );
}

const two = (n: number) => String(n).padStart(2, "0");

/** A speech's timer: "03:05", "12:00", and past an hour still in minutes ("75:30"), as a chamber's clock shows it. */
export function formatTimer(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${two(Math.floor(seconds / 60))}:${two(seconds % 60)}`;
}

/** A sitting's length: "42:10" under an hour, "1:05:09" from an hour on. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const rest = `${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}

/** How far a speech is into its allowed time: the share for the bar (at most 1), and whether it runs over. */
export function speechProgress(elapsed: number, allowedSecs: number): { share: number; over: boolean } {
  const allowed = Math.max(1, allowedSecs) * 1000;
  return { share: Math.min(1, Math.max(0, elapsed / allowed)), over: elapsed > allowed };
}

/** A programme item as the sitting names it. */
export type ProgrammeItem = { id: string; number: string; title: string; plannedMinutes: number | null; depth: number };

/** The programme in reading order, sub-items after their item. */
export function programmeItems(items: AgendaNodeView[], depth = 0): ProgrammeItem[] {
  return items.flatMap((item) => [
    { id: item.id, number: item.number, title: item.title, plannedMinutes: item.planned_minutes, depth },
    ...programmeItems(item.children, depth + 1),
  ]);
}

export const statusKeys: Record<SittingStatusView, MessageKey> = {
  not_opened: "sitting.status.not_opened",
  open: "sitting.status.open",
  paused: "sitting.status.paused",
  closed: "sitting.status.closed",
};

export const presenceKeys: Record<PresenceView, MessageKey> = {
  in_room: "sitting.presence.in_room",
  remote: "sitting.presence.remote",
  by_hand: "sitting.presence.by_hand",
};

/** The minutes a chair may choose when granting the floor (the default time aside). */
export const GRANT_MINUTES = [2, 3, 5, 7, 10, 15] as const;

/** The longest speech, in minutes (ecabinet_domain::sitting::MAX_SPEECH_SECS). */
export const MAX_SPEECH_MINUTES = 60;

/** What the rules form may send: a quorum of 0 < n/d ≤ 1 and a speech of 1 to 60 minutes (the server's own checks). */
export function rulesProblem(numerator: number, denominator: number, speechMinutes: number): MessageKey | null {
  const whole = (n: number) => Number.isInteger(n);
  if (!whole(numerator) || !whole(denominator) || numerator < 1 || denominator < 1 || numerator > denominator) {
    return "sitting.rules.bad_quorum";
  }
  if (!whole(speechMinutes) || speechMinutes < 1 || speechMinutes > MAX_SPEECH_MINUTES) return "sitting.rules.bad_minutes";
  return null;
}

/**
 * What a screen reader says when the sitting moves from `before` to `after`: the sitting opening, pausing or closing,
 * the quorum reached or lost, and the floor given to this member. Nothing on the first state, which the member reads.
 */
export function announcements(before: SittingView | null, after: SittingView): MessageKey[] {
  if (before === null || before.meeting_id !== after.meeting_id) return [];
  const said: MessageKey[] = [];
  if (before.status !== after.status) said.push(`sitting.announce.${after.status}`);
  if (before.quorum.holds !== after.quorum.holds) {
    said.push(after.quorum.holds ? "sitting.announce.quorum_reached" : "sitting.announce.quorum_lost");
  }
  if (!before.me.speaking && after.me.speaking) said.push("sitting.announce.your_floor");
  if (before.me.speaking && !after.me.speaking) said.push("sitting.announce.your_floor_ended");
  return said;
}
