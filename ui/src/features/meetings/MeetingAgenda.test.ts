// @vitest-environment jsdom
// The meeting page against a fake core: the IPC is mocked at the Tauri boundary, everything above it is real.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { i18n } from "../../lib/i18n.svelte";
import type { AgendaNodeView, MeetingAgenda as Agenda, MeetingStatus } from "../../lib/ipc/types";
import { sittingAs } from "../sitting/testing";
import MeetingAgenda from "./MeetingAgenda.svelte";

function item(number: string, title: string, planned_minutes: number | null, children: AgendaNodeView[] = []): AgendaNodeView {
  return { id: `item-${number}`, number, title, presenter: null, planned_minutes, paper_titles: [], mark: null, children };
}

// A day's programme, as long as a People's Council session's usually is.
const items = [
  item("1", "Khai mạc kỳ họp", 15),
  item("2", "Báo cáo tình hình kinh tế - xã hội năm 2026", 30),
  item("3", "Dự toán ngân sách nhà nước năm 2027", null, [
    item("3.1", "Tờ trình của Ủy ban nhân dân thành phố", 20),
    item("3.2", "Báo cáo thẩm tra của Ban Kinh tế - Ngân sách", 15),
  ]),
  item("4", "Thảo luận tại hội trường", 90),
  item("5", "Bế mạc kỳ họp", 10),
];

function agendaOf(status: MeetingStatus, changed: Partial<Agenda> = {}): Agenda {
  return {
    meeting: { id: "k9", title: "Kỳ họp thứ chín", starts_at: Date.UTC(2026, 11, 6, 1, 0), location: "Hội trường", status, item_count: 7, archivable: false, restorable: false },
    items,
    removed_items: [],
    ...changed,
  };
}

let view: ReturnType<typeof mount> | null = null;

function show(status: MeetingStatus, changed: Partial<Agenda> = {}) {
  mockIPC(
    (command) => {
      switch (command) {
        case "meeting_agenda":
          return agendaOf(status, changed);
        case "meeting_packet":
          return null;
        case "download_progress":
          return { state: "complete", detail: null, received: 0, total: 0, files: [] };
        case "sitting":
          return sittingAs("delegate", { meeting_id: "k9", current_item: { item_id: "item-3.1", clock: { counted_ms: 0 } } });
        default:
          throw { code: "internal", message: `unexpected command ${command}` };
      }
    },
    { shouldMockEvents: true },
  );
  view = mount(MeetingAgenda, {
    target: document.body,
    props: { meetingId: "k9", dataVersion: 0, canPrepare: false, onback: () => {}, onprepare: () => {}, onsessionlost: () => {} },
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    flushSync();
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never reached ${what}; the page shows: ${document.body.textContent}`);
}

function one(selector: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(selector);
  if (found === null) throw new Error(`nothing matches ${selector}`);
  return found;
}

beforeEach(() => {
  i18n.lang = "vi";
  // jsdom lays nothing out, so it cannot scroll; record where the page was asked to go.
  Element.prototype.scrollIntoView = vi.fn();
});

afterEach(async () => {
  if (view !== null) unmount(view);
  view = null;
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
});

describe("the meeting page", () => {
  it("lists a long programme's items to jump to, with their planned times, and lands the keyboard on the item", async () => {
    show("scheduled");
    await until(() => document.querySelector("[data-testid=agenda-jump]") !== null, "the jump list");
    const entries = [...document.querySelectorAll<HTMLButtonElement>("[data-testid=agenda-jump-item]")];
    expect(entries.map((entry) => entry.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "1 Khai mạc kỳ họp 15 phút",
      "2 Báo cáo tình hình kinh tế - xã hội năm 2026 30 phút",
      "3 Dự toán ngân sách nhà nước năm 2027",
      "3.1 Tờ trình của Ủy ban nhân dân thành phố 20 phút",
      "3.2 Báo cáo thẩm tra của Ban Kinh tế - Ngân sách 15 phút",
      "4 Thảo luận tại hội trường 90 phút",
      "5 Bế mạc kỳ họp 10 phút",
    ]);
    expect(one("[data-testid=agenda-jump]").getAttribute("aria-labelledby"), "the list is a named landmark").toBeTruthy();

    one("[data-testid=agenda-jump-item][data-agenda-item-id=item-4]").click();
    const heading = one("[data-agenda-item-id=item-4] [data-testid=agenda-item-heading]");
    expect(heading.scrollIntoView).toHaveBeenCalled();
    expect(document.activeElement, "the next Tab continues from item 4").toBe(heading);
    expect(one("[data-agenda-item-id=item-4] [data-testid=agenda-item-minutes]").textContent).toBe("Thời gian dự kiến: 90 phút");
    expect(document.querySelector("[data-testid=meeting-finished]")).toBeNull();
    expect(one("[data-testid=packet-none]").textContent).toContain("chưa được phát hành");
  });

  it("says a finished session is finished, not that its papers are still to come", async () => {
    show("closed");
    await until(() => document.querySelector("[data-testid=meeting-finished]") !== null, "the finished notice");
    expect(one("[data-testid=meeting-finished]").textContent).toBe("Kỳ họp đã kết thúc.");
    expect(one("[data-testid=packet-none]").textContent).not.toContain("chưa được phát hành");
    expect(document.body.textContent).toContain("Chủ nhật, 06/12/2026");
  });

  it("marks what the last published version changed in the programme, and names what it removed", async () => {
    show("scheduled", {
      items: [
        { ...item("1", "Khai mạc kỳ họp", 15), mark: "amended" },
        { ...item("2", "Chất vấn và trả lời chất vấn", 60), mark: "added" },
        item("3", "Bế mạc kỳ họp", 10),
      ],
      removed_items: ["Báo cáo tình hình kinh tế - xã hội năm 2026"],
    });
    await until(() => document.querySelector("[data-testid=agenda-item-mark]") !== null, "the change marks");
    const marks = [...document.querySelectorAll<HTMLElement>("[data-testid=agenda-item]")].map((item) => [
      item.dataset.agendaItemId,
      item.querySelector("[data-testid=agenda-item-mark]")?.textContent ?? null,
    ]);
    expect(marks).toEqual([
      ["item-1", "Đã sửa"],
      ["item-2", "Mới"],
      ["item-3", null],
    ]);
    expect(one("[data-testid=agenda-removed]").textContent).toContain(
      "Đã bỏ khỏi chương trình: Báo cáo tình hình kinh tế - xã hội năm 2026",
    );
  });

  it("shows the live sitting near the top, naming the item under way from the programme", async () => {
    show("in_progress");
    await until(() => document.querySelector("[data-testid=current-item]") !== null, "the sitting");
    const panel = one("[data-testid=sitting-panel]");
    const programme = one("[data-testid=agenda]");
    expect(panel.compareDocumentPosition(programme) & Node.DOCUMENT_POSITION_FOLLOWING, "above the programme").toBeTruthy();
    expect(one("[data-testid=current-item]").textContent).toContain("3.1 Tờ trình của Ủy ban nhân dân thành phố");
  });

  it("leaves the sitting out of an archived session", async () => {
    show("archived");
    await until(() => document.querySelector("[data-testid=agenda]") !== null, "the programme");
    expect(document.querySelector("[data-testid=sitting-panel]")).toBeNull();
  });
});
