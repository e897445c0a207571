// What each kind of mark and each tool is called, as message keys (Vietnamese and English in lib/i18n.ts).
import type { MessageKey } from "../../lib/i18n";
import type { Kind, Tool } from "./marks";

export const kindKeys: Record<Kind, MessageKey> = {
  highlight: "annotations.kind.highlight",
  underline: "annotations.kind.underline",
  strike_out: "annotations.kind.strike_out",
  squiggly: "annotations.kind.squiggly",
  ink: "annotations.kind.ink",
  note: "annotations.kind.note",
  free_text: "annotations.kind.free_text",
  rectangle: "annotations.kind.rectangle",
  ellipse: "annotations.kind.ellipse",
  line: "annotations.kind.line",
  arrow: "annotations.kind.arrow",
};

export const toolKeys: Record<Tool, MessageKey> = { select: "annotations.tool.select", ...kindKeys };

/**
 * The key that picks each tool in the reader (with no modifier, outside a text field): the letter of its English name
 * where free, so the shortcut help can say it in both languages.
 */
export const toolShortcuts: Record<Tool, string> = {
  select: "v",
  highlight: "h",
  underline: "u",
  strike_out: "k",
  squiggly: "q",
  ink: "p",
  note: "n",
  free_text: "t",
  rectangle: "r",
  ellipse: "o",
  line: "l",
  arrow: "a",
};

/** The tool a key picks, if any. */
export function toolForKey(key: string): Tool | null {
  const lower = key.toLowerCase();
  const found = (Object.entries(toolShortcuts) as [Tool, string][]).find(([, letter]) => letter === lower);
  return found === undefined ? null : found[0];
}
