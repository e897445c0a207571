import type { Attachment } from "svelte/attachments";

/**
 * Keeps what is on screen in place while the element, above it, changes height. The live sitting's panel loads after
 * the agenda below it and grows and shrinks with the sitting (attendance, speakers, a poll opened or closed); a
 * delegate scrolled down to a paper would otherwise see it jump away from under a finger or the pointer, and tap
 * whatever took its place; so would a banner appearing there. This is what CSS scroll anchoring (`overflow-anchor`)
 * does where the engine has it; WebKitGTK does not. Only while the element starts above the window's top: one the
 * member can see grows in view, as expected.
 */
export const keepsPlaceBelow: Attachment<HTMLElement> = (element) => {
  if (typeof ResizeObserver === "undefined") return;
  if (typeof CSS !== "undefined" && CSS.supports("overflow-anchor", "auto")) return;
  // From nothing: an element that appears above while the member is scrolled past its place (a banner of what changed)
  // pushes the rest down by its whole height. The observer's first call comes as soon as it observes.
  let height = 0;
  // Called after layout and before paint, so the page is never shown in its shifted place.
  const observer = new ResizeObserver(() => {
    const box = element.getBoundingClientRect();
    const change = box.height - height;
    height = box.height;
    if (change !== 0 && box.top < 0) window.scrollBy(0, change);
  });
  observer.observe(element);
  return () => observer.disconnect();
};
