import { describe, expect, it } from "vitest";
import type { AgendaNodeView } from "../../lib/ipc/types";
import {
  announcements,
  anyClockRuns,
  elapsedMs,
  formatDuration,
  formatTimer,
  programmeItems,
  rulesProblem,
  speechProgress,
} from "./sitting";
import { sittingAs } from "./testing";

describe("the sitting's clocks", () => {
  it("count what they counted before, plus the time since they started on the server's clock", () => {
    expect(elapsedMs({ counted_ms: 60_000 }, 0, 10_000_000), "a stopped clock stands still").toBe(60_000);
    // Started at server time 1 000 000; this device is 2 s behind the server and reads 1 003 000: 5 s have run.
    expect(elapsedMs({ counted_ms: 60_000, running_since: 1_000_000 }, 2_000, 1_003_000)).toBe(65_000);
    expect(elapsedMs({ counted_ms: 0, running_since: 1_000_000 }, 0, 999_000), "a clock never runs backwards").toBe(0);
  });

  it("show a speech in minutes and seconds, past an hour still in minutes as the chamber's clock does", () => {
    expect(formatTimer(0)).toBe("00:00");
    expect(formatTimer(185_999), "seconds are not rounded up before they have passed").toBe("03:05");
    expect(formatTimer(5 * 60_000)).toBe("05:00");
    expect(formatTimer(75 * 60_000 + 30_000)).toBe("75:30");
    expect(formatTimer(-500)).toBe("00:00");
  });

  it("show a sitting's length with hours once it passes an hour", () => {
    expect(formatDuration(42 * 60_000 + 10_000)).toBe("42:10");
    expect(formatDuration(3_600_000 + 5 * 60_000 + 9_000)).toBe("1:05:09");
  });

  it("fill a speech's bar up to its allowed time and say when it runs over", () => {
    expect(speechProgress(150_000, 300)).toEqual({ share: 0.5, over: false });
    expect(speechProgress(300_000, 300), "exactly on time is not over").toEqual({ share: 1, over: false });
    expect(speechProgress(301_000, 300)).toEqual({ share: 1, over: true });
  });

  it("need redrawing only while a clock runs", () => {
    expect(anyClockRuns(sittingAs("delegate")), "the test sitting's clocks are stopped").toBe(false);
    expect(anyClockRuns(sittingAs("delegate", { clock: { counted_ms: 0, running_since: 5 } }))).toBe(true);
  });
});

describe("the programme the sitting moves through", () => {
  const node = (id: string, number: string, children: AgendaNodeView[] = []): AgendaNodeView => ({
    id,
    number,
    title: `Mục ${number}`,
    presenter: null,
    planned_minutes: number === "2" ? 30 : null,
    paper_titles: [],
    mark: null,
    children,
  });

  it("lists items in reading order, sub-items after their item with their depth", () => {
    const items = programmeItems([node("a1", "1"), node("a2", "2", [node("a21", "2.1"), node("a22", "2.2")]), node("a3", "3")]);
    expect(items.map((item) => [item.number, item.depth])).toEqual([
      ["1", 0],
      ["2", 0],
      ["2.1", 1],
      ["2.2", 1],
      ["3", 0],
    ]);
    expect(items[1]?.plannedMinutes).toBe(30);
  });
});

describe("the rules form", () => {
  it("sends only a quorum above nothing and at most everyone, and a speech of 1 to 60 minutes, as the server checks", () => {
    expect(rulesProblem(2, 3, 5)).toBeNull();
    expect(rulesProblem(1, 1, 60)).toBeNull();
    expect(rulesProblem(0, 3, 5)).toBe("sitting.rules.bad_quorum");
    expect(rulesProblem(4, 3, 5), "more than everyone can never be present").toBe("sitting.rules.bad_quorum");
    expect(rulesProblem(2, 0, 5)).toBe("sitting.rules.bad_quorum");
    expect(rulesProblem(2, 3, 0)).toBe("sitting.rules.bad_minutes");
    expect(rulesProblem(2, 3, 61)).toBe("sitting.rules.bad_minutes");
    expect(rulesProblem(2, 3, 2.5), "the form counts whole minutes").toBe("sitting.rules.bad_minutes");
  });
});

describe("what a screen reader is told", () => {
  it("says nothing of the first state, which the member reads for themself", () => {
    expect(announcements(null, sittingAs("delegate"))).toEqual([]);
  });

  it("says when the quorum is reached or lost, the sitting opens or pauses, and the floor is given to this member", () => {
    const short = sittingAs("delegate", { status: "not_opened", quorum: { present: 7, voters: 12, needed: 8, holds: false } });
    const reached = { ...short, quorum: { present: 8, voters: 12, needed: 8, holds: true } };
    expect(announcements(short, reached)).toEqual(["sitting.announce.quorum_reached"]);
    expect(announcements(reached, { ...reached, status: "open" })).toEqual(["sitting.announce.open"]);
    expect(announcements(reached, short)).toEqual(["sitting.announce.quorum_lost"]);
    const speaking = { ...reached, me: { ...reached.me, speaking: true } };
    expect(announcements(reached, speaking)).toEqual(["sitting.announce.your_floor"]);
    expect(announcements(speaking, reached)).toEqual(["sitting.announce.your_floor_ended"]);
    expect(announcements(reached, { ...reached, seq: 11 }), "an unrelated change is not announced").toEqual([]);
  });
});
