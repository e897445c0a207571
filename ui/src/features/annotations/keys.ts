// The annotation keys in the reader, read before the reader's own (keys.ts there): a letter picks a tool, Ctrl+Z and
// Ctrl+Y (or Ctrl+Shift+Z) undo and redo, M marks the selected words or else find's current hit with the text tool in
// hand (a highlight with any other), and Esc lets go of the selected mark before it would close the paper.
import type { Tool } from "./marks";
import { toolForKey } from "./names";

export type AnnotationCommand = { tool: Tool } | "undo" | "redo" | "mark" | "deselect";

export type KeyPress = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey" | "target">;

/** What a key does to the marks; `null` when it is the reader's (or a field's). */
export function annotationCommand(event: KeyPress, hasSelection: boolean): AnnotationCommand | null {
  if (isTyping(event.target)) return null;
  const command = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (command && !event.altKey) {
    if (key === "z") return event.shiftKey ? "redo" : "undo";
    if (key === "y") return "redo";
    return null;
  }
  if (event.altKey) return null;
  if (event.key === "Escape") return hasSelection ? "deselect" : null;
  if (event.shiftKey) return null;
  if (key === "m") return "mark";
  const tool = toolForKey(key);
  return tool === null ? null : { tool };
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable=true]") !== null;
}
