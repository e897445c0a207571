// The member's chat as the window holds it while they are signed in: the conversations (for the list and the header's
// unread count), reloaded after each burst of `chat-changed`; which conversation is on screen; and the notifications
// for messages that arrive elsewhere.
import { errorCode } from "../../lib/errors";
import { chatConversations } from "../../lib/ipc/commands";
import { onChatChanged } from "../../lib/ipc/events";
import type { ChatMessageView, ConversationSummary, IpcErrorCode } from "../../lib/ipc/types";
import { RELOAD_DELAY_MS, unreadTotal } from "./chat";

/** At most this many notifications are on screen: the newest conversations'. */
const NOTICES_SHOWN = 3;

/** Others wrote in a conversation that is not on screen: its newest message, and how many came. */
export type ChatNotice = { conversationId: string; message: ChatMessageView; count: number };

export class LiveChat {
  conversations = $state.raw<ConversationSummary[]>([]);
  loaded = $state(false);
  /** Why the conversations could not be loaded, until they load. */
  failure = $state<IpcErrorCode | null>(null);
  /** The conversation on screen, whose new messages are read there rather than announced. */
  shown = $state<string | null>(null);
  /** How many bursts of changes touched each conversation: its open view reloads when its number moves. */
  revisions = $state.raw<Record<string, number>>({});
  notices = $state.raw<ChatNotice[]>([]);
  readonly unread = $derived(unreadTotal(this.conversations));
  private loading = 0;

  /** Follows the chat: subscribes first, then loads, so no change between the two is missed. */
  follow(): () => void {
    let following = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let touched = new Set<string>();
    const flush = () => {
      timer = undefined;
      if (!following) return;
      const revisions = { ...this.revisions };
      for (const id of touched) revisions[id] = (revisions[id] ?? 0) + 1;
      touched = new Set();
      this.revisions = revisions;
      void this.load();
    };
    const subscription = onChatChanged((changed) => {
      if (!following) return;
      if (changed.conversation_id !== null) touched.add(changed.conversation_id);
      this.arrived(changed.arrived);
      // The first change of a burst sets the reload off; the rest of the burst rides along with it.
      timer ??= setTimeout(flush, RELOAD_DELAY_MS);
    });
    void subscription.then(() => {
      if (following) void this.load();
    });
    return () => {
      following = false;
      clearTimeout(timer);
      void subscription.then((stop) => stop());
    };
  }

  async load(): Promise<void> {
    const mine = ++this.loading;
    try {
      const conversations = await chatConversations();
      // A slower answer to an older load must not replace a newer one.
      if (mine !== this.loading) return;
      this.conversations = conversations;
      this.failure = null;
      this.loaded = true;
    } catch (error) {
      if (mine === this.loading) this.failure = errorCode(error);
    }
  }

  find(conversationId: string): ConversationSummary | undefined {
    return this.conversations.find((conversation) => conversation.id === conversationId);
  }

  /** A conversation comes on screen (or none): its notification goes, it is read there. */
  show(conversationId: string | null): void {
    this.shown = conversationId;
    if (conversationId !== null) this.dismiss(conversationId);
  }

  dismiss(conversationId: string): void {
    this.notices = this.notices.filter((notice) => notice.conversationId !== conversationId);
  }

  /** Others' new messages: a notification for each conversation not on screen, the newest first. */
  arrived(messages: readonly ChatMessageView[]): void {
    let notices = this.notices;
    for (const message of messages) {
      if (message.mine || message.conversation_id === this.shown) continue;
      const earlier = notices.find((notice) => notice.conversationId === message.conversation_id);
      const notice = { conversationId: message.conversation_id, message, count: (earlier?.count ?? 0) + 1 };
      notices = [notice, ...notices.filter((held) => held !== earlier)];
    }
    this.notices = notices.slice(0, NOTICES_SHOWN);
  }
}
