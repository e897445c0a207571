// @vitest-environment jsdom
// The app's story against a fake core: the IPC is mocked at the Tauri boundary, everything above it is real.
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { i18n } from "./lib/i18n.svelte";
import type {
  AppSnapshot,
  ConversationSummary,
  IpcError,
  MeetingAgenda,
  MeetingSummary,
  SessionInfo,
  SyncStatus,
} from "./lib/ipc/types";

const session: SessionInfo = {
  server_url: "http://council.example:8470",
  member: { id: "m1", username: "lan", display_name: "Nguyễn Thị Lan", role: "delegate" },
  council_name: "HĐND thành phố Đà Nẵng",
  may: { prepare_meetings: false, read_working_papers: false, approve_papers: false, publish_packets: false, manage_accounts: false },
};

const meeting: MeetingSummary = {
  id: "k12",
  title: "Kỳ họp thứ 12, HĐND khóa X",
  starts_at: Date.UTC(2025, 2, 15, 1, 30),
  location: "Hội trường A",
  status: "scheduled",
  item_count: 2,
  archivable: false,
  restorable: false,
};

const agenda: MeetingAgenda = {
  meeting,
  removed_items: [],
  items: [
    {
      id: "a1",
      number: "1",
      title: "Khai mạc kỳ họp",
      presenter: "Chủ tọa",
      planned_minutes: 15,
      paper_titles: [],
      mark: null,
      children: [],
    },
    {
      id: "a2",
      number: "2",
      title: "Thảo luận dự thảo nghị quyết",
      presenter: null,
      planned_minutes: null,
      paper_titles: [],
      mark: null,
      children: [
        {
          id: "a21",
          number: "2.1",
          title: "Tờ trình về kế hoạch đầu tư công",
          presenter: "Sở Tài chính",
          planned_minutes: 20,
          paper_titles: ["Tờ trình số 15/TTr-UBND", "Báo cáo thẩm tra"],
          mark: null,
          children: [],
        },
      ],
    },
  ],
};

/** The core as the UI sees it; each test arranges what it needs. */
type FakeCore = {
  snapshot: AppSnapshot;
  password: string;
  meetings: MeetingSummary[];
  /** An administrator set the password: the core holds the login until the member chooses their own. */
  mustChangePassword?: boolean;
  /** The member's conversations. */
  chat?: ConversationSummary[];
};

let core: FakeCore;
let app: ReturnType<typeof mount> | null = null;

function reject(error: IpcError): never {
  throw error;
}

function startCore(arranged: Partial<FakeCore> = {}) {
  core = {
    snapshot: {
      session: null,
      sync: { connection: "signed_out", last_synced_at: null, detail: null },
      pdf_engine: { available: true, detail: "pdfium 6.0" },
    },
    password: "đúng-mật-khẩu",
    meetings: [meeting],
    ...arranged,
  };
  mockIPC(
    (command, args) => {
      switch (command) {
        case "app_snapshot":
          return core.snapshot;
        case "login": {
          const { password } = args as { serverUrl: string; username: string; password: string };
          if (password !== core.password) reject({ code: "invalid_credentials", message: "bad password" });
          if (core.mustChangePassword) reject({ code: "password_change_required", message: "choose your own" });
          core.snapshot = { ...core.snapshot, session, sync: { connection: "online", last_synced_at: 1, detail: null } };
          return session;
        }
        case "complete_first_login": {
          const { currentPassword, newPassword } = args as { currentPassword: string; newPassword: string };
          if (currentPassword !== core.password) reject({ code: "wrong_current_password", message: "wrong" });
          if (newPassword.length < 10) reject({ code: "password_too_short", message: "at least 10 characters" });
          core.mustChangePassword = false;
          core.password = newPassword;
          core.snapshot = { ...core.snapshot, session, sync: { connection: "online", last_synced_at: 1, detail: null } };
          return session;
        }
        case "change_own_password": {
          const { currentPassword, newPassword } = args as { currentPassword: string; newPassword: string };
          if (currentPassword !== core.password) reject({ code: "wrong_current_password", message: "wrong" });
          core.password = newPassword;
          return null;
        }
        case "logout": {
          const signedOut: SyncStatus = { connection: "signed_out", last_synced_at: 1, detail: null };
          core.snapshot = { ...core.snapshot, session: null, sync: signedOut };
          // The real core announces the change too, possibly before the command's reply arrives.
          void emit("sync-status", signedOut);
          return null;
        }
        case "list_meetings":
          return core.meetings;
        case "meeting_agenda":
          return (args as { meetingId: string }).meetingId === agenda.meeting.id
            ? agenda
            : reject({ code: "not_found", message: "no such meeting" });
        case "meeting_packet":
          // Nothing published yet: the programme shows the papers it expects by title.
          return null;
        case "open_launch_pdf":
          // Started without a file to open.
          return null;
        case "search_index_progress":
          return { indexed: 0, total: 0 };
        case "download_progress":
          return { state: "complete", detail: null, received: 0, total: 0, files: [] };
        case "chat_conversations":
          return core.chat ?? [];
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

/** Waits for the UI to settle after IPC promises resolve; fails with the page text if it never does. */
async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    flushSync();
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the UI never reached the expected state; it shows: ${document.body.textContent}`);
}

const shows = (selector: string) => () => document.querySelector(selector) !== null;

function type(selector: string, value: string) {
  const input = one(selector) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

beforeEach(() => {
  localStorage.clear();
  i18n.lang = "vi";
});

afterEach(async () => {
  if (app !== null) unmount(app);
  app = null;
  // The app unsubscribes from events asynchronously; the mocks must outlive that.
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
});

describe("a member whose password an administrator set", () => {
  it("chooses their own, told why a short one or a mistyped repeat is refused, then reaches the sessions", async () => {
    startCore({ mustChangePassword: true });
    await until(shows("#username"));
    type("#username", "bich.ttn");
    type("#password", core.password);
    one("[data-testid=login-submit]").click();
    await until(shows("[data-testid=choose-password]"));
    expect(document.activeElement?.id, "the keyboard is in the new password").toBe("new-password");
    expect(texts("[data-testid=meeting-item]"), "nothing of the council before the password is theirs").toEqual([]);

    type("#new-password", "Hoa sữa nồng nàn");
    type("#repeated-password", "Hoa sữa nồng nàm");
    one("[data-testid=choose-submit]").click();
    await until(shows("[data-testid=login-error]"));
    expect(one("[data-testid=login-error]").textContent).toBe("Hai mật khẩu mới không giống nhau. Nhập lại cho khớp.");

    type("#new-password", "ngắn");
    type("#repeated-password", "ngắn");
    one("[data-testid=choose-submit]").click();
    await until(() => texts("[data-testid=login-error]").includes("Mật khẩu phải có ít nhất 10 ký tự."));

    type("#new-password", "Hoa sữa nồng nàn");
    type("#repeated-password", "Hoa sữa nồng nàn");
    one("[data-testid=choose-submit]").click();
    await until(shows("[data-testid=meeting-item]"));
    expect(core.password, "the core was given the new password").toBe("Hoa sữa nồng nàn");
  });
});

describe("a signed-in member", () => {
  it("changes their own password, told when the current one is wrong", async () => {
    startCore();
    await until(shows("#username"));
    type("#username", "lan");
    type("#password", core.password);
    one("[data-testid=login-submit]").click();
    await until(shows("[data-testid=open-change-password]"));
    one("[data-testid=open-change-password]").click();
    await until(shows("#current-password"));
    expect(document.activeElement?.id, "the screen's heading takes the keyboard").toBe("change-title");

    type("#current-password", "không phải mật khẩu");
    type("#own-new-password", "Sông Hàn về đêm");
    type("#own-repeated-password", "Sông Hàn về đêm");
    one("[data-testid=change-password-submit]").click();
    await until(() => texts("[role=alert]").includes("Mật khẩu hiện tại không đúng. Kiểm tra lại rồi thử lần nữa."));

    type("#current-password", "đúng-mật-khẩu");
    one("[data-testid=change-password-submit]").click();
    await until(shows("[data-testid=password-changed]"));
    expect(core.password).toBe("Sông Hàn về đêm");
    expect((one("#current-password") as HTMLInputElement).value, "no password is left on the screen").toBe("");
  });
});

describe("a delegate", () => {
  it("signs in after a wrong password and reads the session programme", async () => {
    startCore();
    await until(shows("#server-url"));
    expect((one("#server-url") as HTMLInputElement).value, "first start offers the local server").toBe(
      "http://127.0.0.1:8470",
    );

    type("#username", "lan");
    type("#password", "sai");
    one("[data-testid=login-submit]").click();
    await until(shows("[data-testid=login-error]"));
    expect(one("[data-testid=login-error]").textContent, "the message comes from the code, not the core's text").toBe(
      "Tên đăng nhập hoặc mật khẩu không đúng. Kiểm tra lại rồi thử lần nữa.",
    );

    type("#password", core.password);
    one("[data-testid=login-submit]").click();
    await until(shows("[data-testid=meeting-item]"));
    expect(one("[data-testid=connection-state]").dataset.state).toBe("online");
    expect(one("[data-testid=connection-state]").textContent).toBe("Trực tuyến");

    one(`[data-testid=meeting-item][data-meeting-id="${meeting.id}"]`).click();
    await until(shows("[data-testid=agenda]"));
    expect(texts("[data-testid=agenda-item-title]"), "titles in programme order, nested items included").toEqual([
      "Khai mạc kỳ họp",
      "Thảo luận dự thảo nghị quyết",
      "Tờ trình về kế hoạch đầu tư công",
    ]);
    expect(document.body.textContent).toContain("Báo cáo thẩm tra");
    expect(document.body.textContent).toContain("Thời gian dự kiến: 20 phút");

    one("[data-testid=back-to-meetings]").click();
    await until(shows("[data-testid=meeting-list]"));
    expect(document.activeElement?.getAttribute("data-meeting-id"), "keyboard users land where they left").toBe(
      meeting.id,
    );
  });

  it("with a remembered session starts on the meetings while offline, and sees how fresh they are", async () => {
    startCore({
      snapshot: {
        session,
        sync: { connection: "offline", last_synced_at: Date.UTC(2025, 2, 15, 7, 5), detail: "connection refused" },
        pdf_engine: { available: false, detail: "libpdfium not found" },
      },
    });
    await until(shows("[data-testid=meeting-item]"));
    const badge = one("[data-testid=connection-state]");
    expect(badge.dataset.state).toBe("offline");
    expect(badge.textContent).toBe("Ngoại tuyến — đồng bộ lần cuối lúc 14:05 ngày 15/03/2025");
    const notice = one("[data-testid=pdf-engine-notice]").textContent ?? "";
    expect(notice).toContain("thiếu bộ đọc PDF");
    expect(notice, "the technical detail is for the log, not the member").not.toContain("libpdfium");
    expect(document.body.textContent).toContain("Nguyễn Thị Lan");
  });

  it("whose session expires is sent back to sign in, told why, with the server address kept", async () => {
    startCore({ snapshot: startSnapshotWithSession() });
    await until(shows("[data-testid=meeting-item]"));

    const signedOut: SyncStatus = { connection: "signed_out", last_synced_at: 1, detail: null };
    await emit("sync-status", signedOut);
    await until(shows("[data-testid=login-error]"));
    expect(one("[data-testid=login-error]").textContent).toBe("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.");
    expect((one("#server-url") as HTMLInputElement).value).toBe(session.server_url);
  });

  it("who signs out sees the sign-in form without an expiry message", async () => {
    startCore({ snapshot: startSnapshotWithSession() });
    await until(shows("[data-testid=logout]"));
    one("[data-testid=logout]").click();
    await until(shows("#server-url"));
    expect(document.querySelector("[data-testid=login-error]")).toBeNull();
  });

  it("opens the chat from the header, which counts what is unread, and Esc brings the keyboard back to it", async () => {
    const unread: ConversationSummary = {
      id: "c-binh",
      kind: "private",
      title: "Trần Thị Bình",
      members: [],
      unread: 3,
      muted: false,
      left: false,
      may_post: true,
      owned: false,
      last: null,
    };
    startCore({ snapshot: startSnapshotWithSession(), chat: [unread] });
    await until(() => document.querySelector("[data-testid=open-chat]")?.getAttribute("aria-label") === "Trò chuyện, 3 tin chưa đọc");
    one("[data-testid=open-chat]").focus();
    one("[data-testid=open-chat]").click();
    await until(shows("[data-testid=conversation][data-conversation-id=c-binh]"));
    expect(one("[data-testid=chat-panel]").getAttribute("aria-modal")).toBe("true");
    one("[data-testid=chat-panel]").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    await until(() => document.querySelector("[data-testid=chat-panel]") === null);
    await until(() => document.activeElement === one("[data-testid=open-chat]"));
  });

  it("sees newly synced meetings without doing anything", async () => {
    startCore({ snapshot: startSnapshotWithSession() });
    await until(shows("[data-testid=meeting-item]"));

    core.meetings = [meeting, { ...meeting, id: "k13", title: "Kỳ họp chuyên đề" }];
    await emit("store-changed", { cursor: 42 });
    await until(() => texts("[data-testid=meeting-item] .title").length === 2);
    expect(texts("[data-testid=meeting-item] .title")).toContain("Kỳ họp chuyên đề");
  });

  it("makes the text larger for herself, and finds it so again after signing out and in", async () => {
    startCore({ snapshot: startSnapshotWithSession() });
    await until(shows("[data-testid=text-size]"));
    const size = one("[data-testid=text-size]") as HTMLSelectElement;
    expect(size.labels?.[0]?.textContent, "the setting has a name").toBe("Cỡ chữ");
    expect([...size.options].map((option) => option.textContent)).toEqual(["Vừa", "Lớn", "Rất lớn"]);
    expect(document.documentElement.style.fontSize).toBe("125%");

    size.value = "larger";
    size.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    expect(document.documentElement.style.fontSize, "every rem-sized thing follows the root").toBe("175%");

    one("[data-testid=logout]").click();
    await until(shows("#server-url"));
    expect(document.documentElement.style.fontSize, "the next person at this laptop starts from the default").toBe("125%");
    type("#username", "lan");
    type("#password", core.password);
    one("[data-testid=login-submit]").click();
    await until(shows("[data-testid=text-size]"));
    expect(document.documentElement.style.fontSize, "remembered for her member id").toBe("175%");
    expect((one("[data-testid=text-size]") as HTMLSelectElement).value).toBe("larger");
    expect(localStorage.getItem(`ecabinet.text-size.${session.member.id}`)).toBe("larger");
  });

  it("switches to English, and the choice sticks", async () => {
    startCore();
    await until(shows("[data-testid=language-switch]"));
    expect(document.documentElement.lang).toBe("vi");

    one("[data-testid=language-switch]").click();
    flushSync();
    expect(document.documentElement.lang, "screen readers must switch pronunciation too").toBe("en");
    expect(one("[data-testid=login-submit]").textContent?.trim()).toBe("Sign in");
    expect(localStorage.getItem("ecabinet.lang")).toBe("en");
  });
});

function startSnapshotWithSession(): AppSnapshot {
  return {
    session,
    sync: { connection: "online", last_synced_at: 1, detail: null },
    pdf_engine: { available: true, detail: "pdfium 6.0" },
  };
}
