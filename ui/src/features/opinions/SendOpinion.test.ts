// @vitest-environment jsdom
// The opinion form and the secretary's list against a fake core: the IPC is mocked at the Tauri boundary, everything
// above it is real.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { i18n } from "../../lib/i18n.svelte";
import type { ItemOpinions, MeetingOpinions, OpinionView } from "../../lib/ipc/types";
import OpinionsView from "./OpinionsView.svelte";
import SendOpinion from "./SendOpinion.svelte";

const sent: OpinionView = {
  id: "y1",
  item_id: "i3-1",
  author_id: "d1",
  author_name: "Nguyễn Văn An",
  own: true,
  versions: [
    {
      version: 1,
      body: "Đề nghị làm rõ cơ sở dự báo thu.",
      paper: { paper_id: "to-trinh", page: 2, quote: "dự toán thu ngân sách" },
      sent_at: Date.UTC(2026, 11, 5, 2, 0),
      withdrawn: false,
      sync: { state: "synced" },
    },
    {
      version: 2,
      body: "Đề nghị làm rõ cơ sở dự báo thu và bổ sung số liệu quý IV.",
      paper: { paper_id: "to-trinh", page: 2, quote: "dự toán thu ngân sách" },
      sent_at: Date.UTC(2026, 11, 5, 3, 30),
      withdrawn: false,
      sync: { state: "synced" },
    },
  ],
};

function items(opinions: OpinionView[] = []): ItemOpinions[] {
  return [
    { item_id: "i1", number: "1", title: "Khai mạc kỳ họp", paper_ids: [], opinions: [] },
    { item_id: "i3-1", number: "3.1", title: "Tờ trình dự toán ngân sách 2027", paper_ids: ["to-trinh"], opinions },
  ];
}

let view: ReturnType<typeof mount> | null = null;
let calls: { command: string; args: Record<string, unknown> }[] = [];

function fakeCore(opinions: MeetingOpinions, send: () => unknown = () => sent) {
  calls = [];
  mockIPC((command, args) => {
    calls.push({ command, args: (args ?? {}) as Record<string, unknown> });
    switch (command) {
      case "meeting_opinions":
        return opinions;
      case "send_opinion":
        return send();
      case "edit_opinion":
        return sent;
      default:
        throw { code: "internal", message: `unexpected command ${command}` };
    }
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

function one<T extends HTMLElement = HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (found === null) throw new Error(`nothing matches ${selector}`);
  return found;
}

function type(selector: string, text: string) {
  const field = one<HTMLTextAreaElement>(selector);
  field.value = text;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

beforeEach(() => {
  i18n.lang = "vi";
});

afterEach(async () => {
  if (view !== null) unmount(view);
  view = null;
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
});

describe("sending an opinion from the reader", () => {
  it("starts on the paper's item, shows the quoted passage, and sends it linked to the paper and page", async () => {
    fakeCore({ meeting_id: "k10", items: items(), may_send: true, reads_all: false });
    view = mount(SendOpinion, {
      target: document.body,
      props: { meetingId: "k10", paperId: "to-trinh", page: 2, quote: "dự toán thu ngân sách", onclose: () => {} },
    });
    await until(() => document.querySelector("[data-testid=opinion-item]") !== null, "the form");
    expect(one<HTMLSelectElement>("[data-testid=opinion-item]").value, "the item the paper sits under").toBe("i3-1");
    expect(one("[data-testid=opinion-quote]").textContent).toContain("Đoạn trích, trang 3");
    expect(one("[data-testid=opinion-quote] blockquote").textContent).toBe("dự toán thu ngân sách");
    expect(one("[role=dialog]").getAttribute("aria-labelledby"), "the dialog is named by its title").toBeTruthy();
    expect(document.activeElement, "the keyboard starts in the words").toBe(one("[data-testid=opinion-body]"));

    one("[data-testid=opinion-send]").click();
    await until(() => one("[data-testid=opinion-problem]").textContent !== "", "the empty-words notice");
    expect(one("[data-testid=opinion-problem]").textContent).toBe("Hãy viết nội dung ý kiến trước khi gửi.");
    expect(calls.some((c) => c.command === "send_opinion"), "nothing is sent without words").toBe(false);

    type("[data-testid=opinion-body]", "Đề nghị làm rõ cơ sở dự báo thu.");
    one("[data-testid=opinion-send]").click();
    await until(() => document.querySelector("[data-testid=opinion-sent]") !== null, "the sent notice");
    expect(calls.find((c) => c.command === "send_opinion")?.args).toEqual({
      opinion: {
        meeting_id: "k10",
        item_id: "i3-1",
        paper: { paper_id: "to-trinh", page: 2, quote: "dự toán thu ngân sách" },
        body: "Đề nghị làm rõ cơ sở dự báo thu.",
      },
    });
    expect(one("[data-testid=opinion-sent]").textContent).toContain("phiên bản 2");
  });

  it("tells a refusal by its code, in the member's language", async () => {
    fakeCore({ meeting_id: "k10", items: items(), may_send: true, reads_all: false }, () => {
      throw { code: "conflict", message: "the meeting is archived" };
    });
    i18n.lang = "en";
    view = mount(SendOpinion, { target: document.body, props: { meetingId: "k10", paperId: "to-trinh", page: 0, onclose: () => {} } });
    await until(() => document.querySelector("[data-testid=opinion-body]") !== null, "the form");
    expect(document.body.textContent).toContain("Page 1 of the paper being read");
    type("[data-testid=opinion-body]", "Agreed.");
    one("[data-testid=opinion-send]").click();
    await until(() => one("[data-testid=opinion-problem]").textContent !== "", "the refusal");
    expect(one("[data-testid=opinion-problem]").textContent).toBe("The session is archived and takes no more opinions.");
  });

  it("says who may send instead of offering a form to the secretariat", async () => {
    fakeCore({ meeting_id: "k10", items: items(), may_send: false, reads_all: true });
    view = mount(SendOpinion, { target: document.body, props: { meetingId: "k10", paperId: "to-trinh", page: 0, onclose: () => {} } });
    await until(() => document.querySelector("[data-testid=opinion-unavailable]") !== null, "the notice");
    expect(one("[data-testid=opinion-unavailable]").textContent?.trim()).toBe(
      "Chỉ đại biểu và chủ tọa dự kỳ họp này mới gửi được ý kiến.",
    );
    expect(document.querySelector("[data-testid=opinion-send]")).toBeNull();
  });
});

describe("the secretary's opinions per agenda item", () => {
  it("shows each opinion under its item with its author and every version, and opens the linked page", async () => {
    fakeCore({ meeting_id: "k10", items: items([{ ...sent, own: false }]), may_send: false, reads_all: true });
    const opened: [string, number][] = [];
    view = mount(OpinionsView, {
      target: document.body,
      props: {
        meetingId: "k10",
        dataVersion: 0,
        onclose: () => {},
        onopenpaper: (paperId: string, page: number) => opened.push([paperId, page]),
        onsessionlost: () => {},
      },
    });
    await until(() => document.querySelector("[data-testid=opinion]") !== null, "the opinions");
    const under = one("[data-testid=opinions-item][data-item-id=i3-1]");
    expect(under.querySelector("h3")?.textContent?.trim()).toBe("3.1. Tờ trình dự toán ngân sách 2027");
    expect(under.querySelector("[data-testid=opinion-author]")?.textContent).toBe("Nguyễn Văn An");
    const versions = [...under.querySelectorAll<HTMLElement>("[data-testid=opinion-version]")];
    expect(versions.map((v) => v.dataset.version)).toEqual(["1", "2"]);
    expect(versions[1]?.querySelector("[data-testid=opinion-body-text]")?.textContent).toBe(
      "Đề nghị làm rõ cơ sở dự báo thu và bổ sung số liệu quý IV.",
    );
    expect(versions[0]?.textContent, "each version says when it was received").toContain("09:00");
    expect(one("[data-testid=opinions-item][data-item-id=i1]").textContent).toContain("Chưa có ý kiến về mục này.");
    expect(document.querySelector("[data-testid=opinion-edit]"), "the secretariat reads; it does not edit").toBeNull();

    versions[1]?.querySelector<HTMLButtonElement>("[data-testid=opinion-open-paper]")?.click();
    expect(opened).toEqual([["to-trinh", 2]]);
  });
});

describe("a delegate's own opinions", () => {
  it("edits one as a new version with the words typed, and refuses empty words before asking the core", async () => {
    fakeCore({ meeting_id: "k10", items: items([sent]), may_send: true, reads_all: false });
    view = mount(OpinionsView, {
      target: document.body,
      props: { meetingId: "k10", dataVersion: 0, onclose: () => {}, onopenpaper: () => {}, onsessionlost: () => {} },
    });
    await until(() => document.querySelector("[data-testid=opinion-edit]") !== null, "the edit button");
    expect(document.body.textContent).toContain("Ý kiến của bạn theo mục chương trình");
    one("[data-testid=opinion-edit]").click();
    flushSync();
    expect(one<HTMLTextAreaElement>("[data-testid=opinion-edit-body]").value, "the edit starts from the latest words").toBe(
      "Đề nghị làm rõ cơ sở dự báo thu và bổ sung số liệu quý IV.",
    );
    type("[data-testid=opinion-edit-body]", "   ");
    one("[data-testid=opinion-save-edit]").click();
    flushSync();
    expect(document.body.textContent).toContain("Hãy viết nội dung ý kiến trước khi gửi.");
    expect(calls.some((c) => c.command === "edit_opinion")).toBe(false);

    type("[data-testid=opinion-edit-body]", "Tán thành, đề nghị bổ sung số liệu quý IV.");
    one("[data-testid=opinion-save-edit]").click();
    await until(() => calls.some((c) => c.command === "edit_opinion"), "the edit sent");
    expect(calls.find((c) => c.command === "edit_opinion")?.args).toEqual({
      opinionId: "y1",
      body: "Tán thành, đề nghị bổ sung số liệu quý IV.",
    });
  });
});
