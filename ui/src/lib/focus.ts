import type { Attachment } from "svelte/attachments";

/**
 * Moves keyboard focus to the element when it appears.
 * Used when a screen replaces another, so keyboard and screen-reader users start on the new content
 * instead of on a button that no longer exists.
 */
export const focusOnMount: Attachment<HTMLElement> = (element) => {
  element.focus();
};
