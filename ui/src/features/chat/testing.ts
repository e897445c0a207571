// The chat as the core would hold it, for the chat's tests: a delegate (Nguyễn Văn An, "m1") with a private
// conversation with Trần Thị Bình, the council's announcements and his own conversation with the secretariat; and a fake
// core that answers the chat's commands from that state, records each call, and refuses the ones a test says to.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { ChatMemberView, ChatMessageView, ChatSearchHit, ConversationSummary, IpcError } from "../../lib/ipc/types";

export const me: ChatMemberView = { id: "m1", name: "Nguyễn Văn An" };
export const binh: ChatMemberView = { id: "m2", name: "Trần Thị Bình" };
export const cuong: ChatMemberView = { id: "m3", name: "Lê Văn Cường" };

/** 5 December 2026, 09:00 in Hà Nội. */
export const MORNING = Date.UTC(2026, 11, 5, 2, 0);

export function messageAs(changed: Partial<ChatMessageView> = {}): ChatMessageView {
  return {
    id: "x1",
    conversation_id: "c-binh",
    seq: 1,
    author_id: binh.id,
    author_name: binh.name,
    mine: false,
    body: "Anh xem giúp em trang 12 của tờ trình nhé.",
    reply_to: null,
    paper: null,
    sent_at: MORNING,
    edited: false,
    deleted: false,
    state: "sent",
    refusal: null,
    ...changed,
  };
}

export function conversationAs(changed: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id: "c-binh",
    kind: "private",
    title: binh.name,
    members: [me, binh],
    unread: 0,
    muted: false,
    left: false,
    may_post: true,
    owned: false,
    last: null,
    ...changed,
  };
}

type Call = { command: string; args: Record<string, unknown> };

/** The core's chat, held as plain data each test arranges; `calls` says what the window asked. */
export class FakeChat {
  conversations: ConversationSummary[] = [];
  messages: Record<string, ChatMessageView[]> = {};
  members: ChatMemberView[] = [binh, cuong];
  hits: ChatSearchHit[] = [];
  calls: Call[] = [];
  /** Commands that fail, with the error the core would answer. */
  refusals: Record<string, IpcError> = {};
  private written = 0;

  constructor(conversations: ConversationSummary[], messages: Record<string, ChatMessageView[]> = {}) {
    this.conversations = conversations;
    this.messages = messages;
  }

  called(command: string): Record<string, unknown>[] {
    return this.calls.filter((call) => call.command === command).map((call) => call.args);
  }

  /** Answers the window's commands from here on (Tauri's events are mocked too, for `emit`). */
  install(): void {
    clearMocks();
    mockIPC((command, args) => this.answer(command, (args ?? {}) as Record<string, unknown>), { shouldMockEvents: true });
  }

  private change(messageId: string, changed: (message: ChatMessageView) => ChatMessageView | null): void {
    for (const [conversationId, held] of Object.entries(this.messages)) {
      this.messages[conversationId] = held.flatMap((message) => {
        if (message.id !== messageId) return [message];
        const next = changed(message);
        return next === null ? [] : [next];
      });
    }
  }

  private conversation(id: string, made: () => ConversationSummary): string {
    if (!this.conversations.some((conversation) => conversation.id === id)) this.conversations = [made(), ...this.conversations];
    return id;
  }

  private answer(command: string, args: Record<string, unknown>): unknown {
    this.calls.push({ command, args });
    const refusal = this.refusals[command];
    if (refusal !== undefined) throw refusal;
    const id = args.conversationId as string;
    switch (command) {
      // Copies, as the IPC's answers always are.
      case "chat_conversations":
        return structuredClone(this.conversations);
      case "chat_messages":
        return structuredClone(this.messages[id] ?? []);
      case "chat_members":
        return structuredClone(this.members);
      case "open_private_chat": {
        const other = this.members.find((member) => member.id === args.memberId) ?? binh;
        return this.conversation(`c-${other.id}`, () => conversationAs({ id: `c-${other.id}`, title: other.name, members: [me, other] }));
      }
      case "ask_secretariat":
        return this.conversation("c-secretariat", () => conversationAs({ id: "c-secretariat", kind: "secretariat", title: "", members: [] }));
      case "send_chat_message": {
        const draft = args.draft as { conversation_id: string; body: string; reply_to: string | null; paper: ChatMessageView["paper"] };
        const sent = messageAs({
          id: `w${++this.written}`,
          conversation_id: draft.conversation_id,
          seq: 0,
          author_id: me.id,
          author_name: me.name,
          mine: true,
          body: draft.body,
          reply_to: draft.reply_to,
          paper: draft.paper,
          sent_at: MORNING + 60_000,
          state: "waiting",
        });
        this.messages[draft.conversation_id] = [...(this.messages[draft.conversation_id] ?? []), sent];
        return sent;
      }
      case "edit_chat_message":
        this.change(args.messageId as string, (message) => ({ ...message, body: args.body as string, edited: true }));
        return null;
      case "delete_chat_message":
        this.change(args.messageId as string, (message) => ({ ...message, body: "", deleted: true }));
        return null;
      case "retry_chat_message":
        this.change(args.messageId as string, (message) => ({ ...message, state: "waiting", refusal: null }));
        return null;
      case "discard_chat_message":
        this.change(args.messageId as string, () => null);
        return null;
      case "mark_chat_read":
        this.conversations = this.conversations.map((conversation) => (conversation.id === id ? { ...conversation, unread: 0 } : conversation));
        return null;
      case "mute_chat":
        this.conversations = this.conversations.map((conversation) =>
          conversation.id === id ? { ...conversation, muted: args.muted as boolean } : conversation,
        );
        return null;
      case "create_chat_group":
        return this.conversation("c-group", () =>
          conversationAs({ id: "c-group", kind: "group", title: args.title as string, owned: true, members: [me] }),
        );
      case "change_chat_group":
        return null;
      case "search_chat":
        return structuredClone(this.hits);
      case "open_link":
        return null;
      default:
        throw { code: "internal", message: `unexpected command ${command}` } satisfies IpcError;
    }
  }
}
