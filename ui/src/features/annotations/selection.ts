// The words selected in the reader's text layers as a place the core can anchor a mark at. The text layer lays each
// line of a page's text in a span that knows where the line starts in the page's text (`data-start`, in characters);
// a selection's ends are a text node in such a span and an offset in UTF-16 units, or a layer and a child index.
import type { PlaceInput } from "../../lib/ipc/types";
import { selectedPlace } from "./marks";

type TextPoint = { page: number; index: number };

/** The selection in the text layers as a place, or `null` when nothing on the pages is selected. */
export function selectionPlace(selection: Selection | null): PlaceInput | null {
  if (selection === null || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  return selectedPlace(pointIn(range.startContainer, range.startOffset), pointIn(range.endContainer, range.endOffset));
}

function pointIn(node: Node, offset: number): TextPoint | null {
  const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : (node as Element);
  const layer = element?.closest<HTMLElement>("[data-testid=text-layer][data-page]");
  if (layer === null || layer === undefined) return null;
  const page = Number(layer.dataset.page);
  if (node.nodeType === Node.TEXT_NODE) {
    const span = element?.closest<HTMLElement>("[data-start]");
    if (span === null || span === undefined) return null;
    const before = (node.textContent ?? "").slice(0, offset);
    return { page, index: Number(span.dataset.start) + Array.from(before).length };
  }
  // Between children: the end of the last line before that point, or the page's start.
  const children = Array.from(node.childNodes).slice(0, offset).reverse();
  for (const child of children) {
    const span = child instanceof HTMLElement ? (child.matches("[data-start]") ? child : child.querySelector<HTMLElement>("[data-start]")) : null;
    if (span !== null) return { page, index: Number(span.dataset.start) + Array.from(span.textContent ?? "").length };
  }
  return { page, index: 0 };
}
