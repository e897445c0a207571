// @vitest-environment jsdom
// The sitting panel's stories against a fake core: the IPC is mocked at the Tauri boundary, everything above it is real.
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { i18n } from "../../lib/i18n.svelte";
import type { AgendaNodeView, IpcError, PacketPaperView, SittingActionInput, SittingView } from "../../lib/ipc/types";
import { syncState } from "../status/syncState.svelte";
import { LiveSitting } from "./liveSitting.svelte";
import SittingPanel from "./SittingPanel.svelte";
import { sittingAs } from "./testing";

const items: AgendaNodeView[] = [
  { id: "a1", number: "1", title: "Khai mạc kỳ họp", presenter: null, planned_minutes: 10, paper_titles: [], mark: null, children: [] },
  {
    id: "a2",
    number: "2",
    title: "Dự toán ngân sách 2027",
    presenter: "Giám đốc Sở Tài chính",
    planned_minutes: 30,
    paper_titles: [],
    mark: null,
    children: [
      { id: "a21", number: "2.1", title: "Tờ trình dự toán", presenter: null, planned_minutes: 10, paper_titles: [], mark: null, children: [] },
    ],
  },
];

const papers: PacketPaperView[] = [
  {
    paper_id: "du-thao",
    title: "Dự thảo nghị quyết",
    kind: "draft_resolution",
    place: { at: "item", item_id: "a2" },
    position: 1,
    revision: 1,
    restricted: false,
    file: { hash: "h", size: 2048, pages: 10, file_name: "du-thao.pdf" },
    held: true,
    mark: null,
  },
];

let view: ReturnType<typeof mount> | null = null;
/** What the fake core answers `sitting` with, and how it answers an action. */
let state: SittingView;
let loadFailure: IpcError | null = null;
let actFailure: IpcError | null = null;
let acted: SittingActionInput[] = [];
let followed: [string, number][] = [];
let fullscreen: boolean[] = [];

function show(initial: SittingView) {
  state = initial;
  mockIPC(
    (command, args) => {
      const given = (args ?? {}) as Record<string, unknown>;
      switch (command) {
        case "sitting":
          if (loadFailure !== null) throw loadFailure;
          return state;
        case "act_in_sitting": {
          const action = given.action as SittingActionInput;
          acted.push(action);
          if (actFailure !== null) throw actFailure;
          if (action.action === "check_in") state = { ...state, seq: state.seq + 1, me: { ...state.me, present: action.remote ? "remote" : "in_room" } };
          return state;
        }
        case "set_fullscreen":
          fullscreen.push(given.on as boolean);
          return null;
        case "meeting_polls":
          return [];
        default:
          throw { code: "internal", message: `unexpected command ${command}` };
      }
    },
    { shouldMockEvents: true },
  );
  view = mount(SittingPanel, {
    target: document.body,
    props: {
      live: new LiveSitting("k10"),
      meetingTitle: "Kỳ họp thứ mười",
      items,
      papers,
      onfollow: (paperId: string, page: number) => followed.push([paperId, page]),
      onsessionlost: () => {},
    },
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

const find = (testId: string) => document.querySelector<HTMLElement>(`[data-testid=${testId}]`);
const all = (testId: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid=${testId}]`)];
function one(testId: string): HTMLElement {
  const found = find(testId);
  if (found === null) throw new Error(`nothing has data-testid=${testId}`);
  return found;
}
const text = (element: Element | null) => element?.textContent?.replace(/\s+/g, " ").trim();
const loaded = () => until(() => find("sitting-status") !== null, "the sitting loaded");

beforeEach(() => {
  i18n.lang = "vi";
  loadFailure = null;
  actFailure = null;
  acted = [];
  followed = [];
  fullscreen = [];
  syncState.status = { connection: "online", last_synced_at: null, detail: null };
});

afterEach(async () => {
  if (view !== null) unmount(view);
  view = null;
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
});

describe("the sitting panel", () => {
  it("shows a delegate where the sitting stands, with their own actions only", async () => {
    show(sittingAs("delegate"));
    await loaded();
    expect(one("sitting-status").dataset.status).toBe("open");
    expect(text(one("sitting-status"))).toBe("Đang họp Thời gian họp: 42:00");
    expect(text(one("quorum")), "the quorum in words, for everyone").toBe("Có mặt 9/12 đại biểu · cần 8 · Đủ số đại biểu");
    expect(one("quorum").dataset).toMatchObject({ present: "9", needed: "8", holds: "true" });
    expect(one("current-item").dataset.itemId).toBe("a2");
    expect(text(one("current-item"))).toContain("2 Dự toán ngân sách 2027");
    expect(text(one("current-item"))).toContain("Đã họp 12:05 · dự kiến 30 phút");
    expect(all("speaker-request").map((row) => [row.dataset.memberId, text(row)])).toEqual([
      ["minh", "1 Trần Quang Minh Tiếp theo Về thủ tục"],
      ["lan", "2 Hoàng Thị Lan"],
    ]);

    expect(find("check-in"), "a delegate checks in").not.toBeNull();
    expect(find("check-in-remote"), "only in the chamber unless the rules allow it").toBeNull();
    expect(find("request-floor"), "the floor is asked for once checked in").toBeNull();
    for (const chairs of ["sitting-open", "sitting-pause", "sitting-close", "sitting-move-to", "grant-floor", "order-up", "projection-open"]) {
      expect(find(chairs), `${chairs} is the chair's`).toBeNull();
    }
    for (const records of ["attendance-row", "record-present", "record-absent"]) {
      expect(find(records), `${records} is the secretariat's`).toBeNull();
    }

    one("check-in").click();
    await until(() => find("request-floor") !== null, "the floor offered once checked in");
    expect(acted).toEqual([{ action: "check_in", remote: false }]);
    expect(find("point-of-order")).not.toBeNull();
    expect(find("check-out")).not.toBeNull();
    expect(text(one("me-present"))).toBe("Bạn đã điểm danh: Tại hội trường.");
  });

  it("offers online check-in when the rules allow it, and withdrawing a request made", async () => {
    show(sittingAs("delegate", { remote_allowed: true, me: { ...sittingAs("delegate").me, present: "remote", requested: true } }));
    await loaded();
    expect(find("check-in"), "already checked in").toBeNull();
    expect(find("withdraw-request")).not.toBeNull();
    expect(find("request-floor"), "one request at a time").toBeNull();
    one("withdraw-request").click();
    await until(() => acted.length === 1, "the request withdrawn");
    expect(acted).toEqual([{ action: "withdraw_request" }]);
  });

  it("gives the chair the course of the sitting, the programme and the list of speakers to run", async () => {
    show(sittingAs("chair", { presentation: { presenter_id: "lan", presenter_name: "Hoàng Thị Lan", paper_id: "du-thao", page: 0 } }));
    await loaded();
    expect(find("sitting-open"), "the sitting is open already").toBeNull();
    expect(find("sitting-pause")).not.toBeNull();
    expect(find("sitting-close")).not.toBeNull();
    expect(all("sitting-move-to").map((button) => button.dataset.itemId), "every item but the current one").toEqual(["a1", "a21"]);
    expect(all("grant-floor")).toHaveLength(2);
    expect(all("order-up").map((button) => (button as HTMLButtonElement).disabled)).toEqual([true, false]);
    expect(all("order-down").map((button) => (button as HTMLButtonElement).disabled)).toEqual([false, true]);
    expect(one("grant-floor").getAttribute("aria-label")).toBe("Mời Trần Quang Minh phát biểu");
    expect(all("attendance-row"), "the chair keeps the roll too").toHaveLength(6);
    expect(find("request-floor"), "the chair does not ask for the floor").toBeNull();

    all("order-down")[0]?.click();
    await until(() => acted.length === 1, "the request moved");
    (one("grant-minutes") as HTMLSelectElement).value = "7";
    one("grant-minutes").dispatchEvent(new Event("change", { bubbles: true }));
    all("grant-floor")[1]?.click();
    await until(() => acted.length === 2, "the floor given");
    one("sitting-move-to").click();
    await until(() => acted.length === 3, "the sitting moved on");
    one("stop-presenting").click();
    await until(() => acted.length === 4, "the presentation stopped");
    expect(acted).toEqual([
      { action: "order_request", member_id: "minh", position: 1 },
      { action: "grant_floor", member_id: "lan", allowed_secs: 420 },
      { action: "move_to", item_id: "a1" },
      { action: "stop_presenting" },
    ]);
  });

  it("asks the chair before closing the sitting", async () => {
    show(sittingAs("chair"));
    await loaded();
    one("sitting-close").click();
    await until(() => find("confirm-close") !== null, "the confirmation");
    expect(acted, "nothing closed before the chair confirms").toEqual([]);
    one("cancel-close").click();
    await until(() => find("confirm-close") === null, "the confirmation gone");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.activeElement, "the keyboard is back on the close button").toBe(one("sitting-close"));
    one("sitting-close").click();
    await until(() => find("confirm-close") !== null, "the confirmation again");
    one("confirm-close").click();
    await until(() => acted.length === 1, "the sitting closed");
    expect(acted).toEqual([{ action: "close" }]);
  });

  it("lets the chair open a sitting not yet opened, and resume a paused one", async () => {
    show(sittingAs("chair", { status: "not_opened", opened_at: undefined, current_item: undefined }));
    await loaded();
    expect(find("sitting-close"), "a sitting not opened cannot be closed").toBeNull();
    expect(all("sitting-move-to").every((button) => (button as HTMLButtonElement).disabled), "moving waits for the opening").toBe(true);
    one("sitting-open").click();
    await until(() => acted.length === 1, "the sitting opened");
    expect(acted).toEqual([{ action: "open" }]);

    await emit("sitting-changed", sittingAs("chair", { seq: 11, status: "paused" }));
    await until(() => find("sitting-resume") !== null, "the resume button");
    expect(find("sitting-pause")).toBeNull();
  });

  it("gives the secretariat the roll to keep, and nothing of the chair's", async () => {
    show(sittingAs("secretary"));
    await loaded();
    const rows = all("attendance-row").map((row) => [row.dataset.memberId, row.dataset.present]);
    expect(rows).toEqual([
      ["chair", "in_room"],
      ["lan", "in_room"],
      ["minh", "remote"],
      ["hoa", "absent"],
      ["secretary", "in_room"],
      ["guest", "absent"],
    ]);
    const hoa = one("attendance-row").parentElement?.querySelector<HTMLElement>("[data-member-id=hoa]");
    expect(hoa?.querySelector("[data-testid=record-present]")?.getAttribute("aria-label")).toBe("Ghi nhận Lê Thị Hoa có mặt");
    expect(hoa?.querySelector("[data-testid=record-absent]"), "an absent member is recorded present, not absent").toBeNull();
    for (const chairs of ["sitting-open", "sitting-pause", "sitting-close", "sitting-move-to", "grant-floor", "order-up", "order-down"]) {
      expect(find(chairs), `${chairs} is the chair's`).toBeNull();
    }
    expect(find("request-floor"), "the secretary does not ask for the floor").toBeNull();

    hoa?.querySelector<HTMLElement>("[data-testid=record-present]")?.click();
    await until(() => acted.length === 1, "Hoa recorded present");
    document.querySelector<HTMLElement>("[data-member-id=minh] [data-testid=record-absent]")?.click();
    await until(() => acted.length === 2, "Minh recorded absent");
    expect(acted).toEqual([
      { action: "record_attendance", member_id: "hoa", present: true },
      { action: "record_attendance", member_id: "minh", present: false },
    ]);
  });

  it("lets the secretariat change the rules, refusing a quorum above everyone before sending it", async () => {
    show(sittingAs("secretary"));
    await loaded();
    const type = (testId: string, value: string) => {
      const input = one(testId) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    };
    type("rules-quorum-numerator", "4");
    one("rules-save").click();
    await until(() => find("rules-problem") !== null, "the rule refused");
    expect(acted, "nothing sent").toEqual([]);
    type("rules-quorum-numerator", "1");
    type("rules-quorum-denominator", "2");
    type("rules-speech-minutes", "7");
    const remote = one("rules-remote") as HTMLInputElement;
    remote.checked = true;
    remote.dispatchEvent(new Event("change", { bubbles: true }));
    one("rules-save").click();
    await until(() => acted.length === 1, "the rules sent");
    expect(acted).toEqual([{ action: "set_rules", quorum_numerator: 1, quorum_denominator: 2, remote_allowed: true, speech_secs: 420 }]);
  });

  it("follows the sitting's changes as they come, and ignores other meetings'", async () => {
    show(sittingAs("delegate", { quorum: { present: 7, voters: 12, needed: 8, holds: false } }));
    await loaded();
    expect(text(one("quorum"))).toBe("Có mặt 7/12 đại biểu · cần 8 · Chưa đủ số đại biểu");
    expect(one("quorum").dataset.holds).toBe("false");

    await emit("sitting-changed", sittingAs("delegate", { meeting_id: "k11", seq: 50, status: "closed" }));
    flushSync();
    expect(one("sitting-status").dataset.status, "another meeting's sitting").toBe("open");

    await emit(
      "sitting-changed",
      sittingAs("delegate", {
        seq: 12,
        quorum: { present: 8, voters: 12, needed: 8, holds: true },
        speech: { member_id: "lan", name: "Hoàng Thị Lan", allowed_secs: 180, clock: { counted_ms: 185_000 }, spoken_before_ms: 0 },
        presentation: { presenter_id: "chair", presenter_name: "Nguyễn Văn Thành", paper_id: "du-thao", page: 4 },
      }),
    );
    await until(() => one("quorum").dataset.holds === "true", "the quorum reached");
    expect(text(one("sitting-announcement")), "said politely to screen readers").toBe("Đã đủ số đại biểu có mặt.");
    expect(one("speech").dataset.memberId).toBe("lan");
    expect(one("speech-timer").textContent).toBe("03:05");
    expect(one("speech").dataset.over, "past the three minutes allowed").toBe("true");
    expect(text(one("speech"))).toContain("Quá giờ");
    expect(find("end-speech"), "the chair or the speaker ends a speech").toBeNull();
    expect(one("presentation").dataset).toMatchObject({ paperId: "du-thao", page: "4" });
    expect(text(one("presentation"))).toContain("Đang trình chiếu: Dự thảo nghị quyết · trang 5");

    expect(find("stop-presenting"), "only the chair or the presenter stops a presentation").toBeNull();
    one("follow-presenter").click();
    expect(followed, "the reader opens on the page presented, from 0").toEqual([["du-thao", 4]]);

    await emit("sitting-changed", sittingAs("delegate", { seq: 11, status: "paused" }));
    flushSync();
    expect(one("sitting-status").dataset.status, "an older state never replaces a newer one").toBe("open");
  });

  it("tells the member they have the floor, and lets them yield it", async () => {
    show(sittingAs("delegate"));
    await loaded();
    await emit(
      "sitting-changed",
      sittingAs("delegate", {
        seq: 11,
        me: { ...sittingAs("delegate").me, present: "in_room", speaking: true },
        speech: { member_id: "lan", name: "Hoàng Thị Lan", allowed_secs: 300, clock: { counted_ms: 65_000 }, spoken_before_ms: 0 },
      }),
    );
    await until(() => find("speech") !== null, "the speech shown");
    expect(text(one("sitting-announcement"))).toBe("Bạn được mời phát biểu.");
    expect(one("speech-timer").textContent).toBe("01:05");
    expect(one("speech").dataset.over).toBe("false");
    one("end-speech").click();
    await until(() => acted.length === 1, "the speech ended");
    expect(acted).toEqual([{ action: "end_speech" }]);
  });

  it("says why an action was refused, in the member's language", async () => {
    show(sittingAs("delegate", { me: { ...sittingAs("delegate").me, present: "in_room" } }));
    await loaded();
    actFailure = { code: "sitting_not_open", message: "the sitting is not open" };
    one("request-floor").click();
    await until(() => find("sitting-error") !== null, "the refusal");
    expect(one("sitting-error").dataset.code).toBe("sitting_not_open");
    expect(one("sitting-error").textContent).toBe("Phiên họp chưa khai mạc hoặc đang tạm dừng. Vui lòng chờ chủ tọa.");
    expect(one("sitting-error").getAttribute("role")).toBe("alert");
  });

  it("says the sitting needs a connection, and loads when asked again", async () => {
    loadFailure = { code: "server_unreachable", message: "connection refused" };
    show(sittingAs("delegate"));
    await until(() => find("sitting-offline") !== null, "the offline notice");
    expect(one("sitting-offline").textContent).toContain("cần kết nối tới máy chủ");
    loadFailure = null;
    one("sitting-retry").click();
    await loaded();
    expect(find("sitting-offline")).toBeNull();
  });

  it("loads by itself when the connection comes back", async () => {
    loadFailure = { code: "server_unreachable", message: "connection refused" };
    syncState.status = { connection: "offline", last_synced_at: null, detail: null };
    show(sittingAs("delegate"));
    await until(() => find("sitting-offline") !== null, "the offline notice");
    loadFailure = null;
    syncState.status = { connection: "online", last_synced_at: null, detail: null };
    await loaded();
  });

  it("names every control in English too", async () => {
    i18n.lang = "en";
    show(sittingAs("chair"));
    await loaded();
    expect(text(one("quorum"))).toBe("Present 9/12 delegates · 8 needed · Quorum reached");
    expect(text(one("sitting-close"))).toBe("Close the sitting");
    const unnamed = [...document.querySelectorAll<HTMLElement>("[data-testid=sitting-panel] button")].filter(
      (button) => (button.getAttribute("aria-label") ?? button.textContent ?? "").trim() === "",
    );
    expect(unnamed, "every button has a name").toEqual([]);
  });

  it("puts the item, the speaker and their time on the chamber's screen, full screen until Esc", async () => {
    show(
      sittingAs("chair", {
        speech: { member_id: "lan", name: "Hoàng Thị Lan", allowed_secs: 300, clock: { counted_ms: 125_000 }, spoken_before_ms: 0 },
        speakers: [{ member_id: "minh", name: "Trần Quang Minh", point_of_order: false, at: 3_000 }],
      }),
    );
    await loaded();
    one("projection-open").click();
    await until(() => find("projection") !== null, "the chamber's screen");
    expect(document.activeElement, "the keyboard is on the screen, for Esc").toBe(one("projection"));
    expect(text(one("projection-item"))).toContain("2 Dự toán ngân sách 2027");
    expect(text(one("projection-speaker"))).toBe("Hoàng Thị Lan");
    expect(text(one("projection-timer"))).toBe("02:05");
    expect(text(one("projection-next"))).toBe("Tiếp theo: Trần Quang Minh");
    expect(all("quorum"), "the quorum on the panel and on the screen").toHaveLength(2);
    await until(() => fullscreen.length === 1, "full screen asked for");

    one("projection").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    await until(() => find("projection") === null, "the screen closed");
    await until(() => fullscreen.length === 2, "full screen left");
    expect(fullscreen).toEqual([true, false]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.activeElement, "the keyboard back on the button that opened it").toBe(one("projection-open"));
  });
});
