// @vitest-environment jsdom
// The packet's stories against a fake core: the IPC is mocked at the Tauri boundary, everything above it is real.
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { i18n } from "./lib/i18n.svelte";
import type {
  AppSnapshot,
  DownloadProgress,
  IpcError,
  MeetingAgenda,
  MeetingDraft,
  MeetingPacket,
  MeetingStorageView,
  MeetingSummary,
  PacketPaperView,
  Role,
  RolePermissions,
  SessionInfo,
  UploadProgress,
} from "./lib/ipc/types";
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

const agenda: MeetingAgenda = {
  meeting,
  removed_items: [],
  items: [
    { id: "a1", number: "1", title: "Khai mạc", presenter: null, planned_minutes: null, paper_titles: [], mark: null, children: [] },
    {
      id: "a2",
      number: "2",
      title: "Dự toán ngân sách 2027",
      presenter: "Giám đốc Sở Tài chính",
      planned_minutes: 90,
      paper_titles: [],
      mark: null,
      children: [],
    },
  ],
};

function paper(id: string, extra: Partial<PacketPaperView> = {}): PacketPaperView {
  return {
    paper_id: id,
    title: `Tài liệu ${id}`,
    kind: "submission",
    place: { at: "item", item_id: "a2" },
    position: 1,
    revision: 1,
    restricted: false,
    file: { hash: `hash-${id}`, size: 2048, pages: 10, file_name: `${id}.pdf` },
    held: false,
    mark: null,
    ...extra,
  };
}

function packetV2(): MeetingPacket {
  return {
    meeting_id: meeting.id,
    version: 2,
    published_at: Date.UTC(2027, 0, 10, 3, 0),
    baseline: 1,
    papers: [
      paper("to-trinh", { title: "Tờ trình dự toán", held: true, mark: "replaced", revision: 2 }),
      paper("du-thao", { title: "Dự thảo nghị quyết", kind: "draft_resolution", position: 2, mark: "added" }),
      paper("mat", { title: "Báo cáo mật", kind: "review_report", position: 3, restricted: true, file: null }),
      paper("thong-bao", {
        title: "Thông báo triệu tập",
        kind: "other",
        place: { at: "section", section: "announcements" },
        held: true,
      }),
    ],
    removed_titles: ["Phụ lục cũ"],
    total_bytes: 6144,
    held_bytes: 4096,
    participants: [
      { member_id: "m1", display_name: "Nguyễn Văn Thành", meeting_role: "chair", votes: true },
      { member_id: "m2", display_name: "Hoàng Thị Lan", meeting_role: "delegate", votes: true },
      { member_id: "m3", display_name: "Phạm Đức Anh", meeting_role: "guest", votes: false },
    ],
    released: false,
  };
}

function may(role: Role): RolePermissions {
  return {
    prepare_meetings: role === "secretary",
    read_working_papers: role === "secretary" || role === "chair",
    approve_papers: role === "chair",
    publish_packets: role === "secretary",
    manage_accounts: role === "administrator",
  };
}

function sessionAs(role: Role): SessionInfo {
  return {
    server_url: "http://council.example:8470",
    member: { id: "me", username: role, display_name: "Người dùng", role },
    council_name: "HĐND thành phố",
    may: may(role),
  };
}

function draft(): MeetingDraft {
  return {
    meeting,
    items: agenda.items,
    papers: [
      {
        paper_id: "d1",
        place: { at: "item", item_id: "a2" },
        position: 1,
        title: "Tờ trình dự toán",
        kind: "submission",
        visibility: { scope: "all_participants" },
        file: { hash: "h1", size: 87516, pages: 10, file_name: "01-to-trinh.pdf" },
        revision: 1,
        source: null,
        review: { state: "pending" },
        withdrawn: false,
        updated_at: 0,
      },
    ],
    participants: [],
    participants_are_default: true,
    members: [
      { id: "m1", username: "chair", display_name: "Nguyễn Văn Thành", role: "chair" },
      { id: "m2", username: "delegate01", display_name: "Hoàng Thị Lan", role: "delegate" },
    ],
    published_version: 1,
    publish: { state: "not_approved", titles: ["Tờ trình dự toán"] },
  };
}

type Call = { command: string; args: Record<string, unknown> };

type FakeCore = {
  role: Role;
  packet: MeetingPacket | null;
  progress: DownloadProgress;
  storage: MeetingStorageView[];
  draft: MeetingDraft;
  calls: Call[];
  /** Answers for commands a test wants to fail or shape. */
  answers: Record<string, (args: Record<string, unknown>) => unknown>;
};

let core: FakeCore;
let app: ReturnType<typeof mount> | null = null;

function reject(error: IpcError): never {
  throw error;
}

/** A 2×1 page: one red pixel, one white. */
function pageBytes(): ArrayBuffer {
  const bytes = new Uint8Array(8 + 8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 2, true);
  view.setUint32(4, 1, true);
  bytes.set([255, 0, 0, 255, 255, 255, 255, 255], 8);
  return bytes.buffer;
}

function startCore(role: Role, arranged: Partial<FakeCore> = {}) {
  core = {
    role,
    packet: packetV2(),
    progress: { state: "downloading", detail: null, received: 0, total: 2048, files: [] },
    storage: [],
    draft: draft(),
    calls: [],
    answers: {},
    ...arranged,
  };
  const snapshot: AppSnapshot = {
    session: sessionAs(role),
    sync: { connection: "online", last_synced_at: 1, detail: null },
    pdf_engine: { available: true, detail: "pdfium" },
  };
  mockIPC(
    (command, args) => {
      const given = (args ?? {}) as Record<string, unknown>;
      core.calls.push({ command, args: given });
      const answer = core.answers[command];
      if (answer !== undefined) return answer(given);
      switch (command) {
        case "app_snapshot":
          return snapshot;
        case "list_meetings":
          return [meeting];
        case "meeting_agenda":
          return agenda;
        case "meeting_packet":
          return core.packet;
        case "open_launch_pdf":
          // Started without a file to open.
          return null;
        case "search_index_progress":
          return { indexed: 0, total: 0 };
        case "download_progress":
          return core.progress;
        case "acknowledge_packet":
          if (core.packet !== null) core.packet = { ...core.packet, baseline: core.packet.version };
          return null;
        case "open_paper":
          return {
            paper_id: given.paperId,
            title: "Tờ trình dự toán",
            page_count: 3,
            pages: [0, 1, 2].map(() => ({ width_pt: 595, height_pt: 842 })),
            outline: [],
            last_page: 0,
            searchable: true,
          };
        case "page_text":
          return { page: given.pageIndex, text: "", boxes: [] };
        case "remember_page":
          return null;
        case "render_page":
          return pageBytes();
        case "close_paper":
        case "pause_downloads":
        case "resume_downloads":
        case "release_meeting":
        case "keep_meeting":
        case "move_agenda_item":
        case "approve_paper":
        case "return_paper":
        case "withdraw_paper_approval":
          return null;
        case "open_draft_paper":
          return {
            paper_id: given.paperId,
            title: "Tờ trình dự toán",
            page_count: 3,
            pages: [0, 1, 2].map(() => ({ width_pt: 595, height_pt: 842 })),
            outline: [],
            last_page: 0,
            searchable: true,
          };
        case "storage_overview":
          return core.storage;
        case "meeting_draft":
          return core.draft;
        case "watched_folder":
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

function texts(selector: string): string[] {
  return [...document.querySelectorAll<HTMLElement>(selector)].map((element) => element.textContent?.trim() ?? "");
}

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 80; attempt++) {
    flushSync();
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the UI never reached the expected state; it shows: ${document.body.textContent}`);
}

const shows = (selector: string) => () => document.querySelector(selector) !== null;
/** The page whose pixels are on the current page's canvas; the canvas exists only once the paper is open. */
const renderedPage = () => document.querySelector<HTMLElement>("[data-testid=paper-canvas]")?.dataset.renderedPage;
const called = (command: string) => core.calls.filter((call) => call.command === command);
const paperRow = (id: string) => one(`[data-testid=paper][data-paper-id="${id}"]`);

async function openMeeting() {
  await until(shows("[data-testid=meeting-item]"));
  one("[data-testid=meeting-item]").click();
  await until(shows("[data-testid=packet-status]"));
}

let drawn: ImageData[] = [];

beforeEach(() => {
  localStorage.clear();
  i18n.lang = "vi";
  drawn = [];
  stubCanvas((image: ImageData) => drawn.push(image));
});

afterEach(async () => {
  if (app !== null) unmount(app);
  app = null;
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("a delegate", () => {
  it("sees each item's papers, what changed since version 1, and a confidential paper without a way in", async () => {
    startCore("delegate");
    await openMeeting();

    expect(one("[data-testid=news-banner] h2").textContent).toBe("Đã có phiên bản tài liệu số 2");
    one("[data-testid=news-toggle]").click();
    flushSync();
    expect(texts("[data-testid=news-added] li")).toEqual(["Dự thảo nghị quyết"]);
    expect(texts("[data-testid=news-replaced] li")).toEqual(["Tờ trình dự toán"]);
    expect(texts("[data-testid=news-removed] li")).toEqual(["Phụ lục cũ"]);

    const budget = one('[data-agenda-item-id="a2"]');
    expect([...budget.querySelectorAll("[data-testid=paper-title]")].map((e) => e.textContent)).toEqual([
      "Tờ trình dự toán",
      "Dự thảo nghị quyết",
      "Báo cáo mật",
    ]);
    expect(paperRow("to-trinh").querySelector("[data-testid=paper-mark]")?.textContent).toBe("Đã thay thế");
    expect(paperRow("du-thao").querySelector("[data-testid=paper-mark]")?.textContent).toBe("Mới");
    expect(paperRow("to-trinh").textContent).toContain("10 trang · 2 KB");

    const secret = paperRow("mat");
    expect(secret.querySelector("[data-testid=paper-confidential]")?.textContent?.trim()).toBe("Tài liệu mật");
    expect(secret.querySelector("button"), "no open button for a paper the member may not read").toBeNull();
    expect(secret.querySelector("svg"), "a lock shows it").not.toBeNull();

    const announcements = one("[data-testid=packet-section][data-section=announcements]");
    expect(announcements.querySelector("h2")?.textContent).toBe("Thông báo");
    expect(announcements.textContent).toContain("Thông báo triệu tập");
    expect(texts("[data-testid=delegate] .name")).toEqual(["Nguyễn Văn Thành", "Hoàng Thị Lan", "Phạm Đức Anh"]);
    expect(one("[data-testid=delegate-list]").textContent).toContain("3 người tham dự, 2 người có quyền biểu quyết");
    expect(document.querySelector("[data-testid=open-prepare]"), "a delegate prepares nothing").toBeNull();

    one("[data-testid=news-acknowledge]").click();
    await until(() => document.querySelector("[data-testid=news-banner]") === null);
    expect(called("acknowledge_packet")[0]?.args).toEqual({ meetingId: meeting.id });
  });

  it("watches a paper download, pauses the packet, and opens the paper once it is here", async () => {
    startCore("delegate");
    await openMeeting();

    const bar = paperRow("du-thao").querySelector("progress") as HTMLProgressElement;
    expect(bar.getAttribute("aria-label")).toBe("Tiến độ tải tài liệu Dự thảo nghị quyết");
    expect(one("[data-testid=packet-progress-text]").dataset.percent).toBe("66");

    const halfway: DownloadProgress = {
      state: "downloading",
      detail: null,
      received: 1024,
      total: 2048,
      files: [{ hash: "hash-du-thao", received: 1024, total: 2048, state: "downloading", detail: null }],
    };
    await emit("download-progress", halfway);
    await until(() => paperRow("du-thao").textContent?.includes("Đang tải 50%") ?? false);
    expect(one("[data-testid=packet-progress-text]").dataset.percent).toBe("83");

    one("[data-testid=downloads-toggle]").click();
    await until(() => called("pause_downloads").length === 1);
    await emit("download-progress", { ...halfway, state: "paused" });
    await until(() => one("[data-testid=downloads-toggle]").textContent?.trim() === "Tiếp tục tải");

    core.packet = {
      ...packetV2(),
      papers: packetV2().papers.map((p) => (p.paper_id === "du-thao" ? { ...p, held: true } : p)),
    };
    await emit("download-progress", {
      ...halfway,
      state: "complete",
      files: [{ hash: "hash-du-thao", received: 2048, total: 2048, state: "done", detail: null }],
    });
    await until(() => paperRow("du-thao").querySelector("[data-testid=paper-open]") !== null);
    expect(one("[data-testid=packet-status]").dataset.complete).toBe("true");
    expect(one("[data-testid=packet-status]").textContent).toContain("Đã tải đủ tài liệu về máy");

    const open = paperRow("du-thao").querySelector<HTMLElement>("[data-testid=paper-open]");
    expect(open?.getAttribute("aria-label")).toBe("Mở tài liệu Dự thảo nghị quyết");
    open?.click();
    await until(() => renderedPage() === "0");
    expect(called("open_paper")[0]?.args).toEqual({ meetingId: meeting.id, paperId: "du-thao" });
    expect(drawn[0]?.width, "the raw pixels reach the canvas as they are").toBe(2);
    expect([...(drawn[0]?.data ?? [])].slice(0, 4)).toEqual([255, 0, 0, 255]);
    expect(one("[data-testid=viewer-page]").textContent?.trim()).toBe("Trang 1/3");
    expect(document.activeElement?.getAttribute("data-testid"), "the keyboard is in the viewer").toBe("paper-viewer");

    one("[data-testid=paper-viewer]").dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    await until(() => renderedPage() === "1");
    expect(
      called("render_page").filter((call) => call.args.pageIndex === 1),
      "page 2 was rendered once, ahead of the turn, and painted from the cache",
    ).toHaveLength(1);
    one("[data-testid=viewer-previous]").click();
    await until(() => renderedPage() === "0");

    one("[data-testid=paper-viewer]").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await until(() => document.querySelector("[data-testid=paper-viewer]") === null);
    await until(() => called("close_paper").length === 1);
    await until(() => document.activeElement === paperRow("du-thao").querySelector("[data-testid=paper-open]"));
  });

  it("is told in Vietnamese why a paper cannot open yet", async () => {
    startCore("delegate", {
      answers: { open_paper: () => reject({ code: "paper_damaged", message: "damaged" }) },
    });
    await openMeeting();
    paperRow("to-trinh").querySelector<HTMLElement>("[data-testid=paper-open]")?.click();
    await until(shows("[data-testid=viewer-error]"));
    expect(one("[data-testid=viewer-error]").textContent?.trim()).toBe(
      "Tệp tài liệu trên máy bị hỏng nên đang được tải lại. Hãy chờ tải xong rồi mở lại.",
    );
  });

  it("removes an old session's papers from the device after confirming, and can keep them again", async () => {
    startCore("delegate", {
      storage: [
        { meeting_id: "k10", title: "Kỳ họp thứ mười", starts_at: meeting.starts_at, held_bytes: 3 * 1024 * 1024, released: false },
        { meeting_id: "k9", title: "Kỳ họp thứ chín", starts_at: 0, held_bytes: 0, released: true },
      ],
    });
    await until(shows("[data-testid=open-storage]"));
    one("[data-testid=open-storage]").click();
    await until(shows("[data-testid=storage-meeting]"));
    expect(one("[data-testid=storage-total]").textContent).toBe("Tổng cộng: 3 MB");

    one('[data-storage-meeting-id="k10"] [data-testid=storage-release]').click();
    flushSync();
    expect(one("[data-testid=storage-confirm]").textContent).toContain("Kỳ họp thứ mười");
    one("[data-testid=storage-confirm-cancel]").click();
    flushSync();
    expect(document.querySelector("[data-testid=storage-confirm]")).toBeNull();
    expect(called("release_meeting"), "cancelling removes nothing").toEqual([]);

    one('[data-storage-meeting-id="k10"] [data-testid=storage-release]').click();
    flushSync();
    one("[data-testid=storage-confirm-release]").click();
    await until(() => called("release_meeting").length === 1);
    expect(called("release_meeting")[0]?.args).toEqual({ meetingId: "k10" });
    await until(() => called("storage_overview").length === 2);
    expect(document.querySelector("[data-testid=storage-confirm]")).toBeNull();

    one('[data-storage-meeting-id="k9"] [data-testid=storage-keep]').click();
    await until(() => called("keep_meeting").length === 1);
    expect(called("keep_meeting")[0]?.args).toEqual({ meetingId: "k9" });
  });
});

async function openPreparation() {
  await openMeeting();
  one("[data-testid=open-prepare]").click();
  await until(shows("[data-testid=programme-editor]"));
}

describe("the secretary", () => {
  it("sees why an imported file was refused, in Vietnamese, with the file's name", async () => {
    startCore("secretary", {
      answers: {
        import_papers: () => {
          const refused: UploadProgress = {
            upload_id: "u1",
            file_name: "password-matkhau.pdf",
            stage: "failed",
            sent: 0,
            total: 0,
            error: { code: "pdf_password_protected", message: "password" },
          };
          void emit("upload-progress", { ...refused, stage: "checking", error: null });
          void emit("upload-progress", refused);
          return [{ file_name: refused.file_name, paper_id: null, error: refused.error }];
        },
      },
    });
    await openPreparation();
    expect(document.querySelector("[data-testid=draft-paper-approve]"), "the secretary does not approve").toBeNull();

    const importButton = one('[data-drop-place="item:a2"] [data-testid=import-papers]');
    expect(importButton.getAttribute("aria-label")).toBe("Nhập tệp PDF vào Mục 2: Dự toán ngân sách 2027");
    importButton.click();
    await until(shows("[data-testid=upload-error]"));
    expect(called("import_papers")[0]?.args).toEqual({ meetingId: meeting.id, place: { at: "item", item_id: "a2" } });
    const upload = one("[data-testid=upload]");
    expect(upload.textContent).toContain("password-matkhau.pdf");
    expect(one("[data-testid=upload-error]").textContent).toContain(
      "Tệp PDF có mật khẩu nên đại biểu sẽ không mở được. Hãy gỡ mật khẩu (hoặc xin bản không có mật khẩu) rồi nhập lại.",
    );
  });

  it("publishes, and when someone published first is shown the newer version to review", async () => {
    startCore("secretary", {
      answers: {
        publish_packet: () => {
          // The core pulled before answering: the store now has version 2 from someone else.
          core.draft = { ...core.draft, published_version: 2 };
          return reject({ code: "publish_conflict", message: "version 2 was published meanwhile" });
        },
      },
    });
    await openPreparation();
    const button = (one("[data-testid=publish]") as HTMLButtonElement);
    expect(button.disabled, "nothing unapproved is published, so the button is off").toBe(true);
    expect(one("[data-testid=publish-blocked]").textContent).toContain("Còn 1 tài liệu chưa được duyệt (chờ duyệt hoặc bị trả lại): Tờ trình dự toán");
    expect(button.getAttribute("aria-describedby"), "the reason is read out with the button").toBe("publish-blocked");

    // Approved meanwhile: the button shows what publishing will change, and asks first.
    core.draft = {
      ...core.draft,
      publish: {
        state: "ready",
        papers_added: ["Tờ trình dự toán"],
        papers_replaced: [],
        papers_withdrawn: [],
        papers_amended: [],
        items_added: [],
        items_amended: ["2. Dự toán ngân sách 2027 (sửa đổi)"],
        items_removed: [],
        participants_changed: false,
      },
    };
    await emit("store-changed", { cursor: 99 });
    await until(() => !(one("[data-testid=publish]") as HTMLButtonElement).disabled);
    expect(one("[data-testid=publish]").textContent?.trim()).toBe("Xem lại trước khi phát hành phiên bản số 2");
    one("[data-testid=publish]").click();
    await until(shows("[data-testid=publish-confirmation]"));
    const lists = [...document.querySelectorAll<HTMLElement>("[data-testid=publish-change]")];
    expect(lists.map((list) => [list.dataset.kind, list.textContent?.trim()])).toEqual([
      ["papers_added", "Tờ trình dự toán"],
      ["items_amended", "2. Dự toán ngân sách 2027 (sửa đổi)"],
    ]);
    expect(called("publish_packet"), "nothing is published before the confirmation").toEqual([]);

    one("[data-testid=publish-confirm]").click();
    await until(shows("[data-testid=publish-error]"));
    expect(called("publish_packet")[0]?.args).toEqual({ meetingId: meeting.id, expectedNumber: 2 });
    await until(() => one("[data-testid=published-version]").dataset.version === "2");
    expect(one("[data-testid=publish-error]").textContent?.trim()).toBe(
      "Một người khác vừa phát hành phiên bản số 2. Hãy xem lại rồi phát hành phiên bản số 3.",
    );
    expect(one("[data-testid=publish]").textContent?.trim()).toBe("Xem lại trước khi phát hành phiên bản số 3");
  });

  it("moves programme items with Alt and the arrow keys", async () => {
    startCore("secretary");
    await openPreparation();
    const row = one('[data-item-id="a1"] > [data-testid=programme-row]');
    expect(row.getAttribute("aria-label")).toBe("Mục 1: Khai mạc");
    row.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", altKey: true, bubbles: true }));
    await until(() => called("move_agenda_item").length === 1);
    expect(called("move_agenda_item")[0]?.args).toEqual({ itemId: "a1", movement: { move: "down" } });

    one('[data-item-id="a2"] > [data-testid=programme-row]').dispatchEvent(
      new KeyboardEvent("keydown", { key: "ArrowRight", altKey: true, bubbles: true }),
    );
    await until(() => called("move_agenda_item").length === 2);
    expect(called("move_agenda_item")[1]?.args).toEqual({ itemId: "a2", movement: { move: "indent" } });
    expect(
      one('[data-item-id="a1"] [data-testid=programme-up]').hasAttribute("disabled"),
      "the first item cannot go up",
    ).toBe(true);
  });

  it("imports files dropped on an item's papers into that item", async () => {
    startCore("secretary", { answers: { import_dropped_papers: () => [] } });
    await openPreparation();
    const zone = one('[data-drop-place="item:a2"]');
    document.elementFromPoint = () => zone;
    await emit("paper-files-hover", { x: 300, y: 400 });
    await until(() => zone.dataset.dropActive === "true");
    await emit("paper-files-dropped", { drop_id: 7, file_names: ["02.pdf"], x: 300, y: 400 });
    await until(() => called("import_dropped_papers").length === 1);
    expect(called("import_dropped_papers")[0]?.args).toEqual({
      dropId: 7,
      meetingId: meeting.id,
      place: { at: "item", item_id: "a2" },
    });
  });
});

describe("the chair", () => {
  it("approves papers but is not offered publishing", async () => {
    startCore("chair");
    await openPreparation();
    expect(document.querySelector("[data-testid=publish-panel]")).toBeNull();
    const approve = one("[data-testid=draft-paper-approve]");
    expect(approve.getAttribute("aria-label")).toBe("Duyệt tài liệu Tờ trình dự toán");
    expect(one("[data-testid=draft-paper-status]").textContent?.trim()).toBe("Chờ duyệt");
    approve.click();
    await until(() => called("approve_paper").length === 1);
    expect(called("approve_paper")[0]?.args).toEqual({ paperId: "d1" });
  });

  it("reviews the preparation without being offered to edit it", async () => {
    startCore("chair");
    await openPreparation();
    for (const control of [
      "meeting-details",
      "programme-new-title",
      "programme-add",
      "programme-edit",
      "programme-up",
      "programme-add-child",
      "participants-editor",
      "import-papers",
      "draft-paper-edit",
      "draft-paper-replace",
      "draft-paper-withdraw",
      "watched-folder",
    ]) {
      expect(document.querySelector(`[data-testid=${control}]`), `the secretariat edits, the chair does not: ${control}`).toBeNull();
    }
    expect(one('[data-item-id="a1"] > [data-testid=programme-row]').getAttribute("draggable")).not.toBe("true");
  });

  it("returns a paper with a reason, and may not send it back without one", async () => {
    startCore("chair");
    await openPreparation();
    one("[data-testid=draft-paper-return]").click();
    await until(shows("[data-testid=draft-paper-return-form]"));
    const reason = one("[data-testid=draft-paper-return-reason-input]") as HTMLTextAreaElement;
    expect(document.activeElement, "the reason field takes the keyboard").toBe(reason);
    one("[data-testid=draft-paper-return-send]").click();
    await until(() => texts("[role=alert]").some((t) => t.startsWith("Hãy nêu lý do trả lại")));
    expect(called("return_paper")).toHaveLength(0);

    reason.value = "Thiếu phụ lục số liệu năm 2025.";
    reason.dispatchEvent(new Event("input", { bubbles: true }));
    one("[data-testid=draft-paper-return-send]").click();
    await until(() => called("return_paper").length === 1);
    expect(called("return_paper")[0]?.args).toEqual({ paperId: "d1", reason: "Thiếu phụ lục số liệu năm 2025." });
    await until(() => !shows("[data-testid=draft-paper-return-form]")());
  });

  it("withdraws an approval until it is published", async () => {
    const approved = (published: boolean): MeetingDraft => {
      const base = draft();
      return {
        ...base,
        papers: base.papers.map((p) => ({ ...p, review: { state: "approved", by: "Nguyễn Văn Thành", at: 1, published } })),
      };
    };
    startCore("chair", { draft: approved(false) });
    await openPreparation();
    expect(document.querySelector("[data-testid=draft-paper-approve]"), "approved already").toBeNull();
    expect(document.querySelector("[data-testid=draft-paper-return]"), "withdraw the approval first").toBeNull();
    one("[data-testid=draft-paper-withdraw-approval]").click();
    await until(() => called("withdraw_paper_approval").length === 1);
    expect(called("withdraw_paper_approval")[0]?.args).toEqual({ paperId: "d1" });

    core.draft = approved(true);
    await emit("store-changed", { cursor: 2 });
    await until(() => !shows("[data-testid=draft-paper-withdraw-approval]")());
  });

  it("opens a draft paper in the reader and comes back to it", async () => {
    startCore("chair");
    await openPreparation();
    const view = one('[data-testid=draft-paper-view][data-paper-id="d1"]');
    expect(view.getAttribute("aria-label")).toBe("Xem tài liệu Tờ trình dự toán");
    view.click();
    await until(shows("[data-testid=paper-viewer]"));
    expect(called("open_draft_paper")[0]?.args).toEqual({ paperId: "d1" });
    expect(called("open_paper"), "a draft is not a packet paper").toHaveLength(0);
    one("[data-testid=viewer-close]").click();
    await until(() => document.activeElement === one('[data-testid=draft-paper-view][data-paper-id="d1"]'));
  });
});

describe("a returned paper", () => {
  it("shows the secretary who returned it and why, and blocks publishing", async () => {
    const base = draft();
    startCore("secretary", {
      draft: {
        ...base,
        papers: base.papers.map((p) => ({
          ...p,
          review: { state: "returned", by: "Nguyễn Văn Thành", at: Date.UTC(2027, 0, 14, 1, 30), reason: "Thiếu chữ ký." },
        })),
      },
    });
    await openPreparation();
    expect(one("[data-testid=draft-paper-status]").textContent?.trim()).toBe("Đã trả lại (Nguyễn Văn Thành)");
    expect(one("[data-testid=draft-paper-return-reason]").textContent?.trim()).toBe(
      "Lý do trả lại (08:30 ngày 14/01/2027): Thiếu chữ ký.",
    );
    expect(one("[data-testid=publish-blocked]").textContent).toContain("Tờ trình dự toán");
    expect(document.querySelector("[data-testid=draft-paper-return]"), "the secretary does not review").toBeNull();
  });
});
