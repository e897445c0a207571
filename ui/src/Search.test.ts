// @vitest-environment jsdom
// Searching every paper and opening a PDF from this computer, against a fake core: the IPC is mocked at the Tauri
// boundary, everything above it is real.
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { i18n } from "./lib/i18n.svelte";
import type { AppSnapshot, IpcError, MeetingSummary, OpenedPaper, SearchResults } from "./lib/ipc/types";
import { stubCanvas } from "./lib/testing/canvas";

const meeting: MeetingSummary = {
  id: "k10",
  title: "Kỳ họp thứ mười",
  starts_at: Date.UTC(2027, 0, 15, 1, 0),
  location: "Hội trường",
  status: "scheduled",
  item_count: 2,
  archivable: false,
  restorable: false,
};

const snapshot: AppSnapshot = {
  session: {
    server_url: "http://council.example:8470",
    member: { id: "m2", username: "delegate01", display_name: "Hoàng Thị Lan", role: "delegate" },
    council_name: "HĐND thành phố",
    may: { prepare_meetings: false, read_working_papers: false, approve_papers: false, publish_packets: false, manage_accounts: false },
  },
  sync: { connection: "online", last_synced_at: 1, detail: null },
  pdf_engine: { available: true, detail: "pdfium" },
};

function opened(paperId: string, title: string, extra: Partial<OpenedPaper> = {}): OpenedPaper {
  return {
    paper_id: paperId,
    title,
    page_count: 12,
    pages: Array.from({ length: 12 }, () => ({ width_pt: 595, height_pt: 842 })),
    outline: [],
    last_page: 0,
    searchable: true,
    ...extra,
  };
}

const results: SearchResults = {
  query: "hop khong giay",
  hits: [
    {
      meeting_id: "k10",
      meeting_title: "Kỳ họp thứ mười",
      paper_id: "to-trinh",
      paper_title: "Tờ trình về họp không giấy",
      page: 7,
      snippet: [
        { text: "triển khai ", hit: false },
        { text: "họp không giấy", hit: true },
        { text: " tại Hội đồng nhân dân", hit: false },
      ],
    },
    {
      meeting_id: "k10",
      meeting_title: "Kỳ họp thứ mười",
      paper_id: "bao-cao",
      paper_title: "Báo cáo thẩm tra",
      page: 0,
      snippet: [{ text: "Họp không giấy", hit: true }],
    },
  ],
  unsearchable: [{ meeting_id: "k10", meeting_title: "Kỳ họp thứ mười", paper_id: "scan", paper_title: "Công văn (bản quét)" }],
  unreadable: [{ meeting_id: "k10", meeting_title: "Kỳ họp thứ mười", paper_id: "hong", paper_title: "Phụ lục số liệu" }],
  progress: { indexed: 3, total: 9 },
};

type Call = { command: string; args: Record<string, unknown> };
let calls: Call[] = [];
let answers: Record<string, (args: Record<string, unknown>) => unknown> = {};
let app: ReturnType<typeof mount> | null = null;

function reject(error: IpcError): never {
  throw error;
}

function pageBytes(): ArrayBuffer {
  const bytes = new Uint8Array(8 + 4);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 1, true);
  view.setUint32(4, 1, true);
  bytes.set([255, 255, 255, 255], 8);
  return bytes.buffer;
}

function startApp() {
  mockIPC(
    (command, args) => {
      const given = (args ?? {}) as Record<string, unknown>;
      calls.push({ command, args: given });
      const answer = answers[command];
      if (answer !== undefined) return answer(given);
      switch (command) {
        case "app_snapshot":
          return snapshot;
        case "list_meetings":
          return [meeting];
        case "open_launch_pdf":
          // Started without a file to open.
          return null;
        case "search_index_progress":
          return { indexed: 3, total: 9 };
        case "search_papers":
          return given.query === results.query ? results : { ...results, query: given.query, hits: [] };
        case "open_paper":
          return opened(given.paperId as string, "Tờ trình về họp không giấy", { last_page: 2 });
        case "render_page":
          return pageBytes();
        case "page_text":
          return { page: given.pageIndex, text: "", boxes: [] };
        case "find_in_paper":
          return [
            { page: 2, start: 0, length: 14 },
            { page: 7, start: 11, length: 14 },
          ];
        case "remember_page":
        case "close_paper":
          return null;
        default:
          return reject({ code: "internal", message: `unexpected command ${command}` });
      }
    },
    { shouldMockEvents: true },
  );
  app = mount(App, { target: document.body });
}

function one(selector: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(selector);
  if (found === null) throw new Error(`nothing matches ${selector}`);
  return found;
}

async function until(condition: () => boolean, what = "the expected state"): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    flushSync();
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never reached ${what}; the app shows: ${document.body.textContent}`);
}

const shows = (selector: string) => () => document.querySelector(selector) !== null;
const called = (command: string) => calls.filter((call) => call.command === command);
const renderedPage = () => document.querySelector<HTMLElement>("[data-testid=paper-canvas]")?.dataset.renderedPage;

function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

beforeEach(() => {
  localStorage.clear();
  i18n.lang = "vi";
  calls = [];
  answers = {};
  stubCanvas();
});

afterEach(async () => {
  if (app !== null) unmount(app);
  app = null;
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("searching every paper", () => {
  it("finds pages without accents, marks the matched words, and names the scans it cannot look into and the files it could not read", async () => {
    startApp();
    await until(shows("[data-testid=meeting-list]"), "the meetings");
    const input = one("[data-testid=search-input]") as HTMLInputElement;
    expect(input.labels?.[0]?.textContent, "the search box has a name").toBe("Tìm trong tài liệu kỳ họp");

    type(input, "hop");
    type(input, "hop khong");
    type(input, results.query);
    await until(shows("[data-testid=search-hit]"), "the results");
    expect(called("search_papers"), "typing quickly searches once, when it rests").toHaveLength(1);
    expect(called("search_papers")[0]?.args).toEqual({ query: results.query });

    const hits = [...document.querySelectorAll<HTMLElement>("[data-testid=search-hit]")];
    expect(hits.map((hit) => [hit.dataset.paperId, hit.dataset.page])).toEqual([
      ["to-trinh", "7"],
      ["bao-cao", "0"],
    ]);
    expect(hits[0]?.textContent).toContain("Trang 8");
    // One row per paper, best paper first, naming its meeting and how many of its pages match.
    const papers = [...document.querySelectorAll<HTMLElement>("[data-testid=search-paper]")];
    expect(papers.map((paper) => paper.dataset.paperId)).toEqual(["to-trinh", "bao-cao"]);
    expect(papers[0]?.textContent).toContain("Tờ trình về họp không giấy");
    expect(papers[0]?.textContent).toContain("Kỳ họp thứ mười");
    expect(papers[0]?.querySelector("[data-testid=search-paper-count]")?.textContent).toBe("1 trang có kết quả");
    expect(one("[data-testid=search-summary]").textContent).toContain("Tìm thấy ở 2 trang trong 2 tài liệu");
    expect(
      (one("[data-testid=meeting-list]").closest("[hidden]") as HTMLElement | null)?.hidden,
      "the results are a view of their own: the meetings wait hidden underneath",
    ).toBe(true);
    expect([...(hits[0]?.querySelectorAll("mark") ?? [])].map((mark) => mark.textContent)).toEqual(["họp không giấy"]);
    expect(one("[data-testid=search-unsearchable]").textContent).toContain(
      "Không tìm được trong các tài liệu quét (không có chữ):",
    );
    expect(one("[data-testid=search-unsearchable]").textContent).toContain("Công văn (bản quét)");
    // A file the PDF engine could not read is not a scan: it is listed apart, saying so.
    expect(one("[data-testid=search-unsearchable]").textContent).not.toContain("Phụ lục số liệu");
    expect(one("[data-testid=search-unreadable]").textContent).toContain("Không đọc được các tài liệu này");
    expect(one("[data-testid=search-unreadable]").textContent).toContain("Phụ lục số liệu");
    expect(one("[data-testid=search-progress]").textContent?.trim()).toBe(
      "Đang lập chỉ mục tìm kiếm: 3/9 tài liệu. Kết quả có thể chưa đầy đủ.",
    );

    await emit("search-index-progress", { indexed: 9, total: 9 });
    await until(() => document.querySelector("[data-testid=search-progress]") === null, "indexing finished");
    await until(() => called("search_papers").length === 2, "the search run again over the new papers");
  });

  it("says helpfully when nothing matches, and searches at once on Enter", async () => {
    startApp();
    await until(shows("[data-testid=meeting-list]"), "the meetings");
    const input = one("[data-testid=search-input]") as HTMLInputElement;
    type(input, "ngân khố");
    one("[data-testid=search-submit]").click();
    await until(shows("[data-testid=search-empty]"), "the empty result");
    expect(called("search_papers")).toHaveLength(1);
    expect(one("[data-testid=search-empty]").textContent).toContain("Không tìm thấy “ngân khố”");
    expect(one("[data-testid=search-empty]").textContent, "and that accents are not needed").toContain("Không cần gõ dấu");

    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    await until(() => document.querySelector("[data-testid=search-results]") === null, "the results closed");
    expect(one("[data-testid=meeting-list]").closest("[hidden]"), "the meetings back as they were").toBeNull();
  });

  it("opens a result in the reader on its page, with its words found and highlighted", async () => {
    startApp();
    await until(shows("[data-testid=meeting-list]"), "the meetings");
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "/", bubbles: true, cancelable: true }));
    const input = one("[data-testid=search-input]") as HTMLInputElement;
    expect(document.activeElement, "/ goes to the search box").toBe(input);
    type(input, results.query);
    await until(shows("[data-testid=search-hit]"), "the results");

    one("[data-testid=search-hit][data-paper-id=to-trinh]").click();
    await until(() => renderedPage() === "7", "page 8 drawn");
    expect(called("open_paper")[0]?.args).toEqual({ meetingId: "k10", paperId: "to-trinh" });
    await until(() => called("find_in_paper").length === 1, "the words found in the paper");
    expect(called("find_in_paper")[0]?.args).toEqual({ paperId: "to-trinh", query: results.query });
    await until(() => one("[data-testid=viewer-find-count]").textContent?.trim() === "2/2", "the hit on page 8 current");

    one("[data-testid=viewer-close]").click();
    await until(() => document.querySelector("[data-testid=paper-viewer]") === null, "the reader closed");
    await until(
      () => document.activeElement === document.querySelector("[data-testid=search-hit][data-paper-id=to-trinh]"),
      "the keyboard back on the result",
    );
  });
});

describe("a PDF from this computer", () => {
  it("asks for the password of a protected file until it is right, then opens it", async () => {
    let attempts = 0;
    answers.open_local_pdf = () => reject({ code: "pdf_password_protected", message: "needs a password" });
    answers.unlock_local_pdf = (args) => {
      attempts++;
      if (args.password !== "bí-mật") reject({ code: "pdf_wrong_password", message: "wrong password" });
      return opened("local-1", "Báo cáo riêng.pdf", { last_page: 1 });
    };
    startApp();
    await until(shows("[data-testid=meeting-list]"), "the meetings");
    one("[data-testid=open-local-pdf]").click();
    await until(shows("[data-testid=pdf-password]"), "the password dialog");
    const password = one("[data-testid=pdf-password]") as HTMLInputElement;
    expect(password.type).toBe("password");
    expect(password.labels?.[0]?.textContent).toBe("Mật khẩu của tệp");
    expect(document.activeElement).toBe(password);

    type(password, "sai");
    one("[data-testid=pdf-password-submit]").click();
    await until(shows("[data-testid=pdf-password-error]"), "the wrong password said");
    expect(one("[data-testid=pdf-password-error]").textContent).toContain("Mật khẩu không đúng");
    expect(password.value, "cleared for another try").toBe("");
    await until(() => document.activeElement === password, "the field focused again");
    expect(password.getAttribute("aria-invalid")).toBe("true");

    type(password, "bí-mật");
    one("[data-testid=pdf-password-submit]").click();
    await until(() => renderedPage() === "1", "the file open where it was left");
    expect(attempts).toBe(2);
    expect(called("unlock_local_pdf").map((call) => call.args)).toEqual([{ password: "sai" }, { password: "bí-mật" }]);
    expect(document.querySelector("[data-testid=pdf-password]"), "the dialog is gone").toBeNull();
    expect(one("#viewer-title").textContent).toBe("Báo cáo riêng.pdf");
    expect(called("open_paper"), "an opened file is not opened again").toHaveLength(0);
    expect(called("render_page")[0]?.args).toMatchObject({ paperId: "local-1" });
  });

  it("opens the PDF the app was started with, asking for its password first", async () => {
    let launched = false;
    answers.open_launch_pdf = () => {
      // The core hands the launch file out once.
      if (launched) return null;
      launched = true;
      return reject({ code: "pdf_password_protected", message: "needs a password" });
    };
    answers.unlock_local_pdf = () => opened("local-2", "Tài liệu gửi riêng.pdf");
    startApp();
    await until(shows("[data-testid=pdf-password]"), "the password dialog, without any click");
    type(one("[data-testid=pdf-password]") as HTMLInputElement, "matkhau");
    one("[data-testid=pdf-password-submit]").click();
    await until(() => renderedPage() === "0", "the file open on its first page");
    expect(one("#viewer-title").textContent).toBe("Tài liệu gửi riêng.pdf");
    expect(called("open_local_pdf"), "no file dialog was needed").toHaveLength(0);
  });

  it("does nothing when the file dialog is cancelled, and can give up on a password", async () => {
    answers.open_local_pdf = () => null;
    startApp();
    await until(shows("[data-testid=meeting-list]"), "the meetings");
    one("[data-testid=open-local-pdf]").click();
    await until(() => called("open_local_pdf").length === 1, "the dialog asked for");
    await new Promise((resolve) => setTimeout(resolve, 20));
    flushSync();
    expect(document.querySelector("[data-testid=paper-viewer]")).toBeNull();
    expect(document.querySelector("[data-testid=open-local-error]")).toBeNull();

    answers.open_local_pdf = () => reject({ code: "pdf_password_protected", message: "needs a password" });
    one("[data-testid=open-local-pdf]").click();
    await until(shows("[data-testid=pdf-password]"), "the password dialog");
    one("[data-testid=pdf-password-cancel]").click();
    await until(() => document.querySelector("[data-testid=pdf-password]") === null, "the dialog closed");
    await until(() => document.activeElement === one("[data-testid=open-local-pdf]"), "the keyboard back on the button");
  });

  it("says a file locked by a certificate cannot be opened, instead of asking for a password that cannot work", async () => {
    answers.open_local_pdf = () => reject({ code: "pdf_unsupported_security", message: "unsupported security handler" });
    startApp();
    await until(shows("[data-testid=meeting-list]"), "the meetings");
    one("[data-testid=open-local-pdf]").click();
    await until(shows("[data-testid=open-local-error]"), "the refusal said");
    expect(one("[data-testid=open-local-error]").textContent).toContain("không phải mật khẩu");
    expect(document.querySelector("[data-testid=pdf-password]"), "no password asked for").toBeNull();
  });
});
