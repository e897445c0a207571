// The reader's keys. Every arrow key, Page Up/Down and Space turn pages in every mode (the wheel, scroll bars and
// fingers scroll), so one rule holds wherever the reader is; the page box, the find box and any other field keep their
// keys for typing, and Space on a button presses the button.

export type ReaderCommand =
  | "find"
  /** Esc: leaves full screen, else closes the find bar, else closes the paper. */
  | "escape"
  | "fullscreen"
  | "zoom-in"
  | "zoom-out"
  | "fit-width"
  | "next"
  | "previous"
  | "first"
  | "last"
  /** B: back to the page the sitting's presenter shows (following them again). */
  | "presenter";

export type KeyPress = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey" | "target">;

/** What a key pressed in the reader does; `null` when it is left to the element it was pressed in (or to nothing). */
export function readerCommand(event: KeyPress): ReaderCommand | null {
  const key = event.key;
  const command = event.ctrlKey || event.metaKey;
  if (command && !event.shiftKey && !event.altKey && key.toLowerCase() === "f") return "find";
  if (key === "Escape") return "escape";
  if (key === "F11") return "fullscreen";
  if (isTyping(event.target)) return null;
  if (command && (key === "+" || key === "=")) return "zoom-in";
  if (command && key === "-") return "zoom-out";
  if (command && key === "0") return "fit-width";
  if (command || event.altKey) return null;
  if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" || (key === " " && !event.shiftKey)) {
    return key === " " && isButton(event.target) ? null : "next";
  }
  if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp" || (key === " " && event.shiftKey)) {
    return key === " " && isButton(event.target) ? null : "previous";
  }
  if (key === "Home") return "first";
  if (key === "End") return "last";
  if (key === "+" || key === "=") return "zoom-in";
  if (key === "-") return "zoom-out";
  if (key === "0") return "fit-width";
  if (key === "f" || key === "F") return "fullscreen";
  // Not P, which picks the pen (annotations' keys are read first): B for "back to the presenter".
  if (key === "b" || key === "B") return "presenter";
  return null;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable=true]") !== null;
}

function isButton(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest("button") !== null;
}
