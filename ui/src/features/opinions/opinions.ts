// What the opinion screens decide without the core: which agenda item the form starts on, whether the words can be
// sent, what a refusal tells the member, and how a selected passage becomes a quote. The rules themselves are the
// core's and the server's (ecabinet_domain::opinion); these only spare the member a round trip.
import { errorMessageKeys } from "../../lib/errors";
import type { MessageKey } from "../../lib/i18n";
import type { IpcErrorCode, ItemOpinions, OpinionVersionView, OpinionView } from "../../lib/ipc/types";

/** The longest opinion, in characters (ecabinet_domain::MAX_OPINION_BODY_CHARS). */
export const MAX_OPINION_CHARS = 10_000;
/** The longest quoted passage, in characters (ecabinet_domain::MAX_OPINION_QUOTE_CHARS). */
export const MAX_QUOTE_CHARS = 2_000;

/** Characters as the core counts them (Unicode scalar values, so "ệ" is one however it is typed). */
export function charCount(text: string): number {
  return [...text].length;
}

/** The item the form starts on: the one the paper being read sits under, else the programme's first. */
export function defaultItem(items: ItemOpinions[], paperId: string | null): string | null {
  const programme = items.filter((item) => item.number !== "");
  const ofPaper = paperId === null ? undefined : programme.find((item) => item.paper_ids.includes(paperId));
  return (ofPaper ?? programme[0])?.item_id ?? null;
}

/** Why these words cannot be sent yet, or null when they can. */
export function bodyProblem(body: string): "empty" | "too_long" | null {
  if (body.trim() === "") return "empty";
  if (charCount(body) > MAX_OPINION_CHARS) return "too_long";
  return null;
}

/** What the member reads when sending is refused: the opinion's own words for the codes its rules give. */
export function refusalKey(code: IpcErrorCode): MessageKey {
  switch (code) {
    case "forbidden":
      return "opinion.error.forbidden";
    case "conflict":
      return "opinion.error.conflict";
    case "payload_too_large":
      return "opinion.error.payload_too_large";
    case "bad_request":
      return "opinion.error.bad_request";
    default:
      return errorMessageKeys[code];
  }
}

/** A selected passage as the quote the opinion links to: white space collapsed, at most the quote's limit. */
export function selectionQuote(text: string | null | undefined): string | undefined {
  const quote = (text ?? "").replace(/\s+/g, " ").trim();
  if (quote === "") return undefined;
  const chars = [...quote];
  return chars.length > MAX_QUOTE_CHARS ? `${chars.slice(0, MAX_QUOTE_CHARS - 1).join("")}…` : quote;
}

/** The version that stands now: the highest number. */
export function latest(opinion: OpinionView): OpinionVersionView {
  return opinion.versions.reduce((a, b) => (b.version >= a.version ? b : a));
}

/** How many opinions (not versions) the items hold, withdrawn ones included. */
export function opinionCount(items: ItemOpinions[]): number {
  return items.reduce((sum, item) => sum + item.opinions.length, 0);
}
