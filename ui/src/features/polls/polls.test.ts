import { describe, expect, it } from "vitest";
import type { PollView } from "../../lib/ipc/types";
import { choiceWords, formatSeconds, ordered, percent, pollAnnouncement, resultBars, secondsLeft, voteLabel } from "./polls";
import { pollAs } from "./testing";

describe("a poll's view", () => {
  it("names each voting control by its option and the question", () => {
    expect(voteLabel("Tán thành", "Dự thảo nghị quyết về dự toán ngân sách năm 2027")).toBe(
      "Tán thành — Dự thảo nghị quyết về dự toán ngân sách năm 2027",
    );
  });

  it("draws a bar per option with its share of the ballots cast, the carried one marked", () => {
    const poll = pollAs({ state: "published" });
    const bars = resultBars(poll, ["Tán thành", "Không tán thành", "Không biểu quyết"]);
    expect(bars.map((bar) => bar.count)).toEqual([3, 1, 1]);
    expect(bars[0]?.share, "3 of 5 ballots").toBeCloseTo(0.6);
    expect(bars.map((bar) => bar.chosen)).toEqual([true, false, false]);
    expect(percent(2 / 3, "vi")).toBe("66,7 %");
    expect(percent(2 / 3, "en")).toBe("66.7%");
  });

  it("counts an open poll's countdown on the server's clock", () => {
    const poll = pollAs({ closes_at: 100_000, server_offset_ms: 5_000 });
    expect(secondsLeft(poll, 30_000), "the server is 5 s ahead: 65 s left, not 70").toBe(65);
    expect(formatSeconds(65)).toBe("1:05");
    expect(secondsLeft(poll, 200_000)).toBe(0);
    expect(secondsLeft(pollAs({ state: "closed", closes_at: 100_000 }), 0)).toBeNull();
  });

  it("says a choice in words, a blank ballot too", () => {
    expect(choiceWords([0, 2], ["An", "Bình", "Cường"], "phiếu trắng")).toBe("An, Cường");
    expect(choiceWords([], ["An"], "phiếu trắng")).toBe("phiếu trắng");
  });

  it("tells a screen reader when a poll opens or closes, once", () => {
    const draft = pollAs({ state: "draft" });
    const open = pollAs({ state: "open" });
    expect(pollAnnouncement(draft, open)).toBe("polls.announce.opened");
    expect(pollAnnouncement(open, { ...open, voted: 4 })).toBeNull();
    expect(pollAnnouncement(open, pollAs({ state: "closed" }))).toBe("polls.announce.closed");
  });

  it("lists open polls first, then drafts, then the finished ones", () => {
    const polls: PollView[] = [
      pollAs({ id: "p1", state: "published" }),
      pollAs({ id: "p2", state: "draft" }),
      pollAs({ id: "p3", state: "open" }),
    ];
    expect(ordered(polls).map((poll) => poll.id)).toEqual(["p3", "p2", "p1"]);
  });
});
