// The width a line of text takes in the text layer's font, so its transparent span can be stretched to the line's
// width on the page and a selection covers exactly the words under the mouse.

export const TEXT_LAYER_FONT = "sans-serif";
const REFERENCE_PX = 100;

let context: CanvasRenderingContext2D | null | undefined;

function measuringContext(): CanvasRenderingContext2D | null {
  if (context === undefined) {
    try {
      const candidate = document.createElement("canvas").getContext("2d");
      context = candidate !== null && typeof candidate.measureText === "function" ? candidate : null;
      if (context !== null) context.font = `${REFERENCE_PX}px ${TEXT_LAYER_FONT}`;
    } catch {
      context = null;
    }
  }
  return context;
}

/** The text's width at a font size of 1 px; an estimate where the page cannot measure (tests without a canvas). */
export function unitWidth(text: string): number {
  const measurer = measuringContext();
  const width = measurer === null ? text.length * 0.5 * REFERENCE_PX : measurer.measureText(text).width;
  return Math.max(width, 1) / REFERENCE_PX;
}
