// What the chat screens decide without the core: what a conversation is called, how many messages wait unread, how a
// message's text becomes text and links, when a message was sent, what a group's member change adds and removes.
// The rules themselves are the core's and the server's (ecabinet_domain::chat); these only show them.
import { formatDate, formatDateTime, formatTime, isSameDay } from "../../lib/format";
import type { Lang, MessageKey } from "../../lib/i18n";
import { errorCode } from "../../lib/errors";
import { chatMembers } from "../../lib/ipc/commands";
import type {
  ChatMemberView,
  ChatMessageState,
  ChatMessageView,
  ChatPaperRef,
  ConversationSummary,
  IpcErrorCode,
} from "../../lib/ipc/types";

/** The longest message, in characters (ecabinet_domain::chat::MAX_MESSAGE_CHARS). */
export const MAX_MESSAGE_CHARS = 4_000;

/** Bursts of changes (a sync catching up) reload the list and the open conversation once, this long after the first. */
export const RELOAD_DELAY_MS = 120;

/** Typing rests this long before the messages are searched. */
export const SEARCH_DELAY_MS = 250;

/** A preview (the list's last message, a notification, a quoted reply) is cut at this many characters. */
export const PREVIEW_CHARS = 80;

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * What the member reads as the conversation's name: the core's title, else the window's name for it (the announcements,
 * the member's own conversation with the secretariat, a meeting not on this device).
 */
export function conversationTitle(conversation: Pick<ConversationSummary, "kind" | "title" | "members">, t: Translate): string {
  const title = conversation.title.trim();
  if (conversation.kind === "announcements") return t("chat.kind.announcements");
  if (title !== "") return title;
  if (conversation.kind === "secretariat") return t("chat.kind.secretariat");
  if (conversation.kind === "meeting") return t("chat.kind.meeting");
  const names = conversation.members.map((member) => member.name).join(", ");
  return names === "" ? t(`chat.kind.${conversation.kind}`) : names;
}

/** Messages waiting to be read across the conversations the member hears from (a muted one keeps its own count). */
export function unreadTotal(conversations: readonly ConversationSummary[]): number {
  return conversations.reduce((total, conversation) => total + (conversation.muted ? 0 : conversation.unread), 0);
}

/** A page of a packet paper the member asks the secretariat about, from the reader. */
export type PaperQuestion = { paperId: string; page: number; title: string };

/** Where the chat panel opens: the list, a conversation (from a notification), or the secretariat's about a paper. */
export type ChatOpening = { conversationId?: string; ask?: PaperQuestion };

/** A paper page a message being written will point at: the reference as sent, and how the member reads it. */
export type Attachment = { paper: ChatPaperRef; label: string };

/** A piece of a message's text: plain text, or a web address shown as a link. */
export type BodySegment = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

const ADDRESS = /https?:\/\/[^\s<>"'`]+/giu;
/** Punctuation that ends a sentence rather than the address written before it. */
const TRAILING = /[.,;:!?…)\]}»”’]+$/u;

/** The address as a link's target: only a well-formed http or https one, else nothing. */
function webAddress(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A message's text cut into plain text and web addresses. Built from the text itself, never from HTML: whatever the
 * text holds (tags, scripts, other schemes) stays text, and only http and https addresses become links.
 */
export function bodySegments(body: string): BodySegment[] {
  const segments: BodySegment[] = [];
  let plain = "";
  let from = 0;
  for (const match of body.matchAll(ADDRESS)) {
    const found = match[0];
    const address = found.replace(TRAILING, "");
    const href = webAddress(address);
    const at = match.index;
    if (href === null || address === "") continue;
    plain += body.slice(from, at);
    if (plain !== "") segments.push({ kind: "text", text: plain });
    plain = "";
    segments.push({ kind: "link", text: address, href });
    from = at + address.length;
  }
  plain += body.slice(from);
  if (plain !== "") segments.push({ kind: "text", text: plain });
  return segments;
}

/** Text on one line cut to `max` characters, for a preview; a cut falls between words where one is near. */
export function excerpt(text: string, max = PREVIEW_CHARS): string {
  const line = text.replace(/\s+/g, " ").trim();
  const chars = [...line];
  if (chars.length <= max) return line;
  const cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > cut.length * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A paper reference as the member reads it: "Tờ trình số 15, trang 12" (pages counted from 1). */
export function paperLabel(paper: ChatPaperRef, t: Translate): string {
  return t("chat.paper", { title: paper.title ?? t("chat.paper_untitled"), page: paper.page + 1 });
}

/** A message in one line: its text, a deletion's trace, or the paper it points at. */
export function messagePreview(message: ChatMessageView, t: Translate): string {
  if (message.deleted) return t("chat.deleted");
  if (message.body.trim() === "" && message.paper !== null) return paperLabel(message.paper, t);
  return excerpt(message.body);
}

/** When a message was sent: the time alone today, the time and the day before. */
export function messageTime(sentAt: number, now: number, lang: Lang): string {
  return isSameDay(sentAt, now) ? formatTime(sentAt) : formatDateTime(sentAt, lang);
}

/** When the list's last message was sent: the time today, the day before. */
export function listTime(sentAt: number, now: number, lang: Lang): string {
  return isSameDay(sentAt, now) ? formatTime(sentAt) : formatDate(sentAt, lang);
}

/** The states of the member's own messages, in the order they pass. */
export const stateKeys: Record<ChatMessageState, MessageKey> = {
  waiting: "chat.state.waiting",
  sent: "chat.state.sent",
  delivered: "chat.state.delivered",
  read: "chat.state.read",
  refused: "chat.state.refused",
};

/** The member's own messages whose state moved since the last look: the newest one's new state, to be said. */
export function stateNews(before: readonly ChatMessageView[], after: readonly ChatMessageView[]): ChatMessageState | null {
  const was = new Map(before.filter((message) => message.mine).map((message) => [message.id, message.state]));
  let news: ChatMessageState | null = null;
  for (const message of after) {
    if (!message.mine) continue;
    const previous = was.get(message.id);
    if (previous !== undefined && previous !== message.state) news = message.state;
  }
  return news;
}

/** Others' messages in `after` that `before` did not hold: news to mark read. */
export function othersArrived(before: readonly ChatMessageView[], after: readonly ChatMessageView[]): boolean {
  const seen = new Set(before.map((message) => message.id));
  return after.some((message) => !message.mine && !seen.has(message.id));
}

/** Who to add to and remove from a group to go from its members to the ones chosen. */
export function memberChanges(current: readonly string[], chosen: readonly string[]): { add: string[]; remove: string[] } {
  const had = new Set(current);
  const wants = new Set(chosen);
  return { add: chosen.filter((id) => !had.has(id)), remove: current.filter((id) => !wants.has(id)) };
}

/** The member may take back or change this message: theirs, still there, not refused (that one is retried or given up). */
export function isChangeable(message: ChatMessageView): boolean {
  return message.mine && !message.deleted && message.state !== "refused";
}

/** Enter sends, Shift+Enter starts a new line; a key that finishes a word being composed (Vietnamese input) does not send. */
export function isSendKey(event: Pick<KeyboardEvent, "key" | "shiftKey" | "ctrlKey" | "altKey" | "metaKey" | "isComposing" | "keyCode">): boolean {
  return event.key === "Enter" && !event.shiftKey && !event.altKey && !event.isComposing && event.keyCode !== 229;
}

/**
 * The council's members for a form (a new message, a new group, a group's members). Returns what forgets the answer
 * when the form closes before it comes: call it from the form's `$effect` cleanup.
 */
export function loadChatMembers(
  loaded: (members: ChatMemberView[]) => void,
  failed: (code: IpcErrorCode) => void,
): () => void {
  let open = true;
  chatMembers().then(
    (members) => {
      if (open) loaded(members);
    },
    (error: unknown) => {
      if (open) failed(errorCode(error));
    },
  );
  return () => {
    open = false;
  };
}

/** A name as the member may type it to find it: accents, đ and case aside. */
export function foldName(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}
