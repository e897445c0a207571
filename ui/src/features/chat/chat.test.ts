import { describe, expect, it } from "vitest";
import { translate, type MessageKey } from "../../lib/i18n";
import {
  bodySegments,
  conversationTitle,
  excerpt,
  isSendKey,
  memberChanges,
  messagePreview,
  messageTime,
  othersArrived,
  paperLabel,
  stateNews,
  unreadTotal,
} from "./chat";
import { conversationAs, me, messageAs, MORNING } from "./testing";

const t = (key: MessageKey, params?: Record<string, string | number>) => translate("vi", key, params);

describe("a message's text", () => {
  it("stays text, with only http and https addresses made links", () => {
    expect(bodySegments("<script>alert(1)</script>")).toEqual([{ kind: "text", text: "<script>alert(1)</script>" }]);
    expect(bodySegments("javascript:alert(1) và data:text/html,<b>x</b>")).toEqual([
      { kind: "text", text: "javascript:alert(1) và data:text/html,<b>x</b>" },
    ]);
    expect(bodySegments("Xem https://hdnd.vn/a?b=1, rồi trả lời.")).toEqual([
      { kind: "text", text: "Xem " },
      { kind: "link", text: "https://hdnd.vn/a?b=1", href: "https://hdnd.vn/a?b=1" },
      { kind: "text", text: ", rồi trả lời." },
    ]);
    expect(bodySegments("(http://example.vn)")).toEqual([
      { kind: "text", text: "(" },
      { kind: "link", text: "http://example.vn", href: "http://example.vn/" },
      { kind: "text", text: ")" },
    ]);
  });

  it("keeps line breaks and every character, links or not", () => {
    const body = "Dòng một\nhttps://a.vn  và  http://b.vn\n\nhết.";
    expect(
      bodySegments(body)
        .map((segment) => segment.text)
        .join(""),
    ).toBe(body);
  });

  it("is previewed on one line, cut between words, a deletion as its trace", () => {
    expect(excerpt("Một\n  hai   ba")).toBe("Một hai ba");
    expect(excerpt("Anh ơi chiều nay họp tổ ở phòng hai", 20)).toBe("Anh ơi chiều nay…");
    expect(messagePreview(messageAs({ deleted: true, body: "" }), t)).toBe("Tin nhắn đã bị xóa");
  });
});

describe("conversations", () => {
  it("are named by the core, or by the window where the core leaves the title empty", () => {
    expect(conversationTitle(conversationAs(), t)).toBe("Trần Thị Bình");
    expect(conversationTitle(conversationAs({ kind: "announcements", title: "" }), t)).toBe("Thông báo chung");
    expect(conversationTitle(conversationAs({ kind: "secretariat", title: "" }), t)).toBe("Ban thư ký");
    expect(conversationTitle(conversationAs({ kind: "secretariat", title: "Nguyễn Văn An" }), t), "the secretariat's view").toBe("Nguyễn Văn An");
    expect(conversationTitle(conversationAs({ kind: "meeting", title: "" }), t)).toBe("Kỳ họp");
  });

  it("count the unread messages of those not muted", () => {
    expect(unreadTotal([conversationAs({ unread: 2 }), conversationAs({ unread: 5, muted: true }), conversationAs({ unread: 1 })])).toBe(3);
  });

  it("change a group's members by what was added and what was taken away", () => {
    expect(memberChanges(["m2", "m3"], ["m3", "m4"])).toEqual({ add: ["m4"], remove: ["m2"] });
    expect(memberChanges(["m2"], ["m2"])).toEqual({ add: [], remove: [] });
  });
});

describe("messages", () => {
  it("say when they were sent: the time today, the time and day before", () => {
    expect(messageTime(MORNING, MORNING + 60 * 60_000, "vi")).toBe("09:00");
    expect(messageTime(MORNING, MORNING + 24 * 60 * 60_000, "vi")).toBe("09:00 ngày 05/12/2026");
    expect(messageTime(MORNING, MORNING + 24 * 60 * 60_000, "en")).toBe("09:00 on 5 December 2026");
  });

  it("point at a paper's page counted from 1", () => {
    expect(paperLabel({ paper_id: "p", page: 11, title: "Tờ trình số 15", meeting_id: "k" }, t)).toBe("Tờ trình số 15, trang 12");
    expect(paperLabel({ paper_id: "p", page: 0, title: null, meeting_id: null }, t)).toBe("Tài liệu, trang 1");
  });

  it("tell the newest change of the member's own messages, and whether others wrote", () => {
    const mine = messageAs({ id: "y1", mine: true, author_id: me.id, state: "sent" });
    const theirs = messageAs({ id: "x9" });
    expect(stateNews([mine], [{ ...mine, state: "delivered" }])).toBe("delivered");
    expect(stateNews([mine], [mine, theirs])).toBeNull();
    expect(othersArrived([mine], [mine, theirs])).toBe(true);
    expect(othersArrived([mine], [mine, { ...mine, id: "y2" }])).toBe(false);
  });

  it("send on Enter, not on Shift+Enter nor while a word is being composed", () => {
    const key = { key: "Enter", shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, isComposing: false, keyCode: 13 };
    expect(isSendKey(key)).toBe(true);
    expect(isSendKey({ ...key, shiftKey: true })).toBe(false);
    expect(isSendKey({ ...key, isComposing: true })).toBe(false);
    expect(isSendKey({ ...key, keyCode: 229 })).toBe(false);
    expect(isSendKey({ ...key, key: "a" })).toBe(false);
  });
});
