// @vitest-environment jsdom
// The votes in the sitting panel against a fake core: the IPC is mocked at the Tauri boundary, everything above it is
// real. A delegate votes by keyboard alone; each control's name says the option and the question; the recorded vote is
// said in a live region; a refused ballot says why; the chair steps the poll; the result is drawn.
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { i18n } from "../../lib/i18n.svelte";
import type { IpcError, PollView } from "../../lib/ipc/types";
import { syncState } from "../status/syncState.svelte";
import PollsPanel from "./PollsPanel.svelte";
import { pollAs } from "./testing";

let view: ReturnType<typeof mount> | null = null;
let polls: PollView[] = [];
let cast: [string, number[]][] = [];
let stepped: [string, string][] = [];
let castFailure: IpcError | null = null;

function show(initial: PollView[], drafts = false) {
  polls = initial;
  mockIPC(
    (command, args) => {
      const given = (args ?? {}) as Record<string, unknown>;
      switch (command) {
        case "meeting_polls":
          return polls;
        case "cast_ballot": {
          const choice = given.choice as number[];
          cast.push([given.pollId as string, choice]);
          if (castFailure !== null) throw castFailure;
          const [first] = polls as [PollView];
          const poll = { ...first, has_voted: true, voted: first.voted + 1 };
          poll.my_ballot = { version: 1, choice, state: "recorded", recorded_choice: choice, receipt: "ab".repeat(32), line: 4 };
          return poll;
        }
        case "step_poll":
          stepped.push([given.pollId as string, given.step as string]);
          return { ...(polls as [PollView])[0], state: "closed" };
        default:
          throw { code: "internal", message: `unexpected command ${command}` };
      }
    },
    { shouldMockEvents: true },
  );
  view = mount(PollsPanel, {
    target: document.body,
    props: { meetingId: "k10", items: [{ id: "a2", number: "2", title: "Dự toán" }], currentItemId: "a2", drafts, onsessionlost: () => {} },
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    flushSync();
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never reached ${what}; the panel shows: ${document.body.textContent}`);
}

const all = (testId: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid=${testId}]`)];
const one = (testId: string) => {
  const found = document.querySelector<HTMLElement>(`[data-testid=${testId}]`);
  if (found === null) throw new Error(`nothing has data-testid=${testId}`);
  return found;
};
const find = (testId: string) => document.querySelector<HTMLElement>(`[data-testid=${testId}]`);
const text = (element: Element | null) => element?.textContent?.replace(/\s+/g, " ").trim();

beforeEach(() => {
  i18n.lang = "vi";
  cast = [];
  stepped = [];
  castFailure = null;
  syncState.status = { connection: "online", last_synced_at: null, detail: null };
});

afterEach(async () => {
  if (view !== null) unmount(view);
  view = null;
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
});

describe("the votes", () => {
  it("let a delegate vote by keyboard, each choice named with the question, and say the vote was recorded", async () => {
    show([pollAs()]);
    await until(() => all("poll-choice").length === 3, "the choices");
    const names = all("poll-choice").map((choice) => choice.getAttribute("aria-label"));
    expect(names).toEqual([
      "Tán thành — Dự thảo nghị quyết về dự toán ngân sách năm 2027",
      "Không tán thành — Dự thảo nghị quyết về dự toán ngân sách năm 2027",
      "Không biểu quyết — Dự thảo nghị quyết về dự toán ngân sách năm 2027",
    ]);
    expect(all("poll-choice").every((choice) => choice.tagName === "BUTTON"), "buttons: Tab reaches them, Enter and Space press them").toBe(true);
    expect(text(one("poll-turnout"))).toBe("Đã biểu quyết: 2/5");

    // The keyboard presses a focused button by clicking it.
    const [yes] = all("poll-choice") as [HTMLElement];
    yes.focus();
    yes.click();
    await until(() => one("poll-my-ballot").dataset.state === "recorded", "the vote recorded");
    expect(cast).toEqual([["p1", [0]]]);
    expect(one("poll-my-ballot").getAttribute("aria-live"), "a screen reader hears the confirmation").toBe("polite");
    expect(text(one("poll-my-ballot"))).toBe("Đã ghi nhận phiếu của bạn: Tán thành.");
    expect(text(one("poll-receipt"))).toBe(`Mã biên nhận: ${"ab".repeat(8)}`);
    expect(all("poll-choice"), "a poll that takes no change shows no more choices").toEqual([]);
  });

  it("keep a refused ballot's reason beside the poll", async () => {
    show([pollAs()]);
    await until(() => all("poll-choice").length === 3, "the choices");
    castFailure = { code: "poll_closed", message: "the poll is closed" };
    (all("poll-choice") as [HTMLElement, HTMLElement])[1].click();
    await until(() => find("poll-error") !== null, "the refusal");
    expect(one("poll-error").dataset.code).toBe("poll_closed");
    expect(text(one("poll-error"))).toBe("Cuộc biểu quyết đã kết thúc nên phiếu này không được ghi nhận.");
  });

  it("show the result with a bar per option and what carried, and the chair's next step", async () => {
    show([pollAs({ state: "closed", may_step: true, may_vote: false })]);
    await until(() => find("poll-result") !== null, "the result");
    expect(one("poll-result").dataset.passed).toBe("true");
    expect(all("poll-result-bar").map((bar) => bar.dataset.count)).toEqual(["3", "1", "1"]);
    expect(text(one("poll-result-bar"))).toBe("Tán thành 3 phiếu (60 %)");
    one("poll-publish").click();
    await until(() => stepped.length === 1, "the chair's step");
    expect(stepped).toEqual([["p1", "publish"]]);
  });

  it("follow a poll opening live and say so", async () => {
    show([pollAs({ state: "draft", may_vote: false })]);
    await until(() => find("poll-state")?.textContent === "Dự thảo", "the draft");
    await emit("poll-changed", pollAs({ state: "open" }));
    await until(() => find("poll-state")?.textContent === "Đang biểu quyết", "the poll open");
    expect(text(one("polls-announcement"))).toBe("Đã mở biểu quyết: Dự thảo nghị quyết về dự toán ngân sách năm 2027");
    await emit("poll-turnout", { meeting_id: "k10", poll_id: "p1", voted: 4, entitled: 5 });
    await until(() => find("poll-turnout")?.dataset.voted === "4", "the turnout");
  });
});
