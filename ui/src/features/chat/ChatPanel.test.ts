// @vitest-environment jsdom
// The chat against a fake core: the IPC is mocked at the Tauri boundary, everything above it is real. A delegate reads
// his conversations with their unread counts, writes (the message shows waiting at once), sees why one was refused and
// sends it again or gives it up, edits and deletes his own, follows a paper reference to its page, searches, asks the
// secretariat about a paper, and hears of a message that arrives elsewhere. Whatever a message holds shows as text.
import { emit } from "@tauri-apps/api/event";
import { clearMocks } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { i18n } from "../../lib/i18n.svelte";
import type { ChatChanged } from "../../lib/ipc/types";
import ChatButton from "./ChatButton.svelte";
import ChatNotices from "./ChatNotices.svelte";
import type { ChatOpening } from "./chat";
import ChatPanel from "./ChatPanel.svelte";
import { LiveChat } from "./liveChat.svelte";
import { binh, conversationAs, cuong, FakeChat, me, messageAs, MORNING } from "./testing";

let views: ReturnType<typeof mount>[] = [];
let live: LiveChat;
let stopFollowing: () => void = () => {};
let papersOpened: [string, string, number][] = [];
let closed = 0;

function follow(core: FakeChat) {
  core.install();
  live = new LiveChat();
  stopFollowing = live.follow();
}

function showChat(core: FakeChat, opening: ChatOpening = {}) {
  follow(core);
  views.push(
    mount(ChatPanel, {
      target: document.body,
      props: {
        live,
        selfId: me.id,
        opening,
        onclose: () => closed++,
        onopenpaper: (meetingId: string, paperId: string, page: number) => papersOpened.push([meetingId, paperId, page]),
        onsessionlost: () => {},
      },
    }),
  );
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    flushSync();
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never reached ${what}; the chat shows: ${document.body.textContent}`);
}

const all = (selector: string) => [...document.querySelectorAll<HTMLElement>(selector)];
const one = (selector: string) => {
  const found = document.querySelector<HTMLElement>(selector);
  if (found === null) throw new Error(`nothing matches ${selector}`);
  return found;
};
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, " ").trim();
const byTest = (testId: string) => `[data-testid=${testId}]`;
const message = (id: string) => one(`[data-testid=chat-message][data-message-id="${id}"]`);
const within = (element: HTMLElement, testId: string) => {
  const found = element.querySelector<HTMLElement>(byTest(testId));
  if (found === null) throw new Error(`nothing has data-testid=${testId} in ${element.textContent}`);
  return found;
};

function write(words: string) {
  const composer = one(byTest("chat-composer")) as HTMLTextAreaElement;
  composer.value = words;
  composer.dispatchEvent(new Event("input", { bubbles: true }));
  return composer;
}

function press(target: Element, key: string, init: KeyboardEventInit = {}) {
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init }));
}

async function openConversation(id: string) {
  await until(() => document.querySelector(`[data-testid=conversation][data-conversation-id="${id}"]`) !== null, `the conversation ${id}`);
  one(`[data-testid=conversation][data-conversation-id="${id}"]`).click();
  await until(() => document.querySelector(`[data-testid=chat-conversation][data-conversation-id="${id}"]`) !== null, `${id} open`);
  await until(() => document.querySelector("[data-testid=chat-conversation] [role=status]") === null, "its messages");
}

beforeEach(() => {
  localStorage.clear();
  i18n.lang = "vi";
  papersOpened = [];
  closed = 0;
});

afterEach(async () => {
  stopFollowing();
  for (const view of views) unmount(view);
  views = [];
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
  document.body.innerHTML = "";
});

/** Bình's private conversation with two unread, the announcements (muted) and the member's own with the secretariat. */
function councilChat(): FakeChat {
  const question = messageAs({ id: "x1", seq: 1, body: "Anh xem giúp em trang 12 của tờ trình nhé." });
  const reminder = messageAs({ id: "x2", seq: 2, body: "Chiều nay họp tổ lúc 14 giờ.", sent_at: MORNING + 5 * 60_000 });
  return new FakeChat(
    [
      conversationAs({ id: "c-binh", unread: 2, last: reminder }),
      conversationAs({
        id: "c-announcements",
        kind: "announcements",
        title: "",
        members: [],
        muted: true,
        may_post: false,
        last: messageAs({ id: "a1", conversation_id: "c-announcements", author_name: "Văn phòng HĐND", body: "Lịch họp tuần tới đã có." }),
      }),
      conversationAs({ id: "c-secretariat", kind: "secretariat", title: "", members: [] }),
    ],
    { "c-binh": [question, reminder] },
  );
}

describe("the conversations", () => {
  it("list the conversations newest first with their unread counts, and open one, reading it", async () => {
    const core = councilChat();
    showChat(core);
    await until(() => all(byTest("conversation")).length === 3, "the conversations");

    const rows = all(byTest("conversation"));
    expect(rows.map((row) => row.dataset.conversationId)).toEqual(["c-binh", "c-announcements", "c-secretariat"]);
    expect(rows.map((row) => row.dataset.kind)).toEqual(["private", "announcements", "secretariat"]);
    expect(rows.map((row) => text(row.querySelector(".title"))), "the window names what the core leaves untitled").toEqual([
      "Trần Thị Bình",
      "Thông báo chung",
      "Ban thư ký",
    ]);
    const [withBinh, announcements] = rows as [HTMLElement, HTMLElement];
    expect(text(within(withBinh, "conversation-unread"))).toBe("2, 2 tin chưa đọc");
    expect(within(withBinh, "conversation-unread").dataset.count).toBe("2");
    expect(within(withBinh, "conversation-last").textContent).toContain("Chiều nay họp tổ lúc 14 giờ.");
    expect(within(announcements, "conversation-muted").textContent, "the muted mark is said, not only drawn").toContain("Đã tắt thông báo");
    expect(live.unread, "a muted conversation adds nothing to the header's count").toBe(2);

    await openConversation("c-binh");
    expect(all(byTest("chat-message")).map((shown) => shown.dataset.messageId), "in order").toEqual(["x1", "x2"]);
    expect(text(within(message("x1"), "chat-author"))).toBe("Trần Thị Bình");
    expect(text(message("x1").querySelector("time"))).toBe("09:00 ngày 05/12/2026");
    await until(() => core.called("mark_chat_read").length === 1, "the conversation marked read");
    expect(core.called("mark_chat_read")).toEqual([{ conversationId: "c-binh" }]);
    await until(() => live.unread === 0, "the count cleared");
  });

  it("go back to the list with Esc, and close with Esc from there", async () => {
    showChat(councilChat());
    await openConversation("c-binh");
    press(one(byTest("chat-composer")), "Escape");
    await until(
      () => document.activeElement?.getAttribute("data-conversation-id") === "c-binh",
      "the list again, the keyboard back on the conversation it left",
    );
    press(document.activeElement!, "Escape");
    expect(closed).toBe(1);
  });

  it("hide the composer in the announcements and in a group the member left", async () => {
    const core = councilChat();
    core.conversations.push(conversationAs({ id: "c-old", kind: "group", title: "Tổ đại biểu số 3", left: true, may_post: false }));
    showChat(core);
    await openConversation("c-announcements");
    expect(document.querySelector(byTest("chat-composer"))).toBeNull();
    expect(text(one(byTest("chat-read-only")))).toBe("Chỉ Ban thư ký đăng tin ở đây.");
    one(byTest("chat-back")).click();
    await openConversation("c-old");
    expect(document.querySelector(byTest("chat-composer"))).toBeNull();
    expect(text(one(byTest("chat-left")))).toBe("Bạn không còn trong nhóm này");
  });
});

describe("writing", () => {
  it("sends with Enter: the message shows waiting at once and the composer clears; Shift+Enter starts a new line", async () => {
    const core = councilChat();
    showChat(core);
    await openConversation("c-binh");

    const composer = write("Anh đã xem,\nchiều nay trao đổi thêm.");
    press(composer, "Enter", { shiftKey: true });
    expect(core.called("send_chat_message"), "Shift+Enter is a new line, not a send").toEqual([]);
    press(composer, "Enter");
    await until(() => all(byTest("chat-message")).length === 3, "the message shown");

    expect(core.called("send_chat_message")).toEqual([
      { draft: { conversation_id: "c-binh", body: "Anh đã xem,\nchiều nay trao đổi thêm.", reply_to: null, paper: null } },
    ]);
    const sent = message("w1");
    expect(sent.dataset.state).toBe("waiting");
    expect(sent.dataset.mine).toBe("true");
    expect(text(within(sent, "chat-state"))).toBe("Đang chờ gửi");
    expect(within(sent, "chat-body").textContent, "line breaks kept as written").toBe("Anh đã xem,\nchiều nay trao đổi thêm.");
    expect(composer.value, "the composer is ready for the next message").toBe("");
    expect(document.activeElement).toBe(composer);
  });

  it("say when the member's message is delivered and read", async () => {
    const core = councilChat();
    core.messages["c-binh"]!.push(messageAs({ id: "y1", seq: 3, mine: true, author_id: me.id, author_name: me.name, body: "Được.", state: "sent" }));
    showChat(core);
    await openConversation("c-binh");
    expect(text(within(message("y1"), "chat-state"))).toBe("Đã gửi");
    core.messages["c-binh"] = core.messages["c-binh"]!.map((held) => (held.id === "y1" ? { ...held, state: "read" } : held));
    await emit("chat-changed", { conversation_id: "c-binh", arrived: [] } satisfies ChatChanged);
    await until(() => message("y1").dataset.state === "read", "the message read");
    expect(text(within(message("y1"), "chat-state"))).toBe("Đã xem");
    expect(text(one(byTest("chat-announcement"))), "said to screen readers").toBe("Tin nhắn của bạn: Đã xem");
  });

  it("answer a message, quoting it", async () => {
    const core = councilChat();
    showChat(core);
    await openConversation("c-binh");
    within(message("x1"), "chat-reply").click();
    flushSync();
    expect(text(one("[data-testid=chat-replying] p"))).toBe("Trả lời Trần Thị Bình: Anh xem giúp em trang 12 của tờ trình nhé.");
    press(write("Trang 12 có số liệu quý IV."), "Enter");
    await until(() => document.querySelector("[data-message-id=w1]") !== null, "the reply shown");
    expect(core.called("send_chat_message")[0]).toMatchObject({ draft: { reply_to: "x1" } });
    expect(text(within(message("w1"), "chat-reply-quote"))).toBe("Trần Thị Bình: Anh xem giúp em trang 12 của tờ trình nhé.");
    expect(document.querySelector(byTest("chat-replying")), "the reply mode ends with the send").toBeNull();
  });

  it("say why a message was refused, and send it again or give it up", async () => {
    const core = councilChat();
    core.messages["c-binh"]!.push(
      messageAs({
        id: "r1",
        seq: 0,
        mine: true,
        author_id: me.id,
        author_name: me.name,
        body: "Gửi lúc mạng chập chờn",
        state: "refused",
        refusal: { code: "too_many_messages", message: "slow down" },
      }),
      messageAs({ id: "r2", seq: 0, mine: true, author_id: me.id, author_name: me.name, body: "Một tin nữa", state: "refused", refusal: { code: "forbidden", message: "no" } }),
    );
    showChat(core);
    await openConversation("c-binh");

    const refused = message("r1");
    expect(refused.dataset.state).toBe("refused");
    expect(text(within(refused, "chat-state"))).toBe("Bị từ chối");
    expect(text(within(refused, "chat-refusal"))).toBe(
      "Tin nhắn không gửi được: Bạn gửi tin nhắn quá nhanh. Đợi vài giây rồi bấm Gửi lại.",
    );
    within(refused, "chat-retry").click();
    await until(() => message("r1").dataset.state === "waiting", "the message waiting again");
    expect(core.called("retry_chat_message")).toEqual([{ messageId: "r1" }]);

    within(message("r2"), "chat-discard").click();
    await until(() => document.querySelector("[data-message-id=r2]") === null, "the message given up");
    expect(core.called("discard_chat_message")).toEqual([{ messageId: "r2" }]);
  });

  it("edit and delete the member's own message, leaving a trace of the deletion", async () => {
    const core = councilChat();
    core.messages["c-binh"]!.push(messageAs({ id: "y1", seq: 3, mine: true, author_id: me.id, author_name: me.name, body: "Họp lúc 14 giờ" }));
    showChat(core);
    await openConversation("c-binh");
    expect(within(message("x1"), "chat-reply"), "others' messages may be answered").toBeTruthy();
    expect(message("x1").querySelector(byTest("chat-edit")), "but not changed").toBeNull();

    within(message("y1"), "chat-edit").click();
    flushSync();
    const composer = one(byTest("chat-composer")) as HTMLTextAreaElement;
    expect(composer.value).toBe("Họp lúc 14 giờ");
    expect(text(one(byTest("chat-editing")))).toContain("Đang sửa tin nhắn của bạn");
    press(write("Họp lúc 14 giờ 30"), "Enter");
    await until(() => text(within(message("y1"), "chat-body")) === "Họp lúc 14 giờ 30", "the edit shown");
    expect(core.called("edit_chat_message")).toEqual([{ messageId: "y1", body: "Họp lúc 14 giờ 30" }]);
    expect(text(within(message("y1"), "chat-edited"))).toBe("(đã sửa)");
    expect(composer.value).toBe("");

    within(message("y1"), "chat-delete").click();
    flushSync();
    expect(core.called("delete_chat_message"), "nothing is deleted before the member confirms").toEqual([]);
    press(one(byTest("chat-delete-cancel")), "Escape");
    await until(
      () => document.activeElement === message("y1").querySelector(byTest("chat-delete")),
      "the message kept, the keyboard back on Delete",
    );
    within(message("y1"), "chat-delete").click();
    flushSync();
    one(byTest("chat-delete-confirm")).click();
    await until(() => message("y1").querySelector(byTest("chat-deleted")) !== null, "the deletion's trace");
    expect(core.called("delete_chat_message")).toEqual([{ messageId: "y1" }]);
    expect(text(within(message("y1"), "chat-deleted"))).toBe("Tin nhắn đã bị xóa");
    expect(message("y1").querySelector(byTest("chat-body")), "the words are gone, the message is not").toBeNull();
  });
});

describe("what a message holds", () => {
  it("shows HTML and scripts as the words they are, and links only web addresses", async () => {
    const payloads = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "javascript:alert(1)", '<a href="javascript:alert(1)">bấm</a>'];
    const core = new FakeChat([conversationAs()], {
      "c-binh": [
        ...payloads.map((body, index) => messageAs({ id: `h${index}`, seq: index + 1, body })),
        messageAs({ id: "link", seq: 9, body: "Xem https://hdnd.danang.gov.vn/ky-hop-12. Hoặc http://example.vn/a?b=1" }),
      ],
    });
    showChat(core);
    await openConversation("c-binh");

    payloads.forEach((payload, index) => expect(within(message(`h${index}`), "chat-body").textContent).toBe(payload));
    const log = one("[role=log]");
    expect(log.querySelectorAll("img, script, iframe, object"), "no element made from a message").toHaveLength(0);
    expect([...log.querySelectorAll("a")].map((link) => link.getAttribute("href"))).toEqual([
      "https://hdnd.danang.gov.vn/ky-hop-12",
      "http://example.vn/a?b=1",
    ]);
    expect(log.querySelector("a[href^='javascript' i]")).toBeNull();
    const [first] = [...log.querySelectorAll("a")] as [HTMLAnchorElement];
    expect(first.rel).toBe("noopener noreferrer");
    first.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(core.called("open_link"), "the core opens it in the system's browser, not the webview").toEqual([
      { address: "https://hdnd.danang.gov.vn/ky-hop-12" },
    ]);
    expect(within(message("link"), "chat-body").textContent, "the full stop stays text").toBe(
      "Xem https://hdnd.danang.gov.vn/ky-hop-12. Hoặc http://example.vn/a?b=1",
    );
  });

  it("opens the paper a message points at, at its page, and says when it is not on this computer", async () => {
    const core = new FakeChat([conversationAs()], {
      "c-binh": [
        messageAs({ id: "p1", body: "Trang này:", paper: { paper_id: "to-trinh", page: 11, title: "Tờ trình số 15/TTr-UBND", meeting_id: "k12" } }),
        messageAs({ id: "p2", seq: 2, body: "Và tài liệu kia", paper: { paper_id: "other", page: 0, title: null, meeting_id: null } }),
      ],
    });
    showChat(core);
    await openConversation("c-binh");

    const paper = within(message("p1"), "chat-paper") as HTMLButtonElement;
    expect(text(paper), "pages counted from 1 for the member").toBe("Tờ trình số 15/TTr-UBND, trang 12");
    paper.click();
    expect(papersOpened, "the reader counts from 0").toEqual([["k12", "to-trinh", 11]]);

    const absent = within(message("p2"), "chat-paper") as HTMLButtonElement;
    expect(absent.disabled).toBe(true);
    expect(text(absent)).toBe("Tài liệu, trang 1");
    expect(text(within(message("p2"), "chat-paper-unavailable"))).toBe("Tài liệu này không có trên máy của bạn nên không mở được.");
    expect(document.getElementById(absent.getAttribute("aria-describedby") ?? "")?.textContent).toContain("không mở được");
  });
});

describe("finding and starting conversations", () => {
  it("search the messages and open the conversation of a hit", async () => {
    const core = councilChat();
    core.hits = [{ conversation_id: "c-binh", conversation_title: binh.name, message: messageAs({ id: "x1" }) }];
    showChat(core);
    await until(() => all(byTest("conversation")).length === 3, "the conversations");
    const search = one(byTest("chat-search")) as HTMLInputElement;
    expect(document.querySelector(`label[for="${search.id}"]`)?.textContent).toBe("Tìm trong tin nhắn");
    search.value = "trang 12";
    search.dispatchEvent(new Event("input", { bubbles: true }));
    await until(() => all(byTest("chat-search-hit")).length === 1, "the hit");
    expect(core.called("search_chat")).toEqual([{ query: "trang 12" }]);
    expect(text(one(byTest("chat-search-summary")))).toBe("Tìm thấy 1 tin nhắn");
    expect(text(one(byTest("chat-search-hit")))).toContain("Trần Thị Bình: Anh xem giúp em trang 12 của tờ trình nhé.");
    one(byTest("chat-search-hit")).click();
    await until(() => document.querySelector("[data-testid=chat-conversation][data-conversation-id=c-binh]") !== null, "the conversation");
  });

  it("write to a member picked by name", async () => {
    const core = new FakeChat([]);
    showChat(core);
    await until(() => document.querySelector(byTest("chat-none")) !== null, "the empty list");
    one(byTest("chat-new-message")).click();
    await until(() => all(byTest("chat-member")).length === 2, "the members");
    const filter = one(byTest("chat-member-filter")) as HTMLInputElement;
    filter.value = "cuong";
    filter.dispatchEvent(new Event("input", { bubbles: true }));
    await until(() => all(byTest("chat-member")).length === 1, "the members narrowed, without accents");
    one(byTest("chat-member")).click();
    await until(() => document.querySelector("[data-testid=chat-conversation][data-conversation-id=c-m3]") !== null, "the conversation");
    expect(core.called("open_private_chat")).toEqual([{ memberId: cuong.id }]);
    expect(text(one(byTest("chat-conversation-title")))).toBe("Lê Văn Cường");
  });

  it("make a group, and say so when the server cannot be reached", async () => {
    const core = new FakeChat([]);
    core.refusals.create_chat_group = { code: "server_unreachable", message: "offline" };
    showChat(core);
    await until(() => document.querySelector(byTest("chat-none")) !== null, "the empty list");
    one(byTest("chat-new-group-open")).click();
    await until(() => all(byTest("chat-member-option")).length === 2, "the members to choose");
    const title = one(byTest("chat-group-title")) as HTMLInputElement;
    title.value = "Tổ đại biểu số 3";
    title.dispatchEvent(new Event("input", { bubbles: true }));
    (one(`[data-testid=chat-member-option][data-member-id=${binh.id}]`) as HTMLInputElement).click();
    one(byTest("chat-group-create")).click();
    await until(() => text(one(byTest("chat-group-failure"))) !== "", "the refusal");
    expect(text(one(byTest("chat-group-failure")))).toBe("Không kết nối được máy chủ. Kiểm tra địa chỉ và mạng rồi thử lại.");
    expect(core.called("create_chat_group")).toEqual([{ title: "Tổ đại biểu số 3", members: [binh.id] }]);

    delete core.refusals.create_chat_group;
    one(byTest("chat-group-create")).click();
    await until(() => document.querySelector("[data-testid=chat-conversation][data-conversation-id=c-group]") !== null, "the group open");
    expect(text(one(byTest("chat-conversation-title")))).toBe("Tổ đại biểu số 3");
  });

  it("let a group's owner add and remove its members", async () => {
    const core = new FakeChat([conversationAs({ id: "c-to3", kind: "group", title: "Tổ 3", owned: true, members: [me, binh] })]);
    showChat(core);
    await openConversation("c-to3");
    one(byTest("chat-manage-members")).click();
    await until(() => all(byTest("chat-member-option")).length === 2, "the members");
    const checked = all(byTest("chat-member-option")).filter((option) => (option as HTMLInputElement).checked);
    expect(checked.map((option) => option.dataset.memberId), "the owner is not offered").toEqual([binh.id]);
    (one(`[data-testid=chat-member-option][data-member-id=${binh.id}]`) as HTMLInputElement).click();
    (one(`[data-testid=chat-member-option][data-member-id=${cuong.id}]`) as HTMLInputElement).click();
    one(byTest("chat-members-save")).click();
    await until(() => core.called("change_chat_group").length === 1, "the change asked");
    expect(core.called("change_chat_group")).toEqual([{ conversationId: "c-to3", add: [cuong.id], remove: [binh.id] }]);
  });

  it("mute a conversation from its header", async () => {
    const core = councilChat();
    showChat(core);
    await openConversation("c-binh");
    const mute = one(byTest("chat-mute"));
    expect(mute.getAttribute("aria-pressed")).toBe("false");
    mute.click();
    await until(() => one(byTest("chat-mute")).getAttribute("aria-pressed") === "true", "muted");
    expect(core.called("mute_chat")).toEqual([{ conversationId: "c-binh", muted: true }]);
  });

  it("ask the secretariat about a paper's page: the composer starts with the page attached", async () => {
    const core = councilChat();
    showChat(core, { ask: { paperId: "to-trinh", page: 4, title: "Tờ trình số 15/TTr-UBND" } });
    await until(() => document.querySelector("[data-testid=chat-conversation][data-conversation-id=c-secretariat]") !== null, "the secretariat");
    expect(core.called("ask_secretariat")).toHaveLength(1);
    expect(text(one(byTest("chat-conversation-title")))).toBe("Ban thư ký");
    expect(text(one(byTest("chat-attachment")))).toContain("Kèm theo: Tờ trình số 15/TTr-UBND, trang 5");
    await until(() => document.activeElement === one(byTest("chat-composer")), "the keyboard in the composer");
    press(write("Trang này thiếu số liệu quý IV?"), "Enter");
    await until(() => core.called("send_chat_message").length === 1, "the question sent");
    expect(core.called("send_chat_message")[0]).toEqual({
      draft: {
        conversation_id: "c-secretariat",
        body: "Trang này thiếu số liệu quý IV?",
        reply_to: null,
        paper: { paper_id: "to-trinh", page: 4, title: null, meeting_id: null },
      },
    });
    await until(() => document.querySelector(byTest("chat-attachment")) === null, "the attachment sent with it");
  });
});

describe("news", () => {
  it("announce a message arriving elsewhere, count it in the header, and open its conversation", async () => {
    const core = councilChat();
    core.conversations = core.conversations.map((held) => (held.id === "c-binh" ? { ...held, unread: 0 } : held));
    follow(core);
    const opened: string[] = [];
    views.push(
      mount(ChatButton, {
        target: document.body,
        props: {
          get unread() {
            return live.unread;
          },
          onopen: () => {},
        },
      }),
    );
    views.push(mount(ChatNotices, { target: document.body, props: { live, onopen: (id: string) => opened.push(id) } }));
    await until(() => live.loaded, "the conversations");
    expect(one(byTest("open-chat")).getAttribute("aria-label")).toBe("Trò chuyện");

    const arrived = messageAs({ id: "x3", seq: 3, body: "Anh ơi, chiều nay họp tổ ở phòng 2 nhé, nhớ mang theo tờ trình và báo cáo thẩm tra." });
    core.messages["c-binh"]!.push(arrived);
    core.conversations = core.conversations.map((held) => (held.id === "c-binh" ? { ...held, unread: 3, last: arrived } : held));
    await emit("chat-changed", { conversation_id: "c-binh", arrived: [arrived] } satisfies ChatChanged);

    await until(() => all(byTest("chat-notice")).length === 1, "the notification");
    expect(one(byTest("chat-notices")).getAttribute("role")).toBe("status");
    expect(one(byTest("chat-notices")).getAttribute("aria-live")).toBe("polite");
    expect(text(one(byTest("chat-notice-open")))).toBe("Trần Thị Bình: Anh ơi, chiều nay họp tổ ở phòng 2 nhé, nhớ mang theo tờ…");
    await until(() => one(byTest("open-chat")).getAttribute("aria-label") === "Trò chuyện, 3 tin chưa đọc", "the header's count");
    expect(text(one(byTest("open-chat-badge")))).toBe("3");

    one(byTest("chat-notice-open")).click();
    expect(opened).toEqual(["c-binh"]);
    live.show("c-binh");
    flushSync();
    expect(all(byTest("chat-notice")), "a conversation on screen is no news").toHaveLength(0);
    await emit("chat-changed", { conversation_id: "c-binh", arrived: [messageAs({ id: "x4", seq: 4 })] } satisfies ChatChanged);
    flushSync();
    expect(all(byTest("chat-notice"))).toHaveLength(0);
  });

  it("reload the open conversation once for a burst of changes, and read what arrives", async () => {
    const core = councilChat();
    showChat(core);
    await openConversation("c-binh");
    await until(() => core.called("mark_chat_read").length === 1, "read on opening");
    const loads = core.called("chat_messages").length;
    const arrived = messageAs({ id: "x3", seq: 3, body: "Tin mới" });
    core.messages["c-binh"]!.push(arrived);
    await Promise.all([
      emit("chat-changed", { conversation_id: "c-binh", arrived: [arrived] } satisfies ChatChanged),
      emit("chat-changed", { conversation_id: "c-binh", arrived: [] } satisfies ChatChanged),
      emit("chat-changed", { conversation_id: null, arrived: [] } satisfies ChatChanged),
    ]);
    await until(() => document.querySelector("[data-message-id=x3]") !== null, "the new message");
    expect(core.called("chat_messages").length - loads, "one reload for the burst").toBe(1);
    await until(() => core.called("mark_chat_read").length === 2, "read as it arrived");
    expect(live.notices, "no notification for the conversation on screen").toEqual([]);
  });
});
