// The annotation keys in the reader, read before the reader's own (keys.ts there): a letter picks a tool, Ctrl+Z and
// Ctrl+Y (or Ctrl+Shift+Z) undo and redo, Enter places the drawing tool's mark, M marks the selected words or else find's current hit with the text tool in
// hand (a highlight with any other), and Esc lets go of the selected mark before it would close the paper.
import type { Tool } from "./marks";
import { toolForKey } from "./names";

export type AnnotationCommand = { tool: Tool } | "undo" | "redo" | "mark" | "place" | "deselect";

export type KeyPress = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey" | "target">;

/**
 * What a key does to the marks; `null` when it is the reader's (or a field's). With a drawing tool in hand, Enter
 * places that kind of mark on the current page (`drawing`), where the arrows then move it: the keyboard's pointer.
 */
export function annotationCommand(event: KeyPress, hasSelection: boolean, drawing = false): AnnotationCommand | null {
  if (isTyping(event.target)) return null;
  if (drawing && event.key === "Enter" && !isButton(event.target)) return "place";
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

function isButton(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("button, [role=button]") !== null;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable=true]") !== null;
}
